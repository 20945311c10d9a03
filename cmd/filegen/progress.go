package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"

	"filegen/engine"
	"filegen/store"
)

func humanBytes(n int64) string { return humanize.IBytes(uint64(max(n, 0))) }

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// progress publishes a live run's status: the snapshot file every second,
// for `filegen status` in another process, and a progress line on
// standard error.
type progress struct {
	db       *store.DB
	snap     string
	quiet    bool
	tty      bool
	interval time.Duration
	start    time.Time

	mu    sync.Mutex
	state store.State

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	// rate over a recent window
	lastFiles int64
	lastTime  time.Time
}

func newProgress(c *cli.Context, db *store.DB, snap string) *progress {
	p := &progress{
		db: db, snap: snap,
		quiet:    c.Bool("quiet"),
		tty:      isTerminal(os.Stderr),
		interval: c.Duration("progress-interval"),
		start:    time.Now(),
		stop:     make(chan struct{}),
	}
	if r, err := db.Run(); err == nil {
		p.state = r.State
	}
	p.publish(false)
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *progress) observer() engine.Observer {
	return engine.Observer{Phase: p.phase}
}

func (p *progress) phase(s store.State) {
	p.mu.Lock()
	p.state = s
	p.mu.Unlock()
}

func (p *progress) loop() {
	defer p.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	lastLine := time.Now()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			line := p.tty || time.Since(lastLine) >= p.interval
			if line {
				lastLine = time.Now()
			}
			p.publish(line)
		}
	}
}

// publish writes the snapshot and, if line is set, a progress line.
func (p *progress) publish(line bool) {
	s, err := engine.Snapshot(p.db, time.Since(p.start))
	if err != nil {
		return
	}
	p.mu.Lock()
	s.State = p.state
	p.mu.Unlock()
	engine.WriteSnapshot(p.snap, s)

	if !line || p.quiet {
		return
	}
	now := time.Now()
	rate := 0.0
	if !p.lastTime.IsZero() {
		rate = float64(s.Files-p.lastFiles) / now.Sub(p.lastTime).Seconds()
	}
	p.lastFiles, p.lastTime = s.Files, now
	text := fmt.Sprintf("%s %d/%d files (%.1f%%) %s, %.0f files/s, %d errors",
		s.State, s.Files, s.FilesTotal, s.Percent(), humanBytes(s.Bytes), rate, s.Errors)
	if s.State == store.Finalizing {
		text = fmt.Sprintf("finalizing folders: %d/%d chunks", s.Finalized, s.ChunkTotal)
	}
	if p.tty {
		fmt.Fprintf(os.Stderr, "\r\033[K%s", text)
	} else {
		fmt.Fprintf(os.Stderr, "filegen: %s\n", text)
	}
}

// close stops publishing. The snapshot stays: status reads it only while
// the database is held.
func (p *progress) close() {
	p.once.Do(func() {
		close(p.stop)
		p.wg.Wait()
		if p.tty && !p.quiet {
			fmt.Fprint(os.Stderr, "\r\033[K")
		}
	})
}
