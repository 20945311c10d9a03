package main

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"filegen/engine"
	"filegen/report"
)

// TestReportOfRunEqualsPlan walks a generated tree with filegen report and
// checks its figures against the plan's summary: the report reads the
// tree, the summary reads the plan, and they must agree.
func TestReportOfRunEqualsPlan(t *testing.T) {
	c := newCLI(t)
	target := filepath.Join(t.TempDir(), "share")
	plan := []string{"--files", "6000", "--seed", "4", "--as-of", "2026-06-01T00:00:00Z", "--owners", "uid-range"}
	c.mustRun(append(append([]string{"run", "-q"}, plan...), target)...)

	var sum struct {
		Summary engine.Summary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(c.mustRun(append([]string{"plan", "--json", "-q"}, plan...)...)), &sum); err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(c.mustRun("report", "--json", "-", "--as-of", "2026-06-01T00:00:00Z", target)), &rep); err != nil {
		t.Fatal(err)
	}
	s := sum.Summary
	for _, f := range []struct {
		what      string
		got, want int64
	}{
		{"files", rep.Files, s.Files},
		{"folders", rep.Folders, s.Dirs + 1}, // the report counts the target itself
		{"bytes", rep.Bytes, s.Bytes},
	} {
		if f.got != f.want {
			t.Errorf("report %s = %d, plan says %d", f.what, f.got, f.want)
		}
	}
	for _, h := range []struct {
		what      string
		got, want report.Histogram
	}{
		{"sizes", rep.Sizes, s.Sizes},
		{"modified", rep.Modified, s.Modified},
		{"accessed", rep.Accessed, s.Accessed},
	} {
		if !reflect.DeepEqual(trim(h.got.Counts), trim(h.want.Counts)) {
			t.Errorf("report %s histogram %v, plan's %v", h.what, h.got.Counts, h.want.Counts)
		}
	}
	if !reflect.DeepEqual(rep.ExtByCount, s.ExtByCount[:min(len(s.ExtByCount), len(rep.ExtByCount))]) {
		t.Errorf("report extensions %v, plan's %v", rep.ExtByCount, s.ExtByCount)
	}
}

// trim drops a histogram's empty buckets at the end.
func trim(c []int64) []int64 {
	for len(c) > 0 && c[len(c)-1] == 0 {
		c = c[:len(c)-1]
	}
	return c
}
