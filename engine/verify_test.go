package engine_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"filegen/engine"
	"filegen/planner"
	"filegen/store"
)

// plannedRun returns a database holding a planned run of files files
// that builds target, checked for consistency when the test ends.
func plannedRun(t *testing.T, files int64, batch int, target string) *store.DB {
	t.Helper()
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
	asOf := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	in, err := planner.Inputs{Files: files, Seed: 42, AsOf: asOf}.Resolve(asOf)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := planner.Builtin("enterprise")
	if err != nil {
		t.Fatal(err)
	}
	inJSON, _ := json.Marshal(in)
	profJSON, _ := json.Marshal(prof)
	err = db.CreateRun(store.Run{Name: "t", Target: target, Inputs: inJSON,
		Profile: profJSON, Batch: batch, State: store.Planning})
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.Plan(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

// madeRun plans and executes a run under a new target.
func madeRun(t *testing.T, files int64) (*store.DB, string) {
	t.Helper()
	target := filepath.Join(t.TempDir(), "tree")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	db := plannedRun(t, files, 97, target)
	if err := engine.Execute(context.Background(), db, target, engine.Options{Threads: 3}); err != nil {
		t.Fatal(err)
	}
	return db, target
}

func verify(t *testing.T, db *store.DB, target string, o engine.VerifyOptions) (engine.VerifyReport, []engine.Diff) {
	t.Helper()
	var diffs []engine.Diff
	o.OnDiff = func(d engine.Diff) { diffs = append(diffs, d) }
	rep, err := engine.Verify(context.Background(), db, target, o)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep, diffs
}

// someFiles returns n files of the tree under target, in a fixed order.
func someFiles(t *testing.T, target string, n int) []string {
	t.Helper()
	var all []string
	filepath.WalkDir(target, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			all = append(all, p)
		}
		return err
	})
	sort.Strings(all)
	if len(all) < n {
		t.Fatalf("the tree has %d files, want at least %d", len(all), n)
	}
	step := len(all) / n
	out := make([]string, n)
	for i := range out {
		out[i] = all[i*step]
	}
	return out
}

func TestVerifyExactTree(t *testing.T) {
	db, target := madeRun(t, 1500)
	for _, threads := range []int{1, 4} {
		rep, diffs := verify(t, db, target, engine.VerifyOptions{Threads: threads})
		if rep.Diffs != 0 || len(diffs) != 0 {
			t.Errorf("threads %d: %d differences in an exact tree: %v", threads, rep.Diffs, diffs)
		}
		if got, want := rep.Files, int64(1500); got != want {
			t.Errorf("threads %d: checked %d files, want %d", threads, got, want)
		}
		r, _ := db.Run()
		if got, want := rep.Dirs, r.Dirs; got != want {
			t.Errorf("threads %d: checked %d folders, want %d", threads, got, want)
		}
	}
}

func TestVerifyFindsEachKind(t *testing.T) {
	// Each change to one file of the tree, and the kind it must show as.
	changes := []struct {
		kind   engine.DiffKind
		change func(p string) error
	}{
		{engine.DiffMissing, os.Remove},
		{engine.DiffSize, func(p string) error { return os.Truncate(p, 12345) }},
		{engine.DiffMode, func(p string) error { return os.Chmod(p, 0o604) }},
		{engine.DiffAtime, func(p string) error {
			fi, _ := os.Stat(p)
			return os.Chtimes(p, time.Unix(1, 0), fi.ModTime())
		}},
		{engine.DiffType, func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Symlink("/etc/passwd", p)
		}},
	}
	db, target := madeRun(t, 800)
	files := someFiles(t, target, len(changes))
	for i, c := range changes {
		if err := c.change(files[i]); err != nil {
			t.Fatal(err)
		}
	}
	_, diffs := verify(t, db, target, engine.VerifyOptions{Threads: 2})
	found := make(map[string]engine.DiffKind)
	for _, d := range diffs {
		found[filepath.Join(target, d.Path)+" "+string(d.Kind)] = d.Kind
	}
	for i, c := range changes {
		if _, ok := found[files[i]+" "+string(c.kind)]; !ok {
			t.Errorf("%s changed (%s): not reported; got %v", files[i], c.kind, diffs)
		}
	}
	// A changed file also changed its folder's mtime; nothing else.
	for _, d := range diffs {
		switch d.Kind {
		case engine.DiffMissing, engine.DiffSize, engine.DiffMode, engine.DiffAtime,
			engine.DiffType, engine.DiffMtime:
		default:
			t.Errorf("unexpected difference %v", d)
		}
	}
}

