package planner

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
)

// Flags of a version 2 chunk.
const (
	encSettled   = 1 << iota // times are stored as quanta (see settle)
	encDirColumn             // files name their folders: not in folder order
)

// maxBody bounds the decompressed body of a chunk: far above any batch
// size's, far below what would exhaust memory.
const maxBody = 1 << 30

// coder holds the buffers that encoding and decoding a chunk reuse.
type coder struct {
	body  []byte
	q     []quanta // the folders' then the files' quanta
	ids   []uint64 // the folders' then the files' attribute indexes
	seen  []int    // files of each folder met so far
	table map[Attrs]uint64
	order []Attrs
	out   appender
	zw    *flate.Writer
	zr    io.ReadCloser
	in    bytes.Reader
}

var coders = sync.Pool{New: func() any { return new(coder) }}

// appender is an io.Writer that appends to a slice.
type appender struct{ b []byte }

func (w *appender) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// Encode appends the chunk's compact encoding to buf and returns it.
//
// The encoding is a version byte, the length of the body, and the body
// compressed with DEFLATE. The body holds a header; the distinct
// attribute sets; the folders, each path stored as the length of the
// prefix it shares with the previous one plus the rest; then the files
// column by column (names, sizes, times, attribute sets), so that like
// sits by like for the compressor. Files in folder order, as planned,
// leave their folders implied by the folders' counts. Times are stored
// in whole units of [TimeUnit] when what lies below each unit is what
// settle draws from the entry's key, as in every planned chunk, and to
// the nanosecond otherwise.
func (c *Chunk) Encode(buf []byte) []byte {
	e := coders.Get().(*coder)
	defer coders.Put(e)
	body := e.encodeBody(c)

	buf = append(buf, chunkV2)
	buf = binary.AppendUvarint(buf, uint64(len(body)))
	e.out.b = buf
	if e.zw == nil {
		e.zw, _ = flate.NewWriter(&e.out, flate.BestSpeed)
	} else {
		e.zw.Reset(&e.out)
	}
	e.zw.Write(body) // an appender never fails
	e.zw.Close()
	buf, e.out.b = e.out.b, nil
	return buf
}

// fileKeys calls f with the index and time key of each file of c, and
// reports whether the files come in folder order with the folders' counts.
func (e *coder) fileKeys(c *Chunk, f func(i int, key uint64)) (inOrder bool) {
	e.seen = slices.Grow(e.seen[:0], len(c.Dirs))[:len(c.Dirs)]
	clear(e.seen)
	inOrder = true
	dir := 0
	for i := range c.Files {
		for dir < len(c.Dirs) && e.seen[dir] == c.Dirs[dir].Files {
			dir++
		}
		j := c.Files[i].Dir
		if j != dir {
			inOrder = false
		}
		if j < 0 || j >= len(c.Dirs) {
			f(i, 0)
			continue
		}
		f(i, ContentKey(c.Dirs[j].Key, c.Dirs[j].First+e.seen[j]))
		e.seen[j]++
	}
	for j := range c.Dirs {
		if e.seen[j] != c.Dirs[j].Files {
			inOrder = false
		}
	}
	return inOrder
}

