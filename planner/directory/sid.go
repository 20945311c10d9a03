package directory

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// sidString formats a binary SID (revision, count, 48-bit big-endian
// authority, little-endian 32-bit sub-authorities) as S-1-5-21-....
func sidString(b []byte) (string, error) {
	if len(b) < 8 || len(b) != 8+4*int(b[1]) {
		return "", fmt.Errorf("%w: SID of %d bytes", ErrFormat, len(b))
	}
	var auth uint64
	for _, x := range b[2:8] {
		auth = auth<<8 | uint64(x)
	}
	var sb strings.Builder
	sb.WriteString("S-")
	sb.WriteString(strconv.Itoa(int(b[0])))
	sb.WriteByte('-')
	sb.WriteString(strconv.FormatUint(auth, 10))
	for i := range int(b[1]) {
		sb.WriteByte('-')
		v := binary.LittleEndian.Uint32(b[8+4*i:])
		sb.WriteString(strconv.FormatUint(uint64(v), 10))
	}
	return sb.String(), nil
}

// sidBytes is the inverse of sidString.
func sidBytes(s string) ([]byte, error) {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || parts[0] != "S" {
		return nil, fmt.Errorf("%w: SID %q", ErrFormat, s)
	}
	rev, err := strconv.ParseUint(parts[1], 10, 8)
	if err != nil {
		return nil, fmt.Errorf("%w: SID %q", ErrFormat, s)
	}
	auth, err := strconv.ParseUint(parts[2], 10, 48)
	if err != nil {
		return nil, fmt.Errorf("%w: SID %q", ErrFormat, s)
	}
	subs := parts[3:]
	b := make([]byte, 8+4*len(subs))
	b[0], b[1] = byte(rev), byte(len(subs))
	for i := range 6 {
		b[7-i] = byte(auth >> (8 * i))
	}
	for i, p := range subs {
		v, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: SID %q", ErrFormat, s)
		}
		binary.LittleEndian.PutUint32(b[8+4*i:], uint32(v))
	}
	return b, nil
}

// splitRID returns the domain part and the relative id of a SID string.
func splitRID(sid string) (domain string, rid uint32, ok bool) {
	i := strings.LastIndexByte(sid, '-')
	if i < 0 {
		return "", 0, false
	}
	v, err := strconv.ParseUint(sid[i+1:], 10, 32)
	if err != nil {
		return "", 0, false
	}
	return sid[:i], uint32(v), true
}

// mapRID gives the id of a relative id, as idmap_rid does: base + rid,
// for rids below count.
func mapRID(rid, base, count uint32) (uint32, bool) {
	if rid >= count || base+rid < base {
		return 0, false
	}
	return base + rid, true
}
