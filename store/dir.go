package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// StateDir returns the folder that holds the runs: flag if not empty, else
// $FILEGEN_STATE_DIR, else $XDG_STATE_HOME/filegen, else
// ~/.local/state/filegen.
func StateDir(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if d := os.Getenv("FILEGEN_STATE_DIR"); d != "" {
		return filepath.Abs(d)
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "filegen"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: no state directory: set --state-dir or FILEGEN_STATE_DIR: %w", err)
	}
	return filepath.Join(home, ".local", "state", "filegen"), nil
}

// RunPath returns where the database of the run called name lives.
func RunPath(stateDir, name string) string {
	return filepath.Join(stateDir, "runs", name+".db")
}

// CheckName reports whether name can name a run: letters, digits, dots,
// dashes and underscores, not starting with a dot.
func CheckName(name string) error {
	if name == "" || len(name) > 200 || name[0] == '.' {
		return fmt.Errorf("store: run name %q: must be 1 to 200 characters, not starting with a dot", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '.' || r == '-' || r == '_'
		if !ok {
			return fmt.Errorf("store: run name %q: only letters, digits, '.', '-' and '_' are allowed", name)
		}
	}
	return nil
}

// NameFor derives a run name from a target's absolute path:
// /mnt/share/demo becomes mnt-share-demo.
func NameFor(target string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.Trim(target, "/") {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '.' || r == '_'
		if ok {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-.")
	if name == "" {
		name = "root"
	}
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	return name
}

// List returns the names of the runs in the state directory, sorted.
func List(stateDir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(stateDir, "runs"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: cannot list runs: %w", err)
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".db"); ok && e.Type().IsRegular() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}
