package doctor_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"filegen/doctor"
)

// mount mounts fstype on a fresh folder with the given options and
// unmounts it when the test ends. The tests run as root.
func mount(t *testing.T, source, fstype string, flags uintptr, data string) string {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount(source, dir, fstype, flags, data); err != nil {
		t.Fatalf("mount %s on %s: %v (these tests need root)", fstype, dir, err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// statuses maps each check to its status, failing on a check seen twice.
func statuses(t *testing.T, rs []doctor.Result) map[string]doctor.Status {
	t.Helper()
	got := map[string]doctor.Status{}
	for _, r := range rs {
		if _, dup := got[r.Check]; dup {
			t.Errorf("check %s reported twice", r.Check)
		}
		got[r.Check] = r.Status
		if r.Status == doctor.Fail && r.Fix == "" {
			t.Errorf("%s failed without a fix: %s", r.Check, r)
		}
	}
	return got
}

func TestRunTmpfs(t *testing.T) {
	target := mount(t, "tmpfs", "tmpfs", 0, "size=8m")
	errDown := errors.New("connection refused")
	tests := []struct {
		name string
		need doctor.Need
		want map[string]doctor.Status
	}{
		{
			name: "all there",
			need: doctor.Need{Files: 100, Bytes: 1 << 20, Chown: true,
				ACLs: true, Xattrs: true,
				Directory: func(context.Context) error { return nil }},
			want: map[string]doctor.Status{
				doctor.CheckTarget: doctor.OK, doctor.CheckWritable: doctor.OK,
				doctor.CheckSparse: doctor.OK, doctor.CheckXattrs: doctor.OK,
				doctor.CheckACLs: doctor.OK, doctor.CheckChown: doctor.OK,
				doctor.CheckSpace: doctor.OK, doctor.CheckInodes: doctor.OK,
				doctor.CheckDirectory: doctor.OK,
			},
		},
		{
			name: "too little space, directory down",
			need: doctor.Need{Files: 10, Bytes: 100 << 20,
				Directory: func(context.Context) error { return errDown }},
			want: map[string]doctor.Status{
				doctor.CheckTarget: doctor.OK, doctor.CheckWritable: doctor.OK,
				doctor.CheckSparse: doctor.OK, doctor.CheckXattrs: doctor.OK,
				doctor.CheckACLs: doctor.OK, doctor.CheckChown: doctor.OK,
				doctor.CheckSpace: doctor.Fail, doctor.CheckInodes: doctor.OK,
				doctor.CheckDirectory: doctor.Fail,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := doctor.Run(context.Background(), target, tt.need)
			got := statuses(t, rs)
			for check, want := range tt.want {
				if got[check] != want {
					t.Errorf("%s = %q, want %q (%v)", check, got[check], want, rs)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("got checks %v, want %v", got, tt.want)
			}
			wantFailed := slices.Contains(mapsValues(tt.want), doctor.Fail)
			if got := doctor.Failed(rs); got != wantFailed {
				t.Errorf("Failed() = %v, want %v", got, wantFailed)
			}
			left, err := os.ReadDir(target)
			if err != nil {
				t.Fatal(err)
			}
			if len(left) != 0 {
				t.Errorf("target holds %v after Run, want nothing", left)
			}
		})
	}
}

func mapsValues(m map[string]doctor.Status) []doctor.Status {
	var vs []doctor.Status
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

func TestRunNotWritable(t *testing.T) {
	src := t.TempDir()
	ro := mount(t, src, "", unix.MS_BIND, "")
	if err := unix.Mount("", ro, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount %s read-only: %v", ro, err)
	}
	file := filepath.Join(src, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		target string
		check  string // the check that fails
		fix    string // a word its fix must hold
	}{
		{"read-only bind mount", ro, doctor.CheckWritable, "read-write"},
		{"a file", file, doctor.CheckTarget, "directory"},
		{"missing", filepath.Join(src, "nope"), doctor.CheckTarget, "mkdir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := doctor.Run(context.Background(), tt.target,
				doctor.Need{Xattrs: true})
			if !doctor.Failed(rs) {
				t.Fatalf("Failed() = false, want true: %v", rs)
			}
			var failed []string
			for _, r := range rs {
				if r.Status == doctor.Fail {
					failed = append(failed, r.Check)
					if r.Check == tt.check && !strings.Contains(r.Fix, tt.fix) {
						t.Errorf("fix for %s = %q, want it to mention %q",
							r.Check, r.Fix, tt.fix)
					}
				}
			}
			if want := []string{tt.check}; !slices.Equal(failed, want) {
				t.Errorf("failed checks = %q, want %q", failed, want)
			}
		})
	}

	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("source holds %v, want only the file", entries)
	}
}

func TestResultString(t *testing.T) {
	tests := []struct {
		r    doctor.Result
		want string
	}{
		{doctor.Result{Check: "space", Status: doctor.Fail, Detail: "1 MiB free",
			Fix: "free space"}, "fail  space      1 MiB free; free space"},
		{doctor.Result{Check: "chown", Status: doctor.OK, Detail: "fine"},
			"ok    chown      fine"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
