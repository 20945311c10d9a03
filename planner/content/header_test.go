package content_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filegen/planner/content"
)

// TestRecognize writes a file of every known extension in sparse mode and
// checks that Recognize names the type TypeOf promises.
func TestRecognize(t *testing.T) {
	w := content.NewWriter(content.Mode{})
	for _, ext := range content.Extensions() {
		t.Run(ext, func(t *testing.T) {
			f := &memFile{}
			if err := w.Write(f, ext, 8192, 7); err != nil {
				t.Fatal(err)
			}
			if got, want := content.Recognize(f.b), content.TypeOf(ext); got != want {
				t.Errorf("Recognize(%s file) = %q, want %q", ext, got, want)
			}
			if want := content.TypeOf(ext); want == "" {
				t.Errorf("TypeOf(%q) = \"\", want a type", ext)
			}
		})
	}
}

func TestRecognizeOthers(t *testing.T) {
	tests := []struct {
		name string // what the bytes are
		b    []byte // the bytes
		want string // the type Recognize gives
	}{
		{"nothing", nil, ""},
		{"zeros", make([]byte, 64), ""},
		{"binary", []byte{1, 2, 3, 4, 5, 6, 7, 8}, ""},
		{"text", []byte("hello, world\n"), "text"},
		{"MZ without PE", append([]byte("MZ"), make([]byte, 100)...), ""},
		{"plain zip", content.Header("zip"), "zip"},
	}
	for _, tt := range tests {
		if got := content.Recognize(tt.b); got != tt.want {
			t.Errorf("Recognize(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		ext    string // extension
		prefix string // what its header starts with
	}{
		{"pdf", "%PDF-1."},
		{"docx", "PK\x03\x04"},
		{"doc", "\xd0\xcf\x11\xe0"},
		{"jpg", "\xff\xd8\xff"},
		{"xml", "<?xml"},
		{"exe", "MZ"},
	}
	for _, tt := range tests {
		h := content.Header(tt.ext)
		if !bytes.HasPrefix(h, []byte(tt.prefix)) {
			t.Errorf("Header(%q) = %q, want prefix %q", tt.ext, h, tt.prefix)
		}
		if got, want := content.HeaderLen(tt.ext), len(h); want != got &&
			content.TypeOf(tt.ext) != "text" {
			t.Errorf("HeaderLen(%q) = %d, want %d", tt.ext, got, want)
		}
		h[0] ^= 0xff // the caller owns the copy
		if again := content.Header(tt.ext); again[0] == h[0] {
			t.Errorf("Header(%q) returned shared bytes", tt.ext)
		}
	}
	for _, ext := range []string{"bak", "iso", "", "PDF", ".pdf"} {
		if h := content.Header(ext); h != nil {
			t.Errorf("Header(%q) = %q, want nil", ext, h)
		}
		if n := content.HeaderLen(ext); n != 0 {
			t.Errorf("HeaderLen(%q) = %d, want 0", ext, n)
		}
	}
	if got, want := content.HeaderLen("log"), content.TextMax; got != want {
		t.Errorf("HeaderLen(log) = %d, want %d", got, want)
	}
}

// TestFileCommand checks the headers with file(1) on real files.
func TestFileCommand(t *testing.T) {
	file := needTool(t, "file", "file")
	tests := []struct {
		ext  string // extension
		want string // what file -b says, in part
	}{
		{"pdf", "PDF document, version 1.7"},
		{"docx", "Microsoft Word 2007+"},
		{"xlsx", "Microsoft Excel 2007+"},
		{"pptx", "Microsoft PowerPoint 2007+"},
		{"zip", "Zip archive data"},
		{"7z", "7-zip archive data"},
		{"rar", "RAR archive data"},
		{"doc", "Composite Document File V2"},
		{"xls", "Composite Document File V2"},
		{"msg", "Composite Document File V2"},
		{"jpg", "JPEG image data, JFIF standard 1.01"},
		{"png", "PNG image data, 1280 x 720, 8-bit/color RGB"},
		{"gif", "GIF image data, version 89a, 640 x 480"},
		{"bmp", "PC bitmap, Windows 3.x format, 800 x 600 x 24"},
		{"psd", "Adobe Photoshop Image, 1920 x 1080, RGB"},
		{"rtf", "Rich Text Format data, version 1, ANSI"},
		{"mdb", "Microsoft Access Database"},
		{"accdb", "Microsoft Access Database"},
		{"exe", "PE32+ executable (GUI) x86-64"},
		{"dll", "PE32+ executable (DLL) (GUI) x86-64"},
		{"tif", "TIFF image data, little-endian"},
		{"mp4", "ISO Media"},
		{"mp3", "Audio file with ID3 version 2.4"},
		{"wav", "RIFF (little-endian) data, WAVE audio"},
		{"gz", "gzip compressed data"},
		{"pst", "Microsoft Outlook"},
		{"csv", "CSV text"},
		{"xml", "XML 1.0 document"},
		{"html", "HTML document"},
		{"py", "Python script"},
		{"log", "text"},
	}
	dir := t.TempDir()
	w := content.NewWriter(content.Mode{})
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			path := filepath.Join(dir, "sample."+tt.ext)
			writeFile(t, w, path, tt.ext, 256<<10, 42)
			out, err := exec.Command(file, "-b", path).CombinedOutput()
			if err != nil {
				t.Fatalf("file %s: %v\n%s", path, err, out)
			}
			if got := strings.TrimSpace(string(out)); !strings.Contains(got, tt.want) {
				t.Errorf("file -b sample.%s = %q, want %q in it", tt.ext, got, tt.want)
			}
		})
	}
}

func writeFile(t testing.TB, w *content.Writer, path, ext string,
	size int64, key uint64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := w.Write(f, ext, size, key); err != nil {
		t.Fatalf("Write(%s, %d): %v", ext, size, err)
	}
}
