package report_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"filegen/report"
)

// asOf is the reference time of the test trees.
var asOf = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// node is one entry of a tree described as a literal.
type node struct {
	path   string      // slash-separated, relative to the root
	dir    bool        // a folder
	link   string      // a symbolic link to this target
	size   int64       // bytes written, or the size a sparse file gets
	sparse bool        // truncate to size instead of writing
	mode   os.FileMode // applied after creation when non-zero
	mtime  time.Duration
	atime  time.Duration // both before asOf; negative is after it
	uid    int           // owner and group when non-zero
}

// orphanID is a uid and gid that no user or group on the machine has.
const orphanID = 54321

// outside holds files reached only through a link: the walk must not
// count them.
var outside = []node{
	{path: "a.txt", size: 10, mtime: day, atime: day},
	{path: "b.txt", size: 20, mtime: day, atime: day},
	{path: "c.txt", size: 30, mtime: day, atime: day},
}

var share = []node{
	{path: "finance", dir: true},
	{path: "finance/2024", dir: true},
	{path: "hr", dir: true},
	{path: "public", dir: true, mode: 0o777 | os.ModeDir},
	{path: "empty", dir: true},
	{path: "finance/budget.xlsx", size: 5000, mtime: 10 * day, atime: 10 * day},
	{path: "finance/2024/q1.PDF", size: 100000, mtime: 400 * day, atime: 200 * day},
	{path: "finance/2024/q2.pdf", size: 0, mtime: 30 * day, atime: 5 * day},
	{path: "hr/staff.docx", size: 2048, mtime: 100 * day, atime: 100 * day,
		uid: orphanID},
	{path: "hr/notes", size: 1, mtime: day, atime: day / 2},
	{path: "public/big.iso", size: 1 << 20, sparse: true, mtime: 3 * day,
		atime: 2 * day},
	{path: "public/.profile", size: 10, mtime: 2000 * day, atime: 95 * day},
	{path: "readme.txt", size: 700, mtime: -2 * day, atime: day},
	{path: "finance/up", link: ".."},
	{path: "out", link: "OUTSIDE"},
}

