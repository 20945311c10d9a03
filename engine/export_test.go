package engine_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"filegen/engine"
	"filegen/planner"
	"filegen/planner/dist"
)

// line is one manifest entry as both formats give it back, every field
// a string: "" stands for JSON null.
type line [13]string

// jsonLine is a JSONL entry as encoding/json reads it.
type jsonLine struct {
	Path  string  `json:"path"`
	Type  string  `json:"type"`
	Size  int64   `json:"size"`
	Mtime string  `json:"mtime"`
	Atime string  `json:"atime"`
	Ctime *string `json:"ctime"`
	Mode  string  `json:"mode"`
	UID   *uint32 `json:"uid"`
	GID   *uint32 `json:"gid"`
	Flags string  `json:"flags"`
	Class string  `json:"class"`
	Ext   string  `json:"ext"`
	ACL   bool    `json:"acl"`
}

func (j jsonLine) line() line {
	opt := func(p *uint32) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	}
	ctime := ""
	if j.Ctime != nil {
		ctime = *j.Ctime
	}
	return line{j.Path, j.Type, fmt.Sprint(j.Size), j.Mtime, j.Atime,
		ctime, j.Mode, opt(j.UID), opt(j.GID), j.Flags, j.Class, j.Ext,
		fmt.Sprint(j.ACL)}
}

// parseJSONL reads a JSONL manifest back, checking that each line has
// exactly the documented keys in order.
func parseJSONL(t *testing.T, b []byte) []line {
	t.Helper()
	var out []line
	for i, l := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")),
		[]byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var j jsonLine
		dec := json.NewDecoder(bytes.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		var keys []string
		var m map[string]json.RawMessage
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatal(err)
		}
		for k := range m {
			keys = append(keys, k)
		}
		if got, want := len(keys), len(engine.ManifestColumns); got != want {
			t.Fatalf("line %d has %d keys, want %d: %s", i+1, got, want, l)
		}
		out = append(out, j.line())
	}
	return out
}

func parseCSV(t *testing.T, b []byte) []line {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("CSV manifest has no header")
	}
	if got, want := strings.Join(recs[0], ","),
		strings.Join(engine.ManifestColumns, ","); got != want {
		t.Fatalf("CSV header = %s, want %s", got, want)
	}
	out := make([]line, 0, len(recs)-1)
	for _, r := range recs[1:] {
		out = append(out, line(r))
	}
	return out
}

func parse(t *testing.T, format string, b []byte) []line {
	if format == engine.FormatCSV {
		return parseCSV(t, b)
	}
	return parseJSONL(t, b)
}

// want is what the manifest should say of each entry, keyed by path,
// written out from the chunks field by field.
func want(cs []*planner.Chunk) (entries map[string]line, files []string) {
	entries = map[string]line{}
	tm := func(ns int64) string {
		return time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000000000Z")
	}
	id := func(v uint32) string {
		if v == planner.NoID {
			return ""
		}
		return strconv.FormatUint(uint64(v), 10)
	}
	flags := func(f uint8) string {
		var s []string
		for _, n := range []struct {
			bit  uint8
			name string
		}{{planner.FlagReadOnly, "readonly"}, {planner.FlagHidden, "hidden"},
			{planner.FlagZone, "zone"}, {planner.FlagSystem, "system"}} {
			if f&n.bit != 0 {
				s = append(s, n.name)
			}
		}
		return strings.Join(s, "+")
	}
	for _, c := range cs {
		for _, d := range c.Dirs {
			if !d.Final {
				continue
			}
			a := d.Attrs
			entries[d.Path] = line{d.Path, "dir", "0", tm(d.Mtime),
				tm(d.Atime), "", fmt.Sprintf("%04o", a.Mode), id(a.UID),
				id(a.GID), flags(a.Flags), "", "",
				fmt.Sprint(a.ACL != "" || a.DefaultACL != "")}
		}
		for i, f := range c.Files {
			a := f.Attrs
			p := c.FilePath(i)
			ext := ""
			if j := strings.LastIndex(f.Name, "."); j >= 0 {
				ext = strings.ToLower(f.Name[j+1:])
			}
			entries[p] = line{p, "file", fmt.Sprint(f.Size), tm(f.Mtime),
				tm(f.Atime), tm(f.Ctime), fmt.Sprintf("%04o", a.Mode),
				id(a.UID), id(a.GID), flags(a.Flags),
				dist.Class(a.Class).String(), ext, fmt.Sprint(a.ACL != "")}
			files = append(files, p)
		}
	}
	return entries, files
}

func TestExportRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		format string
		owners bool
		batch  int // small batches split folders across chunks
	}{
		{engine.FormatJSONL, true, 1000},
		{engine.FormatJSONL, false, 37},
		{engine.FormatCSV, true, 37},
		{engine.FormatCSV, false, 1000},
	} {
		name := fmt.Sprintf("%s/owners=%v/batch=%d", tc.format, tc.owners,
			tc.batch)
		t.Run(name, func(t *testing.T) {
			p := newPlan(t, 5000, tc.owners, tc.batch)
			var b bytes.Buffer
			s, n, err := engine.Export(context.Background(), p.in, p.prof,
				p.ids, p.batch, &b, tc.format)
			if err != nil {
				t.Fatal(err)
			}
			got := parse(t, tc.format, b.Bytes())
			entries, files := want(p.chunks(t))

			if g, w := int64(len(got)), s.Files+s.Dirs; g != w {
				t.Errorf("%d lines, want files + folders = %d", g, w)
			}
			if g, w := n, int64(len(got)); g != w {
				t.Errorf("Export says %d entries, the output has %d", g, w)
			}
			if g, w := len(got), len(entries); g != w {
				t.Errorf("%d lines, want %d entries", g, w)
			}

			seen := map[string]bool{}
			var order []string
			for _, l := range got {
				p := l[0]
				if seen[p] {
					t.Errorf("%s listed twice", p)
				}
				seen[p] = true
				w, ok := entries[p]
				if !ok {
					t.Errorf("%s is not in the plan", p)
					continue
				}
				if l != w {
					t.Errorf("entry %s:\n got %q\nwant %q", p, l, w)
				}
				if l[1] == "file" {
					order = append(order, p)
					continue
				}
				// A folder comes after its parent.
				if dir := path.Dir(p); dir != "." && !seen[dir] {
					t.Errorf("folder %s listed before its parent", p)
				}
			}
			if strings.Join(order, "\n") != strings.Join(files, "\n") {
				t.Errorf("files are not listed in plan order")
			}
		})
	}
}

// oddChunk is a chunk whose names need escaping in JSON and quoting in
// CSV.
func oddChunk() *planner.Chunk {
	return &planner.Chunk{
		AsOf: testAsOf.UnixNano(),
		Dirs: []planner.Dir{
			{Path: `a "quoted", folder`, Files: 4, Final: true,
				Attrs: planner.Attrs{Mode: 0o2770, UID: 0, GID: planner.NoID,
					DefaultACL: "x"},
				Mtime: 1, Atime: 2},
		},
		Files: []planner.File{
			{Name: "back\\slash\ttab\x01.TXT", Size: 1, Mtime: -1,
				Atime: 5, Ctime: -2,
				Attrs: planner.Attrs{Mode: 0o444, UID: planner.NoID,
					GID: 7, Flags: planner.FlagReadOnly | planner.FlagSystem,
					Class: uint8(dist.LegacyArchive), ACL: "y"}},
			{Name: "ünï €.pdf", Size: 1 << 40, Mtime: 1_780_000_000_123_456_789,
				Atime: 1_780_000_000_123_456_789, Ctime: 0},
			{Name: "bad\xffutf8", Mtime: 3, Atime: 3, Ctime: 3},
			{Name: "line\nbreak,\"q\"", Mtime: 3, Atime: 3, Ctime: 3},
		},
	}
}

func TestManifestOddNames(t *testing.T) {
	c := oddChunk()
	entries, _ := want([]*planner.Chunk{c})
	for _, format := range engine.ManifestFormats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			m, err := engine.NewManifest(&b, format)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Add(c); err != nil {
				t.Fatal(err)
			}
			if err := m.Flush(); err != nil {
				t.Fatal(err)
			}
			got := parse(t, format, b.Bytes())
			if g, w := len(got), 5; g != w {
				t.Fatalf("%d entries, want %d:\n%s", g, w, b.String())
			}
			for _, l := range got {
				p := l[0]
				if format == engine.FormatJSONL {
					// JSON holds no invalid UTF-8: such bytes read
					// back as U+FFFD, as encoding/json writes them.
					p = strings.ReplaceAll(p, "\uFFFD", "\xff")
				}
				w, ok := entries[p]
				if !ok {
					t.Errorf("path %q is not in the chunk", l[0])
					continue
				}
				w[0] = l[0]
				if l != w {
					t.Errorf("entry %q:\n got %q\nwant %q", p, l, w)
				}
			}
		})
	}
}

