package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"filegen/planner"
	"filegen/store"
)

// commit is the one goroutine that writes to the database while files are
// created. It claims chunks ahead of the workers, hands them out, and
// commits finished ones; whatever finished while a commit was being
// written goes into the next one, so that under load one fsync serves
// many chunks. Every second it syncs the target, advances the durable
// mark and saves the time spent, and drops the pages read.
func commit(ctx context.Context, cancel context.CancelCauseFunc, db *store.DB, root int,
	clk *clock, o Options, work chan<- int, done <-chan job) error {

	cnt, err := db.Counters()
	if err != nil {
		return err
	}
	errCount := cnt.Errors

	var (
		queue     []int          // claimed, not handed out
		release   []int          // claimed, to return to pending
		results   []store.Result // finished, not committed
		inflight  int
		exhausted bool
		stopErr   error
		lastSeq   uint64
		syncing   bool
		synced    = make(chan uint64, 1)
		stopped   = ctx.Done()
	)
	tick := time.NewTicker(syncEvery)
	defer tick.Stop()
	trim := time.NewTicker(trimEvery)
	defer trim.Stop()

	for {
		stopping := stopErr != nil || stopped == nil
		want := 0
		if !stopping && !exhausted && len(queue) <= o.Threads/2 {
			want = o.Threads - len(queue)
		}
		if len(results) > 0 || want > 0 {
			began := time.Now()
			claimed, seq, err := db.Step(results, want)
			if err != nil {
				stopErr = fmt.Errorf("engine: cannot commit: %w", err)
				cancel(stopErr)
				results = nil
				continue
			}
			if len(results) > 0 {
				o.Observer.commit(time.Since(began), len(results))
				lastSeq = seq
				results = results[:0]
				if c, err := db.Counters(); err == nil {
					o.Observer.progress(c)
				}
			}
			if want > 0 {
				// A commit that claims nothing says nothing of what
				// is left to claim.
				exhausted = len(claimed) < want
			}
			queue = append(queue, claimed...)
		}

		if stopping {
			release = append(release, queue...)
			queue = nil
		}
		if inflight == 0 && (stopping || exhausted && len(queue) == 0) {
			break
		}

		var send chan<- int
		var next int
		if len(queue) > 0 {
			send, next = work, queue[0]
		}
		select {
		case send <- next:
			queue = queue[1:]
			inflight++
		case j := <-done:
			inflight--
			switch {
			case j.err == nil && lostWith(root, j.res):
				release = append(release, j.index)
				if stopErr == nil {
					stopErr = errTargetLost
					cancel(stopErr)
				}
			case j.err == nil:
				results = append(results, j.res)
				errCount += int64(len(j.res.Errors))
				if o.MaxErrors > 0 && errCount > o.MaxErrors && stopErr == nil {
					stopErr = fmt.Errorf("%w: %d entries failed, more than --max-errors %d",
						ErrTooManyErrors, errCount, o.MaxErrors)
				}
			case errors.Is(j.err, context.Canceled):
				// Stopped halfway: the chunk is done again later.
				release = append(release, j.index)
			default:
				release = append(release, j.index)
				// A worker stopped by the run's end is not the cause
				// of it.
				if stopErr == nil && ctx.Err() == nil {
					stopErr = classify(j.err)
					cancel(stopErr)
				}
			}
		case <-tick.C:
			if !syncing && lastSeq > 0 {
				syncing = true
				go func(seq uint64) {
					if unix.Syncfs(root) != nil {
						seq = 0
					}
					synced <- seq
				}(lastSeq)
			}
		case <-trim.C:
			db.Trim()
		case seq := <-synced:
			syncing = false
			if seq > 0 {
				if err := db.SetDurable(seq); err != nil && stopErr == nil {
					stopErr = fmt.Errorf("engine: cannot commit: %w", err)
				}
			}
			// The time spent, so that a run killed later still
			// reports an honest rate.
			db.UpdateRun("", "", func(r *store.Run) { r.Elapsed = clk.elapsed() })
		case <-stopped:
			stopped = nil
		}
	}
	if syncing {
		<-synced
	}

	// Whatever stopped the run, leave the database consistent: unfinished
	// chunks pending, finished ones committed and, if the file system
	// still answers, durable.
	err = errors.Join(db.Release(release))
	if stopErr == nil && stopped == nil {
		stopErr = ErrInterrupted
	}
	if lastSeq > 0 && unix.Syncfs(root) == nil {
		err = errors.Join(err, db.SetDurable(lastSeq))
	}
	if targetLost(root) {
		stopErr = errTargetLost
	}
	err = errors.Join(err, forgetLost(db, stopErr))
	if c, cerr := db.Counters(); cerr == nil {
		o.Observer.progress(c)
	}
	return errors.Join(stopErr, err)
}

// classify turns a worker's error into the run's.
func classify(err error) error {
	if errors.Is(err, planner.ErrCorruptChunk) {
		return fmt.Errorf("engine: %w; the run database is damaged: plan a new run", err)
	}
	what := ""
	switch errno(err) {
	case unix.ENOSPC:
		what = "the file system is full; free space or inodes, then run the same command again"
	case unix.EDQUOT:
		what = "the disk quota is exceeded; raise it, then run the same command again"
	case unix.EROFS:
		what = "the file system is read-only; remount it read-write, then run the same command again"
	case unix.EIO:
		what = "the file system reports I/O errors; check it, then run the same command again"
	case unix.ESTALE, unix.ENOTCONN, unix.ENODEV:
		what = "the target is no longer reachable; mount it again, then run the same command again"
	default:
		return err
	}
	return fmt.Errorf("%w: %v: %s", ErrTarget, err, what)
}

// finalize applies folders' own attributes, deepest first: chunks from
// the last to the first, each chunk's folders from its last to its first.
// Every folder comes after all that lies beneath it. Progress is saved
// every second, so a stopped finalize continues where it was.
func finalize(ctx context.Context, db *store.DB, root int, chunks int) error {
	cnt, err := db.Counters()
	if err != nil {
		return err
	}
	n := cnt.Finalized
	d := newDirs(root)
	defer d.close()

	saved := time.Now()
	for i := chunks - 1 - int(n); i >= 0; i-- {
		if ctx.Err() != nil {
			return errors.Join(ErrInterrupted, db.SetFinalized(n))
		}
		data, err := db.Chunk(i)
		if err != nil {
			return err
		}
		c, err := planner.DecodeChunk(data)
		if err != nil {
			return classify(err)
		}
		for j := len(c.Dirs) - 1; j >= 0; j-- {
			dir := &c.Dirs[j]
			if !dir.Final {
				continue
			}
			fd, _, err := d.open(dir.Path, false)
			if err == nil {
				err = finalizeDir(fd, dir)
			}
			if err != nil && fatal(err) {
				return errors.Join(classify(err), db.SetFinalized(n))
			}
			if err != nil && targetLost(root) {
				return errors.Join(errTargetLost, forgetLost(db, errTargetLost))
			}
			// A folder that could not be made was recorded when its
			// files failed; it is not counted twice.
		}
		n++
		if time.Since(saved) > time.Second {
			if err := db.SetFinalized(n); err != nil {
				return err
			}
			db.Trim()
			saved = time.Now()
		}
	}
	return db.SetFinalized(n)
}
