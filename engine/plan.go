package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"filegen/planner"
	"filegen/store"
)

// Summary describes a plan: its totals and how they split among the
// top-level folders.
type Summary struct {
	Chunks  int             `json:"chunks"`
	Files   int64           `json:"files"`
	Dirs    int64           `json:"dirs"`
	Bytes   int64           `json:"bytes"`
	Folders []FolderSummary `json:"folders"`
}

// FolderSummary holds one top-level folder's totals.
type FolderSummary struct {
	Name  string `json:"name"`
	Files int64  `json:"files"`
	Dirs  int64  `json:"dirs"`
	Bytes int64  `json:"bytes"`
}

// summarizer adds chunks to a summary.
type summarizer struct {
	s     Summary
	index map[string]int
}

func (z *summarizer) add(c *planner.Chunk) {
	if z.index == nil {
		z.index = make(map[string]int)
	}
	z.s.Chunks++
	top := func(p string) *FolderSummary {
		name := p
		for i := 0; i < len(p); i++ {
			if p[i] == '/' {
				name = p[:i]
				break
			}
		}
		i, ok := z.index[name]
		if !ok {
			i = len(z.s.Folders)
			z.index[name] = i
			z.s.Folders = append(z.s.Folders, FolderSummary{Name: name})
		}
		return &z.s.Folders[i]
	}
	for i := range c.Dirs {
		if c.Dirs[i].Final {
			z.s.Dirs++
			top(c.Dirs[i].Path).Dirs++
		}
	}
	for i := range c.Files {
		f := &c.Files[i]
		z.s.Files++
		z.s.Bytes += f.Size
		t := top(c.Dirs[f.Dir].Path)
		t.Files++
		t.Bytes += f.Size
	}
}

func (z *summarizer) summary() Summary {
	s := z.s
	s.Folders = append([]FolderSummary(nil), s.Folders...)
	sort.SliceStable(s.Folders, func(i, j int) bool { return s.Folders[i].Files > s.Folders[j].Files })
	return s
}

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
		return stop(db, cause, 0)
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
