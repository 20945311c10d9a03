package planner

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestProfileYAMLRoundTrip(t *testing.T) {
	for _, name := range BuiltinNames() {
		p, _ := Builtin(name)
		data, err := p.YAML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseProfile(name, data)
		if err != nil {
			t.Fatalf("ParseProfile(YAML(%s)): %v", name, err)
		}
		if !reflect.DeepEqual(back, p) {
			t.Errorf("profile %s does not survive YAML", name)
		}
	}
}

func TestLoadProfileFile(t *testing.T) {
	p, err := LoadProfile("../testdata/profiles/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "small" || len(p.Folders) != 3 || p.Folders[1].Types[0].Ext != "dwg" {
		t.Errorf("LoadProfile(small.yaml) = %+v", p)
	}
	in := testInputs(t, 2000, 1)
	var files int
	if err := Generate(in, p, nil, 500, func(c *Chunk) error { files += len(c.Files); return nil }); err != nil {
		t.Fatal(err)
	}
	if files != 2000 {
		t.Errorf("small profile planned %d files, want 2000", files)
	}
}

// TestProfileErrors checks that each mistake names its line and key.
func TestProfileErrors(t *testing.T) {
	good, err := os.ReadFile("../testdata/profiles/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to string
		want           []string // all must appear in the error
	}{
		{"unknown key", "fanout: 4", "fanout: 4\nfanuot: 5", []string{"line 5", "fanuot"}},
		{"negative weight", "{name: Budgets, weight: 2}", "{name: Budgets, weight: -2}", []string{"line 22", "folders[0].children[0].weight", "-2"}},
		{"type weights", "{ext: dwg, weight: 1, shift: 2}", "{ext: dwg, weight: 0, shift: 2}", []string{"line 27", "folders[1].types", "zero"}},
		{"escape", "{name: Shared, weight: 1}", "{name: '..', weight: 1}", []string{"line 28", "folders[2].name"}},
		{"slash", "{name: Shared, weight: 1}", "{name: 'a/b', weight: 1}", []string{"folders[2].name", "slash"}},
		{"absolute", "{name: Shared, weight: 1}", "{name: '/etc', weight: 1}", []string{"folders[2].name"}},
		{"nul", "{name: Shared, weight: 1}", "{name: \"a\\0b\", weight: 1}", []string{"folders[2].name"}},
		{"windows", "{name: Shared, weight: 1}", "{name: 'a:b', weight: 1}", []string{"folders[2].name", "Windows"}},
		{"percentage", "zone: 10", "zone: 110", []string{"line 15", "zone", "110"}},
		{"owners", "admins: 5}", "admins: 15}", []string{"owners", "110"}},
		{"template", `"{word}_{year}"`, `"{word}_{yaer}"`, []string{"names[0]", "yaer"}},
		{"grow", "grow: years", "grow: decades", []string{"line 23", "grow", "decades"}},
		{"type", "fanout: 4", "fanout: many", []string{"line 4", "Fanout"}},
		{"ext", "{ext: pdf,", "{ext: .pdf,", []string{"types[1].ext"}},
		{"duplicate folder", "{name: Shared, weight: 1}", "{name: finance, weight: 1}", []string{"folders[2].name", "twice"}},
	}
	for _, c := range cases {
		data := strings.Replace(string(good), c.from, c.to, 1)
		if data == string(good) {
			t.Fatalf("%s: %q not in the profile", c.name, c.from)
		}
		_, err := ParseProfile("small.yaml", []byte(data))
		if err == nil {
			t.Errorf("%s: ParseProfile accepted it", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.name, err, w)
			}
		}
	}
}

func FuzzParseProfile(f *testing.F) {
	good, err := os.ReadFile("../testdata/profiles/small.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("name: x\nfolders: [{name: a}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile("fuzz", data)
		if err != nil {
			return
		}
		// What parses must plan without escaping its target.
		in := testInputs(t, 50, 1)
		err = Generate(in, p, nil, 20, func(c *Chunk) error {
			for i := range c.Dirs {
				if err := checkRelPath(c.Dirs[i].Path); err != nil {
					t.Fatalf("planned path escapes: %v", err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("a valid profile failed to plan: %v", err)
		}
	})
}
