package content_test

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"filegen/planner/content"
)

// TestSparseBlocks writes 10 MiB files in sparse mode to disk and checks
// that only the header or the text is allocated.
func TestSparseBlocks(t *testing.T) {
	const size = 10 << 20
	dir := t.TempDir()
	w := content.NewWriter(content.Mode{})
	for _, ext := range []string{"pdf", "docx", "exe", "log", "csv", "bak"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(dir, "f."+ext)
			writeFile(t, w, path, ext, size, 3)
			var st syscall.Stat_t
			if err := syscall.Stat(path, &st); err != nil {
				t.Fatal(err)
			}
			if st.Size != size {
				t.Errorf("size = %d, want %d", st.Size, size)
			}
			// The header or the text, rounded up to a few blocks.
			limit := int64(content.HeaderLen(ext)) + 64<<10
			if got := st.Blocks * 512; got > limit {
				t.Errorf("allocated %d bytes, want at most %d", got, limit)
			}
		})
	}
}

// TestSparseText checks the text of text types: whole small files end
// with a newline, large ones stop at TextMax and the rest reads as zeros.
func TestSparseText(t *testing.T) {
	w := content.NewWriter(content.Mode{})
	tests := []struct {
		ext  string // extension
		size int64  // file size
	}{
		{"txt", 1}, {"txt", 100}, {"csv", 5000}, {"xml", 20},
		{"log", content.TextMax}, {"log", content.TextMax + 1},
		{"json", 1 << 20},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.ext, tt.size), func(t *testing.T) {
			f := &memFile{}
			if err := w.Write(f, tt.ext, tt.size, 99); err != nil {
				t.Fatal(err)
			}
			if got := int64(len(f.b)); got != tt.size {
				t.Fatalf("length = %d, want %d", got, tt.size)
			}
			n := min(tt.size, content.TextMax)
			if bytes.IndexByte(f.b[:n], 0) >= 0 {
				t.Errorf("NUL in the first %d bytes", n)
			}
			if tt.size <= content.TextMax && f.b[n-1] != '\n' {
				t.Errorf("last byte %q, want a newline", f.b[n-1])
			}
			if rest := f.b[n:]; len(rest) > 0 &&
				!bytes.Equal(rest, make([]byte, len(rest))) {
				t.Errorf("bytes past TextMax are not zero")
			}
			// The header comes first, but for the final newline.
			h := content.Header(tt.ext)
			if !bytes.HasPrefix(f.b, h[:min(len(h), int(n)-1)]) {
				t.Errorf("text does not start with the header %q", h)
			}
		})
	}
}

// TestSparseNoAlloc checks that the sparse path allocates nothing per file.
func TestSparseNoAlloc(t *testing.T) {
	w := content.NewWriter(content.Mode{})
	f := &nullFile{}
	for _, ext := range []string{"pdf", "bak", "log"} {
		key := uint64(0)
		allocs := testing.AllocsPerRun(1000, func() {
			key++
			if err := w.Write(f, ext, 1<<20, key); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("Write(%s) allocates %v times a file, want 0", ext, allocs)
		}
	}
}

// TestModes checks length, header and kind of data of every mode.
func TestModes(t *testing.T) {
	tests := []struct {
		mode string // content mode
		size int64  // file size
	}{
		{"zero", 0}, {"zero", 10}, {"zero", 300 << 10},
		{"random", 1}, {"random", 1<<20 + 17},
		{"compress:3", 600 << 10}, {"dedup:2", 600<<10 + 5},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.mode, "/", tt.size), func(t *testing.T) {
			m, err := content.ParseMode(tt.mode)
			if err != nil {
				t.Fatal(err)
			}
			w := content.NewWriter(m)
			f := &memFile{b: bytes.Repeat([]byte{0xee}, 2<<20)}
			if err := w.Write(f, "pdf", tt.size, 5); err != nil {
				t.Fatal(err)
			}
			if got := int64(len(f.b)); got != tt.size {
				t.Fatalf("length = %d, want %d", got, tt.size)
			}
			h := content.Header("pdf")
			h = h[:min(int64(len(h)), tt.size)]
			if !bytes.HasPrefix(f.b, h) {
				t.Errorf("content does not start with the header")
			}
			rest := f.b[len(h):]
			zero := bytes.Equal(rest, make([]byte, len(rest)))
			if want := m.Kind == content.Zero || len(rest) == 0; zero != want {
				t.Errorf("rest all zero = %v, want %v", zero, want)
			}
		})
	}
}

