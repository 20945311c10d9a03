package engine

import (
	"cmp"
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

// planAhead is how many generated chunks may wait for their encoding.
// Generating and encoding (compressing, mostly) take about as long as
// each other, so on two goroutines planning runs close to twice as fast;
// a chunk or two in between is enough to keep both busy.
const planAhead = 2

// generate plans in two stages: the planner generates chunks on this
// goroutine while another one encodes each, shows it to see, and puts
// them, a group at a time, with put. It holds at most planAhead+2
// chunks, whatever the plan's size.
func generate(ctx context.Context, in planner.Inputs, prof *planner.Profile, ids *planner.Identities, batch int,
	see func(*planner.Chunk), put func(first int, group [][]byte) error) error {
	free := make(chan *planner.Chunk, planAhead+1)
	for range planAhead + 1 {
		free <- new(planner.Chunk)
	}
	work := make(chan *planner.Chunk, planAhead)
	failed := make(chan struct{}) // closed when the encoder meets an error
	done := make(chan error, 1)
	go func() {
		var (
			group [][]byte
			first int
			size  = 4096 // the last chunk's encoded size: the next one's guess
			err   error
		)
		flush := func() error {
			if len(group) == 0 {
				return nil
			}
			err := put(first, group)
			first += len(group)
			clear(group)
			group = group[:0]
			return err
		}
		for c := range work {
			if err == nil {
				see(c)
				// Each chunk in a buffer of its own, so that a
				// group holds only its chunks, whatever came
				// before.
				data := c.Encode(make([]byte, 0, size+size/8))
				size = len(data)
				group = append(group, data)
				if len(group) == planGroup {
					if err = flush(); err != nil {
						close(failed)
					}
				}
			}
			// After an error, chunks are only taken back, until
			// the planner stops.
			free <- c
		}
		if err == nil {
			err = flush()
		}
		done <- err
	}()

	err := planner.Generate(in, prof, ids, batch, func(c *planner.Chunk) error {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		select {
		case <-failed:
			return errors.New("the encoder stopped") // done tells why
		case next := <-free:
			// The planner reuses c once this returns: pass on a copy.
			next.Index, next.AsOf = c.Index, c.AsOf
			next.Dirs = append(next.Dirs[:0], c.Dirs...)
			next.Files = append(next.Files[:0], c.Files...)
			work <- next
			return nil
		}
	})
	close(work)
	return cmp.Or(<-done, err)
}

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

	var z summarizer
	start := time.Now()
	err = generate(ctx, in, &prof, ids, run.Batch, func(c *planner.Chunk) { z.add(c) }, db.PutChunks)
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
