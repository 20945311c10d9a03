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
		// The walk reads the whole file through bbolt's map: drop the
		// pages as it goes, so that opening a large run does not make
		// the process as large as its database.
		read := 0
		drop := func(n int) {
			if read += n; read > 4<<20 {
				dropMapped(b, tx)
				read = 0
			}
		}
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			_, err := walk(bk, drop)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("%w: %s is damaged: %v", ErrNotDatabase, path, err)
	}
	return nil
}

// walk visits every key and value of a bucket and of the buckets in it,
// and checks that the keys come in order, as bbolt's own check does. It
// returns a sum of a byte of each page of the values, which it reads so
// that every page is read here; each is told the size of every entry.
func walk(b *bolt.Bucket, each func(n int)) (uint32, error) {
	var prev []byte
	var sum uint32
	first := true
	err := b.ForEach(func(k, v []byte) error {
		if !first && bytes.Compare(prev, k) >= 0 {
			return errKeyOrder
		}
		first, prev = false, append(prev[:0], k...)
		each(len(k) + len(v))
		if v != nil {
			// A byte of each page is enough to make the kernel
			// read the page, and cheap at any size.
			for i := 0; i < len(v); i += 4096 {
				sum = sum*31 + uint32(v[i])
			}
			return nil
		}
		if nb := b.Bucket(k); nb != nil {
			s, err := walk(nb, each)
			sum ^= s
			return err
		}
		return nil
	})
	return sum, err
}

// errKeyOrder is what walk finds in a page whose keys are out of order.
var errKeyOrder = errors.New("keys out of order")
