package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// freshExt4 makes an ext4 image without a journal in a temporary folder,
// mounts it, and returns the mount point; cleanup unmounts it. A new file
// system is the only fair ground: on one where trees were just deleted,
// ext4 shuns the freed inodes and creation runs several times slower
// (see MEASUREMENTS.md). It needs root, mkfs.ext4 and a loop device.
func freshExt4(tb testing.TB, inodes int) string {
	tb.Helper()
	dir := tb.TempDir()
	img, mnt := filepath.Join(dir, "fs.img"), filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Truncate(img, 8<<30); err != nil {
		tb.Fatal(err)
	}
	for _, args := range [][]string{
		{"mkfs.ext4", "-F", "-q", "-O", "^has_journal", "-N", fmt.Sprint(inodes),
			"-E", "lazy_itable_init=0,lazy_journal_init=0", img},
		{"mount", "-o", "loop", img, mnt},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			tb.Fatalf("%s: %v: %s (the benchmark needs root and a loop device)", args[0], err, out)
		}
	}
	tb.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			tb.Errorf("umount: %v: %s", err, out)
		}
	})
	return mnt
}

// BenchmarkExecute creates a 50,000-file tree with owners, access lists
// and extended attributes, at several thread counts, each on a file
// system of its own. Each round makes a new tree beside the last and
// none is deleted, so that no round meets freed inodes.
func BenchmarkExecute(b *testing.B) {
	const files = 50_000
	for _, threads := range []int{1, 2, engine.DefaultThreads()} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			dir := b.TempDir()
			fs := freshExt4(b, 1_000_000)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				target := filepath.Join(fs, fmt.Sprint("t", i))
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

// BenchmarkCheckpoint creates the same 100,000-file tree at the default
// thread count with Execute and with its checkpoints left out
// (ExecuteUncommitted: no claims, commits, periodic syncs or durable
// mark), alternating the two each round, each on a file system of its
// own. It reports each one's rate and the median of the rounds' ratios:
// what claiming, committing and syncing cost a run.
func BenchmarkCheckpoint(b *testing.B) {
	const files = 100_000
	threads := engine.DefaultThreads()
	dir := b.TempDir()
	var with, without, ratios []float64
	round := 0
	for b.Loop() {
		b.StopTimer()
		var rate [2]float64
		for k := range 2 {
			uncommitted := (round+k)%2 == 1
			fs := freshExt4(b, 300_000)
			target := filepath.Join(fs, "t")
			if err := os.Mkdir(target, 0o755); err != nil {
				b.Fatal(err)
			}
			db := planRun(b, filepath.Join(dir, fmt.Sprint("r", round, k, ".db")), target, files, engine.DefaultBatch)
			exec.Command("sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches").Run()
			start := time.Now()
			var err error
			if uncommitted {
				err = engine.ExecuteUncommitted(context.Background(), db, target, threads)
			} else {
				err = engine.Execute(context.Background(), db, target, engine.Options{Threads: threads})
			}
			took := time.Since(start)
			db.Close()
			if err != nil {
				b.Fatal(err)
			}
			if uncommitted {
				rate[1] = files / took.Seconds()
			} else {
				rate[0] = files / took.Seconds()
			}
		}
		with, without = append(with, rate[0]), append(without, rate[1])
		ratios = append(ratios, rate[0]/rate[1])
		round++
		b.StartTimer()
	}
	b.ReportMetric(median(with), "files/s-checkpointed")
	b.ReportMetric(median(without), "files/s-unchecked")
	b.ReportMetric(median(ratios), "ratio")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
