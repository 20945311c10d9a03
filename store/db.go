package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout of the database this package writes.
const SchemaVersion = 1

// MaxErrors is how many per-file errors a run keeps in full; beyond it
// they are only counted.
const MaxErrors = 1000

var (
	bucketMeta   = []byte("meta")   // schema, run record, counters, marks
	bucketChunks = []byte("chunks") // chunk index -> encoded chunk
	bucketStates = []byte("states") // chunk index -> state; absent = pending
	bucketEvents = []byte("events") // sequence -> Event
	bucketErrors = []byte("errors") // sequence -> FileError

	keySchema   = []byte("schema")
	keyRun      = []byte("run")
	keyCounters = []byte("counters")
	keySummary  = []byte("summary")
	keyCommit   = []byte("commit")  // the last commit sequence
	keyDurable  = []byte("durable") // commits up to here are on disk
)

// Chunk states, the first byte of a states value.
const (
	stateClaimed byte = 1
	stateDone    byte = 2
)

// Options configure [Open].
type Options struct {
	// ReadOnly opens an existing database for reading only. Readers wait
	// while a writer holds the file.
	ReadOnly bool

	// Timeout is how long to wait for another process's lock before
	// failing with [ErrLocked]. Zero means 200 milliseconds.
	Timeout time.Duration
}

// DB is an open run database. It is safe for concurrent use.
type DB struct {
	bolt     *bolt.DB
	path     string
	readOnly bool

	mu   sync.Mutex
	next int // the lowest chunk index that may be pending
}

// Open opens the run database at path, creating it (mode 0600, in a
// directory of mode 0700) unless o.ReadOnly is set. The caller closes it.
func Open(path string, o Options) (db *DB, err error) {
	if o.Timeout == 0 {
		o.Timeout = 200 * time.Millisecond
	}
	if !o.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("store: cannot create state directory: %w", err)
		}
	}
	if fi, err := os.Lstat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%w: %s is not a regular file", ErrNotDatabase, path)
		}
	} else if o.ReadOnly {
		return nil, fmt.Errorf("store: cannot open database: %w", err)
	}

	if fi, err := os.Lstat(path); err == nil && fi.Size() > 0 {
		if err := validate(path); err != nil {
			return nil, err
		}
	}
	// A damaged file can make bbolt panic, or fault, while it reads its
	// pages.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: %s: %v", ErrNotDatabase, path, r)
		}
	}()
	b, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        o.Timeout,
		ReadOnly:       o.ReadOnly,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%w: %s: %v", ErrNotDatabase, path, err)
	case err != nil:
		return nil, fmt.Errorf("store: cannot open database: %w", err)
	}
	db = &DB{bolt: b, path: path, readOnly: o.ReadOnly}
	if err := db.init(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// init creates the buckets of a new database and checks the schema of an
// existing one.
func (db *DB) init() error {
	check := func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("%w: %s has no meta bucket", ErrNotDatabase, db.path)
		}
		v := meta.Get(keySchema)
		if len(v) != 8 {
			return fmt.Errorf("%w: %s has no schema version", ErrNotDatabase, db.path)
		}
		if s := binary.BigEndian.Uint64(v); s > SchemaVersion {
			return fmt.Errorf("%w: %s has schema %d, this filegen reads %d",
				ErrNewerSchema, db.path, s, SchemaVersion)
		}
		for _, name := range [][]byte{bucketChunks, bucketStates, bucketEvents, bucketErrors} {
			if tx.Bucket(name) == nil {
				return fmt.Errorf("%w: %s has no %s bucket", ErrNotDatabase, db.path, name)
			}
		}
		return nil
	}
	if db.readOnly {
		return db.bolt.View(check)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			// A fresh file has no buckets at all; anything else is some
			// other bbolt database that is not ours to change.
			empty := true
			tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("%w: %s holds other data", ErrNotDatabase, db.path)
			}
			for _, name := range [][]byte{bucketMeta, bucketChunks, bucketStates, bucketEvents, bucketErrors} {
				if _, err := tx.CreateBucket(name); err != nil {
					return err
				}
			}
			if err := tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion)); err != nil {
				return err
			}
		}
		return check(tx)
	})
}

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close releases the database. Pending writes are already committed.
func (db *DB) Close() error { return db.bolt.Close() }

func (db *DB) update(fn func(tx *bolt.Tx) error) error {
	if db.readOnly {
		return ErrReadOnly
	}
	return db.bolt.Update(fn)
}

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func getU64(b *bolt.Bucket, key []byte) uint64 {
	v := b.Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func chunkKey(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, unmarshal(key, data, v)
}

// unmarshal decodes the JSON record stored under key.
func unmarshal(key, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: bad %s record: %v", ErrNotDatabase, key, err)
	}
	return nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// appendSeq stores v under the bucket's next sequence number.
func appendSeq(b *bolt.Bucket, v any) error {
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(b, u64(seq), v)
}
