package engine

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"

	"filegen/planner"
	"filegen/planner/dist"
	"filegen/report"
)

// Limits of a [Summary]. They keep its memory bounded whatever the plan.
const (
	// SummaryKeys caps each map of extensions, owners, groups and modes
	// that a summary counts in; keys past it are summed under
	// [report.OtherKey]. Plans have a few dozen extensions.
	SummaryKeys = 1000
	// SummaryTop is how many rows each ranked table of a summary keeps.
	SummaryTop = 20
	// depthBuckets is the number of buckets of the depth histogram, as
	// the report has it; the planner stops folders at depth 40.
	depthBuckets = 33
)

// Names a summary gives keys that have no name of their own.
const (
	// NoExt is the extension of a file whose name has none.
	NoExt = report.NoExt
	// Unchanged is the owner or group of entries whose id the plan
	// leaves alone ([planner.NoID]).
	Unchanged = "unchanged"
)

// Summary describes a plan: its totals, how they split among the
// top-level folders, and how its files spread by size, age, depth,
// type, class, owner and attributes. It is plain data: it encodes to
// JSON and back unchanged.
//
// Histograms and tables count files unless their doc says otherwise.
type Summary struct {
	// AsOf is the plan's reference time, which ages count back from.
	AsOf    time.Time       `json:"as_of"`
	Chunks  int             `json:"chunks"`
	Files   int64           `json:"files"`
	Dirs    int64           `json:"dirs"`
	Bytes   int64           `json:"bytes"`
	Folders []FolderSummary `json:"folders"`

	// Sizes counts files by apparent size in bytes.
	Sizes report.Histogram `json:"sizes"`
	// Modified and Accessed count files by whole days from their last
	// write and last access to AsOf.
	Modified report.Histogram `json:"modified"`
	Accessed report.Histogram `json:"accessed"`
	// Depth counts files by the depth of their path: a file in a
	// top-level folder is at depth 2.
	Depth report.Histogram `json:"depth"`
	// FilesPerFolder counts folders by the files directly inside them.
	FilesPerFolder report.Histogram `json:"files_per_folder"`

	// ExtByCount and ExtByBytes list the top extensions, lower case
	// with the dot, as the report counts them; NoExt for none.
	ExtByCount []report.Tally `json:"ext_by_count"`
	ExtByBytes []report.Tally `json:"ext_by_bytes"`
	// Classes lists every file class present (package dist), most
	// files first.
	Classes []report.Tally `json:"classes"`
	// Owners and Groups list the top owners and groups by files; Name
	// is the numeric id, or Unchanged.
	Owners []report.Tally `json:"owners"`
	Groups []report.Tally `json:"groups"`

	// ReadOnly, Hidden, Zone and System are the files with each flag;
	// ACL the files with an access list.
	ReadOnly report.Share `json:"read_only"`
	Hidden   report.Share `json:"hidden"`
	Zone     report.Share `json:"zone"`
	System   report.Share `json:"system"`
	ACL      report.Share `json:"acl"`

	// DirModes counts folders by permission bits (octal, such as
	// "0750"); Files is the number of folders. DirACL counts folders
	// with an access or default access list.
	DirModes []report.Tally `json:"dir_modes"`
	DirACL   int64          `json:"dir_acl"`
}

// FolderSummary holds one top-level folder's totals.
type FolderSummary struct {
	Name  string `json:"name"`
	Files int64  `json:"files"`
	Dirs  int64  `json:"dirs"`
	Bytes int64  `json:"bytes"`
}

// tally sums files and bytes per key, up to SummaryKeys keys; the rest
// goes to report.OtherKey.
type tally[K comparable] struct {
	m     map[K]*report.Share
	other report.Share
}

func (t *tally[K]) add(k K, bytes int64) {
	s := t.m[k]
	if s == nil {
		if t.m == nil {
			t.m = make(map[K]*report.Share)
		}
		if len(t.m) >= SummaryKeys {
			s = &t.other
		} else {
			s = &report.Share{}
			t.m[k] = s
		}
	}
	s.Files++
	s.Bytes += bytes
}

