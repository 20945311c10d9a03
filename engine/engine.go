package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"filegen/planner"
	"filegen/planner/content"
	"filegen/store"
)

// Errors that end a run.
var (
	// ErrInterrupted means the run was stopped by a signal or its
	// context; it can be resumed.
	ErrInterrupted = errors.New("engine: interrupted")

	// ErrTooManyErrors means more entries failed than the run allows.
	ErrTooManyErrors = errors.New("engine: too many errors")

	// ErrTarget means the target cannot be used: missing, not a folder, a
	// symbolic link, full, read only, or removed during the run.
	ErrTarget = errors.New("engine: target unusable")

	errNotRegular = errors.New("not a regular file")
)

// DefaultThreads is the default number of workers. File creation blocks in
// the kernel, so more workers than cores keep the cores busy: on two
// cores, four workers made the most files a second (BENCHMARKS.md, full
// metadata on a fresh ext4 image, the baseline loop at 3, 4, 6 and 8
// workers: 21.7, 25.6, 23.5 and 23.7 thousand a second; filegen 22.5,
// 25.6, 22.9 and 25.0).
func DefaultThreads() int { return max(4, 2*runtime.NumCPU()) }

// DefaultBatch is the default number of files a chunk holds. A commit costs
// 0.3 ms alone and 1 to 3.6 ms while files are being created
// (BenchmarkCommit, MEASUREMENTS.md): spread over 4,000 files, under a
// microsecond a file against 40 to 160 µs to create one, so larger chunks
// would save nothing measurable (BenchmarkCheckpoint: with commits against
// without, 1.05 and 1.10). Smaller ones would commit more often for
// nothing, and a chunk's encoded plan, about 87 KB, stays a few dozen
// pages.
const DefaultBatch = 4000

// syncEvery is how often the target is synced so that the durable mark
// can advance: after a crash, the chunks committed in the last interval
// are done again. A syncfs before each commit of 4,096 files cost about 1
// % of the CPU here; once a second costs less, and runs beside the
// workers rather than before the commit.
const syncEvery = time.Second

// trimEvery is how often the pages of the run database that the workers
// have read are dropped from the process, so that its memory stays flat:
// a second of chunks is a few megabytes.
const trimEvery = time.Second

// Options configure [Execute].
type Options struct {
	// Threads is the number of workers; zero means DefaultThreads.
	Threads int

	// MaxErrors stops the run once more entries than this have failed;
	// zero means no limit.
	MaxErrors int64

	// Observer receives progress; its zero value ignores it.
	Observer Observer

	// Logger logs the run's boundaries; nil discards.
	Logger *slog.Logger
}

// Observer receives a run's progress. Its functions are called from one
// goroutine at a time and must not block; nil ones are skipped.
type Observer struct {
	// Progress is called after each commit with the committed totals.
	Progress func(store.Counters)
	// Phase is called when the run enters a new state.
	Phase func(store.State)
	// Commit is called after each commit that recorded finished chunks,
	// with the time the commit took and how many chunks it recorded.
	Commit func(time.Duration, int)
}

func (o Observer) progress(c store.Counters) {
	if o.Progress != nil {
		o.Progress(c)
	}
}

func (o Observer) phase(s store.State) {
	if o.Phase != nil {
		o.Phase(s)
	}
}

// OpenTarget opens the target's root folder, refusing a symbolic link or
// anything that is not a folder. The caller closes the descriptor.
func OpenTarget(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	switch {
	case err == unix.ELOOP:
		return -1, fmt.Errorf("%w: %s is a symbolic link; give the real path", ErrTarget, path)
	case err == unix.ENOTDIR:
		return -1, fmt.Errorf("%w: %s is not a folder", ErrTarget, path)
	case err != nil:
		return -1, fmt.Errorf("%w: cannot open %s: %v", ErrTarget, path, err)
	}
	return fd, nil
}

