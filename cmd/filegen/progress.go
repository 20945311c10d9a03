package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/metrics"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v2"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
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

// display is how a run's progress is shown on standard error.
type display int

const (
	displayNone  display = iota // --quiet: nothing but errors
	displayLines                // a structured line every --progress-interval
	displayBar                  // a live bar, on a terminal
)

// rateWindow is how far back the live rates look: long enough to smooth
// the bursts of group commits, short enough to follow a disk that slows.
const rateWindow = 10 * time.Second

// checkOpsFlags rejects bad progress, report and metrics flags before
// anything is created.
func checkOpsFlags(c *cli.Context) error {
	switch f := c.String("log-format"); f {
	case "text", "json":
	default:
		return usagef("--log-format: %q is neither text nor json", f)
	}
	if a := c.String("listen"); a != "" {
		if _, err := listenAddr(a); err != nil {
			return usageError{err}
		}
	}
	return nil
}

// newLogger returns the logger of structured lines on w: JSON or text as
// --log-format says, warnings and errors only with --quiet.
func newLogger(c *cli.Context, w io.Writer) *slog.Logger {
	o := &slog.HandlerOptions{Level: slog.LevelInfo}
	if c.Bool("quiet") {
		o.Level = slog.LevelWarn
	}
	if c.String("log-format") == "json" {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}

// chooseDisplay picks the display: a bar only on a terminal and only for
// text, since --log-format json asks for lines a program reads.
func chooseDisplay(c *cli.Context, tty bool) display {
	switch {
	case c.Bool("quiet"):
		return displayNone
	case tty && c.String("log-format") == "text":
		return displayBar
	}
	return displayLines
}

// sample is the committed totals at one moment.
type sample struct {
	at           time.Time
	files, bytes int64
}

// window holds the samples of the last span and turns them into rates.
type window struct {
	span    time.Duration
	samples []sample
}

// add records s and returns the files and bytes a second between the
// oldest sample within span of s, or just before it, and s.
func (w *window) add(s sample) (files, bytes float64) {
	w.samples = append(w.samples, s)
	cut := 0
	for cut+1 < len(w.samples) && s.at.Sub(w.samples[cut+1].at) >= w.span {
		cut++
	}
	w.samples = append(w.samples[:0], w.samples[cut:]...)

	first := w.samples[0]
	dt := s.at.Sub(first.at).Seconds()
	if dt <= 0 {
		return 0, 0
	}
	return float64(s.files-first.files) / dt, float64(s.bytes-first.bytes) / dt
}

// eta returns how long remaining items take at rate a second, to the
// second, or -1 when the rate says nothing.
func eta(remaining int64, rate float64) time.Duration {
	if remaining <= 0 {
		return 0
	}
	if rate <= 0 {
		return -1
	}
	return time.Duration(float64(remaining) / rate * float64(time.Second)).Round(time.Second)
}

// memoryInUse returns the bytes the Go runtime holds from the system and
// has not given back.
func memoryInUse() uint64 {
	s := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// figures are what the displays, the metrics and /status show of a live
// run at one moment.
type figures struct {
	engine.Status
	FilesPerSec float64       // over the last rateWindow
	BytesPerSec float64       // apparent, over the last rateWindow
	ETA         time.Duration // -1 when unknown
	Memory      uint64
}

// attrs are the figures as the attributes of a progress line, the same
// in every phase.
func (f *figures) attrs() []any {
	etaSec := int64(-1)
	if f.ETA >= 0 {
		etaSec = int64(f.ETA / time.Second)
	}
	return []any{"phase", f.State,
		"files", f.Files, "files_total", f.FilesTotal,
		"percent", float64(int64(f.Percent()*10)) / 10,
		"files_per_second", int64(f.FilesPerSec),
		"bytes", f.Bytes, "bytes_per_second", int64(f.BytesPerSec),
		"eta_seconds", etaSec, "errors", f.Errors,
		"chunks_finalized", f.Finalized, "chunks_total", f.ChunkTotal,
		"memory_bytes", f.Memory}
}

// phaseText is the bar's phase column.
func (f *figures) phaseText() string {
	if f.State == store.Finalizing {
		return fmt.Sprintf("finalizing %d/%d", f.Finalized, f.ChunkTotal)
	}
	return string(f.State)
}

// rateText is the bar's column of rates, time left, errors and memory.
func (f *figures) rateText() string {
	left := "ETA --"
	if f.ETA >= 0 {
		left = "ETA " + f.ETA.String()
	}
	return fmt.Sprintf("%5.1f%%  %s files/s  %s/s  %s  %s errors  mem %s",
		f.Percent(), humanize.Comma(int64(f.FilesPerSec)),
		humanBytes(int64(f.BytesPerSec)), left,
		humanize.Comma(f.Errors), humanBytes(int64(f.Memory)))
}

// progress publishes a live run's status: the snapshot file every
// second, for `filegen status` in another process; the display on
// standard error; and, with --listen, /metrics and /status. Its methods
// are safe for concurrent use; close stops it and may run twice.
type progress struct {
	db       *store.DB
	snap     string
	display  display
	log      *slog.Logger
	interval time.Duration
	start    time.Time
	report   string
	host     string
	json     bool // --log-format json
	server   *metricsServer

	mu       sync.Mutex
	state    store.State
	spent    time.Duration // executing, before this process
	began    time.Time     // when this process began executing; zero while planning
	counters store.Counters
	last     *figures // last published; nil before the first
	startCnt store.Counters
	window   window
	peakMem  uint64

	bars *mpb.Progress
	bar  *mpb.Bar

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// newProgress starts publishing db's run; snap is its snapshot file. It
// fails only when --listen cannot be served.
func newProgress(c *cli.Context, db *store.DB, snap string) (*progress, error) {
	p := &progress{
		db: db, snap: snap,
		display:  chooseDisplay(c, isTerminal(os.Stderr)),
		log:      newLogger(c, os.Stderr),
		interval: c.Duration("progress-interval"),
		start:    time.Now(),
		report:   c.String("report"),
		json:     c.String("log-format") == "json",
		window:   window{span: rateWindow},
		stop:     make(chan struct{}),
	}
	p.host, _ = os.Hostname()
	if r, err := db.Run(); err == nil {
		p.state, p.spent = r.State, r.Elapsed
	}
	if cnt, err := db.Counters(); err == nil {
		p.counters, p.startCnt = cnt, cnt
	}
	if p.display == displayBar {
		p.bars = mpb.New(mpb.WithOutput(os.Stderr), mpb.WithWidth(30),
			mpb.WithRefreshRate(250*time.Millisecond))
		p.bar = p.bars.AddBar(0,
			mpb.PrependDecorators(decor.Any(p.decor((*figures).phaseText), decor.WCSyncSpaceR),
				decor.Any(p.decor(func(f *figures) string {
					return humanize.Comma(f.Files) + " / " + humanize.Comma(f.FilesTotal) + " files"
				}), decor.WCSyncSpace)),
			mpb.AppendDecorators(decor.Any(p.decor((*figures).rateText))))
		// Lines printed while the bar is drawn go above it.
		p.log = slog.New(slog.NewTextHandler(p.bars, &slog.HandlerOptions{
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
					return slog.Attr{}
				}
				return a
			},
		}))
	}
	if addr := c.String("listen"); addr != "" {
		s, err := serveMetrics(addr, p)
		if err != nil {
			p.closeBars(false)
			return nil, err
		}
		p.server = s
		p.log.Info("serving metrics", "addr", s.addr(), "metrics", "http://"+s.addr()+"/metrics")
	}

	p.publish(false)
	p.wg.Add(1)
	go p.loop()
	return p, nil
}

// decor turns a figure's text into a bar decorator.
func (p *progress) decor(text func(*figures) string) decor.DecorFunc {
	return func(decor.Statistics) string {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.last == nil {
			return ""
		}
		return text(p.last)
	}
}

// observer returns the engine's callbacks, all of them quick.
func (p *progress) observer() engine.Observer {
	o := engine.Observer{Phase: p.phase, Progress: p.progress}
	if p.server != nil {
		o.Commit = p.server.commit
	}
	return o
}

func (p *progress) phase(s store.State) {
	p.mu.Lock()
	p.state = s
	if (s == store.Executing || s == store.Finalizing) && p.began.IsZero() {
		p.began = time.Now() // the engine's clock starts here too
	}
	p.mu.Unlock()
}

// elapsed is the time the run has spent executing, over every start.
func (p *progress) elapsed() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.began.IsZero() {
		return p.spent
	}
	return p.spent + time.Since(p.began)
}

