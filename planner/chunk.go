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

// chunkVersion is the first byte of every encoded chunk.
const chunkVersion = 1

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

// Encode appends the chunk's compact encoding to buf and returns it.
//
// The layout is a version byte, a header, a table of distinct attribute
// sets, the directories (each path stored as the length of the prefix it
// shares with the previous one plus the rest), then the files. Times are
// stored as distances in milliseconds: modification from the reference
// time, access after modification, creation before it. Sub-millisecond
// parts are kept as a separate varint so that the round trip is exact.
func (c *Chunk) Encode(buf []byte) []byte {
	buf = append(buf, chunkVersion)
	buf = binary.AppendUvarint(buf, uint64(c.Index))
	buf = binary.AppendVarint(buf, c.AsOf)

	// Attribute table. Neighbours often share their attributes, so the
	// last set is checked before the map, and each entry's index is kept
	// for the records below.
	table := make(map[Attrs]uint64, 16)
	var order []Attrs
	ids := make([]uint64, len(c.Dirs)+len(c.Files))
	last := -1
	index := func(a *Attrs) uint64 {
		if last >= 0 && order[last] == *a {
			return uint64(last)
		}
		i, ok := table[*a]
		if !ok {
			i = uint64(len(order))
			table[*a] = i
			order = append(order, *a)
		}
		last = int(i)
		return i
	}
	for i := range c.Dirs {
		ids[i] = index(&c.Dirs[i].Attrs)
	}
	for i := range c.Files {
		ids[len(c.Dirs)+i] = index(&c.Files[i].Attrs)
	}
	buf = binary.AppendUvarint(buf, uint64(len(order)))
	for _, a := range order {
		buf = binary.AppendUvarint(buf, uint64(a.Mode))
		buf = binary.AppendUvarint(buf, uint64(a.UID)+1)
		buf = binary.AppendUvarint(buf, uint64(a.GID)+1)
		buf = append(buf, a.Flags, a.Class)
		buf = appendString(buf, a.ACL)
		buf = appendString(buf, a.DefaultACL)
	}

	buf = binary.AppendUvarint(buf, uint64(len(c.Dirs)))
	prev := ""
	for i := range c.Dirs {
		d := &c.Dirs[i]
		n := commonPrefix(prev, d.Path)
		buf = binary.AppendUvarint(buf, uint64(n))
		buf = appendString(buf, d.Path[n:])
		prev = d.Path
		buf = binary.LittleEndian.AppendUint64(buf, d.Key)
		buf = binary.AppendUvarint(buf, uint64(d.First))
		buf = binary.AppendUvarint(buf, uint64(d.Files))
		final := byte(0)
		if d.Final {
			final = 1
		}
		buf = append(buf, final)
		buf = binary.AppendUvarint(buf, ids[i])
		buf = appendTime(buf, c.AsOf-d.Mtime)
		buf = appendTime(buf, d.Atime-d.Mtime)
	}

	buf = binary.AppendUvarint(buf, uint64(len(c.Files)))
	for i := range c.Files {
		f := &c.Files[i]
		buf = binary.AppendUvarint(buf, uint64(f.Dir))
		buf = appendString(buf, f.Name)
		buf = binary.AppendUvarint(buf, uint64(f.Size))
		buf = appendTime(buf, c.AsOf-f.Mtime)
		buf = appendTime(buf, f.Atime-f.Mtime)
		buf = appendTime(buf, f.Mtime-f.Ctime)
		buf = binary.AppendUvarint(buf, ids[len(c.Dirs)+i])
	}
	return buf
}

// appendTime stores a duration in nanoseconds as signed milliseconds and
// the nanoseconds left over.
func appendTime(buf []byte, d int64) []byte {
	ms, ns := d/1e6, d%1e6
	buf = binary.AppendVarint(buf, ms)
	return binary.AppendVarint(buf, ns)
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

// DecodeChunk decodes a chunk written by [Chunk.Encode]. It never panics:
// any input that is not a valid chunk gives an error wrapping
// [ErrCorruptChunk].
func DecodeChunk(b []byte) (*Chunk, error) {
	d := &decoder{b: b}
	if d.byte("version") != chunkVersion {
		return nil, fmt.Errorf("%w: unknown version", ErrCorruptChunk)
	}
	c := &Chunk{}
	idx := d.uvarint("index")
	if idx > math.MaxInt32 {
		d.fail("index")
	}
	c.Index = int(idx)
	c.AsOf = d.varint("reference time")

	table := make([]Attrs, d.count("attribute table", 7))
	for i := range table {
		mode := d.uvarint("mode")
		if mode > math.MaxUint32 {
			d.fail("mode")
		}
		table[i].Mode = uint32(mode)
		table[i].UID = d.id("owner")
		table[i].GID = d.id("group")
		table[i].Flags = d.byte("flags")
		table[i].Class = d.byte("class")
		table[i].ACL = d.string("access list")
		table[i].DefaultACL = d.string("default list")
	}
	attrs := func() Attrs {
		i := d.uvarint("attribute index")
		if i >= uint64(len(table)) {
			d.fail("attribute index")
			return Attrs{}
		}
		return table[i]
	}

	c.Dirs = make([]Dir, d.count("directory count", 14))
	prev := ""
	for i := range c.Dirs {
		dir := &c.Dirs[i]
		n := d.uvarint("path prefix")
		if n > uint64(len(prev)) {
			d.fail("path prefix")
			break
		}
		dir.Path = prev[:n] + d.string("path")
		prev = dir.Path
		if len(d.b) < 8 {
			d.fail("directory key")
			break
		}
		dir.Key = binary.LittleEndian.Uint64(d.b)
		d.b = d.b[8:]
		first, files := d.uvarint("first file"), d.uvarint("file count")
		if first > math.MaxInt32 || files > math.MaxInt32 {
			d.fail("file count")
		}
		dir.First, dir.Files = int(first), int(files)
		switch d.byte("final flag") {
		case 0:
		case 1:
			dir.Final = true
		default:
			d.fail("final flag")
		}
		dir.Attrs = attrs()
		dir.Mtime = c.AsOf - d.time("directory mtime")
		dir.Atime = dir.Mtime + d.time("directory atime")
		if d.err != nil {
			return nil, d.err
		}
		if err := checkRelPath(dir.Path); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorruptChunk, err)
		}
	}

	c.Files = make([]File, d.count("file count", 9))
	want := 0
	for i := range c.Dirs {
		want += c.Dirs[i].Files
	}
	if d.err == nil && want != len(c.Files) {
		d.fail("file count")
	}
	for i := range c.Files {
		f := &c.Files[i]
		dir := d.uvarint("file directory")
		if dir >= uint64(len(c.Dirs)) {
			d.fail("file directory")
			break
		}
		f.Dir = int(dir)
		f.Name = d.string("file name")
		size := d.uvarint("file size")
		if size > math.MaxInt64 {
			d.fail("file size")
		}
		f.Size = int64(size)
		f.Mtime = c.AsOf - d.time("file mtime")
		f.Atime = f.Mtime + d.time("file atime")
		f.Ctime = f.Mtime - d.time("file ctime")
		f.Attrs = attrs()
		if d.err != nil {
			return nil, d.err
		}
		if err := checkName(f.Name); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorruptChunk, err)
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrCorruptChunk, len(d.b))
	}
	return c, nil
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
