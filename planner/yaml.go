package planner

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
)

// maxProfileSize bounds what ParseProfile reads: a profile is a page or
// a few of text.
const maxProfileSize = 4 << 20

// ParseProfile reads a profile from YAML. Unknown keys, values of the
// wrong type, and anything [Profile.Validate] refuses are errors that
// name the line and the key.
func ParseProfile(name string, data []byte) (p *Profile, err error) {
	// The YAML library can panic on some malformed input; such input is
	// still only a bad profile.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("profile %s: not valid YAML (the parser failed: %v)", name, r)
		}
	}()
	if len(data) > maxProfileSize {
		return nil, fmt.Errorf("profile %s: larger than %d bytes", name, maxProfileSize)
	}
	p = new(Profile)
	if err := yaml.UnmarshalWithOptions(data, p, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("profile %s: %s", name, oneLine(yaml.FormatError(err, false, false)))
	}
	if err := p.Validate(); err != nil {
		var pe *ProfileError
		if errors.As(err, &pe) {
			pe.Profile = name
			pe.Line = lineOf(data, pe.Path)
		}
		return nil, err
	}
	return p, nil
}

// oneLine keeps the first line of a parser's message, which says where,
// and spells out its "[line:column]".
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	var line, col int
	if n, _ := fmt.Sscanf(s, "[%d:%d]", &line, &col); n == 2 {
		s = fmt.Sprintf("line %d, column %d:%s", line, col, s[strings.IndexByte(s, ']')+1:])
	}
	return s
}

// lineOf returns the line of the node at a YAML path, or of its nearest
// parent that is in the file; 0 if none is.
func lineOf(data []byte, path string) int {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return 0
	}
	for p := path; p != "" && p != "$"; p = parentPath(p) {
		yp, err := yaml.PathString(p)
		if err != nil {
			continue
		}
		if n, err := yp.FilterFile(f); err == nil && n != nil {
			return n.GetToken().Position.Line
		}
	}
	return 0
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	return p[:i]
}

// YAML returns the profile as YAML that [ParseProfile] reads back.
func (p *Profile) YAML() ([]byte, error) {
	type plain Profile
	return yaml.MarshalWithOptions((*plain)(p), yaml.UseLiteralStyleIfMultiline(true))
}

// LoadProfile returns the built-in profile called name, or the profile in
// the YAML file at name when name holds a slash or ends in .yaml or .yml.
func LoadProfile(name string) (*Profile, error) {
	if !strings.ContainsRune(name, '/') && !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") {
		return Builtin(name)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", name, err)
	}
	return ParseProfile(name, data)
}
