package planner

import (
	"bytes"
	"testing"
	"time"
)

var testAsOf = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func testInputs(t testing.TB, files int64, seed uint64) Inputs {
	t.Helper()
	in, err := Inputs{Files: files, Seed: seed, AsOf: testAsOf, Bias: DefaultBias}.Resolve(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// encodeAll generates a plan and returns its chunks, encoded.
func encodeAll(t testing.TB, in Inputs, batch int) [][]byte {
	t.Helper()
	prof, err := Builtin(in.Profile)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	err = Generate(in, prof, nil, batch, func(c *Chunk) error {
		out = append(out, c.Encode(nil))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateCountsExactly(t *testing.T) {
	for _, files := range []int64{0, 1, 7, 500, 20_000} {
		in := testInputs(t, files, 1)
		var got int64
		for _, b := range encodeAll(t, in, 1000) {
			c, err := DecodeChunk(b)
			if err != nil {
				t.Fatal(err)
			}
			got += int64(len(c.Files))
		}
		if got != files {
			t.Errorf("Generate(files=%d) made %d files", files, got)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	in := testInputs(t, 20_000, 42)
	a, b := encodeAll(t, in, 1000), encodeAll(t, in, 1000)
	if len(a) != len(b) {
		t.Fatalf("chunks: %d, then %d", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("chunk %d differs between two runs of the same inputs", i)
		}
	}

	other := testInputs(t, 20_000, 43)
	c := encodeAll(t, other, 1000)
	if bytes.Equal(a[0], c[0]) {
		t.Errorf("seed 42 and seed 43 give the same first chunk")
	}
}

// entries flattens a plan into one line per file, independent of chunks.
func entries(t testing.TB, in Inputs, batch int) map[string]File {
	t.Helper()
	out := make(map[string]File)
	for _, b := range encodeAll(t, in, batch) {
		c, err := DecodeChunk(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.Files {
			p := c.FilePath(i)
			if _, dup := out[p]; dup {
				t.Fatalf("%s planned twice", p)
			}
			f := c.Files[i]
			f.Dir = 0
			out[p] = f
		}
	}
	return out
}

func TestBatchSizeDoesNotChangeTree(t *testing.T) {
	in := testInputs(t, 30_000, 7)
	a, b := entries(t, in, 4096), entries(t, in, 97)
	if len(a) != len(b) {
		t.Fatalf("batch 4096: %d files, batch 97: %d", len(a), len(b))
	}
	for p, f := range a {
		if b[p] != f {
			t.Fatalf("%s: batch 4096 gives %+v, batch 97 gives %+v", p, f, b[p])
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	in := testInputs(b, 100_000, 1)
	prof, _ := Builtin("enterprise")
	var buf []byte
	for b.Loop() {
		err := Generate(in, prof, nil, 4096, func(c *Chunk) error {
			buf = c.Encode(buf[:0])
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(in.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
