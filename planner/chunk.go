package planner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"path"
	"strings"
)

// ErrCorruptChunk is returned by [DecodeChunk] for bytes that are not a
// chunk this version can read.
var ErrCorruptChunk = errors.New("planner: corrupt chunk")

// Versions of the chunk encoding: the first byte of every encoded chunk.
// This version writes chunkV2 and reads both.
const (
	chunkV1 = 1 // entry by entry, times to the nanosecond
	chunkV2 = 2 // column by column, compressed, times in units
)

// NoID marks an owner or group that the plan leaves alone.
const NoID = math.MaxUint32

// Flags of a file, beyond its mode.
const (
	FlagHidden   uint8 = 1 << iota // hidden to SMB clients
	FlagReadOnly                   // read-only to SMB clients (mode without w)
	FlagZone                       // carries a downloaded-from-internet marker
	FlagSystem                     // a system file to SMB clients
)

// Attrs are the attributes that many entries share: the owner, group, mode
// and flags. A chunk stores each distinct set once.
type Attrs struct {
	Mode  uint32 // permission bits
	UID   uint32 // NoID to leave the owner alone
	GID   uint32 // NoID to leave the group alone
	Flags uint8
	Class uint8 // the file class that set its times (see package dist)

	// ACL and DefaultACL are POSIX ACLs in the kernel's extended
	// attribute encoding (see package acl); empty for none.
	ACL        string
	DefaultACL string
}

// Dir is a directory that a chunk touches.
type Dir struct {
	Path  string // relative to the target, slash-separated, never empty
	Key   uint64 // the directory's random key; content keys derive from it
	First int    // index, within the directory, of the chunk's first file
	Files int    // how many of the directory's files the chunk holds

	// Final is set in the one chunk that applies the directory's own
	// attributes when the run is finalized.
	Final bool
	Attrs Attrs
	Mtime int64 // unix nanoseconds
	Atime int64 // unix nanoseconds
}

// File is one planned file. It belongs to the chunk's directory Dir.
type File struct {
	Dir   int    // index in Chunk.Dirs
	Name  string // base name, unique in its directory regardless of case
	Size  int64  // apparent size in bytes
	Mtime int64  // unix nanoseconds
	Atime int64  // unix nanoseconds, never before Mtime
	Ctime int64  // creation time, unix nanoseconds, never after Mtime
	Attrs Attrs
}

// Ext returns the file's extension without the dot, in lower case.
func (f *File) Ext() string {
	i := strings.LastIndexByte(f.Name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(f.Name[i+1:])
}

// Chunk is a self-contained part of a plan: whole directories where it can,
// in the plan's order, with every path it needs.
type Chunk struct {
	Index int
	AsOf  int64 // the plan's reference time, unix nanoseconds
	Dirs  []Dir
	Files []File
}

// Bytes returns the total apparent size of the chunk's files.
func (c *Chunk) Bytes() int64 {
	var n int64
	for i := range c.Files {
		n += c.Files[i].Size
	}
	return n
}

// FilePath returns the relative path of the chunk's i-th file.
func (c *Chunk) FilePath(i int) string {
	f := &c.Files[i]
	return path.Join(c.Dirs[f.Dir].Path, f.Name)
}

// ContentKey returns the content key of the file at index i of the
// directory with key dirKey: what the file's bytes are drawn from.
func ContentKey(dirKey uint64, i int) uint64 {
	return hashKey(dirKey, layerContent, uint64(i))
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// decoder reads a chunk's encoding and remembers the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: bad %s", ErrCorruptChunk, what)
	}
	d.b = nil
}

func (d *decoder) uvarint(what string) uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint(what string) int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length that must fit in what is left of the input, given
// that each element takes at least min bytes.
func (d *decoder) count(what string, min int) int {
	v := d.uvarint(what)
	if v > uint64(len(d.b)/min) {
		d.fail(what)
		return 0
	}
	return int(v)
}

func (d *decoder) byte(what string) byte {
	if len(d.b) < 1 {
		d.fail(what)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) string(what string) string {
	n := d.count(what, 1)
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) time(what string) int64 {
	ms := d.varint(what)
	ns := d.varint(what)
	if ms > math.MaxInt64/1_000_000 || ms < math.MinInt64/1_000_000 || ns <= -1e6 || ns >= 1e6 {
		d.fail(what)
		return 0
	}
	return ms*1e6 + ns
}

func (d *decoder) id(what string) uint32 {
	v := d.uvarint(what)
	if v == 0 || v > 1<<32 {
		d.fail(what)
		return 0
	}
	return uint32(v - 1)
}

// checkName reports whether s can be one entry of a directory under the
// target: not empty, not a dot or dot-dot, without a slash or a NUL.
func checkName(s string) error {
	switch {
	case s == "" || s == "." || s == "..":
		return fmt.Errorf("name %q is not allowed", s)
	case strings.ContainsAny(s, "/\x00"):
		return fmt.Errorf("name %q holds a slash or a NUL", s)
	}
	return nil
}

// checkRelPath reports whether p is a relative path that stays under the
// directory it is relative to.
func checkRelPath(p string) error {
	if p == "" || p[0] == '/' {
		return fmt.Errorf("path %q is not relative", p)
	}
	for _, part := range strings.Split(p, "/") {
		if err := checkName(part); err != nil {
			return fmt.Errorf("path %q: %v", p, err)
		}
	}
	return nil
}
