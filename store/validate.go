package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"unsafe"

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
		// Every page below the database's high-water mark must be in
		// the file: a page past its end would fault where it is read.
		// Values on those pages are then safe without reading them,
		// so opening a large run reads only the pages that hold keys.
		// Any other value (a copy bbolt made, or one on a page past
		// the mark) is read here, a byte a page.
		fi, err := os.Stat(path)
		if err != nil {
			return err
		}
		base, used := b.Info().Data, uintptr(tx.Size())
		if uintptr(fi.Size()) < used {
			return fmt.Errorf("the file holds %d bytes of its %d", fi.Size(), used)
		}
		var sum byte
		defer runtime.KeepAlive(&sum)
		check := func(v []byte) {
			off := uintptr(unsafe.Pointer(unsafe.SliceData(v))) - base
			if off < used && uintptr(len(v)) <= used-off {
				return
			}
			for i := 0; i < len(v); i += 4096 {
				sum += v[i]
			}
		}
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			return walk(bk, drop, check)
		})
	})
	if err != nil {
		return fmt.Errorf("%w: %s is damaged: %v", ErrNotDatabase, path, err)
	}
	return nil
}

// walk visits every key and value of a bucket and of the buckets in it,
// checks that the keys come in order, as bbolt's own check does, and
// calls check with every value. Each is told the size of every entry.
func walk(b *bolt.Bucket, each func(n int), check func(v []byte)) error {
	var prev []byte
	first := true
	return b.ForEach(func(k, v []byte) error {
		if !first && bytes.Compare(prev, k) >= 0 {
			return errKeyOrder
		}
		first, prev = false, append(prev[:0], k...)
		each(len(k) + len(v))
		if v != nil {
			check(v)
			return nil
		}
		if nb := b.Bucket(k); nb != nil {
			return walk(nb, each, check)
		}
		return nil
	})
}

// errKeyOrder is what walk finds in a page whose keys are out of order.
var errKeyOrder = errors.New("keys out of order")
