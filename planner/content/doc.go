// Package content owns what goes inside a planned file and the
// Windows-style attributes that Samba reads from extended attributes.
//
// # Content
//
// A file's bytes are a pure function of the content [Mode], the file's
// extension, its size and a 64-bit key that the planner derives from the
// seed. A [Writer] puts them into a [File]; the engine gives it a raw
// file descriptor and sets size, owner, mode, extended attributes and
// times itself.
//
// Every mode starts a file with the magic header of its type (see
// [Header]), so that tools which sniff types see a PDF, a workbook or a
// JPEG. What follows depends on the mode:
//
//   - sparse (the default): nothing; the rest of the file is a hole.
//     Text types instead get up to [TextMax] bytes of plausible text.
//   - zero: real zero blocks, allocated on disk.
//   - random: incompressible bytes.
//   - compress:R: bytes that gzip or zstd shrink by about R to 1.
//   - dedup:R: 4 KiB blocks of which about one in R is unique; the
//     duplicates come from a small pool shared by every file of every
//     run, so block-level deduplication saves about 1 - 1/R.
//
// # Attributes
//
// Samba keeps DOS attributes and the creation time in [XattrDOS] and
// alternate data streams in user.DosStream.* attributes. [DOSAttrib] and
// [ZoneIdentifier] build those values so that a share served by Samba
// shows read-only, hidden and downloaded-from-internet files.
//
// # Cost
//
// The sparse path allocates nothing per file. The other modes fill a
// buffer owned by the [Writer] and reuse it; a Writer therefore belongs
// to one worker.
package content
