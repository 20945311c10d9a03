package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"filegen/engine"
	"filegen/planner"
	"filegen/store"
)

// fgBinary is the filegen command built for the end-to-end tests.
var fgBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "filegen-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fgBinary = filepath.Join(dir, "filegen")
	build := exec.Command("go", "build", "-race", "-o", fgBinary, ".")
	if os.Getenv("FILEGEN_TEST_NORACE") != "" {
		build = exec.Command("go", "build", "-o", fgBinary, ".")
	}
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "cannot build filegen:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs filegen with a state directory and returns its output and exit
// code.
type fgCLI struct {
	t     *testing.T
	state string
}

func newCLI(t *testing.T) *fgCLI {
	return &fgCLI{t: t, state: t.TempDir()}
}

func (c *fgCLI) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(fgBinary, args...)
	cmd.Env = append(os.Environ(), "FILEGEN_STATE_DIR="+c.state)
	return cmd
}

func (c *fgCLI) run(args ...string) (string, int) {
	c.t.Helper()
	var out bytes.Buffer
	cmd := c.cmd(args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return out.String(), code
}

func (c *fgCLI) mustRun(args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("filegen %v: exit %d\n%s", args, code, out)
	}
	return out
}

func (c *fgCLI) status(name string) engine.Status {
	c.t.Helper()
	out, code := c.run("status", "--json", name)
	var s engine.Status
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil {
		c.t.Fatalf("status %s: exit %d: %s", name, code, out)
	}
	return s
}

// openPlan opens a run's database read-only and returns it with the
// run's record. The caller closes it before the run is started again.
func openPlan(t *testing.T, path string) (*store.DB, store.Run) {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.Run()
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, r
}

// planChunk decodes chunk i of a run's plan.
func planChunk(t *testing.T, db *store.DB, i int) *planner.Chunk {
	t.Helper()
	data, err := db.Chunk(i)
	if err != nil {
		t.Fatal(err)
	}
	c, err := planner.DecodeChunk(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// entry is what the tests compare of one entry of a tree.
type entry struct {
	Type         fs.FileMode
	Size         int64
	Mode         fs.FileMode
	UID, GID     uint32
	Mtime, Atime int64
}

// tree reads every entry under root, by relative path. Folders' access
// times change as the walk reads them, so they are left out.
func tree(t *testing.T, root string) map[string]entry {
	t.Helper()
	out := make(map[string]entry)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		rel, _ := filepath.Rel(root, p)
		e := entry{Type: fi.Mode().Type(), Mode: fi.Mode().Perm(), UID: st.Uid, GID: st.Gid,
			Mtime: st.Mtim.Nano()}
		if !fi.IsDir() {
			e.Size, e.Atime = fi.Size(), st.Atim.Nano()
		}
		out[rel] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, what string, want, got map[string]entry) {
	t.Helper()
	bad := 0
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: %s is missing", what, p)
		case g != w:
			t.Errorf("%s: %s is %+v, want %+v", what, p, g, w)
		default:
			continue
		}
		if bad++; bad > 10 {
			t.Fatalf("%s: too many differences", what)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s was not planned", what, p)
			if bad++; bad > 10 {
				t.Fatalf("%s: too many differences", what)
			}
		}
	}
}

// killAfter starts a run and kills it with SIGKILL after wait. It returns
// the files committed when it was killed, or -1 if the run ended first.
func (c *fgCLI) killAfter(wait time.Duration, args ...string) int64 {
	c.t.Helper()
	cmd := c.cmd(args...)
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
		return -1
	case <-time.After(wait):
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	s, err := engine.ReadStatus(c.state, store.NameFor(args[len(args)-1]))
	if err != nil {
		c.t.Fatal(err)
	}
	return s.Files
}

func TestKillAnywhereResumesExactly(t *testing.T) {
	const files = 12_000
	c := newCLI(t)
	base := t.TempDir()
	plan := []string{"--files", fmt.Sprint(files), "--seed", "99", "--as-of", "2026-06-01T00:00:00Z"}
	runArgs := func(target string, extra ...string) []string {
		return append(append(append([]string{"run", "-q"}, plan...), extra...), target)
	}

	// The reference: one uninterrupted run.
	ref := filepath.Join(base, "ref")
	start := time.Now()
	c.mustRun(runArgs(ref, "--batch-size", "500", "--threads", "4")...)
	took := time.Since(start)
	want := tree(t, ref)
	if n := countFiles(want); n != files {
		t.Fatalf("reference run made %d files, want %d", n, files)
	}

	// The same plan, killed at random moments of its progress (planning,
	// creating, finalizing), started again each time.
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill points drawn with seed %d; an uninterrupted run took %v", seed, took)
	r := rand.New(rand.NewPCG(seed, 1))
	killed := filepath.Join(base, "killed")
	args := runArgs(killed, "--batch-size", "500", "--threads", "4")
	kills := 0
	left := 1.0 // the share of the work left, roughly
	for i := 0; i < 10 && kills < 6; i++ {
		// Somewhere in the first third of what is left, so that several
		// kills land even on a busy machine; a start costs time of its
		// own, hence the floor.
		wait := time.Duration((0.03 + 0.3*r.Float64()) * left * float64(took))
		got := c.killAfter(wait, args...)
		if got < 0 {
			break
		}
		kills++
		left = math.Max(0.15, 1-float64(got)/files)
		t.Logf("killed after %v at %d files", wait.Round(time.Millisecond), got)
	}
	if kills < 3 {
		t.Errorf("only %d kills landed before the run ended", kills)
	}
	c.mustRun(args...)
	sameTree(t, "killed and resumed", want, tree(t, killed))

	s := c.status(store.NameFor(killed))
	if s.State != store.Done || s.Files != s.FilesTotal || s.Bytes != s.BytesTotal ||
		s.Dirs != s.DirsTotal || s.Chunks != s.ChunkTotal {
		t.Errorf("counters after resume: %+v; want every total reached exactly", s)
	}

	// Another thread count and batch size: the same tree again.
	other := filepath.Join(base, "other")
	c.mustRun(runArgs(other, "--batch-size", "333", "--threads", "1")...)
	sameTree(t, "threads 1, batch 333", want, tree(t, other))
}

