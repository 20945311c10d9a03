package engine

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"filegen/planner"
	"filegen/planner/dist"
)

// ErrFormat is returned by [NewManifest] and [Export] for a format that
// is not one of [ManifestFormats].
var ErrFormat = errors.New("engine: unknown manifest format")

// Formats of a manifest.
const (
	// FormatJSONL writes one JSON object per line, with the keys of
	// ManifestColumns in that order.
	FormatJSONL = "jsonl"
	// FormatCSV writes ManifestColumns as a header, then one record
	// per entry.
	FormatCSV = "csv"
)

// ManifestFormats lists the formats [NewManifest] knows.
var ManifestFormats = []string{FormatJSONL, FormatCSV}

// ManifestColumns are the fields of a manifest entry, in order:
//
//   - path: relative to the target, slash-separated
//   - type: "dir" or "file"
//   - size: apparent size in bytes; 0 for a folder
//   - mtime, atime, ctime: RFC 3339 in UTC with nine fraction digits;
//     ctime is empty (null in JSON) for a folder, which has none planned
//   - mode: permission bits in octal, four digits
//   - uid, gid: numeric ids; empty (null) when the plan leaves them alone
//   - flags: the set flags joined by "+", of readonly, hidden, zone and
//     system; empty for none
//   - class: the file class (package dist); empty for a folder
//   - ext: the file's extension, lower case without the dot
//   - acl: whether the entry has an access list (for a folder, an
//     access or a default access list)
var ManifestColumns = []string{"path", "type", "size", "mtime", "atime",
	"ctime", "mode", "uid", "gid", "flags", "class", "ext", "acl"}

// timeLayout is RFC 3339 with all nine fraction digits, so that every
// time in a manifest has the same width and is exact.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// Manifest writes a plan's entries, folders and files, as they come in
// chunks: each folder with the chunk that finalizes it (the one with its
// attributes), just before that chunk's files of it. Parents come before
// what they hold, except that a folder split across chunks comes after
// its files in the earlier chunks.
//
// A Manifest holds one entry's worth of buffers, whatever the plan. It
// is not safe for concurrent use. Call [Manifest.Flush] when done.
type Manifest struct {
	w   *bufio.Writer
	csv *csv.Writer // nil for JSONL
	buf []byte
	rec []string
	n   int64
}

// NewManifest returns a manifest in format (one of [ManifestFormats])
// writing to w. A CSV manifest writes its header first.
func NewManifest(w io.Writer, format string) (*Manifest, error) {
	m := &Manifest{w: bufio.NewWriterSize(w, 64<<10)}
	switch format {
	case FormatJSONL:
	case FormatCSV:
		m.csv = csv.NewWriter(m.w)
		m.rec = make([]string, len(ManifestColumns))
		if err := m.csv.Write(ManifestColumns); err != nil {
			return nil, fmt.Errorf("engine: cannot write manifest: %w", err)
		}
	default:
		return nil, fmt.Errorf("%w: %q (known: jsonl, csv)", ErrFormat, format)
	}
	return m, nil
}

// Entries returns the number of entries written so far.
func (m *Manifest) Entries() int64 { return m.n }

// entry is one manifest line before formatting. Times are unix
// nanoseconds. A folder has no name, no size and no ctime.
type entry struct {
	dir, name    string // name is empty for a folder
	size         int64
	mtime, atime int64
	ctime        int64
	attrs        *planner.Attrs
	acl          bool
}

// Add writes the entries of chunk c. It returns the first write error.
func (m *Manifest) Add(c *planner.Chunk) error {
	next := 0 // index of the first file of the current Dir record
	for i := range c.Dirs {
		d := &c.Dirs[i]
		if d.Final {
			err := m.write(&entry{dir: d.Path, mtime: d.Mtime,
				atime: d.Atime, attrs: &d.Attrs,
				acl: d.Attrs.ACL != "" || d.Attrs.DefaultACL != ""})
			if err != nil {
				return err
			}
		}
		// The planner appends each record's files together, in the
		// order of the records.
		for j := next; j < next+d.Files && j < len(c.Files); j++ {
			f := &c.Files[j]
			err := m.write(&entry{dir: d.Path, name: f.Name, size: f.Size,
				mtime: f.Mtime, atime: f.Atime, ctime: f.Ctime,
				attrs: &f.Attrs, acl: f.Attrs.ACL != ""})
			if err != nil {
				return err
			}
		}
		next += d.Files
	}
	return nil
}

// Flush writes what is buffered to the underlying writer.
func (m *Manifest) Flush() error {
	if m.csv != nil {
		m.csv.Flush()
		if err := m.csv.Error(); err != nil {
			return fmt.Errorf("engine: cannot write manifest: %w", err)
		}
	}
	if err := m.w.Flush(); err != nil {
		return fmt.Errorf("engine: cannot write manifest: %w", err)
	}
	return nil
}

func (m *Manifest) write(e *entry) error {
	m.n++
	var err error
	if m.csv != nil {
		err = m.writeCSV(e)
	} else {
		m.buf = appendJSONL(m.buf[:0], e)
		_, err = m.w.Write(m.buf)
	}
	if err != nil {
		return fmt.Errorf("engine: cannot write manifest: %w", err)
	}
	return nil
}

