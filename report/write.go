package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// chart is one histogram as every output shows it.
type chart struct {
	Key, Title, Axis string
	H                *Histogram
}

// charts lists the report's histograms in the order they are shown.
func (r *Report) charts() []chart {
	return []chart{
		{"sizes", "File sizes", "size", &r.Sizes},
		{"modified", "Last modified", "days ago", &r.Modified},
		{"accessed", "Last accessed", "days ago", &r.Accessed},
		{"depth", "Depth of files", "depth", &r.Depth},
		{"files_per_folder", "Files per folder", "files", &r.FilesPerFolder},
	}
}

// span returns the range of buckets from the first to the last that is
// not empty, so outputs skip empty runs at either end.
func (h *Histogram) span() (lo, hi int) {
	lo, hi = 0, len(h.Counts)
	for lo < hi && h.Counts[lo] == 0 {
		lo++
	}
	for hi > lo && h.Counts[hi-1] == 0 {
		hi--
	}
	return lo, hi
}

// tables lists the report's ranked tables in the order they are shown.
func (r *Report) tables() []struct {
	Key, Title string
	Rows       []Tally
} {
	return []struct {
		Key, Title string
		Rows       []Tally
	}{
		{"ext_by_count", "Top extensions by count", r.ExtByCount},
		{"ext_by_bytes", "Top extensions by bytes", r.ExtByBytes},
		{"owners", "Owners", r.Owners},
		{"groups", "Groups", r.Groups},
	}
}

// summary lists the headline figures as key, label and value.
func (r *Report) summary() [][3]string {
	n := func(v int64) string { return humanize.Comma(v) }
	b := func(v int64) string { return humanize.IBytes(uint64(max(v, 0))) }
	share := func(s Share) string {
		return fmt.Sprintf("%s files (%.1f%%), %s (%.1f%%)",
			n(s.Files), percent(s.Files, r.Files),
			b(s.Bytes), percent(s.Bytes, r.Bytes))
	}
	return [][3]string{
		{"files", "Files", n(r.Files)},
		{"folders", "Folders", n(r.Folders)},
		{"symlinks", "Symbolic links", n(r.Symlinks)},
		{"others", "Other entries", n(r.Others)},
		{"bytes", "Apparent size", b(r.Bytes)},
		{"allocated", "Allocated", b(r.Allocated)},
		{"sparse_files", "Sparse files", n(r.SparseFiles)},
		{"hard_linked", "Hard-linked files", n(r.HardLinked)},
		{"max_depth", "Deepest folder", fmt.Sprint(r.MaxDepth)},
		{"dormant", "Dormant (not read for 90 days)", share(r.Dormant)},
		{"never_read", "Never read (atime = mtime)", share(r.NeverRead)},
	}
}

func (r *Report) heading() string {
	return fmt.Sprintf("%s as of %s, walked in %s by %d workers",
		r.Root, r.AsOf.UTC().Format("2006-01-02 15:04 MST"),
		r.Elapsed.Round(time.Millisecond), r.Workers)
}

// WriteText writes the report for a terminal: figures, histograms as
// bars of '#', tables and findings. It returns the first write error.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Report of %s\n\n", r.heading())
	for _, s := range r.summary() {
		fmt.Fprintf(bw, "  %-32s %s\n", s[1], s[2])
	}

	for _, c := range r.charts() {
		fmt.Fprintf(bw, "\n%s\n", c.Title)
		lo, hi := c.H.span()
		top := int64(1)
		for _, v := range c.H.Counts {
			top = max(top, v)
		}
		for i := lo; i < hi; i++ {
			v := c.H.Counts[i]
			bar := strings.Repeat("#", int((v*40+top-1)/top))
			fmt.Fprintf(bw, "  %-16s %12s  %s\n", c.H.Label(i),
				humanize.Comma(v), bar)
		}
	}

	for _, t := range r.tables() {
		fmt.Fprintf(bw, "\n%s\n", t.Title)
		for _, row := range t.Rows {
			fmt.Fprintf(bw, "  %-20s %12s files %10s\n", row.Name,
				humanize.Comma(row.Files), humanize.IBytes(uint64(row.Bytes)))
		}
	}

	fmt.Fprintf(bw, "\nFindings\n")
	if len(r.Findings) == 0 {
		fmt.Fprintf(bw, "  none\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "  %-5s %s: %s\n", f.Severity, f.Kind, f.Detail)
		for _, p := range f.Examples {
			fmt.Fprintf(bw, "          %s\n", p)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: cannot write text: %w", err)
	}
	return nil
}

// WriteJSON writes the report as one indented JSON object whose fields
// are those of [Report]; decoding it gives the same Report.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("report: cannot write JSON: %w", err)
	}
	return nil
}

