package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"filegen/engine"
	"filegen/planner"
	"filegen/planner/directory"
	"filegen/planner/dist"
	"filegen/report"
	"filegen/store"
)

var testAsOf = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// testPlan is a plan's inputs as the engine takes them.
type testPlan struct {
	in    planner.Inputs
	prof  *planner.Profile
	ids   *planner.Identities
	batch int
}

// newPlan resolves the inputs of an enterprise plan of files files. With
// owners set, its ids come from a synthetic uid range, so that owners,
// groups and access lists vary.
func newPlan(t testing.TB, files int64, owners bool, batch int) testPlan {
	t.Helper()
	in, err := planner.Inputs{Files: files, Seed: 5, AsOf: testAsOf,
		Bias: planner.DefaultBias}.Resolve(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	prof, err := planner.Builtin(in.Profile)
	if err != nil {
		t.Fatal(err)
	}
	p := testPlan{in: in, prof: prof, batch: batch}
	if owners {
		snap, err := directory.UIDRange(20000, 360).Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var depts []string
		for _, f := range prof.Folders {
			depts = append(depts, f.Name)
		}
		p.ids = planner.IdentitiesFrom(snap, depts)
		p.in.Owners = "uid-range"
	}
	return p
}

// chunks generates the plan and returns copies of its chunks.
func (p testPlan) chunks(t testing.TB) []*planner.Chunk {
	t.Helper()
	var out []*planner.Chunk
	err := planner.Generate(p.in, p.prof, p.ids, p.batch,
		func(c *planner.Chunk) error {
			d, err := planner.DecodeChunk(c.Encode(nil))
			out = append(out, d)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pow2 is the power-of-two bucket of v, found by counting up.
func pow2(v int64) int {
	b := 0
	for v >= int64(1)<<b && b < 63 {
		b++
	}
	return b
}

// counts grows a histogram's counts to hold bucket b and adds one there.
func count(c []int64, b int) []int64 {
	for len(c) <= b {
		c = append(c, 0)
	}
	c[b]++
	return c
}

// expected is a summary recomputed by the simplest loop, with whole maps
// where the summary keeps only the top rows.
type expected struct {
	files, dirs, bytes          int64
	sizes, modified, accessed   []int64
	depth, perFolder            []int64
	extFiles, extBytes          map[string]int64
	classes, owners, groups     map[string]int64
	dirModes                    map[string]int64
	readOnly, hidden, zone, sys int64
	acl, dirACL                 int64
	folders                     map[string][3]int64 // files, dirs, bytes
}

func recompute(cs []*planner.Chunk) expected {
	e := expected{
		depth:    make([]int64, 33),
		extFiles: map[string]int64{}, extBytes: map[string]int64{},
		classes: map[string]int64{}, owners: map[string]int64{},
		groups: map[string]int64{}, dirModes: map[string]int64{},
		folders: map[string][3]int64{},
	}
	perPath := map[string]int64{}
	var order []string
	id := func(v uint32) string {
		if v == planner.NoID {
			return "unchanged"
		}
		return fmt.Sprint(v)
	}
	for _, c := range cs {
		for _, d := range c.Dirs {
			if _, ok := perPath[d.Path]; !ok {
				order = append(order, d.Path)
			}
			perPath[d.Path] += int64(d.Files)
			if !d.Final {
				continue
			}
			e.dirs++
			top := strings.Split(d.Path, "/")[0]
			f := e.folders[top]
			f[1]++
			e.folders[top] = f
			e.dirModes[fmt.Sprintf("%04o", d.Attrs.Mode)]++
			if d.Attrs.ACL != "" || d.Attrs.DefaultACL != "" {
				e.dirACL++
			}
		}
		for _, f := range c.Files {
			dir := c.Dirs[f.Dir].Path
			e.files++
			e.bytes += f.Size
			top := strings.Split(dir, "/")[0]
			t := e.folders[top]
			t[0]++
			t[2] += f.Size
			e.folders[top] = t

			e.sizes = count(e.sizes, pow2(f.Size))
			days := func(ns int64) int64 {
				if ns < 0 {
					return 0
				}
				return int64(time.Duration(ns) / (24 * time.Hour))
			}
			e.modified = count(e.modified, pow2(days(c.AsOf-f.Mtime)))
			e.accessed = count(e.accessed, pow2(days(c.AsOf-f.Atime)))
			e.depth[min(len(strings.Split(dir, "/"))+1, 32)]++

			ext := "(none)"
			if i := strings.LastIndex(f.Name, "."); i >= 0 {
				ext = strings.ToLower(f.Name[i:])
			}
			e.extFiles[ext]++
			e.extBytes[ext] += f.Size
			e.classes[dist.Class(f.Attrs.Class).String()]++
			e.owners[id(f.Attrs.UID)]++
			e.groups[id(f.Attrs.GID)]++
			fl := f.Attrs.Flags
			e.readOnly += int64(fl & planner.FlagReadOnly / planner.FlagReadOnly)
			e.hidden += int64(fl & planner.FlagHidden / planner.FlagHidden)
			e.zone += int64(fl & planner.FlagZone / planner.FlagZone)
			e.sys += int64(fl & planner.FlagSystem / planner.FlagSystem)
			if f.Attrs.ACL != "" {
				e.acl++
			}
		}
	}
	for _, p := range order {
		e.perFolder = count(e.perFolder, pow2(perPath[p]))
	}
	return e
}

// checkTop checks a ranked table against the whole map: every row holds
// its key's value, rows are in order, and no key left out ranks higher
// than the last row.
func checkTop(t *testing.T, what string, rows []report.Tally,
	val func(report.Tally) int64, want map[string]int64) {
	t.Helper()
	if got, want := len(rows), min(len(want), engine.SummaryTop); got != want {
		t.Errorf("%s: %d rows, want %d", what, got, want)
	}
	shown := map[string]bool{}
	for i, r := range rows {
		shown[r.Name] = true
		if got, w := val(r), want[r.Name]; got != w {
			t.Errorf("%s %q = %d, want %d", what, r.Name, got, w)
		}
		if i > 0 && val(rows[i-1]) < val(r) {
			t.Errorf("%s: row %d (%d) ranks above row %d (%d)", what,
				i, val(r), i-1, val(rows[i-1]))
		}
	}
	if len(rows) == 0 {
		return
	}
	last := val(rows[len(rows)-1])
	for k, v := range want {
		if !shown[k] && v > last {
			t.Errorf("%s: %q (%d) left out, above the last row (%d)",
				what, k, v, last)
		}
	}
}

func TestSummaryMatchesChunks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		files  int64
		owners bool // ids from a uid range, so owners and ACLs vary
		batch  int  // small batches split folders across chunks
	}{
		{"no owners", 5000, false, 1000},
		{"owners", 5000, true, 1000},
		{"small batches", 5000, true, 37},
		{"empty", 0, false, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPlan(t, tc.files, tc.owners, tc.batch)
			cs := p.chunks(t)
			s, err := engine.Preview(context.Background(), p.in, p.prof,
				p.ids, p.batch)
			if err != nil {
				t.Fatal(err)
			}
			e := recompute(cs)

			figures := []struct {
				name      string
				got, want int64
			}{
				{"chunks", int64(s.Chunks), int64(len(cs))},
				{"files", s.Files, e.files},
				{"files (input)", s.Files, tc.files},
				{"dirs", s.Dirs, e.dirs},
				{"bytes", s.Bytes, e.bytes},
				{"read-only", s.ReadOnly.Files, e.readOnly},
				{"hidden", s.Hidden.Files, e.hidden},
				{"zone", s.Zone.Files, e.zone},
				{"system", s.System.Files, e.sys},
				{"acl", s.ACL.Files, e.acl},
				{"dir acl", s.DirACL, e.dirACL},
				{"folders counted", s.FilesPerFolder.Total, e.dirs},
				{"files by depth", s.Depth.Total, e.files},
			}
			for _, f := range figures {
				if f.got != f.want {
					t.Errorf("%s = %d, want %d", f.name, f.got, f.want)
				}
			}
			if !s.AsOf.Equal(testAsOf) && tc.files > 0 {
				t.Errorf("AsOf = %v, want %v", s.AsOf, testAsOf)
			}

			hists := []struct {
				name string
				h    report.Histogram
				want []int64
			}{
				{"sizes", s.Sizes, e.sizes},
				{"modified", s.Modified, e.modified},
				{"accessed", s.Accessed, e.accessed},
				{"depth", s.Depth, e.depth},
				{"files per folder", s.FilesPerFolder, e.perFolder},
			}
			for _, h := range hists {
				got := h.h.Counts
				if len(got) == 0 && len(h.want) == 0 {
					continue
				}
				if !reflect.DeepEqual(got, h.want) {
					t.Errorf("%s counts = %v, want %v", h.name, got, h.want)
				}
			}

			files := func(r report.Tally) int64 { return r.Files }
			bytes := func(r report.Tally) int64 { return r.Bytes }
			checkTop(t, "extensions by count", s.ExtByCount, files, e.extFiles)
			checkTop(t, "extensions by bytes", s.ExtByBytes, bytes, e.extBytes)
			checkTop(t, "classes", s.Classes, files, e.classes)
			checkTop(t, "owners", s.Owners, files, e.owners)
			checkTop(t, "groups", s.Groups, files, e.groups)
			checkTop(t, "folder modes", s.DirModes, files, e.dirModes)

			if got, want := len(s.Folders), len(e.folders); got != want {
				t.Errorf("%d top-level folders, want %d", got, want)
			}
			for _, f := range s.Folders {
				got := [3]int64{f.Files, f.Dirs, f.Bytes}
				if want := e.folders[f.Name]; got != want {
					t.Errorf("folder %s: files, dirs, bytes = %v, want %v",
						f.Name, got, want)
				}
			}
		})
	}
}

func TestSummaryVaries(t *testing.T) {
	// Guard against a plan too plain to test the summary with.
	p := newPlan(t, 5000, true, 1000)
	s, err := engine.Preview(context.Background(), p.in, p.prof, p.ids,
		p.batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		n    int
		min  int
	}{
		{"classes", len(s.Classes), 5},
		{"owners", len(s.Owners), 10},
		{"groups", len(s.Groups), 10},
		{"folder modes", len(s.DirModes), 3},
		{"extensions", len(s.ExtByCount), engine.SummaryTop},
	} {
		if c.n < c.min {
			t.Errorf("%s: %d rows, want at least %d", c.name, c.n, c.min)
		}
	}
	if s.ACL.Files == 0 || s.Zone.Files == 0 || s.ReadOnly.Files == 0 {
		t.Errorf("acl, zone, read-only files = %d, %d, %d; want some of each",
			s.ACL.Files, s.Zone.Files, s.ReadOnly.Files)
	}
}

func TestSummaryJSONRoundTrip(t *testing.T) {
	p := newPlan(t, 2000, true, 500)
	s, err := engine.Preview(context.Background(), p.in, p.prof, p.ids,
		p.batch)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var got engine.Summary
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("summary after a JSON round trip:\n%+v\nwant\n%+v", got, s)
	}
}

