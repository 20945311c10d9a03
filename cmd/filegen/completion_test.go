package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestBashCompletion(t *testing.T) {
	c := newCLI(t)
	script := filepath.Join(t.TempDir(), "filegen.bash")
	if err := os.WriteFile(script, []byte(c.mustRun("completion", "bash")), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		words   []string // the command line, the last word being completed
		want    []string // among the completions
		notWant []string
	}{
		{[]string{"filegen", ""}, []string{"run", "status", "history", "completion"}, []string{"man"}},
		{[]string{"filegen", "st"}, []string{"status"}, []string{"run"}},
		{[]string{"filegen", "run", "--thr"}, []string{"--threads"}, []string{"--files"}},
		{[]string{"filegen", "run", "--lis"}, []string{"--listen"}, nil},
		{[]string{"filegen", "status", "--js"}, []string{"--json"}, nil},
		{[]string{"filegen", "directory", "p"}, []string{"populate"}, []string{"reset"}},
		{[]string{"filegen", "run", "--files", "10", "h"}, nil, []string{"help", "h"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.words, " "), func(t *testing.T) {
			line := ""
			for _, w := range tt.words {
				line += " '" + w + "'"
			}
			cmd := exec.Command("bash", "-c", "source "+script+"\n"+
				"COMP_WORDS=("+line+"); COMP_CWORD="+strconv.Itoa(len(tt.words)-1)+"\n"+
				"_filegen_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"")
			cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(fgBinary)+":"+os.Getenv("PATH"),
				"FILEGEN_STATE_DIR="+c.state)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			got := strings.Fields(string(out))
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("completions = %q, want %q among them", got, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(got, w) {
					t.Errorf("completions = %q, want no %q", got, w)
				}
			}
		})
	}
}

func TestCompletionScripts(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		shell string
		want  string
	}{
		{"bash", "complete -o bashdefault -o default -F _filegen_complete filegen"},
		{"zsh", "#compdef filegen"},
		{"fish", "complete -c filegen"},
	}
	for _, tt := range tests {
		if got := c.mustRun("completion", tt.shell); !strings.Contains(got, tt.want) {
			t.Errorf("completion %s lacks %q:\n%s", tt.shell, tt.want, got)
		}
	}
	if out, code := c.run("completion", "tcsh"); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want %d: %s", code, exitUsage, out)
	}
}

// commandPaths returns the path of every command below app, such as
// "directory populate".
func commandPaths(app *cli.App) [][]string {
	var out [][]string
	var walk func(prefix []string, cmds []*cli.Command)
	walk = func(prefix []string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := append(slices.Clone(prefix), c.Name)
			out = append(out, path)
			walk(path, c.Subcommands)
		}
	}
	walk(nil, app.Commands)
	return out
}

func TestEveryCommandHelpHasExamples(t *testing.T) {
	c := newCLI(t)
	paths := commandPaths(newApp())
	if len(paths) < 10 {
		t.Fatalf("only %d commands found: %v", len(paths), paths)
	}
	for _, path := range paths {
		help := c.mustRun(append(path, "--help")...)
		if !strings.Contains(help, "Example") {
			t.Errorf("filegen %s --help shows no example:\n%s", strings.Join(path, " "), help)
		}
	}
}

func TestManPage(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"man"}, []string{".TH filegen 1", ".SH EXIT CODES",
			"3  interrupted and resumable", ".SH run", ".SH status"}},
		{[]string{"man", "--markdown"}, []string{"# EXIT CODES", "## run", "## status"}},
	}
	for _, tt := range tests {
		page := c.mustRun(tt.args...)
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("filegen %s lacks %q", strings.Join(tt.args, " "), w)
			}
		}
		for _, path := range commandPaths(newApp()) {
			if !strings.Contains(page, path[len(path)-1]) {
				t.Errorf("filegen %s does not mention %s", strings.Join(tt.args, " "), path)
			}
		}
	}
}
