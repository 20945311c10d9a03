package engine

import (
	"context"

	"golang.org/x/sys/unix"

	"filegen/store"
)

// ExecuteUncommitted creates a planned run's tree with the workers of
// Execute and none of its checkpoints: no claims, no commits, no
// periodic syncs or durable mark, no counters. Folders are finalized as
// Execute does, which saves how far it got once a second and at the end.
// Only benchmarks use it, to tell what the checkpoints cost.
var ExecuteUncommitted = executeUncommitted

func executeUncommitted(ctx context.Context, db *store.DB, target string, threads int) error {
	run, err := db.Run()
	if err != nil {
		return err
	}
	mode, err := contentMode(run)
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
	wg := startWorkers(ctx, db, root, mode, threads, work, done)
	firstErr := make(chan error, 1)
	go func() {
		var first error
		for j := range done {
			if first == nil {
				first = j.err
			}
		}
		firstErr <- first
	}()
	for i := range run.Chunks {
		work <- i
	}
	close(work)
	wg.Wait()
	close(done)
	if err := <-firstErr; err != nil {
		return err
	}
	if err := finalize(ctx, db, root, run.Chunks); err != nil {
		return err
	}
	return unix.Syncfs(root)
}