// CSVHeader is the first row of [Report.WriteCSV]'s output.
var CSVHeader = []string{"section", "key", "files", "bytes", "value"}

// WriteCSV writes the report as rows of CSVHeader: section "summary"
// with one row per figure in value (files and bytes filled where they
// apply), one section per histogram with a row per bucket (key the
// label, files the count), one per table (key the name) and "finding"
// (key the kind, files the count, value the severity).
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	d := func(v int64) string { return strconv.FormatInt(v, 10) }
	rows := [][]string{CSVHeader,
		{"summary", "root", "", "", r.Root},
		{"summary", "as_of", "", "", r.AsOf.Format(time.RFC3339)},
		{"summary", "files", d(r.Files), d(r.Bytes), ""},
		{"summary", "folders", d(r.Folders), "", ""},
		{"summary", "symlinks", d(r.Symlinks), "", ""},
		{"summary", "others", d(r.Others), "", ""},
		{"summary", "allocated", "", d(r.Allocated), ""},
		{"summary", "sparse_files", d(r.SparseFiles), "", ""},
		{"summary", "hard_linked", d(r.HardLinked), "", ""},
		{"summary", "max_depth", "", "", strconv.Itoa(r.MaxDepth)},
		{"summary", "dormant", d(r.Dormant.Files), d(r.Dormant.Bytes), ""},
		{"summary", "never_read", d(r.NeverRead.Files),
			d(r.NeverRead.Bytes), ""},
	}
	for _, c := range r.charts() {
		for i, v := range c.H.Counts {
			rows = append(rows, []string{c.Key, c.H.Label(i), d(v), "", ""})
		}
	}
	for _, t := range r.tables() {
		for _, row := range t.Rows {
			rows = append(rows,
				[]string{t.Key, row.Name, d(row.Files), d(row.Bytes), row.ID})
		}
	}
	for _, f := range r.Findings {
		rows = append(rows,
			[]string{"finding", f.Kind, d(f.Count), "", string(f.Severity)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("report: cannot write CSV: %w", err)
	}
	return nil
}

// WriteMarkdown writes the report as GitHub-flavoured Markdown: a table
// of figures, a table per histogram and ranked list, and the findings.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# File tree report\n\n%s\n\n", mdEscape(r.heading()))
	fmt.Fprintf(bw, "| Figure | Value |\n| --- | ---: |\n")
	for _, s := range r.summary() {
		fmt.Fprintf(bw, "| %s | %s |\n", s[1], mdEscape(s[2]))
	}

	for _, c := range r.charts() {
		fmt.Fprintf(bw, "\n## %s\n\n| %s | Files | %% |\n"+
			"| --- | ---: | ---: |\n", c.Title, c.Axis)
		lo, hi := c.H.span()
		for i := lo; i < hi; i++ {
			fmt.Fprintf(bw, "| %s | %s | %.1f |\n", c.H.Label(i),
				humanize.Comma(c.H.Counts[i]),
				percent(c.H.Counts[i], c.H.Total))
		}
	}

	for _, t := range r.tables() {
		fmt.Fprintf(bw, "\n## %s\n\n| Name | Files | Bytes |\n"+
			"| --- | ---: | ---: |\n", t.Title)
		for _, row := range t.Rows {
			fmt.Fprintf(bw, "| %s | %s | %s |\n", mdEscape(row.Name),
				humanize.Comma(row.Files), humanize.IBytes(uint64(row.Bytes)))
		}
	}

	fmt.Fprintf(bw, "\n## Findings\n\n| Severity | Kind | Count | Detail |\n"+
		"| --- | --- | ---: | --- |\n")
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", f.Severity, f.Kind,
			humanize.Comma(f.Count), mdEscape(f.Detail))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: cannot write Markdown: %w", err)
	}
	return nil
}

// mdEscape keeps a value from breaking a Markdown table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "*", `\*`,
		"_", `\_`, "`", "\\`").Replace(s)
}
