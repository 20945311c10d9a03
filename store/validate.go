package store

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// validate reads every page of the database file at path, in this
// goroutine, before it is opened for use. A damaged file can make bbolt
// panic, or read past its mapping, in a goroutine of its own where no
// recover reaches (a write open walks the pages to find the free ones);
// here both become [ErrNotDatabase]. A file another process holds is
// left to the open that follows.
func validate(path string) (err error) {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 1})
	if err != nil {
		return nil
	}
	defer b.Close()

	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s is damaged: %v", ErrNotDatabase, path, r)
		}
	}()
	err = b.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			return walk(bk)
		})
	})
	if err != nil {
		return fmt.Errorf("%w: %s is damaged: %v", ErrNotDatabase, path, err)
	}
	return nil
}

// walk visits every key and value of a bucket and of the buckets in it,
// and checks that the keys come in order, as bbolt's own check does.
func walk(b *bolt.Bucket) error {
	var prev []byte
	first := true
	return b.ForEach(func(k, v []byte) error {
		if !first && bytes.Compare(prev, k) >= 0 {
			return errKeyOrder
		}
		first, prev = false, append(prev[:0], k...)
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				return walk(nb)
			}
			return nil
		}
		// Touch the value, so that its overflow pages are read here.
		var x byte
		for _, c := range v {
			x ^= c
		}
		sink = x
		return nil
	})
}

// errKeyOrder is what walk finds in a page whose keys are out of order.
var errKeyOrder = errors.New("keys out of order")

// sink keeps the reads of walk from being optimized away.
var sink byte