// top returns up to n rows, ranked by by and then by name, named by
// name. n < 0 keeps every row.
func (t *tally[K]) top(n int, by func(report.Share) int64,
	name func(K) string) []report.Tally {
	out := make([]report.Tally, 0, len(t.m)+1)
	for k, s := range t.m {
		out = append(out, report.Tally{Name: name(k), Files: s.Files,
			Bytes: s.Bytes})
	}
	if t.other.Files > 0 {
		out = append(out, report.Tally{Name: report.OtherKey,
			Files: t.other.Files, Bytes: t.other.Bytes})
	}
	slices.SortFunc(out, func(a, b report.Tally) int {
		return cmp.Or(
			cmp.Compare(by(report.Share{Files: b.Files, Bytes: b.Bytes}),
				by(report.Share{Files: a.Files, Bytes: a.Bytes})),
			cmp.Compare(a.Name, b.Name))
	})
	if n >= 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func byFiles(s report.Share) int64 { return s.Files }
func byBytes(s report.Share) int64 { return s.Bytes }

func idName(id uint32) string {
	if id == planner.NoID {
		return Unchanged
	}
	return strconv.FormatUint(uint64(id), 10)
}

func modeName(m uint32) string { return fmt.Sprintf("%04o", m) }

// summarizer adds chunks to a summary. It holds no state per file or
// per folder beyond the folder being counted, so its memory depends only
// on the number of top-level folders and distinct keys.
type summarizer struct {
	s     Summary
	index map[string]int // top-level folder name -> index in s.Folders

	exts         tally[string]
	owners       tally[uint32]
	groups       tally[uint32]
	modes        tally[uint32]
	classes      [256]report.Share
	pending      int64 // files of the folder whose final record is due
	tops, depths []int // per Dir record of the current chunk
	started      bool
}

func (z *summarizer) start() {
	z.started = true
	z.index = make(map[string]int)
	z.s.Sizes = report.NewPow2(report.UnitBytes)
	z.s.Modified = report.NewPow2(report.UnitDays)
	z.s.Accessed = report.NewPow2(report.UnitDays)
	z.s.Depth = report.NewLinear(report.UnitLevels, depthBuckets)
	z.s.FilesPerFolder = report.NewPow2(report.UnitFiles)
}

// top returns the index in s.Folders of the top-level folder of p.
func (z *summarizer) top(p string) int {
	name, _, _ := strings.Cut(p, "/")
	i, ok := z.index[name]
	if !ok {
		i = len(z.s.Folders)
		z.index[name] = i
		z.s.Folders = append(z.s.Folders, FolderSummary{Name: name})
	}
	return i
}

func share(s *report.Share, on bool, bytes int64) {
	if on {
		s.Files++
		s.Bytes += bytes
	}
}

func (z *summarizer) add(c *planner.Chunk) {
	if !z.started {
		z.start()
	}
	s := &z.s
	s.Chunks++
	s.AsOf = time.Unix(0, c.AsOf).UTC()

	// A folder split across chunks has one record per chunk, the last
	// one final; they follow each other, so a running count suffices.
	z.tops, z.depths = z.tops[:0], z.depths[:0]
	for i := range c.Dirs {
		d := &c.Dirs[i]
		t := z.top(d.Path)
		z.tops = append(z.tops, t)
		z.depths = append(z.depths, strings.Count(d.Path, "/")+2)
		z.pending += int64(d.Files)
		if !d.Final {
			continue
		}
		s.Dirs++
		s.Folders[t].Dirs++
		s.FilesPerFolder.Add(z.pending)
		z.pending = 0
		z.modes.add(d.Attrs.Mode, 0)
		if d.Attrs.ACL != "" || d.Attrs.DefaultACL != "" {
			s.DirACL++
		}
	}

	const day = int64(24 * time.Hour)
	for i := range c.Files {
		f := &c.Files[i]
		a := &f.Attrs
		s.Files++
		s.Bytes += f.Size
		t := &s.Folders[z.tops[f.Dir]]
		t.Files++
		t.Bytes += f.Size

		s.Sizes.Add(f.Size)
		s.Modified.Add(max(c.AsOf-f.Mtime, 0) / day)
		s.Accessed.Add(max(c.AsOf-f.Atime, 0) / day)
		s.Depth.Add(int64(z.depths[f.Dir]))

		z.exts.add(report.ExtOf(f.Name), f.Size)
		z.owners.add(a.UID, f.Size)
		z.groups.add(a.GID, f.Size)
		cl := &z.classes[a.Class]
		cl.Files++
		cl.Bytes += f.Size

		share(&s.ReadOnly, a.Flags&planner.FlagReadOnly != 0, f.Size)
		share(&s.Hidden, a.Flags&planner.FlagHidden != 0, f.Size)
		share(&s.Zone, a.Flags&planner.FlagZone != 0, f.Size)
		share(&s.System, a.Flags&planner.FlagSystem != 0, f.Size)
		share(&s.ACL, a.ACL != "", f.Size)
	}
}

// summary returns the summary of the chunks added so far. It may be
// called more than once.
func (z *summarizer) summary() Summary {
	if !z.started {
		z.start()
	}
	s := z.s
	s.Folders = slices.Clone(s.Folders)
	if s.Folders == nil {
		s.Folders = []FolderSummary{}
	}
	slices.SortStableFunc(s.Folders, func(a, b FolderSummary) int {
		return cmp.Compare(b.Files, a.Files)
	})
	for _, h := range []*report.Histogram{&s.Sizes, &s.Modified,
		&s.Accessed, &s.Depth, &s.FilesPerFolder} {
		h.Counts = slices.Clone(h.Counts)
	}

	ext := func(k string) string { return k }
	s.ExtByCount = z.exts.top(SummaryTop, byFiles, ext)
	s.ExtByBytes = z.exts.top(SummaryTop, byBytes, ext)
	s.Owners = z.owners.top(SummaryTop, byFiles, idName)
	s.Groups = z.groups.top(SummaryTop, byFiles, idName)
	s.DirModes = z.modes.top(SummaryTop, byFiles, modeName)

	s.Classes = []report.Tally{}
	for i, c := range z.classes {
		if c.Files > 0 {
			s.Classes = append(s.Classes, report.Tally{
				Name: dist.Class(i).String(), Files: c.Files, Bytes: c.Bytes})
		}
	}
	slices.SortStableFunc(s.Classes, func(a, b report.Tally) int {
		return cmp.Compare(b.Files, a.Files)
	})
	return s
}

// WriteText writes the summary for a terminal: the per-folder table,
// the histograms as bars of '#', then the ranked tables and flags. It
// returns the first write error.
func (s *Summary) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	n := humanize.Comma
	b := func(v int64) string { return humanize.IBytes(uint64(max(v, 0))) }

	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "FOLDER\tFILES\tFOLDERS\tBYTES\t")
	for _, f := range s.Folders {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", f.Name, n(f.Files),
			n(f.Dirs), b(f.Bytes))
	}
	tw.Flush()

	for _, c := range s.charts() {
		fmt.Fprintf(bw, "\n%s\n", c.title)
		writeBars(bw, c.h)
	}

	for _, t := range s.tables() {
		fmt.Fprintf(bw, "\n%s\n", t.title)
		for _, r := range t.rows {
			if t.unit == "folders" {
				fmt.Fprintf(bw, "  %-20s %12s %s\n", r.Name,
					n(r.Files), t.unit)
				continue
			}
			fmt.Fprintf(bw, "  %-20s %12s %-7s %10s\n", r.Name,
				n(r.Files), t.unit, b(r.Bytes))
		}
	}

	pct := func(part, whole int64) float64 {
		if whole == 0 {
			return 0
		}
		return 100 * float64(part) / float64(whole)
	}
	fmt.Fprintf(bw, "\nAttributes\n")
	for _, f := range []struct {
		name string
		s    report.Share
	}{
		{"read-only", s.ReadOnly}, {"hidden", s.Hidden},
		{"zone marker", s.Zone}, {"system", s.System},
		{"access list", s.ACL},
	} {
		fmt.Fprintf(bw, "  %-20s %12s files (%5.1f%%) %10s\n", f.name,
			n(f.s.Files), pct(f.s.Files, s.Files), b(f.s.Bytes))
	}
	fmt.Fprintf(bw, "  %-20s %12s folders (%.1f%%)\n", "folder access list",
		n(s.DirACL), pct(s.DirACL, s.Dirs))

	if err := bw.Flush(); err != nil {
		return fmt.Errorf("engine: cannot write summary: %w", err)
	}
	return nil
}