func (e *coder) encodeBody(c *Chunk) []byte {
	nd, nf := len(c.Dirs), len(c.Files)
	e.q = slices.Grow(e.q[:0], nd+nf)[:nd+nf]
	settledAll := true
	for i := range c.Dirs {
		d := &c.Dirs[i]
		q, ok := quantize(c.AsOf, d.Mtime, d.Atime, d.Mtime)
		if ok {
			m, a, _ := settle(d.Key, c.AsOf, q)
			ok = m == d.Mtime && a == d.Atime
		}
		e.q[i] = q
		settledAll = settledAll && ok
	}
	inOrder := e.fileKeys(c, func(i int, key uint64) {
		f := &c.Files[i]
		q, ok := quantize(c.AsOf, f.Mtime, f.Atime, f.Ctime)
		if ok {
			m, a, cr := settle(key, c.AsOf, q)
			ok = m == f.Mtime && a == f.Atime && cr == f.Ctime
		}
		e.q[nd+i] = q
		settledAll = settledAll && ok
	})
	var flags byte
	if settledAll {
		flags |= encSettled
	}
	if !inOrder {
		flags |= encDirColumn
	}

	b := e.body[:0]
	b = binary.AppendUvarint(b, uint64(c.Index))
	b = binary.AppendVarint(b, c.AsOf)
	b = append(b, flags)
	b = e.appendAttrs(b, c)

	b = binary.AppendUvarint(b, uint64(nd))
	prev := ""
	for i := range c.Dirs {
		d := &c.Dirs[i]
		n := commonPrefix(prev, d.Path)
		b = binary.AppendUvarint(b, uint64(n))
		b = appendString(b, d.Path[n:])
		prev = d.Path
		b = binary.LittleEndian.AppendUint64(b, d.Key)
		b = binary.AppendUvarint(b, uint64(d.First))
		b = binary.AppendUvarint(b, uint64(d.Files))
		final := byte(0)
		if d.Final {
			final = 1
		}
		b = append(b, final)
		b = binary.AppendUvarint(b, e.ids[i])
		if settledAll {
			b = binary.AppendUvarint(b, e.q[i].m)
			b = binary.AppendUvarint(b, e.q[i].a)
		} else {
			b = appendTime(b, c.AsOf-d.Mtime)
			b = appendTime(b, d.Atime-d.Mtime)
		}
	}

	b = binary.AppendUvarint(b, uint64(nf))
	if !inOrder {
		for i := range c.Files {
			b = binary.AppendUvarint(b, uint64(c.Files[i].Dir))
		}
	}
	for i := range c.Files {
		b = binary.AppendUvarint(b, uint64(len(c.Files[i].Name)))
	}
	for i := range c.Files {
		b = append(b, c.Files[i].Name...)
	}
	for i := range c.Files {
		b = binary.AppendUvarint(b, uint64(c.Files[i].Size))
	}
	if settledAll {
		q := e.q[nd:]
		for i := range q {
			b = binary.AppendUvarint(b, q[i].m)
		}
		for i := range q {
			b = binary.AppendUvarint(b, q[i].a)
		}
		for i := range q {
			b = binary.AppendUvarint(b, q[i].c)
		}
	} else {
		for i := range c.Files {
			b = appendTime(b, c.AsOf-c.Files[i].Mtime)
		}
		for i := range c.Files {
			b = appendTime(b, c.Files[i].Atime-c.Files[i].Mtime)
		}
		for i := range c.Files {
			b = appendTime(b, c.Files[i].Mtime-c.Files[i].Ctime)
		}
	}
	for _, id := range e.ids[nd:] {
		b = binary.AppendUvarint(b, id)
	}
	e.body = b
	return b
}

// appendAttrs appends the table of the chunk's distinct attribute sets
// and keeps each entry's index in e.ids, folders first. Neighbours often
// share their attributes, so the last set is checked before the map.
func (e *coder) appendAttrs(b []byte, c *Chunk) []byte {
	if e.table == nil {
		e.table = make(map[Attrs]uint64, 16)
	}
	clear(e.table)
	e.order = e.order[:0]
	n := len(c.Dirs) + len(c.Files)
	e.ids = slices.Grow(e.ids[:0], n)[:n]
	last := -1
	index := func(a *Attrs) uint64 {
		if last >= 0 && e.order[last] == *a {
			return uint64(last)
		}
		i, ok := e.table[*a]
		if !ok {
			i = uint64(len(e.order))
			e.table[*a] = i
			e.order = append(e.order, *a)
		}
		last = int(i)
		return i
	}
	for i := range c.Dirs {
		e.ids[i] = index(&c.Dirs[i].Attrs)
	}
	for i := range c.Files {
		e.ids[len(c.Dirs)+i] = index(&c.Files[i].Attrs)
	}
	b = binary.AppendUvarint(b, uint64(len(e.order)))
	for _, a := range e.order {
		b = binary.AppendUvarint(b, uint64(a.Mode))
		b = binary.AppendUvarint(b, uint64(a.UID)+1)
		b = binary.AppendUvarint(b, uint64(a.GID)+1)
		b = append(b, a.Flags, a.Class)
		b = appendString(b, a.ACL)
		b = appendString(b, a.DefaultACL)
	}
	// The table must not keep the chunk's access lists alive in the pool.
	clear(e.table)
	clear(e.order)
	return b
}

