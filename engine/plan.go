package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"filegen/planner"
	"filegen/store"
)

// Preview generates a plan without storing it and returns its summary.
func Preview(ctx context.Context, in planner.Inputs, prof *planner.Profile, ids *planner.Identities, batch int) (Summary, error) {
	var z summarizer
	err := planner.Generate(in, prof, ids, batch, func(c *planner.Chunk) error {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		z.add(c)
		return nil
	})
	return z.summary(), err
}

// planGroup is how many chunks go into one transaction while planning:
// writing a whole large plan at once would hold it all in memory.
const planGroup = 16

// Plan generates the plan of db's run from its stored inputs and profile
// and stores it, in groups of chunks. A plan that was interrupted is
// started again from its beginning. On success the run is planned, with
// its totals set.
func Plan(ctx context.Context, db *store.DB) error {
	run, err := db.Run()
	if err != nil {
		return err
	}
	var in planner.Inputs
	var prof planner.Profile
	if err := json.Unmarshal(run.Inputs, &in); err != nil {
		return fmt.Errorf("engine: bad inputs in run record: %w", err)
	}
	if err := json.Unmarshal(run.Profile, &prof); err != nil {
		return fmt.Errorf("engine: bad profile in run record: %w", err)
	}
	var ids *planner.Identities
	if len(run.Identities) > 0 {
		if err := json.Unmarshal(run.Identities, &ids); err != nil {
			return fmt.Errorf("engine: bad identities in run record: %w", err)
		}
	}
	if err := db.ResetPlan(); err != nil {
		return err
	}
	if err := db.UpdateRun("", "", func(r *store.Run) { r.State = store.Planning }); err != nil {
		return err
	}

	var (
		z     summarizer
		group [][]byte
		first int
		size  = 4096 // the last chunk's encoded size: the next one's guess
		start = time.Now()
	)
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		err := db.PutChunks(first, group)
		first += len(group)
		clear(group)
		group = group[:0]
		return err
	}
	err = planner.Generate(in, &prof, ids, run.Batch, func(c *planner.Chunk) error {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		z.add(c)
		// Each chunk in a buffer of its own, so that a group holds
		// only its chunks, whatever came before.
		data := c.Encode(make([]byte, 0, size+size/8))
		size = len(data)
		group = append(group, data)
		if len(group) == planGroup {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		cause := err
		if !errors.Is(err, ErrInterrupted) {
			cause = fmt.Errorf("engine: planning failed: %w", err)
		}
		return stop(db, cause, &clock{base: run.Elapsed, start: time.Now()})
	}

	s := z.summary()
	if err := db.SetSummary(s); err != nil {
		return err
	}
	return db.UpdateRun("planned", fmt.Sprintf("%d files in %d chunks, %s",
		s.Files, s.Chunks, time.Since(start).Round(time.Millisecond)), func(r *store.Run) {
		r.State = store.Planned
		r.Chunks, r.Files, r.Dirs, r.Bytes = s.Chunks, s.Files, s.Dirs, s.Bytes
	})
}
