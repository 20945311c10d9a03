package store

import (
	"golang.org/x/sys/unix"

	bolt "go.etcd.io/bbolt"
)

// Trim drops this process's mapping of the database's pages. bbolt reads
// through a shared, read-only memory map, and every page a run reads
// stays resident in the process until it is dropped, so without Trim a
// process's memory would grow with the plan it has read. The pages stay
// in the kernel's page cache and come back on the next read.
//
// Trim is safe for concurrent use: it works inside a read transaction,
// which keeps bbolt from remapping the file meanwhile, and dropping pages
// of a shared file mapping only makes the next reads fault them in.
func (db *DB) Trim() error {
	return db.bolt.View(func(tx *bolt.Tx) error { return dropMapped(db.bolt, tx) })
}

// dropMapped drops the mapped pages of b; tx, open on b, keeps bbolt from
// remapping meanwhile.
func dropMapped(b *bolt.DB, tx *bolt.Tx) error {
	// Info is bbolt's view of where the file is mapped; Size is the part
	// of the file in use, which lies within the mapping.
	start, size := b.Info().Data, uintptr(tx.Size())
	if size == 0 {
		return nil
	}
	_, _, e := unix.Syscall(unix.SYS_MADVISE, start, size, unix.MADV_DONTNEED)
	if e != 0 {
		return e
	}
	return nil
}
