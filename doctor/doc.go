// Package doctor checks, before a run starts, that a target can take
// what the run will ask of it: that it is a writable directory, that it
// keeps sparse files sparse, that it stores extended attributes and
// POSIX ACLs, that files there can be given away to other owners, that
// it has the free space and inodes the run needs, and that the
// directory server answers.
//
// [Run] gives one [Result] per check, each ok, warn or fail with what to
// do about it. Checks that need to write do so inside one temporary
// entry, named .filegen-doctor-*, in the target, which Run removes
// before it returns; Run writes nowhere else.
package doctor
