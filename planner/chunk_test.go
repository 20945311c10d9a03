package planner

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"reflect"
	"testing"
	"time"
)

func TestChunkRoundTrip(t *testing.T) {
	in := testInputs(t, 5_000, 3)
	for _, b := range encodeAll(t, in, 512) {
		c, err := DecodeChunk(b)
		if err != nil {
			t.Fatal(err)
		}
		again := c.Encode(nil)
		if !bytes.Equal(again, b) {
			t.Fatalf("chunk %d: encode(decode(b)) differs from b", c.Index)
		}
	}

	// A hand-made chunk with edge values.
	c := &Chunk{
		Index: 9,
		AsOf:  1_780_000_000_123_456_789,
		Dirs: []Dir{
			{Path: "a", Key: 1, Files: 0, Final: true,
				Attrs: Attrs{Mode: 0o755, UID: NoID, GID: 0},
				Mtime: 1, Atime: 2},
			{Path: "a/b c", Key: 1<<64 - 1, First: 3, Files: 2,
				Attrs: Attrs{Mode: 0o700, UID: 1000, GID: NoID - 1},
				Mtime: -5, Atime: -5},
		},
		Files: []File{
			{Dir: 1, Name: "x.pdf", Size: 0, Mtime: 100, Atime: 100, Ctime: 100,
				Attrs: Attrs{Mode: 0o444, UID: 0, GID: 0, Flags: FlagReadOnly | FlagZone, Class: 3}},
			{Dir: 1, Name: "ü €.txt", Size: 1 << 40, Mtime: 1_780_000_000_123_456_789, Atime: 1_780_000_000_123_456_789, Ctime: -1},
		},
	}
	got, err := DecodeChunk(c.Encode(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("DecodeChunk(Encode(c)) = %+v, want %+v", got, c)
	}
}

func TestDecodeChunkRejects(t *testing.T) {
	good := (&Chunk{Dirs: []Dir{{Path: "a", Files: 1}}, Files: []File{{Name: "f"}}}).Encode(nil)
	bad := map[string][]byte{
		"empty":     nil,
		"version":   append([]byte{9}, good[1:]...),
		"truncated": good[:len(good)-3],
		"trailing":  append(append([]byte{}, good...), 0),
	}
	for _, path := range []string{"../x", "/etc", "a/../../b", "a//b", "a\x00b"} {
		c := &Chunk{Dirs: []Dir{{Path: path}}}
		bad["path "+path] = c.Encode(nil)
	}
	for _, name := range []string{"..", "a/b", "", "."} {
		c := &Chunk{Dirs: []Dir{{Path: "a", Files: 1}}, Files: []File{{Name: name}}}
		bad["name "+name] = c.Encode(nil)
	}
	for what, b := range bad {
		if _, err := DecodeChunk(b); !errors.Is(err, ErrCorruptChunk) {
			t.Errorf("DecodeChunk(%s) = %v, want ErrCorruptChunk", what, err)
		}
	}
}

func FuzzDecodeChunk(f *testing.F) {
	in := testInputs(f, 300, 5)
	for _, b := range encodeAll(f, in, 100) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeChunk(b)
		if err != nil {
			return
		}
		// No path that decodes may leave the target.
		for i := range c.Dirs {
			if err := checkRelPath(c.Dirs[i].Path); err != nil {
				t.Fatalf("decoded folder path: %v", err)
			}
		}
		for i := range c.Files {
			if err := checkRelPath(c.FilePath(i)); err != nil {
				t.Fatalf("decoded file path: %v", err)
			}
		}
		// The same bytes need not come back: a varint may be written
		// longer than needed, an attribute set twice. The same chunk
		// must.
		again, err := DecodeChunk(c.Encode(nil))
		if err != nil {
			t.Fatalf("decode(encode(decode(b))): %v", err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Errorf("decode(encode(c)) = %+v, want %+v", again, c)
		}
	})
}

// TestDecodeVersion1 decodes a plan stored by the version before, whose
// chunks are entry by entry and uncompressed, and checks it against the
// tree it was made from (500 files, seed 5, batch 100, with owners).
func TestDecodeVersion1(t *testing.T) {
	b, err := os.ReadFile("testdata/plan-v1.bin")
	if err != nil {
		t.Fatal(err)
	}
	tree := sha256.New()
	chunks := 0
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			t.Fatalf("bad fixture after %d chunks", chunks)
		}
		chunk := b[k : k+int(n)]
		b = b[k+int(n):]
		if chunk[0] != chunkV1 {
			t.Fatalf("fixture chunk %d is of version %d", chunks, chunk[0])
		}
		c, err := DecodeChunk(chunk)
		if err != nil {
			t.Fatalf("chunk %d: %v", chunks, err)
		}
		hashTree(tree, c)
		chunks++
	}
	const want = "3b800243466381ff63edab5d32f405d0a3412cf7042e97151e9e88b79b889c4f"
	if got := hex.EncodeToString(tree.Sum(nil)); got != want {
		t.Errorf("tree of %d version 1 chunks hashes to %s, want %s", chunks, got, want)
	}
}