// appendTime stores a duration in nanoseconds as signed milliseconds and
// the nanoseconds left over.
func appendTime(buf []byte, d int64) []byte {
	ms, ns := d/1e6, d%1e6
	buf = binary.AppendVarint(buf, ms)
	return binary.AppendVarint(buf, ns)
}

// DecodeChunk decodes a chunk written by [Chunk.Encode], of this version
// or the one before. It never panics: any input that is not a valid chunk
// gives an error wrapping [ErrCorruptChunk].
func DecodeChunk(b []byte) (*Chunk, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrCorruptChunk)
	}
	switch b[0] {
	case chunkV1:
		return decodeV1(b[1:])
	case chunkV2:
		e := coders.Get().(*coder)
		defer coders.Put(e)
		body, err := e.inflate(b[1:])
		if err != nil {
			return nil, err
		}
		return e.decodeBody(body)
	}
	return nil, fmt.Errorf("%w: unknown version %d", ErrCorruptChunk, b[0])
}

// inflate returns the body of a version 2 chunk, without its version byte.
func (e *coder) inflate(b []byte) ([]byte, error) {
	n, k := binary.Uvarint(b)
	// DEFLATE expands at most 1032 to 1.
	if k <= 0 || n > maxBody || n > uint64(len(b))*1032+64 {
		return nil, fmt.Errorf("%w: bad body length", ErrCorruptChunk)
	}
	e.in.Reset(b[k:])
	if e.zr == nil {
		e.zr = flate.NewReader(&e.in)
	} else if err := e.zr.(flate.Resetter).Reset(&e.in, nil); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptChunk, err)
	}
	e.body = slices.Grow(e.body[:0], int(n))[:n]
	if _, err := io.ReadFull(e.zr, e.body); err != nil {
		return nil, fmt.Errorf("%w: body: %v", ErrCorruptChunk, err)
	}
	var one [1]byte
	if m, err := e.zr.Read(one[:]); m != 0 || err != io.EOF || e.in.Len() != 0 {
		return nil, fmt.Errorf("%w: trailing bytes", ErrCorruptChunk)
	}
	return e.body, nil
}

