package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"filegen/report"
)

// walkShare walks the literal share once for the output tests.
func walkShare(t *testing.T) *report.Report {
	t.Helper()
	root, out := t.TempDir(), t.TempDir()
	build(t, out, outside, "")
	build(t, root, share, out)
	r, err := report.Walk(context.Background(), root,
		report.Options{AsOf: asOf, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWriteJSONRoundTrip(t *testing.T) {
	r := walkShare(t)
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got report.Report
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Times come back in their own location; compare the instants.
	if !got.AsOf.Equal(r.AsOf) || !got.Started.Equal(r.Started) {
		t.Errorf("times = %v, %v, want %v, %v",
			got.AsOf, got.Started, r.AsOf, r.Started)
	}
	got.AsOf, got.Started = r.AsOf, r.Started
	if !reflect.DeepEqual(&got, r) {
		t.Errorf("decoded report = %+v\nwant %+v", got, *r)
	}
}

func TestWriteCSV(t *testing.T) {
	r := walkShare(t)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[0], report.CSVHeader; !reflect.DeepEqual(got, want) {
		t.Errorf("header = %q, want %q", got, want)
	}
	find := func(section, key string) []string {
		for _, row := range rows {
			if row[0] == section && row[1] == key {
				return row
			}
		}
		return nil
	}
	tests := []struct {
		section, key string
		files, bytes string
	}{
		{"summary", "files", "8", "1156335"},
		{"summary", "dormant", "3", "102058"},
		{"sizes", "1-2 MiB", "1", ""},
		{"sizes", "0 B", "1", ""},
		{"modified", "1024-2047 d", "1", ""},
		{"depth", "3", "2", ""},
		{"ext_by_bytes", ".iso", "1", "1048576"},
		{"owners", "54321", "1", "2048"},
		{"finding", report.KindWorldWritable, "1", ""},
	}
	for _, tt := range tests {
		row := find(tt.section, tt.key)
		if row == nil {
			t.Errorf("no row %s,%s", tt.section, tt.key)
			continue
		}
		if row[2] != tt.files || row[3] != tt.bytes {
			t.Errorf("row %s,%s = %q, want files %s bytes %q",
				tt.section, tt.key, row, tt.files, tt.bytes)
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	r := walkShare(t)
	var buf bytes.Buffer
	if err := r.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	headings := []string{"## File sizes", "## Last modified",
		"## Last accessed", "## Depth of files", "## Files per folder",
		"## Top extensions by count", "## Top extensions by bytes",
		"## Owners", "## Groups", "## Findings"}
	for _, h := range headings {
		i := strings.Index(md, h+"\n\n|")
		if i < 0 {
			t.Errorf("no table under %q", h)
			continue
		}
		// A table is a header row, a delimiter row and data rows.
		lines := strings.Split(md[i:], "\n")
		if len(lines) < 5 || !strings.HasPrefix(lines[3], "| ---") ||
			!strings.HasPrefix(lines[4], "| ") {
			t.Errorf("table under %q = %q, want header, rule and rows",
				h, lines[:min(len(lines), 5)])
		}
	}
	for _, want := range []string{"| .iso | 1 | 1.0 MiB |",
		"| warn | orphaned-owner | 1 |", "| Files | 8 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

func TestWriteHTMLSelfContained(t *testing.T) {
	r := walkShare(t)
	r.Root = `/srv/<share> & "co"` // must come out escaped
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()

	// Nothing may load from elsewhere: no src at all, no href, no
	// @import, no url() to anything, no absolute or protocol-relative
	// addresses in attributes.
	banned := []*regexp.Regexp{
		regexp.MustCompile(`(?i)\bsrc\s*=`),
		regexp.MustCompile(`(?i)\bhref\s*=`),
		regexp.MustCompile(`(?i)@import`),
		regexp.MustCompile(`(?i)url\s*\(`),
		regexp.MustCompile(`(?i)=\s*["']?\s*(https?:)?//`),
		regexp.MustCompile(`(?i)<(script|link|img|iframe|object|embed)\b`),
	}
	for _, re := range banned {
		if m := re.FindString(page); m != "" {
			t.Errorf("HTML holds %q (matches %s)", m, re)
		}
	}
	if strings.Contains(page, "<share>") {
		t.Errorf("root was not escaped")
	}

	for _, key := range []string{"sizes", "modified", "accessed", "depth",
		"files_per_folder"} {
		re := regexp.MustCompile(`<svg class="chart" data-histogram="` +
			key + `"[^>]*>([\s\S]*?)</svg>`)
		m := re.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("no chart for histogram %s", key)
			continue
		}
		if got := strings.Count(m[1], "<rect"); got == 0 {
			t.Errorf("chart %s has no bars", key)
		}
	}
	sizes := regexp.MustCompile(`data-histogram="sizes"[\s\S]*?</svg>`).
		FindString(page)
	// Sizes span 0 B to 1-2 MiB: 22 buckets, empty ones inside included.
	if got, want := strings.Count(sizes, "<rect"), 22; got != want {
		t.Errorf("sizes chart has %d bars, want %d", got, want)
	}
}

func TestWriteText(t *testing.T) {
	r := walkShare(t)
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Files", "File sizes", "1-2 MiB",
		"orphaned-owner", "hr/staff.docx"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q", want)
		}
	}
}
