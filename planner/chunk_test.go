package planner

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
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