func TestVerifyDoesNotMoveTimes(t *testing.T) {
	db, target := madeRun(t, 300)
	files := someFiles(t, target, 5)
	before := make([]os.FileInfo, len(files))
	for i, p := range files {
		before[i], _ = os.Lstat(p)
	}
	verify(t, db, target, engine.VerifyOptions{})
	verify(t, db, target, engine.VerifyOptions{})
	for i, p := range files {
		after, _ := os.Lstat(p)
		if got, want := atime(after), atime(before[i]); got != want {
			t.Errorf("%s: atime %d after verify, want %d", p, got, want)
		}
	}
	if rep, diffs := verify(t, db, target, engine.VerifyOptions{}); rep.Diffs != 0 {
		t.Errorf("a second verify found %v", diffs)
	}
}

func TestVerifySample(t *testing.T) {
	db, target := madeRun(t, 1000)
	tests := []struct {
		sample, want int64
	}{
		{1, 1}, {10, 10}, {999, 999}, {1000, 1000}, {5000, 1000},
	}
	for _, tt := range tests {
		rep, _ := verify(t, db, target, engine.VerifyOptions{Sample: tt.sample})
		if rep.Files != tt.want {
			t.Errorf("Sample %d checked %d files, want %d", tt.sample, rep.Files, tt.want)
		}
	}

	// The sample is the same each time: remove every file, and two
	// samples report the same paths.
	var first []engine.Diff
	for i := 0; i < 2; i++ {
		_, diffs := verify(t, db, target, engine.VerifyOptions{Sample: 7, Threads: 3})
		if i == 0 {
			first = diffs
			for _, d := range diffs {
				os.Remove(filepath.Join(target, d.Path))
			}
			// Every file goes, so that whichever 7 the sample takes
			// are missing.
			filepath.WalkDir(target, func(q string, d os.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					os.Remove(q)
				}
				return nil
			})
			continue
		}
		if len(first) != 0 {
			t.Fatalf("exact tree: sample found %v", first)
		}
		if len(diffs) == 0 {
			t.Fatal("after removing files a sample of 7 found nothing; want the same 7 files")
		}
	}
	_, a := verify(t, db, target, engine.VerifyOptions{Sample: 7, Threads: 1})
	_, b := verify(t, db, target, engine.VerifyOptions{Sample: 7, Threads: 4})
	if len(a) != len(b) {
		t.Fatalf("samples differ: %v and %v", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("sample %d: %v and %v", i, a[i], b[i])
		}
	}
}

func TestRepair(t *testing.T) {
	db, target := madeRun(t, 1200)
	files := someFiles(t, target, 30)
	for i, p := range files {
		switch i % 3 {
		case 0:
			os.Remove(p)
		case 1:
			os.Truncate(p, 1)
		case 2:
			os.Chmod(p, 0o600)
		}
	}
	// A whole folder gone.
	dir := filepath.Dir(files[len(files)-1])
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}

	rep, _ := verify(t, db, target, engine.VerifyOptions{Repair: true, Threads: 4})
	if rep.Diffs == 0 || rep.Repaired == 0 {
		t.Fatalf("repair found %d differences and repaired %d; want some of each", rep.Diffs, rep.Repaired)
	}
	rep, diffs := verify(t, db, target, engine.VerifyOptions{})
	if rep.Diffs != 0 {
		t.Errorf("after repair: %d differences: %v", rep.Diffs, diffs)
	}
}

func TestVerifyNeverFollowsLinks(t *testing.T) {
	db, target := madeRun(t, 400)
	outside := t.TempDir()
	p := someFiles(t, target, 1)[0]
	dir := filepath.Dir(p)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, dir); err != nil {
		t.Fatal(err)
	}
	_, diffs := verify(t, db, target, engine.VerifyOptions{Repair: true})
	rel, _ := filepath.Rel(target, dir)
	found := false
	for _, d := range diffs {
		if d.Path == rel && d.Kind == engine.DiffType {
			found = true
		}
	}
	if !found {
		t.Errorf("a link in place of folder %s was not reported: %v", rel, diffs)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("repair wrote through a link: %d entries outside the target", len(entries))
	}
}

func atime(fi os.FileInfo) int64 {
	return fi.Sys().(*syscall.Stat_t).Atim.Nano()
}