// Execute creates the files of every pending chunk of db's run under
// target, then finalizes the folders. It returns nil when the run is
// done; [ErrInterrupted] when ctx ended first; another error when the run
// failed. In every case the database is left consistent, and calling
// Execute again continues where this call stopped.
func Execute(ctx context.Context, db *store.DB, target string, o Options) error {
	if o.Threads <= 0 {
		o.Threads = DefaultThreads()
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	run, err := db.Run()
	if err != nil {
		return err
	}
	root, err := OpenTarget(target)
	if err != nil {
		return err
	}
	defer unix.Close(root)

	mode, err := contentMode(run)
	if err != nil {
		return err
	}

	// Modes come from the plan alone.
	unix.Umask(0)

	clk := &clock{base: run.Elapsed, start: time.Now()}
	if run.State != store.Finalizing {
		o.Observer.phase(store.Executing)
		if err := db.UpdateRun("started", fmt.Sprintf("%d threads", o.Threads), func(r *store.Run) {
			r.State = store.Executing
			r.Host, _ = os.Hostname()
			r.PID = os.Getpid()
			if r.Started.IsZero() {
				r.Started = time.Now().UTC()
			}
			r.Ended = time.Time{}
			r.Message = ""
		}); err != nil {
			return err
		}
		log.Info("executing", "chunks", run.Chunks, "threads", o.Threads)
		if err := execute(ctx, db, root, mode, clk, o); err != nil {
			return stop(db, err, clk)
		}
		if err := db.UpdateRun("", "", func(r *store.Run) {
			r.Elapsed = clk.elapsed()
			r.State = store.Finalizing
		}); err != nil {
			return err
		}
	}

	o.Observer.phase(store.Finalizing)
	if err := finalize(ctx, db, root, run.Chunks); err != nil {
		return stop(db, err, clk)
	}
	if err := unix.Syncfs(root); err != nil {
		return stop(db, fmt.Errorf("%w: sync: %v", ErrTarget, err), clk)
	}
	cnt, _ := db.Counters()
	o.Observer.progress(cnt)
	o.Observer.phase(store.Done)
	return db.UpdateRun("finished", fmt.Sprintf("%d files, %d errors", cnt.Files, cnt.Errors), func(r *store.Run) {
		r.Elapsed = clk.elapsed()
		r.State = store.Done
		r.Ended = time.Now().UTC()
	})
}

// clock measures a run's time spent executing, over all its starts.
type clock struct {
	base  time.Duration // spent before this start
	start time.Time
}

func (c *clock) elapsed() time.Duration { return c.base + time.Since(c.start) }

// stop records why a run stopped.
func stop(db *store.DB, cause error, clk *clock) error {
	state, event := store.Failed, "failed"
	if errors.Is(cause, ErrInterrupted) {
		state, event = store.Interrupted, "interrupted"
	}
	err := db.UpdateRun(event, cause.Error(), func(r *store.Run) {
		r.Elapsed = clk.elapsed()
		r.State = state
		r.Message = cause.Error()
		r.Ended = time.Now().UTC()
	})
	return errors.Join(cause, err)
}

// job is a claimed chunk on its way to a worker, and back.
type job struct {
	index int
	res   store.Result
	err   error
}

// execute runs the workers and the committer until no chunk is pending,
// ctx ends, or a fatal error occurs.
func execute(ctx context.Context, db *store.DB, root int, mode content.Mode, clk *clock, o Options) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	work := make(chan int)
	done := make(chan job, o.Threads)
	wg := startWorkers(ctx, db, root, mode, o.Threads, work, done)
	err := commit(ctx, cancel, db, root, clk, o, work, done)
	close(work)
	wg.Wait()
	return err
}

// startWorkers starts threads workers that execute each chunk index
// taken from work and send its job to done, until work is closed.
func startWorkers(ctx context.Context, db *store.DB, root int, mode content.Mode, threads int,
	work <-chan int, done chan<- job) *sync.WaitGroup {
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
	return &wg
}

// contentMode is the content mode run was planned with.
func contentMode(run store.Run) (content.Mode, error) {
	var in planner.Inputs
	if err := json.Unmarshal(run.Inputs, &in); err != nil {
		return content.Mode{}, fmt.Errorf("engine: bad inputs in run record: %w", err)
	}
	mode, err := content.ParseMode(in.Content)
	if err != nil {
		return content.Mode{}, fmt.Errorf("engine: run record: %w", err)
	}
	return mode, nil
}

// run loads and executes one chunk.
func (w *worker) run(ctx context.Context, db *store.DB, i int) job {
	data, err := db.Chunk(i)
	if err != nil {
		return job{index: i, err: err}
	}
	c, err := planner.DecodeChunk(data)
	if err != nil {
		return job{index: i, err: fmt.Errorf("chunk %d: %w", i, err)}
	}
	res, err := w.execute(ctx, c)
	return job{index: i, res: res, err: err}
}