type chart struct {
	title string
	h     *report.Histogram
}

func (s *Summary) charts() []chart {
	return []chart{
		{"File sizes", &s.Sizes},
		{"Last modified (days before as-of)", &s.Modified},
		{"Last accessed (days before as-of)", &s.Accessed},
		{"Depth of files", &s.Depth},
		{"Files per folder", &s.FilesPerFolder},
	}
}

type table struct {
	title, unit string
	rows        []report.Tally
}

func (s *Summary) tables() []table {
	return []table{
		{"Top extensions by count", "files", s.ExtByCount},
		{"Top extensions by bytes", "files", s.ExtByBytes},
		{"Classes", "files", s.Classes},
		{"Owners", "files", s.Owners},
		{"Groups", "files", s.Groups},
		{"Folder modes", "folders", s.DirModes},
	}
}

// writeBars writes a histogram's buckets from the first to the last that
// is not empty, each with its count and a bar scaled to the largest.
func writeBars(w io.Writer, h *report.Histogram) {
	lo, hi := 0, len(h.Counts)
	for lo < hi && h.Counts[lo] == 0 {
		lo++
	}
	for hi > lo && h.Counts[hi-1] == 0 {
		hi--
	}
	if lo == hi {
		fmt.Fprintf(w, "  none\n")
		return
	}
	top := int64(1)
	for _, v := range h.Counts {
		top = max(top, v)
	}
	for i := lo; i < hi; i++ {
		v := h.Counts[i]
		bar := strings.Repeat("#", int((v*40+top-1)/top))
		fmt.Fprintf(w, "  %-16s %12s  %s\n", h.Label(i),
			humanize.Comma(v), bar)
	}
}
