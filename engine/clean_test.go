package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"filegen/engine"
	"filegen/store"
)

func TestCleanRemovesOnlyWhatTheRunMade(t *testing.T) {
	db, target := madeRun(t, 1000)
	files := someFiles(t, target, 4)

	// Things the run did not make, or that changed since.
	foreign := filepath.Join(filepath.Dir(files[0]), "notes-of-a-user.txt")
	changed := files[1]
	linked := files[2]
	top := filepath.Join(target, "not-planned")
	for _, err := range []error{
		os.WriteFile(foreign, []byte("mine"), 0o644),
		os.Truncate(changed, 7),
		os.Remove(linked),
		os.Symlink("/etc/hostname", linked),
		os.MkdirAll(filepath.Join(top, "deep"), 0o755),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}

	var kept []string
	p, err := engine.Clean(context.Background(), db, target, engine.CleanOptions{
		OnKeep: func(path, why string) { kept = append(kept, path) },
	})
	if err != nil {
		t.Fatal(err)
	}

	// What must remain: the three entries and the folders that hold them.
	want := map[string]bool{top: true, filepath.Join(top, "deep"): true,
		foreign: true, changed: true, linked: true}
	for _, p := range []string{foreign, changed, linked} {
		for d := filepath.Dir(p); d != target; d = filepath.Dir(d) {
			want[d] = true
		}
	}
	got := map[string]bool{}
	filepath.WalkDir(target, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != target {
			got[p] = true
		}
		return err
	})
	for p := range want {
		if !got[p] {
			t.Errorf("%s was removed; it is not the run's", p)
		}
	}
	for p := range got {
		if !want[p] {
			t.Errorf("%s is left; the run made it", p)
		}
	}
	if p.KeptFiles != 2 {
		t.Errorf("kept %d files (%v), want 2: the changed one and the link", p.KeptFiles, kept)
	}
	if p.Files != 1000-2 {
		t.Errorf("removed %d files, want %d", p.Files, 1000-2)
	}

	r, err := db.Run()
	if err != nil {
		t.Fatal(err)
	}
	if r.State != store.Cleaned {
		t.Errorf("run state after clean = %s, want %s", r.State, store.Cleaned)
	}

	// Running the run again makes the tree anew.
	if err := engine.Execute(context.Background(), db, target, engine.Options{}); err != nil {
		t.Fatal(err)
	}
	// The new run rewrites the changed file; the link stays in its place.
	_, diffs := verify(t, db, target, engine.VerifyOptions{})
	rel, _ := filepath.Rel(target, linked)
	if len(diffs) != 1 || diffs[0].Kind != engine.DiffType || diffs[0].Path != rel {
		t.Errorf("after a clean and a new run: %d differences, want only the link %s", len(diffs), rel)
		for i := 0; i < len(diffs) && i < 10; i++ {
			t.Log(diffs[i])
		}
	}
}

func TestCleanResumes(t *testing.T) {
	db, target := madeRun(t, 2000)

	// A file of a user in a few folders: each makes the clean keep
	// folders, and each keep stops the clean.
	want := map[string]bool{}
	for _, p := range someFiles(t, target, 6) {
		u := filepath.Join(filepath.Dir(p), "kept.txt")
		if err := os.WriteFile(u, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		for d := u; d != target; d = filepath.Dir(d) {
			want[d] = true
		}
	}

	var p store.CleanProgress
	starts := 0
	for ; starts < 100; starts++ {
		ctx, cancel := context.WithCancel(context.Background())
		var err error
		p, err = engine.Clean(ctx, db, target, engine.CleanOptions{
			OnKeep: func(string, string) { cancel() },
		})
		cancel()
		if err == nil {
			break
		}
		if !errors.Is(err, engine.ErrInterrupted) {
			t.Fatal(err)
		}
		if r, _ := db.Run(); r.State != store.Cleaning {
			t.Fatalf("state of a stopped clean = %s, want %s", r.State, store.Cleaning)
		}
	}
	if starts < 3 {
		t.Errorf("the clean stopped %d times, want at least 3", starts)
	}
	if p.Files != 2000 {
		t.Errorf("removed %d files over %d starts, want 2000", p.Files, starts+1)
	}
	if p.KeptDirs != int64(len(want)-6) {
		t.Errorf("kept %d folders, want %d", p.KeptDirs, len(want)-6)
	}
	got := map[string]bool{}
	filepath.WalkDir(target, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != target {
			got[p] = true
		}
		return err
	})
	if len(got) != len(want) {
		t.Errorf("after the clean %d entries are left, want %d", len(got), len(want))
	}
	for p := range want {
		if !got[p] {
			t.Errorf("%s was removed", p)
		}
	}
}