func TestManifestErrors(t *testing.T) {
	if _, err := engine.NewManifest(io.Discard, "xml"); !errors.Is(err,
		engine.ErrFormat) {
		t.Errorf("NewManifest(xml) = %v, want ErrFormat", err)
	}
	p := newPlan(t, 10, false, 10)
	_, _, err := engine.Export(context.Background(), p.in, p.prof, nil, 10,
		io.Discard, "yaml")
	if !errors.Is(err, engine.ErrFormat) {
		t.Errorf("Export(yaml) = %v, want ErrFormat", err)
	}

	// A file open only for reading refuses every write.
	name := filepath.Join(t.TempDir(), "m")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, format := range engine.ManifestFormats {
		_, _, err := engine.Export(context.Background(), p.in, p.prof, nil,
			10, f, format)
		if err == nil || !strings.HasPrefix(err.Error(), "engine: ") {
			t.Errorf("Export(%s) to a read-only file = %v, want an engine error",
				format, err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = engine.Export(ctx, p.in, p.prof, nil, 10, io.Discard,
		engine.FormatCSV)
	if !errors.Is(err, engine.ErrInterrupted) {
		t.Errorf("Export with a cancelled context = %v, want ErrInterrupted",
			err)
	}
}

// writeCost writes the chunks of a plan of files files to a manifest and
// returns the allocations per entry, the plan's own generation left out,
// and the heap the manifest holds afterwards beyond what it held before.
func writeCost(t *testing.T, format string, files int64) (float64, int64) {
	p := newPlan(t, files, true, engine.DefaultBatch)
	cs := p.chunks(t)
	m, err := engine.NewManifest(io.Discard, format)
	if err != nil {
		t.Fatal(err)
	}
	add := func() {
		for _, c := range cs {
			if err := m.Add(c); err != nil {
				t.Fatal(err)
			}
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	add()
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)

	var entries int
	for _, c := range cs {
		entries += len(c.Files)
		for _, d := range c.Dirs {
			if d.Final {
				entries++
			}
		}
	}
	runtime.KeepAlive(m)
	return testing.AllocsPerRun(2, add) / float64(entries), held
}

func TestManifestMemoryConstant(t *testing.T) {
	for _, tc := range []struct {
		format string
		most   float64 // allocations per entry at most
	}{
		// JSONL is formatted in one reused buffer.
		{engine.FormatJSONL, 0.001},
		// encoding/csv takes strings: one per formatted field.
		{engine.FormatCSV, 10},
	} {
		t.Run(tc.format, func(t *testing.T) {
			small, _ := writeCost(t, tc.format, 10_000)
			large, held := writeCost(t, tc.format, 100_000)
			t.Logf("allocations per entry: %.3f at 10,000 files, "+
				"%.3f at 100,000; heap held after 100,000: %d bytes",
				small, large, held)
			if large > tc.most {
				t.Errorf("%.3f allocations per entry, want at most %g",
					large, tc.most)
			}
			// Folders cost fewer allocations than files, and their
			// share varies with the plan's size: allow for that.
			if large > small*1.25+0.001 {
				t.Errorf("allocations per entry grow with the plan: "+
					"%.3f at 10,000 files, %.3f at 100,000", small, large)
			}
			if held > 1<<20 {
				t.Errorf("the manifest holds %d bytes after 100,000 files, "+
					"want at most 1 MiB", held)
			}
		})
	}
}

// BenchmarkExport generates and exports a plan of a million files to
// io.Discard, and reports allocations and bytes allocated per file and
// the largest heap seen, sampled every 16 chunks.
func BenchmarkExport(b *testing.B) {
	for _, files := range []int64{100_000, 1_000_000} {
		for _, format := range engine.ManifestFormats {
			name := fmt.Sprintf("%s/files=%d", format, files)
			b.Run(name, func(b *testing.B) {
				p := newPlan(b, files, true, engine.DefaultBatch)
				var peak uint64
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for b.Loop() {
					m, err := engine.NewManifest(io.Discard, format)
					if err != nil {
						b.Fatal(err)
					}
					err = planner.Generate(p.in, p.prof, p.ids, p.batch,
						func(c *planner.Chunk) error {
							if c.Index%16 == 0 {
								var ms runtime.MemStats
								runtime.ReadMemStats(&ms)
								peak = max(peak, ms.HeapInuse)
							}
							return m.Add(c)
						})
					if err == nil {
						err = m.Flush()
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				runtime.ReadMemStats(&after)
				n := float64(files) * float64(b.N)
				b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n,
					"allocs/file")
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n,
					"B/file")
				b.ReportMetric(float64(peak)/(1<<20), "MiB-heap-peak")
				b.ReportMetric(n/b.Elapsed().Seconds(), "files/s")
			})
		}
	}
}