func (p *progress) progress(c store.Counters) {
	p.mu.Lock()
	p.counters = c
	p.mu.Unlock()
}

// say prints a message of the run's boundaries: above the bar on a
// terminal, as a structured line otherwise.
func (p *progress) say(format string, args ...any) {
	switch p.display {
	case displayNone:
	case displayBar:
		fmt.Fprintf(p.bars, "filegen: "+format+"\n", args...)
	default:
		p.log.Info(fmt.Sprintf(format, args...))
	}
}

// sayer returns how execute prints before the progress exists: the same
// as progress.say.
func sayer(c *cli.Context) func(string, ...any) {
	switch chooseDisplay(c, isTerminal(os.Stderr)) {
	case displayNone:
		return func(string, ...any) {}
	case displayBar:
		return func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "filegen: "+format+"\n", args...)
		}
	}
	log := newLogger(c, os.Stderr)
	return func(format string, args ...any) { log.Info(fmt.Sprintf(format, args...)) }
}

func (p *progress) loop() {
	defer p.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var lines <-chan time.Time
	if p.display == displayLines {
		t := time.NewTicker(p.interval)
		defer t.Stop()
		lines = t.C
	}
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.publish(false)
		case <-lines:
			p.publish(true)
		}
	}
}

// publish writes the snapshot, updates the figures the bar and the
// server show, and, if line is set, logs a progress line.
func (p *progress) publish(line bool) {
	s, err := engine.Snapshot(p.db, p.elapsed())
	if err != nil {
		return
	}
	now := time.Now()
	p.mu.Lock()
	s.State = p.state
	p.mu.Unlock()
	// The run's record names its process only once it executes; the
	// snapshot names it from the start, planning included.
	s.PID, s.Host = os.Getpid(), p.host
	if err := engine.WriteSnapshot(p.snap, s); err != nil {
		p.log.Warn("cannot publish the status", "err", err)
	}

	f := &figures{Status: s, Memory: memoryInUse()}
	p.mu.Lock()
	f.FilesPerSec, f.BytesPerSec = p.window.add(sample{now, s.Files, s.Bytes})
	f.ETA = eta(s.FilesTotal-s.Files, f.FilesPerSec)
	if s.FilesTotal == 0 && s.State != store.Done {
		f.ETA = -1 // not planned yet
	}
	p.peakMem = max(p.peakMem, f.Memory)
	p.last = f
	p.mu.Unlock()

	if p.bar != nil {
		if s.FilesTotal > 0 {
			p.bar.SetTotal(s.FilesTotal, false)
		}
		p.bar.SetCurrent(s.Files)
	}
	if line {
		p.log.Info("progress", f.attrs()...)
	}
}

