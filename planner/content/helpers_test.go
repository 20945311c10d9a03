package content_test

import (
	"os"
	"os/exec"
	"sync"
	"testing"
)

// memFile is a File in memory: the tests measure content, not disks.
type memFile struct{ b []byte }

func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	if end := int(off) + len(p); end > len(f.b) {
		f.b = append(f.b, make([]byte, end-len(f.b))...)
	}
	return copy(f.b[off:], p), nil
}

func (f *memFile) Truncate(size int64) error {
	if int(size) <= len(f.b) {
		f.b = f.b[:size]
		return nil
	}
	f.b = append(f.b, make([]byte, int(size)-len(f.b))...)
	return nil
}

// nullFile discards what it is given, for benchmarks.
type nullFile struct{ n int64 }

func (f *nullFile) WriteAt(p []byte, off int64) (int, error) {
	f.n += int64(len(p))
	return len(p), nil
}

func (f *nullFile) Truncate(size int64) error { return nil }

var aptMu sync.Mutex

// needTool returns the path of command name, installing Debian package
// pkg with apt-get when it is missing. It fails the test when it cannot.
func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	aptInstall(t, pkg)
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s still missing after installing %s: %v", name, pkg, err)
	}
	return p
}

func aptInstall(t testing.TB, pkg string) {
	t.Helper()
	aptMu.Lock()
	defer aptMu.Unlock()
	cmd := exec.Command("apt-get", "install", "-y", "--no-install-recommends", pkg)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get install %s: %v\n%s", pkg, err, out)
	}
}
