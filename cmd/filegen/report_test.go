package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// runApp runs an app holding the report and doctor commands and
// returns what it printed, then its error, and the exit code the error
// maps to.
func runApp(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	app := &cli.App{
		Name:           "filegen",
		Writer:         &out,
		ErrWriter:      &out,
		ExitErrHandler: func(*cli.Context, error) {},
		Commands:       []*cli.Command{reportCommand(), doctorCommand()},
	}
	err := app.Run(append([]string{"filegen"}, args...))
	if err != nil {
		out.WriteString(err.Error())
	}
	code := 0
	if ec, ok := err.(cli.ExitCoder); ok {
		code = ec.ExitCode()
	} else if err != nil {
		code = 1
	}
	return out.String(), code
}

func TestReportCommand(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "r.json")
	html := filepath.Join(t.TempDir(), "r.html")

	tests := []struct {
		name string
		args []string
		code int
		has  string // in the output
	}{
		{"text", []string{"report", "--as-of", "2026-06-01", root}, 0, "Files"},
		{"files", []string{"report", "--json", out, "--html", html, root}, 0, ""},
		{"no path", []string{"report"}, 2, "exactly one PATH"},
		{"bad as-of", []string{"report", "--as-of", "June", root}, 2, "RFC 3339"},
		{"missing", []string{"report", filepath.Join(root, "x")}, 1, ""},
		{"doctor", []string{"doctor", "--bytes", "1KiB", root}, 0, "ok    writable"},
		{"doctor on a file", []string{"doctor", filepath.Join(root, "a.txt")}, 1,
			"fail  target"},
		{"doctor bad bytes", []string{"doctor", "--bytes", "lots", root}, 2, "--bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, code := runApp(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d; output:\n%s", code, tt.code, got)
			}
			if !strings.Contains(got, tt.has) {
				t.Errorf("output = %q, want it to hold %q", got, tt.has)
			}
		})
	}

	var r struct {
		Files int64     `json:"files"`
		AsOf  time.Time `json:"as_of"`
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Files != 1 {
		t.Errorf("JSON files = %d, want 1", r.Files)
	}
	if b, err := os.ReadFile(html); err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("HTML report = %d bytes, %v; want a page with charts", len(b), err)
	}
}