// status returns the status last written to the snapshot file, which
// `filegen status --json` prints while the run is live.
func (p *progress) status() (engine.Status, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		return engine.Status{}, false
	}
	return p.last.Status, true
}

// current returns what the metrics show.
func (p *progress) current() (store.Counters, store.State, float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rate := 0.0
	if p.last != nil {
		rate = p.last.FilesPerSec
	}
	return p.counters, p.state, rate
}

// close stops publishing and serving. The snapshot stays: status reads
// it only while the database is held.
func (p *progress) close() {
	p.once.Do(func() {
		close(p.stop)
		p.wg.Wait()
		p.publish(false)
		if p.server != nil {
			p.server.close()
		}
		p.mu.Lock()
		done := p.state == store.Done
		p.mu.Unlock()
		p.closeBars(done)
	})
}

// closeBars leaves the bar drawn, complete if the run is done.
func (p *progress) closeBars(done bool) {
	if p.bars == nil {
		return
	}
	if done {
		p.bar.SetTotal(-1, true)
	} else {
		p.bar.Abort(false)
	}
	p.bars.Wait()
}

// runSummary is the document --report writes: the run's status as
// `filegen status --json` prints it once the run has stopped, and the
// figures of the summary table.
type runSummary struct {
	engine.Status

	// Error is why the run stopped, when it is not done.
	Error string `json:"error,omitempty"`

	// BytesPerSecond is the apparent bytes a second over Elapsed.
	BytesPerSecond float64 `json:"bytes_per_second"`

	// ProcessSeconds, ProcessFiles and ProcessBytes are what this process
	// did, which differs from the run's totals after a resume.
	ProcessSeconds float64 `json:"process_seconds"`
	ProcessFiles   int64   `json:"process_files"`
	ProcessBytes   int64   `json:"process_bytes"`

	// PeakMemory is the most memory in use seen at a progress tick.
	PeakMemory uint64 `json:"memory_peak_bytes"`
}