func (e *coder) decodeBody(body []byte) (*Chunk, error) {
	d := &decoder{b: body}
	c := &Chunk{}
	idx := d.uvarint("index")
	if idx > math.MaxInt32 {
		d.fail("index")
	}
	c.Index = int(idx)
	c.AsOf = d.varint("reference time")
	flags := d.byte("flags")
	if flags&^(encSettled|encDirColumn) != 0 {
		d.fail("flags")
	}
	settledAll := flags&encSettled != 0
	table := d.attrTable()

	c.Dirs = make([]Dir, d.count("folder count", 14))
	prev := ""
	for i := range c.Dirs {
		dir := &c.Dirs[i]
		d.dir(dir, &prev, table)
		if settledAll {
			q := quanta{m: d.uvarint("folder mtime"), a: d.uvarint("folder atime")}
			if !validQuanta(c.AsOf, q) {
				d.fail("folder times")
			}
			dir.Mtime, dir.Atime, _ = settle(dir.Key, c.AsOf, q)
		} else {
			dir.Mtime = c.AsOf - d.time("folder mtime")
			dir.Atime = dir.Mtime + d.time("folder atime")
		}
		if d.err != nil {
			return nil, d.err
		}
		if err := checkRelPath(dir.Path); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorruptChunk, err)
		}
	}

	c.Files = make([]File, d.count("file count", 7))
	want := 0
	for i := range c.Dirs {
		want += c.Dirs[i].Files
	}
	if d.err == nil && want != len(c.Files) {
		d.fail("file count")
	}
	if flags&encDirColumn != 0 {
		for i := range c.Files {
			j := d.uvarint("file folder")
			if j >= uint64(len(c.Dirs)) {
				d.fail("file folder")
				break
			}
			c.Files[i].Dir = int(j)
		}
	} else if d.err == nil {
		i := 0
		for j := range c.Dirs {
			for range c.Dirs[j].Files {
				c.Files[i].Dir = j
				i++
			}
		}
	}
	// Names: their lengths, then their bytes, which one string holds.
	total := uint64(0)
	for i := range c.Files {
		n := d.uvarint("name length")
		total += n
		if total > uint64(len(d.b)) {
			d.fail("name length")
			break
		}
		c.Files[i].Size = int64(n) // the length, until the sizes come
	}
	if d.err != nil {
		return nil, d.err
	}
	names := string(d.b[:total])
	d.b = d.b[total:]
	for i := range c.Files {
		f := &c.Files[i]
		f.Name, names = names[:f.Size], names[f.Size:]
		if err := checkName(f.Name); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorruptChunk, err)
		}
	}
	for i := range c.Files {
		size := d.uvarint("file size")
		if size > math.MaxInt64 {
			d.fail("file size")
		}
		c.Files[i].Size = int64(size)
	}
	if settledAll {
		// The quanta, held in the time fields until all three are read.
		for i := range c.Files {
			c.Files[i].Mtime = int64(d.uvarint("file mtime"))
		}
		for i := range c.Files {
			c.Files[i].Atime = int64(d.uvarint("file atime"))
		}
		for i := range c.Files {
			c.Files[i].Ctime = int64(d.uvarint("file ctime"))
		}
	} else {
		for i := range c.Files {
			c.Files[i].Mtime = c.AsOf - d.time("file mtime")
		}
		for i := range c.Files {
			c.Files[i].Atime = c.Files[i].Mtime + d.time("file atime")
		}
		for i := range c.Files {
			c.Files[i].Ctime = c.Files[i].Mtime - d.time("file ctime")
		}
	}
	for i := range c.Files {
		c.Files[i].Attrs = d.attrs(table)
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrCorruptChunk, len(d.b))
	}
	if settledAll {
		bad := false
		e.fileKeys(c, func(i int, key uint64) {
			f := &c.Files[i]
			q := quanta{m: uint64(f.Mtime), a: uint64(f.Atime), c: uint64(f.Ctime)}
			if !validQuanta(c.AsOf, q) {
				bad = true
				return
			}
			f.Mtime, f.Atime, f.Ctime = settle(key, c.AsOf, q)
		})
		if bad {
			return nil, fmt.Errorf("%w: bad file times", ErrCorruptChunk)
		}
	}
	return c, nil
}

// attrTable reads a table of attribute sets.
func (d *decoder) attrTable() []Attrs {
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
	return table
}

// attrs reads an index into table.
func (d *decoder) attrs(table []Attrs) Attrs {
	i := d.uvarint("attribute index")
	if i >= uint64(len(table)) {
		d.fail("attribute index")
		return Attrs{}
	}
	return table[i]
}

// dir reads a folder's record up to its times; prev is the path of the
// folder before it.
func (d *decoder) dir(dir *Dir, prev *string, table []Attrs) {
	n := d.uvarint("path prefix")
	if n > uint64(len(*prev)) {
		d.fail("path prefix")
		return
	}
	dir.Path = (*prev)[:n] + d.string("path")
	*prev = dir.Path
	if len(d.b) < 8 {
		d.fail("folder key")
		return
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
	dir.Attrs = d.attrs(table)
}

// decodeV1 decodes a version 1 chunk, without its version byte: entry by
// entry, uncompressed, times to the nanosecond.
func decodeV1(b []byte) (*Chunk, error) {
	d := &decoder{b: b}
	c := &Chunk{}
	idx := d.uvarint("index")
	if idx > math.MaxInt32 {
		d.fail("index")
	}
	c.Index = int(idx)
	c.AsOf = d.varint("reference time")
	table := d.attrTable()

	c.Dirs = make([]Dir, d.count("folder count", 14))
	prev := ""
	for i := range c.Dirs {
		dir := &c.Dirs[i]
		d.dir(dir, &prev, table)
		dir.Mtime = c.AsOf - d.time("folder mtime")
		dir.Atime = dir.Mtime + d.time("folder atime")
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
		dir := d.uvarint("file folder")
		if dir >= uint64(len(c.Dirs)) {
			d.fail("file folder")
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
		f.Attrs = d.attrs(table)
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
