package doctor

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/dustin/go-humanize"
	"golang.org/x/sys/unix"
)

// Status is the outcome of one check.
type Status string

// Outcomes of a check. A run can go ahead after Warn, perhaps without
// some feature; after Fail it cannot do what was asked.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Names of the checks, in the order Run makes them.
const (
	CheckTarget    = "target"
	CheckWritable  = "writable"
	CheckSparse    = "sparse"
	CheckXattrs    = "xattrs"
	CheckACLs      = "acls"
	CheckChown     = "chown"
	CheckSpace     = "space"
	CheckInodes    = "inodes"
	CheckDirectory = "directory"
	CheckCleanup   = "cleanup"
)

// Need says what the run will ask of the target. A feature the run
// needs fails its check when missing; one it does not need only warns.
type Need struct {
	// Files and Bytes are the inodes and the bytes the run will take;
	// zero means unknown, and the check only reports what is free.
	Files, Bytes int64
	// Chown, ACLs and Xattrs are set when the run will give files other
	// owners, POSIX ACLs, or extended attributes.
	Chown  bool
	ACLs   bool
	Xattrs bool
	// Directory, when set, checks the directory server the run will
	// resolve owners with; its error fails the check. It is called once,
	// with a context that ends after DirectoryTimeout.
	Directory func(context.Context) error
}

// DirectoryTimeout bounds the directory server check.
const DirectoryTimeout = 10 * time.Second

// Result is the outcome of one check: what was found and, unless the
// check passed, what to do about it.
type Result struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// String formats r as one line: status, check, detail and fix.
func (r Result) String() string {
	s := fmt.Sprintf("%-4s  %-9s  %s", r.Status, r.Check, r.Detail)
	if r.Fix != "" {
		s += "; " + r.Fix
	}
	return s
}

// Failed reports whether any result is a Fail.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Status == Fail {
			return true
		}
	}
	return false
}

// probeID is the uid and gid the chown check gives the probe file and
// the ACL check names: one no real account is likely to have.
const probeID = 54321

// sparseSize is the size the sparse check truncates its probe to.
const sparseSize = 64 << 20

// Run checks target against need and returns one result per check. It
// never stops at a failure, except that nothing is checked in a target
// that is missing or not a directory. It is safe for concurrent use.
func Run(ctx context.Context, target string, need Need) []Result {
	var rs []Result
	add := func(check string, s Status, detail, fix string) {
		rs = append(rs, Result{check, s, detail, fix})
	}

	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, os.ErrNotExist):
		add(CheckTarget, Fail, target+" does not exist",
			"create it (mkdir -p) or name an existing directory")
		return rs
	case err != nil:
		add(CheckTarget, Fail, fmt.Sprintf("cannot stat: %v", err),
			"check the path and the permissions of its parents")
		return rs
	case !fi.IsDir():
		add(CheckTarget, Fail, target+" is not a directory",
			"name a directory; filegen builds its tree inside it")
		return rs
	}
	add(CheckTarget, OK, target+" is a directory", "")

	rs = append(rs, writeChecks(target, need)...)
	rs = append(rs, spaceChecks(target, need)...)
	if need.Directory != nil {
		rs = append(rs, directoryCheck(ctx, need.Directory))
	}
	return rs
}

// writeChecks makes the checks that write, inside one temporary folder
// in target that it removes.
func writeChecks(target string, need Need) []Result {
	dir, err := os.MkdirTemp(target, ".filegen-doctor-")
	if err != nil {
		rs := []Result{{CheckWritable, Fail, fmt.Sprintf(
			"cannot create an entry: %v", unwrap(err)), writeFix(err)}}
		for _, c := range []string{CheckSparse, CheckXattrs,
			CheckACLs, CheckChown} {
			rs = append(rs, Result{c, Warn,
				"not checked: the target is not writable", ""})
		}
		return rs
	}

	probe := filepath.Join(dir, "probe")
	var rs []Result
	if err := os.WriteFile(probe, []byte("filegen doctor\n"), 0o644); err != nil {
		rs = append(rs, Result{CheckWritable, Fail, fmt.Sprintf(
			"cannot write a file: %v", unwrap(err)), writeFix(err)})
	} else {
		rs = append(rs, Result{CheckWritable, OK,
			"created and wrote a file", ""})
		rs = append(rs, sparseCheck(filepath.Join(dir, "sparse")),
			xattrCheck(probe, need.Xattrs),
			aclCheck(probe, need.ACLs),
			chownCheck(probe, need.Chown))
	}

	if err := os.RemoveAll(dir); err != nil {
		rs = append(rs, Result{CheckCleanup, Warn,
			fmt.Sprintf("cannot remove %s: %v", dir, err),
			"remove it by hand"})
	}
	return rs
}