// TestPlannedChunksCompact checks that every planned chunk, whatever
// its dates, takes the compact forms: times in units, files in folder
// order.
func TestPlannedChunksCompact(t *testing.T) {
	prof, err := Builtin("enterprise")
	if err != nil {
		t.Fatal(err)
	}
	ids := goldenIDs(prof)
	for _, preset := range []string{"uniform", "recent-skew", "year-spread", "legacy-mess", "archive"} {
		in, err := Inputs{Files: 3000, Seed: 8, AsOf: testAsOf, Preset: preset, Bias: DefaultBias}.Resolve(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		err = Generate(in, prof, ids, 700, func(c *Chunk) error {
			if flags := body(t, c.Encode(nil))[flagsAt(c)]; flags != encSettled {
				t.Errorf("%s: chunk %d has flags %b, want %b", preset, c.Index, flags, encSettled)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// flagsAt returns where the flags byte of c's body is.
func flagsAt(c *Chunk) int {
	b := binary.AppendUvarint(nil, uint64(c.Index))
	return len(binary.AppendVarint(b, c.AsOf))
}

func TestSettle(t *testing.T) {
	asOf := testAsOf.UnixNano()
	r := newRand(42)
	for i := range 100_000 {
		m := asOf - int64(r.Uint64()%uint64(40*365*24*time.Hour))
		a := m + int64(r.Uint64()%uint64(asOf-m+1))
		c := m - int64(r.Uint64()%uint64(5*365*24*time.Hour))
		switch i % 4 {
		case 1:
			a = m
		case 2:
			c = m
		case 3:
			a = asOf
		}
		key := r.Uint64()
		sm, sa, sc := settled(key, asOf, m, a, c)
		if sa < sm || sa > asOf || sc > sm {
			t.Fatalf("settled(%d, %d, %d) = %d, %d, %d: out of order", m, a, c, sm, sa, sc)
		}
		if d := m - sm; d <= -AgeUnit || d >= AgeUnit {
			t.Fatalf("mtime %d settled to %d: %d apart", m, sm, d)
		}
		if a == m && sa != sm || c == m && sc != sm {
			t.Fatalf("times equal to mtime settled apart from it")
		}
		if d := (a - m) - (sa - sm); sa != asOf && (d <= -GapUnit || d >= GapUnit) {
			t.Fatalf("access gap %d settled to %d", a-m, sa-sm)
		}
		// Settled times are what a chunk stores and gives back.
		if m2, a2, c2 := settled(key, asOf, sm, sa, sc); m2 != sm || a2 != sa || c2 != sc {
			t.Fatalf("settled is not idempotent: %d %d %d, then %d %d %d", sm, sa, sc, m2, a2, c2)
		}
	}
	// Times that cannot be kept in units come back as they were.
	for _, tc := range [][3]int64{{asOf + 1, asOf + 1, asOf}, {asOf, asOf - 5, asOf}, {0, 0, 1}, {math.MinInt64, math.MinInt64, math.MinInt64}} {
		if m, a, c := settled(7, asOf, tc[0], tc[1], tc[2]); [3]int64{m, a, c} != tc {
			t.Errorf("settled(%v) = %d, %d, %d, want them unchanged", tc, m, a, c)
		}
	}
}

func TestDecodeChunkRejectsBodies(t *testing.T) {
	good := (&Chunk{Dirs: []Dir{{Path: "a", Files: 1}}, Files: []File{{Name: "f"}}}).Encode(nil)
	huge := append([]byte{chunkV2}, binary.AppendUvarint(nil, 1<<40)...)
	bad := map[string][]byte{
		"body length":      append(huge, good[2:]...),
		"trailing deflate": append(append([]byte{}, good...), 1, 0, 0, 0xff, 0xff),
		"version only":     {chunkV2},
	}
	for what, b := range bad {
		if _, err := DecodeChunk(b); !errors.Is(err, ErrCorruptChunk) {
			t.Errorf("DecodeChunk(%s) = %v, want ErrCorruptChunk", what, err)
		}
	}
}