func TestDeterminism(t *testing.T) {
	for _, mode := range []string{"sparse", "zero", "random",
		"compress:4", "dedup:2"} {
		for _, ext := range []string{"docx", "csv", "bin"} {
			t.Run(mode+"/"+ext, func(t *testing.T) {
				m, _ := content.ParseMode(mode)
				const size = 300<<10 + 3
				a, b, c := &memFile{}, &memFile{}, &memFile{}
				w1, w2 := content.NewWriter(m), content.NewWriter(m)
				for _, run := range []struct {
					w   *content.Writer
					f   *memFile
					key uint64
				}{{w1, a, 11}, {w2, b, 11}, {w1, c, 12}} {
					if err := run.w.Write(run.f, ext, size, run.key); err != nil {
						t.Fatal(err)
					}
				}
				if !bytes.Equal(a.b, b.b) {
					t.Errorf("same inputs gave different bytes")
				}
				differs := m.Kind != content.Zero &&
					(m.Kind != content.Sparse || ext == "csv")
				if got := !bytes.Equal(a.b, c.b); got != differs {
					t.Errorf("another key gives other bytes: %v, want %v",
						got, differs)
				}
			})
		}
	}
}

// compressRun writes files of mode m with sizes drawn around a few
// hundred KiB, and returns them.
func compressRun(t testing.TB, mode string, total int) [][]byte {
	m, err := content.ParseMode(mode)
	if err != nil {
		t.Fatal(err)
	}
	w := content.NewWriter(m)
	var files [][]byte
	exts := []string{"bin", "pdf", "docx", "jpg", "bak"}
	for i, n := 0, 0; n < total; i++ {
		f := &memFile{}
		size := int64(64<<10 + (i*37%9)*50000 + i)
		if m.Kind == content.Dedup {
			// Whole blocks: a file's last partial block is unique.
			size = size / content.BlockSize * content.BlockSize
		}
		if err := w.Write(f, exts[i%len(exts)], size, uint64(i)*7919); err != nil {
			t.Fatal(err)
		}
		files = append(files, f.b)
		n += len(f.b)
	}
	return files
}

func TestCompressRatio(t *testing.T) {
	gzip := needTool(t, "gzip", "gzip")
	zstd := needTool(t, "zstd", "zstd")
	for _, r := range []float64{2, 4, 10} {
		t.Run(fmt.Sprint(r), func(t *testing.T) {
			files := compressRun(t, fmt.Sprint("compress:", r), 4<<20)
			in, out := 0, 0
			for _, b := range files {
				var buf bytes.Buffer
				zw, _ := flate.NewWriter(&buf, 6)
				zw.Write(b)
				zw.Close()
				in, out = in+len(b), out+buf.Len()
			}
			checkRatio(t, "flate -6", float64(in)/float64(out), r, 0.15)

			all := bytes.Join(files, nil)
			for _, cmd := range [][]string{{gzip, "-6", "-c"}, {zstd, "-3", "-c"}} {
				got := float64(len(all)) / float64(len(runTool(t, all, cmd...)))
				checkRatio(t, filepath.Base(cmd[0]), got, r, 0.15)
			}
		})
	}
}

func TestDedupRatio(t *testing.T) {
	for _, r := range []float64{2, 5} {
		t.Run(fmt.Sprint(r), func(t *testing.T) {
			files := compressRun(t, fmt.Sprint("dedup:", r), 32<<20)
			seen := map[[32]byte]bool{}
			blocks := 0
			for _, b := range files {
				for off := 0; off < len(b); off += content.BlockSize {
					seen[sha256.Sum256(b[off:min(off+content.BlockSize, len(b))])] = true
					blocks++
				}
			}
			checkRatio(t, "blocks/unique", float64(blocks)/float64(len(seen)), r, 0.10)
		})
	}
}

func checkRatio(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	t.Logf("%s ratio %.3f, want %.3g", what, got, want)
	if got < want*(1-tol) || got > want*(1+tol) {
		t.Errorf("%s ratio = %.3f, want %.3g within %.0f %%", what, got,
			want, tol*100)
	}
}

func runTool(t *testing.T, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

func TestWriteErrors(t *testing.T) {
	w := content.NewWriter(content.Mode{Kind: content.Random})
	err := w.Write(&memFile{}, "pdf", -1, 0)
	if !errors.Is(err, content.ErrSize) {
		t.Errorf("Write(size -1) = %v, want ErrSize", err)
	}

	f, err := os.Open(os.DevNull) // read-only: writes fail
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, m := range []content.Mode{{}, {Kind: content.Zero}} {
		err := content.NewWriter(m).Write(f, "pdf", 100, 0)
		if err == nil || !strings.HasPrefix(err.Error(), "content: write") {
			t.Errorf("Write(%v) to a read-only file = %v, want an error "+
				"starting \"content: write\"", m, err)
		}
	}
}