func writeFix(err error) string {
	switch {
	case errors.Is(err, unix.EROFS):
		return "the file system is read-only: remount it read-write " +
			"or choose another target"
	case errors.Is(err, unix.EACCES), errors.Is(err, unix.EPERM):
		return "grant this user write permission on the target, " +
			"or run as root"
	case errors.Is(err, unix.ENOSPC), errors.Is(err, unix.EDQUOT):
		return "free space or inodes, or raise the quota"
	}
	return "check that the target is mounted and healthy"
}

// sparseCheck truncates a new file to sparseSize and sees whether the
// file system allocated blocks for it.
func sparseCheck(p string) Result {
	f, err := os.Create(p)
	if err != nil {
		return Result{CheckSparse, Warn,
			fmt.Sprintf("not checked: %v", unwrap(err)), ""}
	}
	defer f.Close()
	if err := f.Truncate(sparseSize); err != nil {
		return Result{CheckSparse, Warn,
			fmt.Sprintf("cannot truncate: %v", unwrap(err)),
			"plan files with real content only"}
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return Result{CheckSparse, Warn,
			fmt.Sprintf("cannot stat: %v", err), ""}
	}
	alloc := st.Blocks * 512
	if alloc >= sparseSize/2 {
		return Result{CheckSparse, Warn, fmt.Sprintf(
			"a %s file with a hole took %s on disk",
			humanize.IBytes(sparseSize), humanize.IBytes(uint64(alloc))),
			"count the full planned size against free space, " +
				"or choose a file system that keeps holes"}
	}
	return Result{CheckSparse, OK, fmt.Sprintf(
		"a %s file with a hole took %s on disk",
		humanize.IBytes(sparseSize), humanize.IBytes(uint64(alloc))), ""}
}

// xattrCheck sets and reads back a user.* attribute.
func xattrCheck(p string, needed bool) Result {
	const name = "user.filegen.doctor"
	want := []byte("ok")
	err := unix.Lsetxattr(p, name, want, 0)
	if err == nil {
		buf := make([]byte, 16)
		var n int
		n, err = unix.Lgetxattr(p, name, buf)
		if err == nil && !bytes.Equal(buf[:n], want) {
			err = fmt.Errorf("read back %q, wrote %q", buf[:n], want)
		}
	}
	if err != nil {
		return Result{CheckXattrs, missing(needed), fmt.Sprintf(
			"cannot set and read %s: %v", name, err),
			"mount with user_xattr, or plan without extended attributes"}
	}
	return Result{CheckXattrs, OK, "user.* attributes are kept", ""}
}

// aclCheck sets a POSIX access ACL that grants probeID read access.
func aclCheck(p string, needed bool) Result {
	const name = "system.posix_acl_access"
	err := unix.Lsetxattr(p, name, aclBlob(), 0)
	if err == nil {
		_, err = unix.Lgetxattr(p, name, make([]byte, 128))
	}
	if err != nil {
		return Result{CheckACLs, missing(needed), fmt.Sprintf(
			"cannot set %s: %v", name, err),
			"mount with acl (NFSv4 ACLs are not POSIX ACLs), " +
				"or plan without ACLs"}
	}
	return Result{CheckACLs, OK, "POSIX ACLs are kept", ""}
}

