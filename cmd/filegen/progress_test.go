package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filegen/engine"
	"filegen/store"
)

func TestWindowRates(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	at := func(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }
	tests := []struct {
		name    string
		samples []sample // added in order; the rates of the last are checked
		files   float64
		bytes   float64
	}{
		{"one sample says nothing", []sample{{at(0), 100, 1000}}, 0, 0},
		{"two samples", []sample{{at(0), 100, 1000}, {at(2), 300, 5000}}, 100, 2000},
		{"within the window, from the first",
			[]sample{{at(0), 0, 0}, {at(5), 500, 0}, {at(10), 2000, 0}}, 200, 0},
		{"older samples leave the window",
			[]sample{{at(0), 0, 0}, {at(5), 1000, 0}, {at(15), 2000, 0}, {at(16), 2100, 0}}, 100, 0},
		{"a stall brings the rate down",
			[]sample{{at(0), 0, 0}, {at(1), 1000, 0}, {at(11), 1000, 0}}, 0, 0},
		{"resumed runs start from their totals",
			[]sample{{at(0), 5000, 0}, {at(4), 5400, 0}}, 100, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := window{span: 10 * time.Second}
			var files, bytes float64
			for _, s := range tt.samples {
				files, bytes = w.add(s)
			}
			if files != tt.files || bytes != tt.bytes {
				t.Errorf("rates = %v files/s, %v B/s; want %v, %v", files, bytes, tt.files, tt.bytes)
			}
			if len(w.samples) > len(tt.samples) {
				t.Errorf("window holds %d samples of %d added", len(w.samples), len(tt.samples))
			}
		})
	}
}

func TestETA(t *testing.T) {
	tests := []struct {
		remaining int64
		rate      float64
		want      time.Duration
	}{
		{0, 0, 0},
		{-5, 10, 0},
		{100, 0, -1},
		{100, 10, 10 * time.Second},
		{1000, 3, 333 * time.Second},
		{36_000_000, 1000, 10 * time.Hour},
	}
	for _, tt := range tests {
		if got := eta(tt.remaining, tt.rate); got != tt.want {
			t.Errorf("eta(%d, %v) = %v, want %v", tt.remaining, tt.rate, got, tt.want)
		}
	}
}

func TestFiguresAttrs(t *testing.T) {
	f := figures{
		Status: engine.Status{State: store.Executing, Files: 250, FilesTotal: 1000,
			Bytes: 4096, Errors: 2, Finalized: 0, ChunkTotal: 4},
		FilesPerSec: 50.7, BytesPerSec: 1024, ETA: 15 * time.Second, Memory: 1 << 20,
	}
	got := map[string]any{}
	a := f.attrs()
	for i := 0; i < len(a); i += 2 {
		got[a[i].(string)] = a[i+1]
	}
	want := map[string]any{
		"phase": store.Executing, "files": int64(250), "files_total": int64(1000),
		"percent": 25.0, "files_per_second": int64(50), "bytes": int64(4096),
		"bytes_per_second": int64(1024), "eta_seconds": int64(15), "errors": int64(2),
		"memory_bytes": uint64(1 << 20), "chunks_finalized": int64(0),
		"chunks_total": int64(4),
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("attrs[%s] = %v (%T), want %v (%T)", k, got[k], got[k], w, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("attrs has %d keys, want %d: %v", len(got), len(want), got)
	}
}

// stderrLines runs filegen with standard error to a pipe, as under nohup
// or systemd, and returns its lines and exit code.
func (c *fgCLI) stderrLines(args ...string) ([]string, int) {
	c.t.Helper()
	var stderr bytes.Buffer
	cmd := c.cmd(args...)
	cmd.Stderr = &stderr
	code := 0
	if err := cmd.Run(); err != nil {
		code = -1
		if cmd.ProcessState != nil {
			code = cmd.ProcessState.ExitCode()
		}
	}
	var lines []string
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, code
}

func TestProgressLinesWithoutTerminal(t *testing.T) {
	// A slow run, so that several lines are due.
	slow := []string{"--files", "4000", "--threads", "1", "--batch-size", "100",
		"--progress-interval", "100ms"}
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, lines []string)
	}{
		{"text", nil, func(t *testing.T, lines []string) {
			n := 0
			for _, l := range lines {
				if strings.Contains(l, "msg=progress phase=executing") {
					n++
					for _, k := range []string{"phase=", "files=", "files_total=4000",
						"percent=", "files_per_second=", "bytes_per_second=",
						"eta_seconds=", "errors=", "memory_bytes="} {
						if !strings.Contains(l, k) {
							t.Errorf("progress line %q lacks %s", l, k)
						}
					}
				}
			}
			if n == 0 {
				t.Errorf("no progress line while executing in:\n%s", strings.Join(lines, "\n"))
			}
			if !contains(lines, "files         4,000 of 4,000 (100.0%)") {
				t.Errorf("no summary table in:\n%s", strings.Join(lines, "\n"))
			}
		}},
		{"json", []string{"--log-format", "json"}, func(t *testing.T, lines []string) {
			msgs := map[string]int{}
			for _, l := range lines {
				var rec map[string]any
				if err := json.Unmarshal([]byte(l), &rec); err != nil {
					t.Errorf("line %q is not JSON: %v", l, err)
					continue
				}
				msg, _ := rec["msg"].(string)
				msgs[msg]++
				if msg == "progress" && rec["phase"] == "executing" {
					msgs["executing"]++
					if rec["files_total"] != 4000.0 {
						t.Errorf("progress record %v: files_total = %v, want 4000", rec, rec["files_total"])
					}
				}
				if msg == "summary" && (rec["files"] != 4000.0 || rec["state"] != "done") {
					t.Errorf("summary record %v; want 4000 files, done", rec)
				}
			}
			if msgs["executing"] == 0 || msgs["summary"] != 1 {
				t.Errorf("records by message: %v; want progress lines while executing and one summary", msgs)
			}
		}},
		{"quiet", []string{"-q"}, func(t *testing.T, lines []string) {
			if len(lines) != 0 {
				t.Errorf("-q printed:\n%s", strings.Join(lines, "\n"))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			args := append(append(append([]string{"run"}, slow...), tt.args...),
				filepath.Join(t.TempDir(), "t"))
			lines, code := c.stderrLines(args...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, strings.Join(lines, "\n"))
			}
			tt.check(t, lines)
		})
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func TestReportEqualsStatus(t *testing.T) {
	c := newCLI(t)
	target := filepath.Join(t.TempDir(), "t")
	report := filepath.Join(t.TempDir(), "report.json")
	c.mustRun("run", "-q", "--files", "5000", "--report", report, target)

	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, data)
	}
	out, code := c.run("status", "--json", store.NameFor(target))
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, out)
	}
	var want map[string]any
	if err := json.Unmarshal([]byte(out), &want); err != nil {
		t.Fatal(err)
	}
	for k, w := range want {
		if k == "updated" {
			continue // when each was read
		}
		if g, _ := json.Marshal(got[k]); string(g) != mustJSON(t, w) {
			t.Errorf("report %s = %s, status says %s", k, g, mustJSON(t, w))
		}
	}
	if want["files"] != 5000.0 {
		t.Errorf("status files = %v, want 5000", want["files"])
	}
	for _, k := range []string{"bytes_per_second", "process_seconds", "process_files",
		"process_bytes", "memory_peak_bytes"} {
		if _, ok := got[k]; !ok {
			t.Errorf("report lacks %s", k)
		}
	}
	if got["process_files"] != 5000.0 {
		t.Errorf("report process_files = %v, want 5000", got["process_files"])
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
