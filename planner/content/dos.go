package content

import (
	"encoding/binary"
	"strconv"
)

// XattrDOS is the extended attribute in which Samba keeps a file's DOS
// attributes and creation time ("store dos attributes = yes").
const XattrDOS = "user.DOSATTRIB"

// XattrZone is the extended attribute in which Samba's streams_xattr
// module keeps the Zone.Identifier alternate data stream: the mark that
// Windows puts on files downloaded from the internet.
const XattrZone = "user.DosStream.Zone.Identifier:$DATA"

// The FILE_ATTRIBUTE_* values of Windows, as [DOSAttrib] takes them.
const (
	AttrReadOnly          uint32 = 0x00000001
	AttrHidden            uint32 = 0x00000002
	AttrSystem            uint32 = 0x00000004
	AttrDirectory         uint32 = 0x00000010
	AttrArchive           uint32 = 0x00000020
	AttrNormal            uint32 = 0x00000080
	AttrTemporary         uint32 = 0x00000100
	AttrSparse            uint32 = 0x00000200
	AttrOffline           uint32 = 0x00001000
	AttrNotContentIndexed uint32 = 0x00002000
)

// The Internet Explorer security zones a Zone.Identifier names.
const (
	ZoneLocal    = 0 // the local computer
	ZoneIntranet = 1
	ZoneTrusted  = 2
	ZoneInternet = 3
	ZoneRestrict = 4
)

// DOS info version 4 layout, as Samba's NDR code writes it: an empty
// compatibility string (one NUL) padded to 2, the version and the union
// switch (both 4), padding to 8, then the xattr_DosInfo4 members.
const (
	dosVersion      = 4
	dosValidAttrib  = 0x01 // XATTR_DOSINFO_ATTRIB
	dosValidCreate  = 0x10 // XATTR_DOSINFO_CREATE_TIME
	dosLen          = 32
	dosOffVersion   = 2
	dosOffSwitch    = 4
	dosOffValid     = 8
	dosOffAttrib    = 12
	dosOffITime     = 16
	dosOffCreate    = 24
	ntEpochOffset   = 116444736000000000 // 1601 to 1970 in 100 ns units
	nanosPerNTTicks = 100
)

// DOSAttrib returns the value of [XattrDOS] for a file with DOS attributes
// attrs and creation time ctime (Unix nanoseconds): Samba's
// xattr_DOSATTRIB at version 4, which is what current Samba writes, with
// the attributes and the creation time marked valid and no itime.
func DOSAttrib(attrs uint32, ctime int64) []byte {
	b := make([]byte, dosLen)
	le := binary.LittleEndian
	le.PutUint16(b[dosOffVersion:], dosVersion)
	le.PutUint16(b[dosOffSwitch:], dosVersion)
	le.PutUint32(b[dosOffValid:], dosValidAttrib|dosValidCreate)
	le.PutUint32(b[dosOffAttrib:], attrs)
	le.PutUint64(b[dosOffCreate:], NTTime(ctime))
	return b
}

// NTTime converts Unix nanoseconds to an NT time: 100-nanosecond ticks
// since 1601-01-01 UTC, rounded toward the past. Every int64 lands after
// 1601, so the result is never negative.
func NTTime(unixNano int64) uint64 {
	t := unixNano/nanosPerNTTicks + ntEpochOffset
	if unixNano < 0 && unixNano%nanosPerNTTicks != 0 {
		t-- // round toward the past, like the positive side
	}
	return uint64(t)
}

// ZoneIdentifier returns the value of [XattrZone] for a file from zone
// (3 for the internet): the stream's text, "[ZoneTransfer]\r\nZoneId=3\r\n",
// followed by the NUL that streams_xattr stores after every stream and
// leaves out of the stream's size.
func ZoneIdentifier(zone int) []byte {
	b := []byte("[ZoneTransfer]\r\nZoneId=")
	b = strconv.AppendInt(b, int64(zone), 10)
	return append(b, "\r\n\x00"...)
}
