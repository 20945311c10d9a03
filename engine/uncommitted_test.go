package engine

import (
	"context"
	"encoding/json"
	"sync"

	"golang.org/x/sys/unix"

	"filegen/planner"
	"filegen/planner/content"
	"filegen/store"
)

// ExecuteUncommitted creates a planned run's tree with the workers of
// Execute and nothing of its checkpoints: no claims, no commits, no
// periodic syncs or durable mark, no counters, and folders finalized
// without saving progress. Only benchmarks use it, to tell what the
// checkpoints cost.
var ExecuteUncommitted = executeUncommitted

func executeUncommitted(ctx context.Context, db *store.DB, target string, threads int) error {
	run, err := db.Run()
	if err != nil {
		return err
	}
	var in planner.Inputs
	if err := json.Unmarshal(run.Inputs, &in); err != nil {
		return err
	}
	mode, err := content.ParseMode(in.Content)
	if err != nil {
		return err
	}
	root, err := OpenTarget(target)
	if err != nil {
		return err
	}
	defer unix.Close(root)
	unix.Umask(0)

	work := make(chan int)
	done := make(chan job, threads)
	var wg sync.WaitGroup
	xattrs := new(xattrSupport)
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{root: root, dirs: newDirs(root), content: content.NewWriter(mode), xattrs: xattrs}
			defer w.dirs.close()
			for i := range work {
				done <- w.run(ctx, db, i)
			}
		}()
	}
	var firstErr error
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for j := range done {
			if j.err != nil && firstErr == nil {
				firstErr = j.err
			}
		}
	}()
	for i := range run.Chunks {
		work <- i
	}
	close(work)
	wg.Wait()
	close(done)
	<-collected
	if firstErr != nil {
		return firstErr
	}

	d := newDirs(root)
	defer d.close()
	for i := run.Chunks - 1; i >= 0; i-- {
		data, err := db.Chunk(i)
		if err != nil {
			return err
		}
		c, err := planner.DecodeChunk(data)
		if err != nil {
			return err
		}
		for j := len(c.Dirs) - 1; j >= 0; j-- {
			if dir := &c.Dirs[j]; dir.Final {
				fd, _, err := d.open(dir.Path, false)
				if err == nil {
					err = finalizeDir(fd, dir)
				}
				if err != nil {
					return err
				}
			}
		}
	}
	return unix.Syncfs(root)
}
