package content

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// The type names [Recognize] and [TypeOf] return.
const (
	TypePDF    = "pdf"
	TypeOOXML  = "ooxml"
	TypeZip    = "zip"
	Type7z     = "7z"
	TypeRAR    = "rar"
	TypeOLE    = "ole"
	TypeJPEG   = "jpeg"
	TypePNG    = "png"
	TypeGIF    = "gif"
	TypeBMP    = "bmp"
	TypePSD    = "psd"
	TypeRTF    = "rtf"
	TypeAccess = "access"
	TypePE     = "pe"
	TypeTIFF   = "tiff"
	TypeMP4    = "mp4"
	TypeMP3    = "mp3"
	TypeWAV    = "wav"
	TypeGzip   = "gzip"
	TypePST    = "pst"
	TypeText   = "text"
)

// fileType is what the package knows of one extension.
type fileType struct {
	name   string  // as Recognize reports it
	header []byte  // magic header, nil if none
	text   *family // non-nil for text types
}

// types maps a lower-case extension without its dot to its type.
var types = map[string]*fileType{}

func add(name string, header []byte, exts ...string) {
	for _, e := range exts {
		types[e] = &fileType{name: name, header: header}
	}
}

func init() {
	add(TypePDF, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "pdf")

	add(TypeOOXML, ooxml("word/document.xml"), "docx", "docm", "dotx")
	add(TypeOOXML, ooxml("xl/workbook.xml"), "xlsx", "xlsm", "xltx")
	add(TypeOOXML, ooxml("ppt/presentation.xml"), "pptx", "pptm", "potx")
	add(TypeOOXML, ooxml("visio/document.xml"), "vsdx")
	add(TypeZip, zipEntry("Documents/readme.txt", nil, 0), "zip")

	add(Type7z, sevenZip(), "7z")
	add(TypeRAR, []byte("Rar!\x1a\x07\x01\x00"), "rar")
	add(TypeOLE, ole(), "doc", "dot", "xls", "xlt", "ppt", "pot",
		"msg", "vsd", "pub", "mpp", "msi")

	add(TypeJPEG, jpeg(), "jpg", "jpeg")
	add(TypePNG, png(), "png")
	add(TypeGIF, gif(), "gif")
	add(TypeBMP, bmp(), "bmp")
	add(TypePSD, psd(), "psd")
	add(TypeTIFF, []byte("II*\x00\x08\x00\x00\x00"), "tif", "tiff")
	add(TypeRTF, []byte(`{\rtf1\ansi\ansicpg1252\deff0\nouicompat`+
		`{\fonttbl{\f0\fnil\fcharset0 Calibri;}}`+"\r\n"), "rtf")

	add(TypeAccess, access("Standard Jet DB", 1), "mdb")
	add(TypeAccess, access("Standard ACE DB", 2), "accdb")
	add(TypePE, pe(false), "exe")
	add(TypePE, pe(true), "dll")

	add(TypeMP4, mp4("isom"), "mp4", "m4v", "m4a")
	add(TypeMP4, mp4("qt  "), "mov")
	add(TypeMP3, []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), "mp3")
	add(TypeWAV, wav(), "wav")
	add(TypeGzip, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"),
		"gz", "tgz")
	add(TypePST, []byte("!BDN\x00\x00\x00\x00SM\x17\x00"), "pst", "ost")

	for ext, f := range textTypes {
		types[ext] = &fileType{name: TypeText, header: f.prologue,
			text: f.family}
	}
}

// Header returns the magic header that files with extension ext start
// with, or nil if the type has none. ext is lower case, without the dot.
// Text types return their first line or lines (an XML declaration, a CSV
// heading), nil for plain text. The caller owns the returned slice.
func Header(ext string) []byte {
	t := types[ext]
	if t == nil || t.header == nil {
		return nil
	}
	return bytes.Clone(t.header)
}

// HeaderLen returns how many bytes [Writer.Write] puts down at most in
// sparse mode for extension ext: the header's length, [TextMax] for text
// types, 0 when there is nothing to write. The engine may skip the call
// and only set the size when it returns 0.
func HeaderLen(ext string) int {
	t := types[ext]
	switch {
	case t == nil:
		return 0
	case t.text != nil:
		return TextMax
	}
	return len(t.header)
}

