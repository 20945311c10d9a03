package acl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Extended attribute names under which the kernel keeps a file's access
// list and a directory's default list.
const (
	XattrAccess  = "system.posix_acl_access"
	XattrDefault = "system.posix_acl_default"
)

// Sentinel errors returned by [Decode].
var (
	// ErrShort means the buffer is not a header and whole entries.
	ErrShort = errors.New("acl: truncated encoding")
	// ErrVersion means the header is not version 2.
	ErrVersion = errors.New("acl: unsupported version")
	// ErrTag means an entry has an unknown tag.
	ErrTag = errors.New("acl: unknown tag")
)

// Tag is the kind of an entry, with the kernel's values.
type Tag uint16

// Entry tags, in the order the kernel wants them.
const (
	UserObj  Tag = 0x01 // the owning user
	User     Tag = 0x02 // a named user
	GroupObj Tag = 0x04 // the owning group
	Group    Tag = 0x08 // a named group
	Mask     Tag = 0x10 // the upper bound for named entries and the group
	Other    Tag = 0x20 // everyone else
)

// Permission bits of an entry.
const (
	Read  uint16 = 4
	Write uint16 = 2
	Exec  uint16 = 1
	RWX          = Read | Write | Exec
	RX           = Read | Exec
)

const (
	version   = 2
	undefined = ^uint32(0) // id stored for entries without one
	headerLen = 4
	entryLen  = 8
)

// Entry is one line of a list. ID is meaningful for User and Group only.
type Entry struct {
	Tag  Tag
	Perm uint16 // rwx bits: 4, 2, 1
	ID   uint32
}

// ACL is a list of entries in any order; Encode sorts it.
type ACL []Entry

// Encode returns the kernel's xattr encoding of a: entries sorted by tag
// then id, a mask added when named entries exist without one (the union
// of the named and owning-group permissions, as setfacl computes it), and
// the id of unnamed entries set to the undefined id. Encode does not
// modify a.
func (a ACL) Encode() []byte {
	n := a.normal()
	b := make([]byte, headerLen+entryLen*len(n))
	binary.LittleEndian.PutUint32(b, version)
	for i, e := range n {
		p := b[headerLen+entryLen*i:]
		id := e.ID
		if e.Tag != User && e.Tag != Group {
			id = undefined
		}
		binary.LittleEndian.PutUint16(p, uint16(e.Tag))
		binary.LittleEndian.PutUint16(p[2:], e.Perm&RWX)
		binary.LittleEndian.PutUint32(p[4:], id)
	}
	return b
}

// normal returns a sorted copy of a with a mask when one is needed.
func (a ACL) normal() ACL {
	n := slices.Clone(a)
	named, mask := false, false
	var union uint16
	for _, e := range n {
		switch e.Tag {
		case User, Group:
			named = true
			union |= e.Perm
		case GroupObj:
			union |= e.Perm
		case Mask:
			mask = true
		}
	}
	if named && !mask {
		n = append(n, Entry{Tag: Mask, Perm: union & RWX})
	}
	slices.SortStableFunc(n, func(x, y Entry) int {
		if x.Tag != y.Tag {
			return int(x.Tag) - int(y.Tag)
		}
		if x.ID < y.ID {
			return -1
		}
		if x.ID > y.ID {
			return 1
		}
		return 0
	})
	return n
}

// Decode parses the kernel's xattr encoding. Unnamed entries come back
// with ID 0.
func Decode(b []byte) (ACL, error) {
	if len(b) < headerLen || (len(b)-headerLen)%entryLen != 0 {
		return nil, fmt.Errorf("%w: %d bytes", ErrShort, len(b))
	}
	if v := binary.LittleEndian.Uint32(b); v != version {
		return nil, fmt.Errorf("%w: %d", ErrVersion, v)
	}
	a := make(ACL, 0, (len(b)-headerLen)/entryLen)
	for p := b[headerLen:]; len(p) > 0; p = p[entryLen:] {
		e := Entry{
			Tag:  Tag(binary.LittleEndian.Uint16(p)),
			Perm: binary.LittleEndian.Uint16(p[2:]),
		}
		switch e.Tag {
		case User, Group:
			e.ID = binary.LittleEndian.Uint32(p[4:])
		case UserObj, GroupObj, Mask, Other:
		default:
			return nil, fmt.Errorf("%w: %#x", ErrTag, uint16(e.Tag))
		}
		a = append(a, e)
	}
	return a, nil
}

// String returns the list in the comma-separated text form that getfacl
// prints one entry per line (with -c, -n and -E), in encoded order with
// numeric ids: "user::rwx,user:1001:r-x,group::r-x,mask::r-x,other::---".
func (a ACL) String() string {
	var sb strings.Builder
	for i, e := range a.normal() {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(e.Tag.String())
		sb.WriteByte(':')
		if e.Tag == User || e.Tag == Group {
			sb.WriteString(strconv.FormatUint(uint64(e.ID), 10))
		}
		sb.WriteByte(':')
		sb.WriteString(perm(e.Perm))
	}
	return sb.String()
}

// String returns the tag's word in getfacl's text form.
func (t Tag) String() string {
	switch t {
	case UserObj, User:
		return "user"
	case GroupObj, Group:
		return "group"
	case Mask:
		return "mask"
	case Other:
		return "other"
	}
	return "tag" + strconv.Itoa(int(t))
}

func perm(p uint16) string {
	b := []byte("---")
	if p&Read != 0 {
		b[0] = 'r'
	}
	if p&Write != 0 {
		b[1] = 'w'
	}
	if p&Exec != 0 {
		b[2] = 'x'
	}
	return string(b)
}
