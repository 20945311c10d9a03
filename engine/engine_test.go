package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"filegen/engine"
	"filegen/planner"
	"filegen/planner/content"
	"filegen/store"
)

// newRun plans a run of files files in a fresh state directory and
// returns its database and target.
func newRun(t *testing.T, files int64, batch int) (*store.DB, string) {
	t.Helper()
	in, err := planner.Inputs{Files: files, Seed: 9, AsOf: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Bias: planner.DefaultBias}.Resolve(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	prof, _ := planner.Builtin("enterprise")
	inJSON, _ := json.Marshal(in)
	profJSON, _ := json.Marshal(prof)
	db, err := store.Open(filepath.Join(t.TempDir(), "runs", "t.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Check(); err != nil {
			t.Error(err)
		}
		db.Close()
	})
	target := filepath.Join(t.TempDir(), "share")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	err = db.CreateRun(store.Run{Name: "t", Target: target, Inputs: inJSON, Profile: profJSON,
		Batch: batch, State: store.Planning, Created: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.Plan(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db, target
}

// eachFile calls fn for every planned file of db's run.
func eachFile(t *testing.T, db *store.DB, fn func(path string, f *planner.File)) {
	t.Helper()
	r, _ := db.Run()
	for i := 0; i < r.Chunks; i++ {
		data, err := db.Chunk(i)
		if err != nil {
			t.Fatal(err)
		}
		c, err := planner.DecodeChunk(data)
		if err != nil {
			t.Fatal(err)
		}
		for j := range c.Files {
			fn(c.FilePath(j), &c.Files[j])
		}
	}
}

func TestExecuteCreatesThePlan(t *testing.T) {
	db, target := newRun(t, 3000, 250)
	if err := engine.Execute(context.Background(), db, target, engine.Options{Threads: 8}); err != nil {
		t.Fatal(err)
	}
	n := 0
	eachFile(t, db, func(p string, f *planner.File) {
		n++
		var st unix.Stat_t
		if err := unix.Lstat(filepath.Join(target, p), &st); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if st.Size != f.Size || st.Mtim.Nano() != f.Mtime || st.Atim.Nano() != f.Atime ||
			st.Mode&0o7777 != f.Attrs.Mode || st.Mode&unix.S_IFMT != unix.S_IFREG {
			t.Errorf("%s: size %d mtime %d atime %d mode %o; planned %d %d %d %o",
				p, st.Size, st.Mtim.Nano(), st.Atim.Nano(), st.Mode, f.Size, f.Mtime, f.Atime, f.Attrs.Mode)
		}
		buf := make([]byte, 64)
		m, err := unix.Lgetxattr(filepath.Join(target, p), content.XattrDOS, buf)
		if err != nil || m == 0 {
			t.Errorf("%s: no %s: %v", p, content.XattrDOS, err)
		}
	})
	c, _ := db.Counters()
	r, _ := db.Run()
	if c.Files != int64(n) || c.Files != r.Files || c.Bytes != r.Bytes || c.Dirs != r.Dirs || c.Finalized != int64(r.Chunks) {
		t.Errorf("counters %+v; plan %d files, %d bytes, %d folders, %d chunks", c, r.Files, r.Bytes, r.Dirs, r.Chunks)
	}
	if r.State != store.Done {
		t.Errorf("state %s, want done", r.State)
	}
}

func TestExecuteStopsAndResumes(t *testing.T) {
	db, target := newRun(t, 4000, 100)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := false
	err := engine.Execute(ctx, db, target, engine.Options{Threads: 2, Observer: engine.Observer{
		Progress: func(c store.Counters) {
			if c.Files > 1000 && !stopped {
				stopped = true
				cancel()
			}
		},
	}})
	if !errors.Is(err, engine.ErrInterrupted) {
		t.Fatalf("Execute after cancel = %v, want ErrInterrupted", err)
	}
	r, _ := db.Run()
	c, _ := db.Counters()
	if r.State != store.Interrupted || c.Files >= r.Files || c.Files == 0 {
		t.Fatalf("after a stop: state %s, %d of %d files", r.State, c.Files, r.Files)
	}
	if _, err := db.Recover(false); err != nil {
		t.Fatal(err)
	}
	if err := engine.Execute(context.Background(), db, target, engine.Options{Threads: 3}); err != nil {
		t.Fatal(err)
	}
	c, _ = db.Counters()
	if c.Files != r.Files || c.Bytes != r.Bytes {
		t.Errorf("after resume: %d files, %d bytes; planned %d, %d", c.Files, c.Bytes, r.Files, r.Bytes)
	}
}

func TestTargetSymlinkRefused(t *testing.T) {
	db, target := newRun(t, 10, 10)
	link := target + "-link"
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	err := engine.Execute(context.Background(), db, link, engine.Options{})
	if !errors.Is(err, engine.ErrTarget) {
		t.Errorf("Execute through a symbolic link = %v, want ErrTarget", err)
	}
}

func TestLinkInsideTargetNeverFollowed(t *testing.T) {
	db, target := newRun(t, 500, 100)
	outside := t.TempDir()

	// Put a link where the plan's first folder goes, and a link in place
	// of one planned file.
	var firstDir, aFile string
	eachFile(t, db, func(p string, f *planner.File) {
		if firstDir == "" {
			firstDir = filepath.Dir(p)
			for filepath.Dir(firstDir) != "." {
				firstDir = filepath.Dir(firstDir)
			}
		} else if aFile == "" && filepath.Dir(p) != "." && !strings.HasPrefix(p, firstDir+"/") {
			aFile = p
		}
	})
	if err := os.Symlink(outside, filepath.Join(target, firstDir)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(target, aFile)), 0o755); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(outside, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	if err := os.Symlink(victim, filepath.Join(target, aFile)); err != nil {
		t.Fatal(err)
	}

	err := engine.Execute(context.Background(), db, target, engine.Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Errorf("the folder outside the target holds %d entries, want only the victim", len(entries))
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("a file outside the target was written through a link: %q", b)
	}
	c, _ := db.Counters()
	if c.Errors == 0 {
		t.Errorf("no errors recorded for the links in the way")
	}
	errs, _ := db.Errors(100)
	found := false
	for _, e := range errs {
		if e.Path == firstDir && e.Errno == int(syscall.ELOOP) || e.Path == aFile {
			found = true
		}
	}
	if !found {
		t.Errorf("errors %+v do not name the links %s, %s", errs, firstDir, aFile)
	}
}
