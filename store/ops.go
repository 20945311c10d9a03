package store

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CreateRun stores the record of a new run and logs a planned event.
func (db *DB) CreateRun(r Run) error {
	return db.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keyRun) != nil {
			return fmt.Errorf("store: run %q already exists", r.Name)
		}
		return putJSON(meta, keyRun, r)
	})
}

// Run returns the run record.
func (db *DB) Run() (Run, error) {
	var r Run
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketMeta), keyRun, &r)
		if err == nil && !ok {
			err = ErrNoRun
		}
		return err
	})
	return r, err
}

// UpdateRun changes the run record with fn and, when event is not empty,
// logs it, in one transaction.
func (db *DB) UpdateRun(event, detail string, fn func(*Run)) error {
	return db.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		var r Run
		ok, err := getJSON(meta, keyRun, &r)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNoRun
		}
		fn(&r)
		if err := putJSON(meta, keyRun, r); err != nil {
			return err
		}
		if event == "" {
			return nil
		}
		return appendSeq(tx.Bucket(bucketEvents), Event{Time: time.Now().UTC(), Kind: event, Detail: detail})
	})
}

// AddEvent logs an event in the run's history.
func (db *DB) AddEvent(kind, detail string) error {
	return db.update(func(tx *bolt.Tx) error {
		return appendSeq(tx.Bucket(bucketEvents), Event{Time: time.Now().UTC(), Kind: kind, Detail: detail})
	})
}

// Events returns the run's history, oldest first.
func (db *DB) Events() ([]Event, error) {
	var out []Event
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			var e Event
			if err := unmarshal(k, v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// Errors returns up to limit of the run's recorded per-file errors, oldest
// first.
func (db *DB) Errors(limit int) ([]FileError, error) {
	var out []FileError
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketErrors).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var e FileError
			if err := unmarshal(k, v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// ResetPlan removes every chunk, state and counter, for a plan that is to
// be written again from its start.
func (db *DB) ResetPlan() error {
	return db.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketChunks, bucketStates} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		for _, k := range [][]byte{keyCounters, keySummary, keyCommit, keyDurable} {
			if err := meta.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutChunks stores encoded chunks first, first+1, ... in one transaction.
func (db *DB) PutChunks(first int, data [][]byte) error {
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChunks)
		b.FillPercent = 1 // chunks arrive in key order
		for i, d := range data {
			if err := b.Put(chunkKey(first+i), d); err != nil {
				return err
			}
		}
		return nil
	})
}

// Chunk returns the encoded chunk i. The bytes are the caller's.
func (db *DB) Chunk(i int) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketChunks).Get(chunkKey(i))
		if v == nil {
			return fmt.Errorf("%w: %d", ErrNoChunk, i)
		}
		out = append([]byte(nil), v...)
		return nil
	})
	return out, err
}

// SetSummary stores the plan's summary document; GetSummary reads it.
func (db *DB) SetSummary(v any) error {
	return db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketMeta), keySummary, v)
	})
}

// GetSummary reads the plan's summary into v and reports whether there is
// one.
func (db *DB) GetSummary(v any) (bool, error) {
	var ok bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		ok, err = getJSON(tx.Bucket(bucketMeta), keySummary, v)
		return err
	})
	return ok, err
}

// Counters returns the run's totals from committed chunks.
func (db *DB) Counters() (Counters, error) {
	var c Counters
	err := db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketMeta), keyCounters, &c)
		return err
	})
	return c, err
}

