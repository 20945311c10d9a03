package planner

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownProfile is returned by [Builtin] for a name it does not know.
var ErrUnknownProfile = errors.New("planner: unknown profile")

// Profile describes the tree a plan builds: the folders at its top with
// their weights, what grows beneath them, which file types live where and
// how big they are.
type Profile struct {
	Name        string   `yaml:"name" json:"name"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Folders     []Folder `yaml:"folders" json:"folders"`

	// Types lists the file types and their weights where a folder names
	// none of its own.
	Types []Type `yaml:"types" json:"types"`

	// Words are the subjects that file and folder names are built from,
	// where a folder names none of its own.
	Words []string `yaml:"words" json:"words"`

	// People are first and last names for names that hold a person's.
	People []string `yaml:"people,omitempty" json:"people,omitempty"`

	// Fanout is the most subfolders a generated folder gets.
	Fanout int `yaml:"fanout" json:"fanout"`

	// SubtreeFiles is about how many files a generated subfolder's subtree
	// receives; smaller values make deeper trees.
	SubtreeFiles int `yaml:"subtree_files" json:"subtree_files"`

	// ReadOnly, Hidden and Zone are the shares of files, in percent, marked
	// read-only, hidden, and downloaded from the internet.
	ReadOnly float64 `yaml:"read_only" json:"read_only"`
	Hidden   float64 `yaml:"hidden" json:"hidden"`
	Zone     float64 `yaml:"zone" json:"zone"`
}

// Folder is a named folder of the profile's skeleton. The skeleton always
// exists; what grows beneath it depends on the files it receives.
type Folder struct {
	Name   string  `yaml:"name" json:"name"`
	Weight float64 `yaml:"weight,omitempty" json:"weight,omitempty"`

	// Kind tells what the folder holds: "" for ordinary work, or one of
	// archive, home, project, temp, logs. It sets file classes and names.
	Kind string `yaml:"kind,omitempty" json:"kind,omitempty"`

	// Grow names how generated subfolders are named: "" for words, or
	// years, quarters, users, projects.
	Grow string `yaml:"grow,omitempty" json:"grow,omitempty"`

	// Empty folders hold no files of their own, only subfolders.
	Empty bool `yaml:"empty,omitempty" json:"empty,omitempty"`

	Types    []Type   `yaml:"types,omitempty" json:"types,omitempty"`
	Words    []string `yaml:"words,omitempty" json:"words,omitempty"`
	Children []Folder `yaml:"children,omitempty" json:"children,omitempty"`
}

// Type is a file type: an extension, how common it is, and how its sizes
// compare with the profile's size model (a shift of the lognormal's mu).
type Type struct {
	Ext    string  `yaml:"ext" json:"ext"`
	Weight float64 `yaml:"weight" json:"weight"`
	Shift  float64 `yaml:"shift,omitempty" json:"shift,omitempty"`
}

// Validate reports the first thing in p that cannot make a plan.
func (p *Profile) Validate() error {
	if len(p.Folders) == 0 {
		return fmt.Errorf("profile %q: no folders", p.Name)
	}
	if len(p.Types) == 0 {
		return fmt.Errorf("profile %q: no types", p.Name)
	}
	if len(p.Words) == 0 {
		return fmt.Errorf("profile %q: no words", p.Name)
	}
	if p.Fanout < 1 || p.Fanout > 1000 {
		return fmt.Errorf("profile %q: fanout %d is not in 1..1000", p.Name, p.Fanout)
	}
	if p.SubtreeFiles < 1 {
		return fmt.Errorf("profile %q: subtree_files must be positive", p.Name)
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"read_only", p.ReadOnly}, {"hidden", p.Hidden}, {"zone", p.Zone}} {
		if v.v < 0 || v.v > 100 {
			return fmt.Errorf("profile %q: %s %g is not a percentage", p.Name, v.name, v.v)
		}
	}
	if err := checkTypes(p.Types); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	return checkFolders(p.Name, p.Folders)
}

func checkFolders(where string, fs []Folder) error {
	seen := make(map[string]bool, len(fs))
	for _, f := range fs {
		at := where + "/" + f.Name
		if err := checkName(f.Name); err != nil {
			return fmt.Errorf("profile %s: %w", at, err)
		}
		if strings.ContainsAny(f.Name, windowsForbidden) {
			return fmt.Errorf("profile %s: name holds a character Windows forbids", at)
		}
		key := strings.ToLower(f.Name)
		if seen[key] {
			return fmt.Errorf("profile %s: folder named twice", at)
		}
		seen[key] = true
		if f.Weight < 0 {
			return fmt.Errorf("profile %s: negative weight", at)
		}
		switch f.Kind {
		case "", "archive", "home", "project", "temp", "logs", "sensitive":
		default:
			return fmt.Errorf("profile %s: unknown kind %q", at, f.Kind)
		}
		switch f.Grow {
		case "", "years", "quarters", "users", "projects":
		default:
			return fmt.Errorf("profile %s: unknown grow %q", at, f.Grow)
		}
		if err := checkTypes(f.Types); err != nil {
			return fmt.Errorf("profile %s: %w", at, err)
		}
		if err := checkFolders(at, f.Children); err != nil {
			return err
		}
	}
	return nil
}

func checkTypes(ts []Type) error {
	var sum float64
	for _, t := range ts {
		if t.Ext == "" || strings.ContainsAny(t.Ext, "/\x00."+windowsForbidden) {
			return fmt.Errorf("type %q: not an extension", t.Ext)
		}
		if t.Weight < 0 {
			return fmt.Errorf("type %q: negative weight", t.Ext)
		}
		sum += t.Weight
	}
	if len(ts) > 0 && sum <= 0 {
		return errors.New("types: weights sum to zero")
	}
	return nil
}

// windowsForbidden are the characters Windows forbids in a name.
const windowsForbidden = `<>:"\|?*`

// Builtin returns a copy of the built-in profile called name.
func Builtin(name string) (*Profile, error) {
	switch name {
	case "enterprise", "":
		return enterprise(), nil
	}
	return nil, fmt.Errorf("%w %q (built in: %s)", ErrUnknownProfile, name,
		strings.Join(BuiltinNames(), ", "))
}

// BuiltinNames lists the built-in profiles.
func BuiltinNames() []string { return []string{"enterprise"} }