// build makes the tree nodes describe under root. A link target of
// OUTSIDE is replaced by outsideDir.
func build(t testing.TB, root string, nodes []node, outsideDir string) {
	t.Helper()
	for _, n := range nodes {
		p := filepath.Join(root, filepath.FromSlash(n.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch {
		case n.dir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case n.link != "":
			target := n.link
			if target == "OUTSIDE" {
				target = outsideDir
			}
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		default:
			writeFile(t, p, n.size, n.sparse)
		}
		if n.mode != 0 {
			if err := os.Chmod(p, n.mode); err != nil {
				t.Fatal(err)
			}
		}
		if n.uid != 0 {
			if err := os.Lchown(p, n.uid, n.uid); err != nil {
				t.Fatal(err)
			}
		}
		if !n.dir {
			err := os.Chtimes(p, asOf.Add(-n.atime), asOf.Add(-n.mtime))
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func writeFile(t testing.TB, p string, size int64, sparse bool) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if sparse {
		err = f.Truncate(size)
	} else {
		_, err = f.Write(make([]byte, size))
	}
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestWalkLiteralTree(t *testing.T) {
	root, out := t.TempDir(), t.TempDir()
	build(t, out, outside, "")
	build(t, root, share, out)

	for _, workers := range []int{1, 2, 4} {
		r, err := report.Walk(context.Background(), root,
			report.Options{AsOf: asOf, Workers: workers, TopN: 3})
		if err != nil {
			t.Fatal(err)
		}
		checkShare(t, r)
	}
}

// checkShare compares r with what the literal share says.
func checkShare(t *testing.T, r *report.Report) {
	t.Helper()
	figures := []struct {
		name      string
		got, want int64
	}{
		{"Files", r.Files, 8},
		// The root, finance, finance/2024, hr, public, empty.
		{"Folders", r.Folders, 6},
		{"Symlinks", r.Symlinks, 2},
		{"Others", r.Others, 0},
		{"Bytes", r.Bytes, 5000 + 100000 + 2048 + 1 + 1<<20 + 10 + 700},
		{"SparseFiles", r.SparseFiles, 1},
		{"HardLinked", r.HardLinked, 0},
		{"MaxDepth", int64(r.MaxDepth), 2},
		// q1.PDF (200 d), staff.docx (100 d), .profile (95 d).
		{"Dormant.Files", r.Dormant.Files, 3},
		{"Dormant.Bytes", r.Dormant.Bytes, 100000 + 2048 + 10},
		// budget.xlsx and staff.docx.
		{"NeverRead.Files", r.NeverRead.Files, 2},
		{"NeverRead.Bytes", r.NeverRead.Bytes, 5000 + 2048},
	}
	for _, f := range figures {
		if f.got != f.want {
			t.Errorf("Workers %d: %s = %d, want %d",
				r.Workers, f.name, f.got, f.want)
		}
	}

	// Allocated: every written file takes whole blocks, the sparse one
	// none, so it lies between the written bytes and far below the
	// apparent size.
	written := r.Bytes - 1<<20
	if r.Allocated < written || r.Allocated >= r.Bytes {
		t.Errorf("Allocated = %d, want in [%d, %d)",
			r.Allocated, written, r.Bytes)
	}

	hists := []struct {
		name string
		got  report.Histogram
		want []int64
	}{
		// 0, 1, 10, 700, 2048, 5000, 100000, 1 MiB.
		{"Sizes", r.Sizes, bucketsOf(
			report.NewPow2(report.UnitBytes),
			0, 1, 10, 700, 2048, 5000, 100000, 1<<20)},
		// readme.txt is in the future and counts as 0 days.
		{"Modified", r.Modified, bucketsOf(
			report.NewPow2(report.UnitDays),
			10, 400, 30, 100, 1, 3, 2000, 0)},
		{"Accessed", r.Accessed, bucketsOf(
			report.NewPow2(report.UnitDays),
			10, 200, 5, 100, 0, 2, 95, 1)},
		{"Depth", r.Depth, bucketsOf(
			report.NewLinear(report.UnitLevels, 33),
			2, 3, 3, 2, 2, 2, 2, 1)},
		// root 1, finance 1, 2024 2, hr 2, public 2, empty 0.
		{"FilesPerFolder", r.FilesPerFolder, bucketsOf(
			report.NewPow2(report.UnitFiles), 1, 1, 2, 2, 2, 0)},
	}
	for _, h := range hists {
		if !slices.Equal(h.got.Counts, h.want) {
			t.Errorf("Workers %d: %s.Counts = %v, want %v",
				r.Workers, h.name, h.got.Counts, h.want)
		}
	}

	tallies := []struct {
		name string
		got  []report.Tally
		want []report.Tally
	}{
		{"ExtByCount", r.ExtByCount, []report.Tally{
			{Name: ".pdf", Files: 2, Bytes: 100000},
			{Name: "(none)", Files: 2, Bytes: 11},
			// One file each: the most bytes first.
			{Name: ".iso", Files: 1, Bytes: 1 << 20},
		}},
		{"ExtByBytes", r.ExtByBytes, []report.Tally{
			{Name: ".iso", Files: 1, Bytes: 1 << 20},
			{Name: ".pdf", Files: 2, Bytes: 100000},
			{Name: ".xlsx", Files: 1, Bytes: 5000},
		}},
		{"Owners", r.Owners, []report.Tally{
			{Name: "root", ID: "0", Files: 7, Bytes: r.Bytes - 2048},
			{Name: "54321", ID: "54321", Files: 1, Bytes: 2048},
		}},
		{"Groups", r.Groups, []report.Tally{
			{Name: "root", ID: "0", Files: 7, Bytes: r.Bytes - 2048},
			{Name: "54321", ID: "54321", Files: 1, Bytes: 2048},
		}},
	}
	for _, tt := range tallies {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("Workers %d: %s = %+v, want %+v",
				r.Workers, tt.name, tt.got, tt.want)
		}
	}

	findings := []struct {
		kind     string
		severity report.Severity
		examples []string
	}{
		{report.KindOrphanOwner, report.SevWarn, []string{"hr/staff.docx"}},
		{report.KindWorldWritable, report.SevWarn, []string{"public"}},
		{report.KindFuture, report.SevInfo, []string{"readme.txt"}},
		{report.KindOrphanGroup, report.SevInfo, []string{"hr/staff.docx"}},
		{report.KindSparse, report.SevInfo, []string{"public/big.iso"}},
	}
	if got, want := len(r.Findings), len(findings); got != want {
		t.Errorf("Workers %d: %d findings, want %d: %+v",
			r.Workers, got, want, r.Findings)
	}
	for i, want := range findings {
		f := r.Finding(want.kind)
		if f == nil {
			t.Errorf("Workers %d: no %s finding", r.Workers, want.kind)
			continue
		}
		if f.Severity != want.severity || f.Count != 1 ||
			!slices.Equal(f.Examples, want.examples) || f.Detail == "" {
			t.Errorf("Workers %d: finding %s = %+v, want %s with "+
				"count 1 and examples %q", r.Workers, want.kind, *f,
				want.severity, want.examples)
		}
		if i < len(r.Findings) && r.Findings[i].Kind != want.kind {
			t.Errorf("Workers %d: finding %d is %s, want %s",
				r.Workers, i, r.Findings[i].Kind, want.kind)
		}
	}
}

// bucketsOf returns the counts h has after adding vs.
func bucketsOf(h report.Histogram, vs ...int64) []int64 {
	for _, v := range vs {
		h.Add(v)
	}
	return h.Counts
}

func TestWalkHugeFolder(t *testing.T) {
	root := t.TempDir()
	for i := range 12 {
		writeFile(t, filepath.Join(root, "f"+string(rune('a'+i))), 1, false)
	}
	if err := os.Mkdir(filepath.Join(root, "small"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := report.Walk(context.Background(), root,
		report.Options{AsOf: asOf, HugeFolder: 10})
	if err != nil {
		t.Fatal(err)
	}
	f := r.Finding(report.KindHugeFolder)
	if f == nil {
		t.Fatalf("no %s finding in %+v", report.KindHugeFolder, r.Findings)
	}
	if got, want := f.Examples, []string{"."}; !slices.Equal(got, want) {
		t.Errorf("huge folder examples = %q, want %q", got, want)
	}
}

func TestWalkErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	writeFile(t, file, 1, false)
	tests := []struct {
		name string
		root string
		want error
	}{
		{"missing", filepath.Join(dir, "nope"), unix.ENOENT},
		{"file", file, report.ErrNotDir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := report.Walk(context.Background(), tt.root,
				report.Options{})
			if !errors.Is(err, tt.want) {
				t.Errorf("Walk(%s) = %v, want %v", tt.root, err, tt.want)
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := report.Walk(ctx, dir, report.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Walk(cancelled) = %v, want %v", err, context.Canceled)
	}
}