// Recover prepares a run for a new start. Chunks left claimed return to
// pending. When unclean is set, the last process did not stop cleanly, so
// chunks committed after the durable mark may have lost files that the
// file system never wrote: they return to pending too and leave the
// counters. It returns how many chunks went back to pending.
func (db *DB) Recover(unclean bool) (int, error) {
	n := 0
	err := db.update(func(tx *bolt.Tx) error {
		meta, states := tx.Bucket(bucketMeta), tx.Bucket(bucketStates)
		var cnt Counters
		if _, err := getJSON(meta, keyCounters, &cnt); err != nil {
			return err
		}
		durable := getU64(meta, keyDurable)

		var drop [][]byte
		err := states.ForEach(func(k, v []byte) error {
			st, err := decodeState(v)
			if err != nil {
				return err
			}
			switch {
			case st.state == stateClaimed:
				drop = append(drop, k)
			case unclean && st.seq > durable:
				drop = append(drop, k)
				cnt.Chunks--
				cnt.Files -= st.files
				cnt.Dirs -= st.dirs
				cnt.Bytes -= st.bytes
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range drop {
			if err := states.Delete(k); err != nil {
				return err
			}
		}
		n = len(drop)
		return putJSON(meta, keyCounters, cnt)
	})
	db.mu.Lock()
	db.next = 0
	db.mu.Unlock()
	return n, err
}

// chunkState is a decoded states value.
type chunkState struct {
	state              byte
	seq                uint64 // commit sequence, for done chunks
	files, dirs, bytes int64
}

func encodeState(s chunkState) []byte {
	b := []byte{s.state}
	b = binary.AppendUvarint(b, s.seq)
	b = binary.AppendVarint(b, s.files)
	b = binary.AppendVarint(b, s.dirs)
	return binary.AppendVarint(b, s.bytes)
}

func decodeState(v []byte) (chunkState, error) {
	var s chunkState
	bad := fmt.Errorf("%w: bad chunk state", ErrNotDatabase)
	if len(v) < 1 {
		return s, bad
	}
	s.state, v = v[0], v[1:]
	var n int
	if s.seq, n = binary.Uvarint(v); n <= 0 {
		return s, bad
	}
	v = v[n:]
	for _, p := range []*int64{&s.files, &s.dirs, &s.bytes} {
		if *p, n = binary.Varint(v); n <= 0 {
			return s, bad
		}
		v = v[n:]
	}
	return s, nil
}

// Step commits finished chunks and claims up to claim pending ones, in
// one transaction, so that one fsync serves both. It returns the claimed
// chunk indexes, in plan order, and the commit's sequence number.
func (db *DB) Step(done []Result, claim int) ([]int, uint64, error) {
	var claimed []int
	var seq uint64
	db.mu.Lock()
	defer db.mu.Unlock()
	next := db.next
	err := db.update(func(tx *bolt.Tx) error {
		meta, states := tx.Bucket(bucketMeta), tx.Bucket(bucketStates)
		seq = getU64(meta, keyCommit)
		if len(done) > 0 {
			seq++
			if err := meta.Put(keyCommit, u64(seq)); err != nil {
				return err
			}
			if err := commitResults(tx, seq, done); err != nil {
				return err
			}
		}

		total := 0
		if k, _ := tx.Bucket(bucketChunks).Cursor().Last(); len(k) == 4 {
			total = int(binary.BigEndian.Uint32(k)) + 1
		}
		for ; len(claimed) < claim && next < total; next++ {
			k := chunkKey(next)
			if states.Get(k) != nil {
				continue
			}
			if err := states.Put(k, encodeState(chunkState{state: stateClaimed})); err != nil {
				return err
			}
			claimed = append(claimed, next)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	db.next = next
	return claimed, seq, nil
}

func commitResults(tx *bolt.Tx, seq uint64, done []Result) error {
	meta, states, errs := tx.Bucket(bucketMeta), tx.Bucket(bucketStates), tx.Bucket(bucketErrors)
	var cnt Counters
	if _, err := getJSON(meta, keyCounters, &cnt); err != nil {
		return err
	}
	for _, r := range done {
		k := chunkKey(r.Chunk)
		if v := states.Get(k); v != nil {
			if st, err := decodeState(v); err != nil || st.state == stateDone {
				// Committed already: never count a chunk twice.
				continue
			}
		}
		st := chunkState{state: stateDone, seq: seq, files: r.Files, dirs: r.Dirs, bytes: r.Bytes}
		if err := states.Put(k, encodeState(st)); err != nil {
			return err
		}
		cnt.Chunks++
		cnt.Files += r.Files
		cnt.Dirs += r.Dirs
		cnt.Bytes += r.Bytes
		for _, e := range r.Errors {
			cnt.Errors++
			if errs.Sequence() >= MaxErrors {
				continue
			}
			if err := appendSeq(errs, e); err != nil {
				return err
			}
		}
	}
	return putJSON(meta, keyCounters, cnt)
}

// Release returns claimed chunks to pending, for a worker that stops
// before it executes them.
func (db *DB) Release(chunks []int) error {
	if len(chunks) == 0 {
		return nil
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	err := db.update(func(tx *bolt.Tx) error {
		states := tx.Bucket(bucketStates)
		for _, i := range chunks {
			v := states.Get(chunkKey(i))
			if len(v) > 0 && v[0] == stateClaimed {
				if err := states.Delete(chunkKey(i)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	for _, i := range chunks {
		db.next = min(db.next, i)
	}
	return err
}

// SetDurable records that every commit up to seq is on disk, files
// included.
func (db *DB) SetDurable(seq uint64) error {
	return db.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if seq <= getU64(meta, keyDurable) {
			return nil
		}
		return meta.Put(keyDurable, u64(seq))
	})
}

// SetFinalized records how many chunks, counted from the plan's end, have
// their folders' attributes applied.
func (db *DB) SetFinalized(n int64) error {
	return db.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		var cnt Counters
		if _, err := getJSON(meta, keyCounters, &cnt); err != nil {
			return err
		}
		cnt.Finalized = n
		return putJSON(meta, keyCounters, cnt)
	})
}

// Check runs bbolt's consistency check and returns its first error.
func (db *DB) Check() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = fmt.Errorf("%w: %v", ErrNotDatabase, err)
			}
		}
		return first
	})
}
