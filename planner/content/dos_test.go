package content_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"filegen/planner/content"
)

// dosInfo is a decoded xattr_DOSATTRIB at version 4.
type dosInfo struct {
	hex     string // the compatibility string, empty at version 4
	version uint16
	valid   uint32
	attrib  uint32
	itime   uint64
	create  uint64
}

// decodeDOS decodes b along Samba's NDR rules: a NUL-terminated string,
// then each member aligned to its size (NTTIME to 4, as a udlong).
func decodeDOS(b []byte) (dosInfo, error) {
	var d dosInfo
	end := bytes.IndexByte(b, 0)
	if end < 0 {
		return d, fmt.Errorf("no NUL after the compatibility string")
	}
	d.hex = string(b[:end])
	off := end + 1
	align := func(n int) { off = (off + n - 1) / n * n }
	le := binary.LittleEndian

	align(2)
	if len(b) < off+4 {
		return d, fmt.Errorf("short: %d bytes", len(b))
	}
	d.version = le.Uint16(b[off:])
	if sw := le.Uint16(b[off+2:]); sw != d.version {
		return d, fmt.Errorf("switch %d, version %d", sw, d.version)
	}
	off += 4
	align(4)
	if len(b) != off+24 {
		return d, fmt.Errorf("length %d, want %d", len(b), off+24)
	}
	d.valid = le.Uint32(b[off:])
	d.attrib = le.Uint32(b[off+4:])
	d.itime = le.Uint64(b[off+8:])
	d.create = le.Uint64(b[off+16:])
	return d, nil
}

func TestDOSAttrib(t *testing.T) {
	// Bytes Samba 4.17's ndr_push_xattr_DOSATTRIB gives for version 4,
	// attributes 0x21 and create_time 0x01d9a0b0c0d0e0f0.
	const samba = "0000040004000000110000002100000000000000" +
		"00000000f0e0d0c0b0a0d901"
	const nt = 0x01d9a0b0c0d0e0f0
	ctime := (int64(nt) - 116444736000000000) * 100

	got := content.DOSAttrib(content.AttrReadOnly|content.AttrArchive, ctime)
	if h := hex.EncodeToString(got); h != samba {
		t.Errorf("DOSAttrib = %s, want %s", h, samba)
	}

	tests := []struct {
		attrs uint32    // attributes
		ctime time.Time // creation time
	}{
		{content.AttrArchive, time.Date(2021, 3, 4, 5, 6, 7, 800, time.UTC)},
		{content.AttrHidden | content.AttrSystem, time.Unix(0, 0)},
		{content.AttrReadOnly, time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC)},
		{0, time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		d, err := decodeDOS(content.DOSAttrib(tt.attrs, tt.ctime.UnixNano()))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		want := dosInfo{version: 4, valid: 0x11, attrib: tt.attrs,
			create: ntTime(tt.ctime)}
		if d != want {
			t.Errorf("DOSAttrib(%#x, %v) decodes to %+v, want %+v",
				tt.attrs, tt.ctime, d, want)
		}
	}
}

// ntTime counts 100 ns ticks since 1601 the long way: whole seconds
// from the calendar, then the fraction.
func ntTime(t time.Time) uint64 {
	epoch := time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)
	secs := t.Unix() - epoch.Unix()
	return uint64(secs)*1e7 + uint64(t.Nanosecond()/100)
}

// TestDOSAttribSamba decodes DOSAttrib values with Samba's own NDR code
// through its Python bindings, and has Samba encode the same values.
func TestDOSAttribSamba(t *testing.T) {
	py := needSambaPython(t)
	ctime := time.Date(2023, 6, 1, 8, 30, 0, 123456700, time.UTC)
	b := content.DOSAttrib(content.AttrHidden|content.AttrArchive,
		ctime.UnixNano())

	script := `
import sys
from samba.dcerpc import xattr
from samba.ndr import ndr_pack, ndr_unpack
d = ndr_unpack(xattr.DOSATTRIB, bytes.fromhex(sys.argv[1]))
print(d.version, d.info.valid_flags, d.info.attrib, d.info.create_time)
e = xattr.DOSATTRIB()
e.version = 4
i = xattr.DosInfo4()
i.valid_flags = d.info.valid_flags
i.attrib = d.info.attrib
i.create_time = d.info.create_time
e.info = i
print(ndr_pack(e).hex())
`
	out, err := exec.Command(py, "-c", script, hex.EncodeToString(b)).CombinedOutput()
	if err != nil {
		t.Fatalf("samba decode: %v\n%s", err, out)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 5 {
		t.Fatalf("samba printed %q, want five fields", out)
	}
	want := fmt.Sprint(4, 0x11, content.AttrHidden|content.AttrArchive,
		ntTime(ctime))
	if got := strings.Join(lines[:4], " "); got != want {
		t.Errorf("samba decodes %q, want %q", got, want)
	}
	if got, want := lines[4], hex.EncodeToString(b); got != want {
		t.Errorf("samba encodes %s, want %s", got, want)
	}
}

// needSambaPython returns a Python that imports Samba's bindings,
// installing python3-samba when they are missing.
func needSambaPython(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	check := func() error {
		return exec.Command(py, "-c", "import samba.dcerpc.xattr").Run()
	}
	if check() == nil {
		return py
	}
	aptInstall(t, "python3-samba")
	if err := check(); err != nil {
		t.Fatalf("samba bindings missing after install: %v", err)
	}
	return py
}

func TestNTTime(t *testing.T) {
	tests := []struct {
		unix int64  // Unix nanoseconds
		want uint64 // NT time
	}{
		{0, 116444736000000000},
		{99, 116444736000000000},
		{100, 116444736000000001},
		{-1, 116444735999999999},
		{math.MinInt64, 116444736000000000 - 92233720368547758 - 1},
	}
	for _, tt := range tests {
		if got := content.NTTime(tt.unix); got != tt.want {
			t.Errorf("NTTime(%d) = %d, want %d", tt.unix, got, tt.want)
		}
	}
}

func TestZoneIdentifier(t *testing.T) {
	got := content.ZoneIdentifier(content.ZoneInternet)
	want := "[ZoneTransfer]\r\nZoneId=3\r\n\x00"
	if string(got) != want {
		t.Errorf("ZoneIdentifier(3) = %q, want %q", got, want)
	}

	// The names and values are accepted by a real file system.
	path := filepath.Join(t.TempDir(), "setup.exe")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		name  string
		value []byte
	}{
		{content.XattrZone, got},
		{content.XattrDOS, content.DOSAttrib(content.AttrArchive, 0)},
	} {
		if err := syscall.Setxattr(path, x.name, x.value, 0); err != nil {
			t.Fatalf("setxattr %s: %v", x.name, err)
		}
		buf := make([]byte, 256)
		n, err := syscall.Getxattr(path, x.name, buf)
		if err != nil || !bytes.Equal(buf[:n], x.value) {
			t.Errorf("getxattr %s = %q, %v, want %q", x.name, buf[:n],
				err, x.value)
		}
	}
}