// TypeOf returns the type name that [Recognize] gives the header of
// extension ext, "text" for text types and "" for extensions without a
// header.
func TypeOf(ext string) string {
	t := types[ext]
	if t == nil {
		return ""
	}
	if t.text == nil && t.header == nil {
		return ""
	}
	return t.name
}

// Extensions returns the extensions the package knows, in no order.
func Extensions() []string {
	out := make([]string, 0, len(types))
	for e := range types {
		out = append(out, e)
	}
	return out
}

// Recognize returns the type whose header b starts with: one of the Type
// constants, or "" when b matches none. Bytes that hold no NUL and are
// mostly printable count as text.
func Recognize(b []byte) string {
	has := func(off int, magic string) bool {
		return len(b) >= off+len(magic) &&
			string(b[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "%PDF-"):
		return TypePDF
	case has(0, "PK\x03\x04"):
		if has(30, "[Content_Types].xml") {
			return TypeOOXML
		}
		return TypeZip
	case has(0, "7z\xbc\xaf\x27\x1c"):
		return Type7z
	case has(0, "Rar!\x1a\x07"):
		return TypeRAR
	case has(0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return TypeOLE
	case has(0, "\xff\xd8\xff"):
		return TypeJPEG
	case has(0, "\x89PNG\r\n\x1a\n"):
		return TypePNG
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return TypeGIF
	case has(0, "BM") && has(14, "\x28\x00\x00\x00"):
		return TypeBMP
	case has(0, "8BPS"):
		return TypePSD
	case has(0, `{\rtf`):
		return TypeRTF
	case has(4, "Standard Jet DB"), has(4, "Standard ACE DB"):
		return TypeAccess
	case has(0, "MZ") && isPE(b):
		return TypePE
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return TypeTIFF
	case has(4, "ftyp"):
		return TypeMP4
	case has(0, "ID3"):
		return TypeMP3
	case has(0, "RIFF") && has(8, "WAVE"):
		return TypeWAV
	case has(0, "\x1f\x8b"):
		return TypeGzip
	case has(0, "!BDN"):
		return TypePST
	case isText(b):
		return TypeText
	}
	return ""
}

// isPE reports whether the DOS header's e_lfanew points at "PE\0\0".
func isPE(b []byte) bool {
	if len(b) < 0x40 {
		return false
	}
	off := int(binary.LittleEndian.Uint32(b[0x3c:]))
	return off >= 0x40 && off+4 <= len(b) && string(b[off:off+4]) == "PE\x00\x00"
}

// isText reports whether the first bytes of b hold no NUL and at most one
// in twenty control bytes other than tab, CR and LF.
func isText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	b = b[:min(len(b), 1024)]
	bad := 0
	for _, c := range b {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			bad++
		}
	}
	return bad*20 <= len(b)
}

// le builds little-endian binary headers.
type le []byte

func (b le) u16(v uint16) le { return binary.LittleEndian.AppendUint16(b, v) }
func (b le) u32(v uint32) le { return binary.LittleEndian.AppendUint32(b, v) }
func (b le) u64(v uint64) le { return binary.LittleEndian.AppendUint64(b, v) }
func (b le) s(v string) le   { return append(b, v...) }
func (b le) pad(n int) le    { return append(b, make([]byte, n-len(b))...) }

// zipEntry returns a zip local file header for name holding data, stored
// uncompressed, or announcing a deflated entry of unknown size when data
// is nil and flags has bit 3 set.
func zipEntry(name string, data []byte, flags uint16) []byte {
	method := uint16(0)
	if data == nil && flags&8 != 0 {
		method = 8
	}
	b := le(nil).s("PK\x03\x04").u16(20).u16(flags).u16(method).
		u16(0x6000).u16(0x5a21) // 2025-01-01 12:00
	b = b.u32(crc32.ChecksumIEEE(data)).
		u32(uint32(len(data))).u32(uint32(len(data))).
		u16(uint16(len(name))).u16(0).s(name)
	return append(b, data...)
}