// newSummary builds the report of a run that stopped with status s and
// error err. Call it after close.
func (p *progress) newSummary(s engine.Status, err error) runSummary {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := runSummary{
		Status:         s,
		ProcessSeconds: time.Since(p.start).Seconds(),
		ProcessFiles:   s.Files - p.startCnt.Files,
		ProcessBytes:   s.Bytes - p.startCnt.Bytes,
		PeakMemory:     p.peakMem,
	}
	if err != nil {
		r.Error = err.Error()
	}
	if s.Elapsed > 0 {
		r.BytesPerSecond = float64(s.Bytes) / s.Elapsed
	}
	return r
}

// rows are the summary table, label and value.
func (r *runSummary) rows() [][2]string {
	secs := func(f float64) string {
		return (time.Duration(f * float64(time.Second))).Round(time.Second).String()
	}
	rows := [][2]string{
		{"run", r.Name},
		{"outcome", string(r.State)},
		{"files", fmt.Sprintf("%s of %s (%.1f%%)",
			humanize.Comma(r.Files), humanize.Comma(r.FilesTotal), r.Percent())},
		{"folders", fmt.Sprintf("%s of %s", humanize.Comma(r.Dirs), humanize.Comma(r.DirsTotal))},
		{"size", fmt.Sprintf("%s of %s (apparent)", humanBytes(r.Bytes), humanBytes(r.BytesTotal))},
		{"elapsed", secs(r.Elapsed)},
		{"rate", fmt.Sprintf("%s files/s, %s/s",
			humanize.Comma(int64(r.Rate)), humanBytes(int64(r.BytesPerSecond)))},
		{"this process", fmt.Sprintf("%s files, %s in %s",
			humanize.Comma(r.ProcessFiles), humanBytes(r.ProcessBytes), secs(r.ProcessSeconds))},
		{"errors", humanize.Comma(r.Errors)},
		{"memory peak", humanBytes(int64(r.PeakMemory))},
	}
	if r.Error != "" {
		rows = append(rows, [2]string{"stopped by", r.Error})
	}
	return rows
}

// finish shows the summary of a run that stopped with status s and error
// err, and writes --report. Call it after close.
func (p *progress) finish(s engine.Status, err error) error {
	r := p.newSummary(s, err)
	switch {
	case p.display == displayNone:
	case p.json:
		p.log.Info("summary", "run", r.Name, "state", r.State,
			"files", r.Files, "files_total", r.FilesTotal, "dirs", r.Dirs,
			"bytes", r.Bytes, "elapsed_seconds", r.Elapsed,
			"files_per_second", r.Rate, "bytes_per_second", r.BytesPerSecond,
			"errors", r.Errors, "memory_peak_bytes", r.PeakMemory)
	default:
		tw := tabwriter.NewWriter(os.Stderr, 0, 4, 2, ' ', 0)
		for _, row := range r.rows() {
			fmt.Fprintf(tw, "  %s\t%s\n", row[0], row[1])
		}
		tw.Flush()
	}
	if p.report == "" {
		return nil
	}
	return writeReport(p.report, r)
}

// writeReport replaces the file at path with r as JSON.
func writeReport(path string, r runSummary) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("cannot write report: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("cannot write report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write report: %w", err)
	}
	return nil
}
