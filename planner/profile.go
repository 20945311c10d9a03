package planner

import (
	"errors"
	"fmt"
	"strings"

	"filegen/planner/dist"
)

// ErrUnknownProfile is returned by [Builtin] for a name it does not know.
var ErrUnknownProfile = errors.New("planner: unknown profile")

// Profile describes the tree a plan builds: the folders at its top with
// their weights, what grows beneath them, which file types live where and
// how big they are, how names are made, who owns what.
type Profile struct {
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`

	// Sizes names the published size model the profile follows:
	// impressions (the default) or desktop-1998. Each type shifts it.
	Sizes string `yaml:"sizes,omitempty" json:"sizes,omitempty"`

	// Fanout is the most generated subfolders one folder gets.
	Fanout int `yaml:"fanout" json:"fanout"`

	// Types are the file types, with weights, where a folder names none.
	Types []Type `yaml:"types" json:"types"`

	// Words are the subjects of names where a folder names none.
	Words []string `yaml:"words" json:"words"`

	// People are first and last names, for names that hold a person's.
	First []string `yaml:"first_names" json:"first_names"`
	Last  []string `yaml:"last_names" json:"last_names"`

	// Names are the templates of file names, without the extension.
	// Tokens: {word} {year} {month} {mon} {quarter} {date} {number}
	// {version} {first} {last} {hash}.
	Names []string `yaml:"names" json:"names"`

	// ReadOnly, Hidden and Zone are the shares of files, in percent,
	// marked read-only, hidden, and downloaded from the internet.
	ReadOnly float64 `yaml:"read_only" json:"read_only"`
	Hidden   float64 `yaml:"hidden" json:"hidden"`
	Zone     float64 `yaml:"zone" json:"zone"`

	Clutter Clutter  `yaml:"clutter" json:"clutter"`
	Owners  OwnerMix `yaml:"owners" json:"owners"`

	// FileACLs is the share of files, in percent, with entries of their
	// own when the plan has owners.
	FileACLs float64 `yaml:"file_acls" json:"file_acls"`

	Folders []Folder `yaml:"folders" json:"folders"`
}

// Clutter is what real shares collect beside the documents, in percent.
type Clutter struct {
	DesktopINI float64 `yaml:"desktop_ini" json:"desktop_ini"` // of folders
	ThumbsDB   float64 `yaml:"thumbs_db" json:"thumbs_db"`     // of folders
	LockFiles  float64 `yaml:"lock_files" json:"lock_files"`   // of files: ~$ owner files
	TempFiles  float64 `yaml:"temp_files" json:"temp_files"`   // of files: stale .tmp files
}

// OwnerMix is who owns files, in percent of files, when the plan has
// owners: the department's group (owner root), a department member, the
// service account of the folder, a former employee, the administrators.
type OwnerMix struct {
	Group   float64 `yaml:"group" json:"group"`
	User    float64 `yaml:"user" json:"user"`
	Service float64 `yaml:"service" json:"service"`
	Former  float64 `yaml:"former" json:"former"`
	Admins  float64 `yaml:"admins" json:"admins"`
}

// Folder is a named folder of the profile's skeleton. The skeleton always
// exists; what grows beneath it depends on the files it receives.
type Folder struct {
	Name   string  `yaml:"name" json:"name"`
	Weight float64 `yaml:"weight,omitempty" json:"weight,omitempty"`

	// Kind tells what the folder holds, for file classes, permissions
	// and names: "" for ordinary work, or archive, home, project, temp,
	// logs, sensitive, public, board.
	Kind string `yaml:"kind,omitempty" json:"kind,omitempty"`

	// Grow names how generated subfolders are named: "" for words from
	// the folder's pool, or years, quarters, users, projects, phases.
	Grow string `yaml:"grow,omitempty" json:"grow,omitempty"`

	// Empty folders hold no files of their own, only subfolders.
	Empty bool `yaml:"empty,omitempty" json:"empty,omitempty"`

	// Optional top-level folders receive files only from the scenario
	// layers that name them.
	Optional bool `yaml:"optional,omitempty" json:"optional,omitempty"`

	// Service is the service account that owns the folder's service
	// files, a name from the directory.
	Service string `yaml:"service,omitempty" json:"service,omitempty"`

	Types    []Type   `yaml:"types,omitempty" json:"types,omitempty"`
	Words    []string `yaml:"words,omitempty" json:"words,omitempty"`
	Children []Folder `yaml:"children,omitempty" json:"children,omitempty"`
}

// Type is a file type: an extension, how common it is, and how its sizes
// compare with the profile's size model (a shift of the lognormal's mu,
// in natural log units: +0.7 is about twice as big).
type Type struct {
	Ext    string  `yaml:"ext" json:"ext"`
	Weight float64 `yaml:"weight" json:"weight"`
	Shift  float64 `yaml:"shift,omitempty" json:"shift,omitempty"`
}

// kinds maps folder kinds to the path kinds of file classes.
var kinds = map[string]dist.PathKind{
	"": dist.PathOther, "archive": dist.PathArchive, "home": dist.PathHome,
	"project": dist.PathProject, "temp": dist.PathTemp, "logs": dist.PathLogs,
	"sensitive": dist.PathOther, "public": dist.PathOther, "board": dist.PathOther,
}

var grows = map[string]bool{"": true, "years": true, "quarters": true,
	"users": true, "projects": true, "phases": true}

// sizeModel returns the profile's size model.
func (p *Profile) sizeModel() (dist.SizeModel, error) {
	switch p.Sizes {
	case "", "impressions":
		return dist.Impressions(), nil
	case "desktop-1998":
		return dist.Desktop1998(), nil
	}
	return dist.SizeModel{}, fmt.Errorf("sizes: unknown model %q (known: impressions, desktop-1998)", p.Sizes)
}

// ProfileError is a profile that cannot make a plan: what is wrong, and
// where, as a YAML path such as $.folders[2].weight. Line is the line of
// the profile file, when it came from one.
type ProfileError struct {
	Profile string
	Path    string
	Line    int
	Msg     string
}

func (e *ProfileError) Error() string {
	where := strings.TrimPrefix(e.Path, "$.")
	if e.Line > 0 {
		return fmt.Sprintf("profile %s: line %d: %s: %s", e.Profile, e.Line, where, e.Msg)
	}
	return fmt.Sprintf("profile %s: %s: %s", e.Profile, where, e.Msg)
}

// Validate reports the first thing in p that cannot make a plan, as a
// [*ProfileError] naming the key.
func (p *Profile) Validate() error {
	path, msg := p.validate()
	if msg == "" {
		return nil
	}
	return &ProfileError{Profile: p.Name, Path: path, Msg: msg}
}

func (p *Profile) validate() (path, msg string) {
	if _, err := p.sizeModel(); err != nil {
		return "$.sizes", fmt.Sprintf("unknown model %q (known: impressions, desktop-1998)", p.Sizes)
	}
	switch {
	case p.Name == "":
		return "$.name", "missing"
	case len(p.Folders) == 0:
		return "$.folders", "none given"
	case len(p.Types) == 0:
		return "$.types", "none given"
	case len(p.Words) == 0:
		return "$.words", "none given"
	case len(p.First) == 0:
		return "$.first_names", "none given"
	case len(p.Last) == 0:
		return "$.last_names", "none given"
	case len(p.Names) == 0:
		return "$.names", "no templates given"
	case p.Fanout < 2 || p.Fanout > 1000:
		return "$.fanout", fmt.Sprintf("%d is not in 2..1000", p.Fanout)
	}
	for _, v := range []struct {
		key string
		v   float64
	}{
		{"read_only", p.ReadOnly}, {"hidden", p.Hidden}, {"zone", p.Zone},
		{"file_acls", p.FileACLs},
		{"clutter.desktop_ini", p.Clutter.DesktopINI}, {"clutter.thumbs_db", p.Clutter.ThumbsDB},
		{"clutter.lock_files", p.Clutter.LockFiles}, {"clutter.temp_files", p.Clutter.TempFiles},
		{"owners.group", p.Owners.Group}, {"owners.user", p.Owners.User},
		{"owners.service", p.Owners.Service}, {"owners.former", p.Owners.Former},
		{"owners.admins", p.Owners.Admins},
	} {
		if !(v.v >= 0 && v.v <= 100) {
			return "$." + v.key, fmt.Sprintf("%g is not a percentage (0 to 100)", v.v)
		}
	}
	if p.Clutter.LockFiles+p.Clutter.TempFiles > 50 {
		return "$.clutter", "lock_files and temp_files together exceed 50 percent of files"
	}
	o := p.Owners
	if sum := o.Group + o.User + o.Service + o.Former + o.Admins; sum != 0 && (sum < 99.9 || sum > 100.1) {
		return "$.owners", fmt.Sprintf("shares add up to %g, not 100", sum)
	}
	if path, msg := checkTypes("$.types", p.Types); msg != "" {
		return path, msg
	}
	for _, w := range []struct {
		key   string
		words []string
	}{{"words", p.Words}, {"first_names", p.First}, {"last_names", p.Last}} {
		if path, msg := checkWords("$."+w.key, w.words); msg != "" {
			return path, msg
		}
	}
	for i, t := range p.Names {
		if _, err := parseTemplate(t); err != nil {
			return fmt.Sprintf("$.names[%d]", i), err.Error()
		}
	}
	return checkFolders("$.folders", p.Folders, true)
}

func checkFolders(where string, fs []Folder, top bool) (path, msg string) {
	seen := make(map[string]bool, len(fs))
	sum := 0.0
	for i, f := range fs {
		at := fmt.Sprintf("%s[%d]", where, i)
		if err := checkComponent(f.Name); err != nil {
			return at + ".name", err.Error()
		}
		key := strings.ToLower(f.Name)
		if seen[key] {
			return at + ".name", fmt.Sprintf("%q is given twice (names are compared without case)", f.Name)
		}
		seen[key] = true
		if !(f.Weight >= 0 && f.Weight < 1e9) {
			return at + ".weight", fmt.Sprintf("%g is not a weight (0 or more)", f.Weight)
		}
		sum += f.Weight
		if _, ok := kinds[f.Kind]; !ok {
			return at + ".kind", fmt.Sprintf("unknown kind %q (known: archive, home, project, temp, logs, sensitive, public, board)", f.Kind)
		}
		if !grows[f.Grow] {
			return at + ".grow", fmt.Sprintf("unknown rule %q (known: years, quarters, users, projects, phases)", f.Grow)
		}
		if f.Optional && !top {
			return at + ".optional", "only top-level folders can be optional"
		}
		if f.Grow != "" && len(f.Children) > 0 {
			return at + ".grow", "a folder with children cannot also grow generated folders"
		}
		if path, msg := checkTypes(at+".types", f.Types); msg != "" {
			return path, msg
		}
		if path, msg := checkWords(at+".words", f.Words); msg != "" {
			return path, msg
		}
		if path, msg := checkFolders(at+".children", f.Children, false); msg != "" {
			return path, msg
		}
	}
	if len(fs) > 0 && sum == 0 && top {
		return where, "weights are all zero"
	}
	return "", ""
}

func checkTypes(where string, ts []Type) (path, msg string) {
	var sum float64
	for i, t := range ts {
		at := fmt.Sprintf("%s[%d]", where, i)
		if t.Ext == "" || strings.ContainsAny(t.Ext, "/\\. \x00"+windowsForbidden) || len(t.Ext) > 16 {
			return at + ".ext", fmt.Sprintf("%q is not an extension (no dot or space, at most 16 characters)", t.Ext)
		}
		if t.Ext != strings.ToLower(t.Ext) {
			return at + ".ext", fmt.Sprintf("%q must be lower case", t.Ext)
		}
		if !(t.Weight >= 0 && t.Weight < 1e9) {
			return at + ".weight", fmt.Sprintf("%g is not a weight (0 or more)", t.Weight)
		}
		if !(t.Shift >= -10 && t.Shift <= 10) {
			return at + ".shift", fmt.Sprintf("%g is not in -10..10", t.Shift)
		}
		sum += t.Weight
	}
	if len(ts) > 0 && sum <= 0 {
		return where, "weights are all zero"
	}
	return "", ""
}

func checkWords(where string, ws []string) (path, msg string) {
	for i, w := range ws {
		if w == "" || strings.ContainsAny(w, "/\\\x00"+windowsForbidden) || len(w) > 64 {
			return fmt.Sprintf("%s[%d]", where, i), fmt.Sprintf("%q cannot be part of a name", w)
		}
		for _, r := range w {
			if r < 0x20 {
				return fmt.Sprintf("%s[%d]", where, i), fmt.Sprintf("%q holds a control character", w)
			}
		}
	}
	return "", ""
}

// checkComponent reports whether s can be a folder or file name on every
// client: no slash, backslash or NUL, no character Windows forbids, not
// . or .., no control characters, no trailing dot or space.
func checkComponent(s string) error {
	if err := checkName(s); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\\"+windowsForbidden) {
		return fmt.Errorf("%q holds a character Windows forbids", s)
	}
	for _, r := range s {
		if r < 0x20 {
			return fmt.Errorf("%q holds a control character", s)
		}
	}
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, " ") {
		return fmt.Errorf("%q ends in a dot or a space", s)
	}
	if len(s) > 255 {
		return fmt.Errorf("%q is longer than 255 bytes", s[:32]+"...")
	}
	return nil
}

// windowsForbidden are the characters Windows forbids in a name.
const windowsForbidden = `<>:"|?*`

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