// ooxml returns the start of an Office Open XML package: the
// [Content_Types].xml and _rels/.rels entries, then the header of the
// main part: the third entry is what file(1) looks at to tell Word from
// Excel from PowerPoint.
func ooxml(mainPart string) []byte {
	types := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		"\r\n" + `<Types xmlns="http://schemas.openxmlformats.org/` +
		`package/2006/content-types"><Default Extension="xml" ` +
		`ContentType="application/xml"/></Types>`
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		"\r\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/` +
		`package/2006/relationships"/>`
	b := zipEntry("[Content_Types].xml", []byte(types), 0)
	b = append(b, zipEntry("_rels/.rels", []byte(rels), 0)...)
	return append(b, zipEntry(mainPart, nil, 8)...)
}

// sevenZip returns a 7z signature header announcing an empty next header,
// with its start-header CRC right.
func sevenZip() []byte {
	start := le(nil).u64(0).u64(0).u32(0)
	b := le(nil).s("7z\xbc\xaf\x27\x1c").u16(0x0400)
	return b.u32(crc32.ChecksumIEEE(start)).s(string(start))
}

// ole returns the 512-byte header of a version 3 compound file with one
// FAT sector and the directory in sector 1.
func ole() []byte {
	b := le(nil).s("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1").pad(24).
		u16(0x3e).u16(3).u16(0xfffe).u16(9).u16(6).pad(44)
	// FAT sectors, first directory sector, transactions, mini cutoff.
	b = b.u32(1).u32(1).u32(0).u32(4096)
	// No mini FAT, no DIFAT sectors; the only FAT sector is sector 0.
	b = b.u32(0xfffffffe).u32(0).u32(0xfffffffe).u32(0).u32(0)
	for len(b) < 512 {
		b = b.u32(0xffffffff)
	}
	return b
}

func jpeg() []byte {
	return le(nil).s("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x01").
		s("\x00\x60\x00\x60\x00\x00")
}

func png() []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, 1280)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 720)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, not interlaced
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

func gif() []byte {
	return le(nil).s("GIF89a").u16(640).u16(480).s("\xf7\x00\x00")
}

func bmp() []byte {
	const w, h = 800, 600
	return le(nil).s("BM").u32(54 + w*h*3).u32(0).u32(54).
		u32(40).u32(w).u32(h).u16(1).u16(24).u32(0).u32(w * h * 3).
		u32(2835).u32(2835).u32(0).u32(0)
}

func psd() []byte {
	b := []byte("8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03")
	b = binary.BigEndian.AppendUint32(b, 1080) // height
	b = binary.BigEndian.AppendUint32(b, 1920) // width
	return append(b, 0, 8, 0, 3)               // 8 bits, RGB
}

// access returns the first page header of a Jet (mdb) or ACE (accdb)
// database.
func access(engine string, version uint32) []byte {
	return le(nil).u32(0x100).s(engine).u16(0).u32(version).pad(0x20)
}

// pe returns a DOS header whose e_lfanew points at a PE signature, a COFF
// header for x86-64 and a PE32+ optional header for a GUI program.
func pe(dll bool) []byte {
	const lfanew = 0x80
	b := le(nil).s("MZ").u16(0x90).u16(3).u16(0).u16(4).u16(0).
		u16(0xffff).u16(0).u16(0xb8).pad(0x3c).u32(lfanew).
		s("\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21").
		s("This program cannot be run in DOS mode.\r\r\n$").pad(lfanew)

	chars := uint16(0x0022) // executable, large address aware
	if dll {
		chars |= 0x2000
	}
	b = b.s("PE\x00\x00").u16(0x8664).u16(0).u32(0x65a1b2c3).
		u32(0).u32(0).u16(240).u16(chars)

	opt := le(nil).u16(0x20b).pad(68).u16(2) // PE32+, Windows GUI
	return append(b, opt.pad(240)...)
}

func mp4(brand string) []byte {
	b := []byte("\x00\x00\x00\x20ftyp")
	b = append(b, brand...)
	b = append(b, 0, 0, 2, 0)
	return append(b, brand+"iso2avc1mp41"...)
}

func wav() []byte {
	return le(nil).s("RIFF").u32(0x00ac4424).s("WAVEfmt ").u32(16).
		u16(1).u16(2).u32(44100).u32(176400).u16(4).u16(16).
		s("data").u32(0x00ac4400)
}
