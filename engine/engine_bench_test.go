package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filegen/engine"
	"filegen/planner"
	"filegen/planner/directory"
	"filegen/store"
)

// planRun stores a planned run of files files in chunks of batch, with
// owners and access lists from a range of ids, in a new database at path.
func planRun(tb testing.TB, path, target string, files int64, batch int) *store.DB {
	tb.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	prof, err := planner.Builtin("enterprise")
	if err != nil {
		tb.Fatal(err)
	}
	in, err := planner.Inputs{Files: files, Seed: 1, Owners: "uid-range",
		AsOf: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}.Resolve(time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	snap, err := directory.UIDRange(20000, 360).Load(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	var depts []string
	for _, f := range prof.Folders {
		depts = append(depts, f.Name)
	}
	inJSON, _ := json.Marshal(in)
	profJSON, _ := json.Marshal(prof)
	idsJSON, _ := json.Marshal(planner.IdentitiesFrom(snap, depts))
	err = db.CreateRun(store.Run{Name: "bench", Target: target, Inputs: inJSON,
		Profile: profJSON, Identities: idsJSON, Batch: batch,
		State: store.Planning, Created: time.Now().UTC()})
	if err == nil {
		err = engine.Plan(context.Background(), db)
	}
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	return db
}

// BenchmarkExecute creates a 50,000-file tree with owners, access lists
// and extended attributes under the test's temporary folder, at several
// thread counts. Each round makes a new tree beside the last and none is
// deleted before the end, so that no round reuses freed inodes.
func BenchmarkExecute(b *testing.B) {
	const files = 50_000
	for _, threads := range []int{1, 2, engine.DefaultThreads()} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			dir := b.TempDir()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				target := filepath.Join(dir, fmt.Sprint("t", i))
				if err := os.Mkdir(target, 0o755); err != nil {
					b.Fatal(err)
				}
				db := planRun(b, filepath.Join(dir, fmt.Sprint("r", i, ".db")), target, files, engine.DefaultBatch)
				b.StartTimer()
				err := engine.Execute(context.Background(), db, target, engine.Options{Threads: threads})
				b.StopTimer()
				db.Close()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}

// BenchmarkCommit measures one committer step as a run makes it: commit
// a finished chunk of DefaultBatch files and claim the next, in one
// transaction with its fsync. Divided by DefaultBatch it is the
// checkpoint's cost a file.
func BenchmarkCommit(b *testing.B) {
	dir := b.TempDir()
	// Enough chunks that the loop never runs out of pending ones; small
	// ones, since what a commit writes does not depend on their size.
	db := planRun(b, filepath.Join(dir, "r.db"), dir, 100*5000, 100)
	defer db.Close()
	claimed, _, err := db.Step(nil, 1)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if len(claimed) == 0 {
			b.Fatal("out of chunks")
		}
		res := store.Result{Chunk: claimed[0], Files: engine.DefaultBatch, Dirs: 400, Bytes: 1 << 30}
		claimed, _, err = db.Step([]store.Result{res}, 1)
		if err != nil {
			b.Fatal(err)
		}
	}
	per := b.Elapsed().Seconds() / float64(b.N) / engine.DefaultBatch
	b.ReportMetric(per*1e9, "ns/file")
}
