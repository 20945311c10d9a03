// Package acl owns POSIX access control lists as the kernel stores them in
// extended attributes, and the folder permission patterns a generated
// file share uses.
//
// # Encoding
//
// [ACL.Encode] writes the layout that the kernel reads from
// [XattrAccess] and [XattrDefault]: a four-byte version header (2)
// followed by eight-byte entries (tag, permission, id), all little
// endian. Entries are sorted the way the kernel checks them: the owner,
// named users by id, the owning group, named groups by id, the mask,
// others. A mask is added when named entries exist and none was given.
// [Decode] reads the same layout back and rejects a truncated buffer, a
// wrong version and unknown tags.
//
// # Patterns
//
// [Pick] turns a uniform draw into one of the five folder patterns in
// the proportions a real share shows (proper group nesting 55 %,
// department group directly 25 %, a former user 10 %, everyone read 5 %,
// contractors denied write 5 %). [Folder] builds the access and default
// lists for a pattern or for one of the fixed rules (Sensitive, Temp,
// Public, Board, archives, home folders).
//
// # Deny entries
//
// POSIX ACLs only grant; there is no deny entry. The Windows pattern
// "contractors denied write" becomes a named entry for the contractors
// group with read and execute but not write. A contractor still gains
// whatever the other entries grant, so when contractors are also members
// of a group with write access they can write: the nearest honest
// encoding, not an equivalent one. Likewise "breaking inheritance" on a
// Sensitive folder means its lists are built from scratch instead of
// from its parent's, and others get nothing.
package acl