func (m *Manifest) writeCSV(e *entry) error {
	r := m.rec
	a := e.attrs
	r[0] = e.dir
	r[1] = "dir"
	if e.name != "" {
		r[0] = e.dir + "/" + e.name
		r[1] = "file"
	}
	r[2] = strconv.FormatInt(e.size, 10)
	r[3] = formatTime(e.mtime)
	r[4] = formatTime(e.atime)
	r[5] = ""
	if e.name != "" {
		r[5] = formatTime(e.ctime)
	}
	r[6] = string(appendMode(m.buf[:0], a.Mode))
	r[7], r[8] = formatID(a.UID), formatID(a.GID)
	r[9] = string(appendFlags(m.buf[:0], a.Flags))
	r[10], r[11] = "", ""
	if e.name != "" {
		r[10] = dist.Class(a.Class).String()
		r[11] = (&planner.File{Name: e.name}).Ext()
	}
	r[12] = strconv.FormatBool(e.acl)
	return m.csv.Write(r)
}

func formatTime(ns int64) string {
	return time.Unix(0, ns).UTC().Format(timeLayout)
}

func formatID(id uint32) string {
	if id == planner.NoID {
		return ""
	}
	return strconv.FormatUint(uint64(id), 10)
}

func appendMode(b []byte, mode uint32) []byte {
	var d [11]byte
	o := strconv.AppendUint(d[:0], uint64(mode), 8)
	for i := len(o); i < 4; i++ {
		b = append(b, '0')
	}
	return append(b, o...)
}

var flagNames = []struct {
	bit  uint8
	name string
}{
	{planner.FlagReadOnly, "readonly"},
	{planner.FlagHidden, "hidden"},
	{planner.FlagZone, "zone"},
	{planner.FlagSystem, "system"},
}

func appendFlags(b []byte, flags uint8) []byte {
	n := len(b)
	for _, f := range flagNames {
		if flags&f.bit == 0 {
			continue
		}
		if len(b) > n {
			b = append(b, '+')
		}
		b = append(b, f.name...)
	}
	return b
}

// appendJSONL appends e as one line of JSON, allocation free.
func appendJSONL(b []byte, e *entry) []byte {
	a := e.attrs
	file := e.name != ""
	b = append(b, `{"path":"`...)
	b = appendJSONString(b, e.dir)
	if file {
		b = append(b, '/')
		b = appendJSONString(b, e.name)
	}
	if file {
		b = append(b, `","type":"file","size":`...)
	} else {
		b = append(b, `","type":"dir","size":`...)
	}
	b = strconv.AppendInt(b, e.size, 10)
	b = append(b, `,"mtime":"`...)
	b = time.Unix(0, e.mtime).UTC().AppendFormat(b, timeLayout)
	b = append(b, `","atime":"`...)
	b = time.Unix(0, e.atime).UTC().AppendFormat(b, timeLayout)
	if file {
		b = append(b, `","ctime":"`...)
		b = time.Unix(0, e.ctime).UTC().AppendFormat(b, timeLayout)
		b = append(b, `","mode":"`...)
	} else {
		b = append(b, `","ctime":null,"mode":"`...)
	}
	b = appendMode(b, a.Mode)
	b = append(b, `","uid":`...)
	b = appendJSONID(b, a.UID)
	b = append(b, `,"gid":`...)
	b = appendJSONID(b, a.GID)
	b = append(b, `,"flags":"`...)
	b = appendFlags(b, a.Flags)
	b = append(b, `","class":"`...)
	if file {
		b = append(b, dist.Class(a.Class).String()...)
	}
	b = append(b, `","ext":"`...)
	if file {
		b = appendJSONString(b, (&planner.File{Name: e.name}).Ext())
	}
	b = append(b, `","acl":`...)
	b = strconv.AppendBool(b, e.acl)
	return append(b, "}\n"...)
}

func appendJSONID(b []byte, id uint32) []byte {
	if id == planner.NoID {
		return append(b, "null"...)
	}
	return strconv.AppendUint(b, uint64(id), 10)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s, without quotes, escaped for a JSON string.
// Bytes that are not UTF-8 become U+FFFD, as encoding/json has it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4],
				hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
		i++
	}
	return b
}

// Export generates the plan of in and prof, as [Preview] does, and
// writes its manifest in format to w. It returns the plan's summary and
// the number of entries written. It holds one chunk at a time, whatever
// the number of files; w is flushed but not closed.
func Export(ctx context.Context, in planner.Inputs, prof *planner.Profile,
	ids *planner.Identities, batch int, w io.Writer,
	format string) (Summary, int64, error) {
	m, err := NewManifest(w, format)
	if err != nil {
		return Summary{}, 0, err
	}
	var z summarizer
	err = planner.Generate(in, prof, ids, batch, func(c *planner.Chunk) error {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		z.add(c)
		return m.Add(c)
	})
	if err == nil {
		err = m.Flush()
	}
	return z.summary(), m.Entries(), err
}
