package engine

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// The kernels the fault tests run on may lack quotas (tmpfs quota and
// ext4 quota are both build options), so the quota message is checked
// here, from the errno the kernel would give.
func TestClassifyFatalErrors(t *testing.T) {
	tests := []struct {
		errno unix.Errno
		want  string
	}{
		{unix.ENOSPC, "file system is full"},
		{unix.EDQUOT, "quota is exceeded"},
		{unix.EROFS, "read-only"},
		{unix.EIO, "I/O errors"},
		{unix.ESTALE, "no longer reachable"},
	}
	for _, tt := range tests {
		err := &OpError{Op: "create", Path: "a/b", Err: tt.errno}
		if !fatal(err) {
			t.Errorf("fatal(%v) = false, want true", tt.errno)
		}
		got := classify(err)
		if !errors.Is(got, ErrTarget) || !strings.Contains(got.Error(), tt.want) ||
			!strings.Contains(got.Error(), "run the same command again") {
			t.Errorf("classify(%v) = %v; want ErrTarget saying %q and what to do", tt.errno, got, tt.want)
		}
	}
}

func TestTargetLost(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "target")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	root, err := OpenTarget(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(root)
	if targetLost(root) {
		t.Fatal("targetLost = true for a folder that exists")
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if !targetLost(root) {
		t.Error("targetLost = false for a removed folder")
	}
}
