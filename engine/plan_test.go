package engine

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"filegen/planner"
)

func planInputs(t testing.TB, files int64) (planner.Inputs, *planner.Profile) {
	t.Helper()
	prof, err := planner.Builtin("enterprise")
	if err != nil {
		t.Fatal(err)
	}
	in, err := planner.Inputs{Files: files, Seed: 3, Bias: planner.DefaultBias,
		AsOf: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}.Resolve(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return in, prof
}

// TestGenerateStoresThePlan checks that planning on two goroutines
// stores what the planner makes, every chunk once, in order, in groups.
func TestGenerateStoresThePlan(t *testing.T) {
	in, prof := planInputs(t, 30_000)
	var want [][]byte
	err := planner.Generate(in, prof, nil, 300, func(c *planner.Chunk) error {
		want = append(want, c.Encode(nil))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	seen := 0
	err = generate(context.Background(), in, prof, nil, 300,
		func(c *planner.Chunk) {
			if c.Index != seen {
				t.Errorf("saw chunk %d, want %d", c.Index, seen)
			}
			seen++
		},
		func(first int, group [][]byte) error {
			if first != len(got) || len(group) > planGroup {
				t.Errorf("group of %d at %d, after %d chunks", len(group), first, len(got))
			}
			for _, b := range group {
				got = append(got, bytes.Clone(b))
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || seen != len(want) {
		t.Fatalf("stored %d chunks, saw %d, want %d", len(got), seen, len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("chunk %d differs from the planner's", i)
		}
	}
}

// TestGenerateStops checks that a failing store and a cancelled context
// both end planning, with their cause, and nothing waits forever.
func TestGenerateStops(t *testing.T) {
	in, prof := planInputs(t, 50_000)
	full := errors.New("disk full")
	puts := 0
	err := generate(context.Background(), in, prof, nil, 100, func(*planner.Chunk) {},
		func(int, [][]byte) error {
			puts++
			if puts == 3 {
				return full
			}
			return nil
		})
	if !errors.Is(err, full) || puts != 3 {
		t.Errorf("generate with a failing store = %v after %d puts, want %v after 3", err, puts, full)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = generate(ctx, in, prof, nil, 100, func(*planner.Chunk) {
		if n++; n == 5 {
			cancel()
		}
	}, func(int, [][]byte) error { return nil })
	if !errors.Is(err, ErrInterrupted) {
		t.Errorf("generate with a cancelled context = %v, want %v", err, ErrInterrupted)
	}
}

// BenchmarkPlanStages plans 200,000 files with owners, generating and
// encoding on one goroutine (serial) and on two (staged), and reports
// files a second of each. Storing is left out: it is the store's.
func BenchmarkPlanStages(b *testing.B) {
	in, prof := planInputs(b, 200_000)
	ids := planIDs(prof)
	b.Run("serial", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			err := planner.Generate(in, prof, ids, DefaultBatch, func(c *planner.Chunk) error {
				buf = c.Encode(buf[:0])
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(in.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	})
	b.Run("staged", func(b *testing.B) {
		for b.Loop() {
			err := generate(context.Background(), in, prof, ids, DefaultBatch, func(*planner.Chunk) {},
				func(int, [][]byte) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(in.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	})
}

// planIDs returns identities for every department of prof, so that the
// benchmark plans owners and access lists.
func planIDs(prof *planner.Profile) *planner.Identities {
	ids := &planner.Identities{Source: "bench", Departments: make(map[string]*planner.DeptIDs),
		Admins: 900, Everyone: 901, Contractors: 902, Backup: 903, Former: []uint32{5001, 5002}}
	for i, f := range prof.Folders {
		d := &planner.DeptIDs{Group: uint32(2000 + 10*i), ReadWrite: uint32(2001 + 10*i), ReadOnly: uint32(2002 + 10*i)}
		for j := range 4 {
			d.Members = append(d.Members, planner.Member{Name: "u", UID: uint32(10000 + 100*i + j), GID: d.Group})
		}
		ids.Departments[f.Name] = d
	}
	return ids
}