func countFiles(m map[string]entry) int {
	n := 0
	for _, e := range m {
		if e.Type.IsRegular() {
			n++
		}
	}
	return n
}

func TestStatusLiveAndAfterKill(t *testing.T) {
	c := newCLI(t)
	target := filepath.Join(t.TempDir(), "live")
	name := store.NameFor(target)
	cmd := c.cmd("run", "-q", "--files", "400000", "--threads", "1", "--batch-size", "200", target)
	launched := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	// Wait until the run is creating files, then ask from this process.
	var s engine.Status
	for deadline := time.Now().Add(60 * time.Second); ; {
		s, _ = engine.ReadStatus(c.state, name)
		if s.Files > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run never reported a committed file: %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s = c.status(name)
	if !s.Live || s.State != store.Executing || s.PID != cmd.Process.Pid {
		t.Errorf("status of a live run = %+v; want live, executing, pid %d", s, cmd.Process.Pid)
	}
	if s.FilesTotal != 400000 || s.Files == 0 || s.Files > s.FilesTotal {
		t.Errorf("status of a live run: files %d of %d", s.Files, s.FilesTotal)
	}
	// The time spent, which the run saves every second, is counted
	// once: never more than the time since the process started.
	time.Sleep(2500 * time.Millisecond)
	s = c.status(name)
	if limit := time.Since(launched).Seconds(); s.Elapsed <= 0 || s.Elapsed > limit {
		t.Errorf("status of a live run: elapsed %.2f s, %.2f s after it was started", s.Elapsed, limit)
	}

	// A second writer is refused at once, naming the holder.
	out, code := c.run("resume", name)
	if code != exitBusy || !bytes.Contains([]byte(out), []byte(fmt.Sprint(cmd.Process.Pid))) {
		t.Errorf("resume of a live run: exit %d, %q; want exit %d naming pid %d", code, out, exitBusy, cmd.Process.Pid)
	}

	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	s = c.status(name)
	if s.Live || s.State != store.Interrupted {
		t.Errorf("status after SIGKILL = %s live=%v; want interrupted, not live", s.State, s.Live)
	}
}

func TestHistory(t *testing.T) {
	c := newCLI(t)
	base := t.TempDir()
	c.mustRun("run", "-q", "--files", "3000", filepath.Join(base, "a"))
	c.mustRun("run", "-q", "--files", "2000", "--seed", "5", filepath.Join(base, "b"))
	// An interrupted one: SIGINT stops it cleanly with the resumable code.
	cmd := c.cmd("run", "-q", "--files", "300000", "--threads", "1", "--batch-size", "100", filepath.Join(base, "c"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s, err := engine.ReadStatus(c.state, store.NameFor(filepath.Join(base, "c"))); err == nil && s.Files > 0 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Errorf("run stopped by SIGINT: %v; want exit %d", err, exitInterrupted)
	}

	out := c.mustRun("history", "--json")
	var runs []engine.Status
	if err := json.Unmarshal([]byte(out), &runs); err != nil {
		t.Fatalf("history --json: %v\n%s", err, out)
	}
	got := make(map[string]engine.Status)
	for _, s := range runs {
		got[s.Name] = s
	}
	for name, want := range map[string]struct {
		state store.State
		files int64
	}{"a": {store.Done, 3000}, "b": {store.Done, 2000}, "c": {store.Interrupted, -1}} {
		s, ok := got[store.NameFor(filepath.Join(base, name))]
		if !ok {
			t.Errorf("history lacks run %s", name)
			continue
		}
		if s.State != want.state {
			t.Errorf("run %s: outcome %s, want %s", name, s.State, want.state)
		}
		if want.files >= 0 && (s.Files != want.files || s.Bytes != s.BytesTotal || s.Bytes == 0) {
			t.Errorf("run %s: %d files, %d of %d bytes; want %d files, all bytes", name, s.Files, s.Bytes, s.BytesTotal, want.files)
		}
		if s.Elapsed <= 0 || s.Rate <= 0 || s.Started.IsZero() {
			t.Errorf("run %s: elapsed %v, rate %v, started %v; want all set", name, s.Elapsed, s.Rate, s.Started)
		}
		if want.state == store.Done && s.Ended.Before(s.Started) {
			t.Errorf("run %s: ended %v before it started %v", name, s.Ended, s.Started)
		}
	}

	text := c.mustRun("history")
	for _, col := range []string{"NAME", "OUTCOME", "FILES", "BYTES", "DURATION", "RATE", "ERRORS", "interrupted", "done"} {
		if !bytes.Contains([]byte(text), []byte(col)) {
			t.Errorf("history output lacks %q:\n%s", col, text)
		}
	}
}
