package report_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"filegen/report"
)

// mountTmpfs mounts a small tmpfs on a fresh folder and unmounts it when
// the test ends. The tests run as root.
func mountTmpfs(t testing.TB, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Fatalf("mount tmpfs on %s: %v (these tests need root)", dir, err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// ageAtimes sets every entry's access time a year before its
// modification time, so that relatime updates it on any read.
func ageAtimes(t *testing.T, root string) {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p) // after their contents, below
			return nil
		}
		return age(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := age(dirs[i]); err != nil {
			t.Fatal(err)
		}
	}
}

func age(p string) error {
	mtime := asOf.Add(-10 * day)
	return os.Chtimes(p, mtime.Add(-365*day), mtime)
}

// atimes returns the access time of every entry under root. It lists
// folders opened with O_NOATIME and stats entries without following
// links, so taking the snapshot changes none of them.
func atimes(t *testing.T, root string) map[string]time.Time {
	t.Helper()
	got := map[string]time.Time{}
	var visit func(p string)
	visit = func(p string) {
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			t.Fatal(err)
		}
		got[p] = time.Unix(st.Atim.Unix())
		if st.Mode&unix.S_IFMT != unix.S_IFDIR {
			return
		}
		fd, err := unix.Open(p, unix.O_RDONLY|unix.O_DIRECTORY|
			unix.O_NOATIME|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		f := os.NewFile(uintptr(fd), p)
		names, err := f.Readdirnames(-1)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			visit(filepath.Join(p, n))
		}
	}
	visit(root)
	return got
}

func TestWalkKeepsAccessTimes(t *testing.T) {
	base := mountTmpfs(t, "8m")
	root := filepath.Join(base, "tree")
	control := filepath.Join(base, "control")
	build(t, root, share, "/")
	build(t, control, []node{{path: "seen", size: 5}}, "")
	ageAtimes(t, base)

	// A plain listing and read of the control tree must move its access
	// times; otherwise this file system would not show a careless walk.
	before := atimes(t, control)
	if _, err := os.ReadDir(control); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile(filepath.Join(control, "seen")); err != nil {
		t.Fatal(err)
	}
	for p, was := range before {
		if now := atimes(t, control)[p]; now.Equal(was) {
			t.Fatalf("atime of %s did not move on a read: cannot "+
				"observe the walk", p)
		}
	}

	before = atimes(t, root)
	r, err := report.Walk(context.Background(), root,
		report.Options{AsOf: asOf, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Files, int64(8); got != want {
		t.Errorf("Files = %d, want %d", got, want)
	}
	after := atimes(t, root)
	for p, was := range before {
		if got := after[p]; !got.Equal(was) {
			t.Errorf("atime of %s = %v after the walk, want %v",
				p, got, was)
		}
	}
	if len(before) < 14 {
		t.Errorf("checked %d entries, want every one of the tree", len(before))
	}
}
