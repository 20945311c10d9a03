package store

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// States of a run that is being, or has been, removed from its target.
const (
	// Cleaning means a clean started and has not finished; starting the
	// clean again continues it.
	Cleaning State = "cleaning"

	// Cleaned means everything the run created is gone. Running it again
	// creates the tree anew.
	Cleaned State = "cleaned"
)

var keyClean = []byte("clean") // the progress of a clean

// CleanProgress is how far a clean has come. Chunks counts the chunks
// done, from the plan's end; the rest are totals over those chunks.
type CleanProgress struct {
	Chunks    int64 `json:"chunks"`
	Files     int64 `json:"files"`      // files removed
	Dirs      int64 `json:"dirs"`       // folders removed
	Bytes     int64 `json:"bytes"`      // apparent bytes of the files removed
	KeptFiles int64 `json:"kept_files"` // planned files left in place
	KeptDirs  int64 `json:"kept_dirs"`  // planned folders left in place
}

// BeginClean starts or continues a clean and returns its progress so far.
// A run that is not [Cleaning] starts from nothing: its chunks all return
// to pending and its counters to zero, in the same transaction that puts
// it in the Cleaning state, so that whatever stops the clean, running the
// run again recreates every file. A run already Cleaning keeps its
// progress.
func (db *DB) BeginClean() (CleanProgress, error) {
	var p CleanProgress
	err := db.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		var r Run
		ok, err := getJSON(meta, keyRun, &r)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNoRun
		}
		if r.State == Cleaning {
			_, err := getJSON(meta, keyClean, &p)
			return err
		}
		if err := resetProgress(tx); err != nil {
			return err
		}
		r.State = Cleaning
		r.Message = ""
		if err := putJSON(meta, keyRun, r); err != nil {
			return err
		}
		if err := putJSON(meta, keyClean, p); err != nil {
			return err
		}
		return appendSeq(tx.Bucket(bucketEvents), Event{Time: time.Now().UTC(), Kind: "cleaning"})
	})
	db.mu.Lock()
	db.next = 0
	db.mu.Unlock()
	return p, err
}

// SetCleanProgress records how far a clean has come.
func (db *DB) SetCleanProgress(p CleanProgress) error {
	return db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketMeta), keyClean, p)
	})
}

// EndClean records a finished clean: the run becomes [Cleaned] and the
// event log says what was removed and kept.
func (db *DB) EndClean(p CleanProgress, detail string) error {
	return db.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := putJSON(meta, keyClean, p); err != nil {
			return err
		}
		var r Run
		if _, err := getJSON(meta, keyRun, &r); err != nil {
			return err
		}
		r.State = Cleaned
		r.Message = detail
		r.Ended = time.Now().UTC()
		if err := putJSON(meta, keyRun, r); err != nil {
			return err
		}
		return appendSeq(tx.Bucket(bucketEvents), Event{Time: time.Now().UTC(), Kind: "cleaned", Detail: detail})
	})
}

// ResetProgress returns every chunk to pending and every counter to zero,
// keeping the plan, for a tree that is known to be gone: the next start
// creates it all again.
func (db *DB) ResetProgress() error {
	err := db.update(resetProgress)
	db.mu.Lock()
	db.next = 0
	db.mu.Unlock()
	return err
}

func resetProgress(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketStates); err != nil {
		return err
	}
	if _, err := tx.CreateBucket(bucketStates); err != nil {
		return err
	}
	meta := tx.Bucket(bucketMeta)
	for _, k := range [][]byte{keyCounters, keyCommit, keyDurable} {
		if err := meta.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// NotDurable returns, in plan order, the chunks committed as done after
// the durable mark: those whose files the file system may not have
// written yet when the process stopped.
func (db *DB) NotDurable() ([]int, error) {
	var out []int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		durable := getU64(tx.Bucket(bucketMeta), keyDurable)
		return tx.Bucket(bucketStates).ForEach(func(k, v []byte) error {
			st, err := decodeState(v)
			if err != nil {
				return err
			}
			if st.state == stateDone && st.seq > durable && len(k) == 4 {
				out = append(out, int(binary.BigEndian.Uint32(k)))
			}
			return nil
		})
	})
	return out, err
}