// aclBlob encodes the ACL u::rw-, u:probeID:r--, g::r--, m::r--, o::r--
// in the kernel's xattr format: a version, then entries of tag, perm
// and id, sorted by tag.
func aclBlob() []byte {
	const none = 0xffffffff
	entries := []struct {
		tag, perm uint16
		id        uint32
	}{
		{0x01, 6, none},    // ACL_USER_OBJ
		{0x02, 4, probeID}, // ACL_USER
		{0x04, 4, none},    // ACL_GROUP_OBJ
		{0x10, 4, none},    // ACL_MASK
		{0x20, 4, none},    // ACL_OTHER
	}
	b := binary.LittleEndian.AppendUint32(nil, 2)
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint16(b, e.tag)
		b = binary.LittleEndian.AppendUint16(b, e.perm)
		b = binary.LittleEndian.AppendUint32(b, e.id)
	}
	return b
}

// chownCheck gives the probe file to probeID and checks that it stuck.
func chownCheck(p string, needed bool) Result {
	err := os.Lchown(p, probeID, probeID)
	if err == nil {
		var st unix.Stat_t
		err = unix.Lstat(p, &st)
		if err == nil && (st.Uid != probeID || st.Gid != probeID) {
			err = fmt.Errorf("owner is %d:%d after chown to %d:%d",
				st.Uid, st.Gid, probeID, probeID)
		}
	}
	if err != nil {
		return Result{CheckChown, missing(needed), fmt.Sprintf(
			"cannot give a file to %d:%d: %v", probeID, probeID,
			unwrap(err)),
			"run as root; on NFS, export without root_squash"}
	}
	return Result{CheckChown, OK, "files can be given other owners", ""}
}

// spaceChecks compares free space and inodes with the need.
func spaceChecks(target string, need Need) []Result {
	var fs unix.Statfs_t
	if err := unix.Statfs(target, &fs); err != nil {
		return []Result{{CheckSpace, Warn,
			fmt.Sprintf("cannot statfs: %v", err), ""}}
	}
	var rs []Result

	free := fs.Bavail * uint64(fs.Bsize)
	detail := humanize.IBytes(free) + " free"
	switch {
	case need.Bytes <= 0:
		rs = append(rs, Result{CheckSpace, OK, detail, ""})
	case uint64(need.Bytes) > free:
		rs = append(rs, Result{CheckSpace, Fail, fmt.Sprintf(
			"%s, the run needs %s", detail,
			humanize.IBytes(uint64(need.Bytes))),
			"free space, plan fewer or smaller files, " +
				"or choose a larger target"})
	default:
		rs = append(rs, Result{CheckSpace, OK, fmt.Sprintf(
			"%s, the run needs %s", detail,
			humanize.IBytes(uint64(need.Bytes))), ""})
	}

	if fs.Files == 0 {
		// btrfs and some network file systems allot inodes on demand.
		return append(rs, Result{CheckInodes, OK,
			"the file system sets no inode limit", ""})
	}
	detail = humanize.Comma(int64(fs.Ffree)) + " inodes free"
	switch {
	case need.Files <= 0:
		rs = append(rs, Result{CheckInodes, OK, detail, ""})
	case uint64(need.Files) > fs.Ffree:
		rs = append(rs, Result{CheckInodes, Fail, fmt.Sprintf(
			"%s, the run needs %s", detail, humanize.Comma(need.Files)),
			"plan fewer files, or make the file system with more " +
				"inodes (mkfs.ext4 -N or -i)"})
	default:
		rs = append(rs, Result{CheckInodes, OK, fmt.Sprintf(
			"%s, the run needs %s", detail, humanize.Comma(need.Files)),
			""})
	}
	return rs
}

func directoryCheck(ctx context.Context, check func(context.Context) error) Result {
	ctx, cancel := context.WithTimeout(ctx, DirectoryTimeout)
	defer cancel()
	if err := check(ctx); err != nil {
		return Result{CheckDirectory, Fail,
			fmt.Sprintf("the directory server did not answer: %v", err),
			"check its address and credentials, or run without it " +
				"(--no-ad)"}
	}
	return Result{CheckDirectory, OK, "the directory server answered", ""}
}

// missing is the status of a feature the target lacks.
func missing(needed bool) Status {
	if needed {
		return Fail
	}
	return Warn
}

// unwrap drops the path an *os.PathError adds, which is the temporary
// entry's and means nothing to the reader.
func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