// openRun creates a run database for p in a temporary folder and checks
// it when the test ends.
func openRun(t *testing.T, p testPlan) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "runs", "t.db"),
		store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Check(); err != nil {
			t.Error(err)
		}
		db.Close()
	})
	in, _ := json.Marshal(p.in)
	prof, _ := json.Marshal(p.prof)
	r := store.Run{Name: "t", Target: t.TempDir(), Inputs: in,
		Profile: prof, Batch: p.batch, Created: time.Now()}
	if p.ids != nil {
		r.Identities, _ = json.Marshal(p.ids)
	}
	if err := db.CreateRun(r); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestPlanStoresSummary(t *testing.T) {
	p := newPlan(t, 3000, true, 400)
	db := openRun(t, p)
	if err := engine.Plan(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	var got engine.Summary
	ok, err := db.GetSummary(&got)
	if err != nil || !ok {
		t.Fatalf("GetSummary = %v, %v; want a summary", ok, err)
	}
	want, err := engine.Preview(context.Background(), p.in, p.prof, p.ids,
		p.batch)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored summary:\n%+v\nwant the preview's\n%+v", got, want)
	}
}

func TestSummaryWriteText(t *testing.T) {
	p := newPlan(t, 2000, true, 500)
	s, err := engine.Preview(context.Background(), p.in, p.prof, p.ids,
		p.batch)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"FOLDER", "File sizes", "Last modified", "Last accessed",
		"Depth of files", "Files per folder", "Top extensions by count",
		"Top extensions by bytes", "Classes", "Owners", "Groups",
		"Folder modes", "read-only", "access list",
		s.Folders[0].Name, s.ExtByCount[0].Name, s.Classes[0].Name,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText output lacks %q", want)
		}
	}
	if !strings.Contains(out, "########################################") {
		t.Errorf("WriteText output has no full-width bar:\n%s", out)
	}
}
