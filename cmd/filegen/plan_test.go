package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filegen/engine"
)

// planArgs are the inputs of the plan the plan command's tests preview.
var planArgs = []string{"plan", "--files", "2000", "--seed", "3",
	"--as-of", "2026-06-01T00:00:00Z", "--owners", "uid-range", "-q"}

func planJSON(t *testing.T, c *fgCLI) engine.Summary {
	t.Helper()
	var doc struct {
		Summary engine.Summary `json:"summary"`
	}
	out := c.mustRun(append(planArgs, "--json")...)
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("plan --json: %v\n%s", err, out)
	}
	return doc.Summary
}

func TestPlanText(t *testing.T) {
	c := newCLI(t)
	out := c.mustRun(planArgs...)
	for _, want := range []string{"2000 files in", "FOLDER", "File sizes",
		"Last modified", "Last accessed", "Depth of files",
		"Files per folder", "Top extensions by count", "Classes", "Owners",
		"Groups", "Folder modes", "Attributes"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
}

func TestPlanJSON(t *testing.T) {
	c := newCLI(t)
	s := planJSON(t, c)
	if got, want := s.Files, int64(2000); got != want {
		t.Errorf("summary files = %d, want %d", got, want)
	}
	if got, want := s.Sizes.Total, int64(2000); got != want {
		t.Errorf("size histogram total = %d, want %d", got, want)
	}
	if len(s.Classes) == 0 || len(s.Owners) == 0 || len(s.ExtByCount) == 0 {
		t.Errorf("summary lacks classes, owners or extensions: %+v", s)
	}
}

func TestPlanExport(t *testing.T) {
	c := newCLI(t)
	s := planJSON(t, c)
	entries := int(s.Files + s.Dirs)

	// JSONL to standard output: one object per entry and nothing else.
	cmd := c.cmd(append(planArgs, "--export", "jsonl")...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("plan --export jsonl: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if got, want := len(lines), entries; got != want {
		t.Errorf("jsonl: %d lines, want %d", got, want)
	}
	for i, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("jsonl line %d: %v: %s", i+1, err, l)
		}
	}

	// CSV to a file, with the summary on standard output.
	file := filepath.Join(t.TempDir(), "plan.csv")
	out := c.mustRun(append(planArgs, "--export", "csv", "--output", file)...)
	if !strings.Contains(out, "File sizes") {
		t.Errorf("plan --export csv --output printed no summary:\n%s", out)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(recs), entries+1; got != want {
		t.Errorf("csv: %d records, want %d entries and a header", got, want)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left beside the manifest: %v", leftovers)
	}
}

func TestPlanExportUsage(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"unknown format", []string{"--export", "xml"}},
		{"output without export", []string{"--output", "x.csv"}},
		{"json and manifest on stdout", []string{"--json", "--export", "csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := c.cmd(append(planArgs, tc.args...)...)
			cmd.Dir = t.TempDir()
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if got, want := code, exitUsage; got != want {
				t.Errorf("plan %s: exit code %d, want %d", strings.Join(tc.args, " "),
					got, want)
			}
			if names, _ := filepath.Glob(filepath.Join(cmd.Dir, "*")); len(names) != 0 {
				t.Errorf("plan %s created %v", strings.Join(tc.args, " "), names)
			}
		})
	}
}
