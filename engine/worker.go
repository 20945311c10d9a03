package engine

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"filegen/planner"
	"filegen/planner/acl"
	"filegen/planner/content"
	"filegen/store"
)

// fatal reports whether an error on one entry means that no other entry
// can succeed either, so the run must stop: the file system is full, read
// only, or gone.
func fatal(err error) bool {
	switch errno(err) {
	case unix.ENOSPC, unix.EDQUOT, unix.EROFS, unix.EIO, unix.ESTALE, unix.ENOTCONN, unix.ENODEV:
		return true
	}
	return false
}

// worker executes chunks. Each worker has its own folder handles and
// content buffers.
type worker struct {
	root    int
	dirs    *dirs
	content *content.Writer
	xattrs  *xattrSupport
}

// xattrSupport remembers, for all workers, whether the target keeps
// extended attributes: once it has said no, files go without them and
// the run records that once.
type xattrSupport struct{ off atomic.Bool }

// execute creates the chunk's folders and files. It returns the chunk's
// result, with per-entry errors inside it, or an error that stops the
// run: a fatal one from the file system, or ctx's when the run is
// stopping, in which case the chunk is not finished.
func (w *worker) execute(ctx context.Context, c *planner.Chunk) (store.Result, error) {
	res := store.Result{Chunk: c.Index}
	fail := func(err error) {
		e := store.FileError{Time: time.Now().UTC(), Err: err.Error(), Errno: int(errno(err))}
		if oe, ok := err.(*OpError); ok {
			e.Path, e.Op, e.Err = oe.Path, oe.Op, oe.Err.Error()
		}
		res.Errors = append(res.Errors, e)
	}

	fi := 0
	for di := range c.Dirs {
		d := &c.Dirs[di]
		dirfd, _, err := w.dirs.open(d.Path, true)
		if err != nil {
			if fatal(err) {
				return res, err
			}
			// Every file of the folder fails with it.
			fail(err)
			fi += d.Files
			continue
		}
		if d.Final {
			res.Dirs++
		}
		for i := 0; i < d.Files; i, fi = i+1, fi+1 {
			if fi%256 == 0 && ctx.Err() != nil {
				return res, ctx.Err()
			}
			f := &c.Files[fi]
			key := planner.ContentKey(d.Key, d.First+i)
			if err := w.create(dirfd, f, key); err != nil {
				err.(*OpError).Path = d.Path + "/" + f.Name
				if fatal(err) {
					return res, err
				}
				fail(err)
				continue
			}
			res.Files++
			res.Bytes += f.Size
		}
	}
	return res, nil
}

// fdFile is a file descriptor as content.File.
type fdFile struct {
	fd    int
	fresh bool // created by this open: empty
}

func (f fdFile) WriteAt(p []byte, off int64) (int, error) {
	n, err := unix.Pwrite(f.fd, p, off)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	return n, err
}

func (f fdFile) Truncate(size int64) error {
	if f.fresh && size == 0 {
		return nil // already empty
	}
	return unix.Ftruncate(f.fd, size)
}

// create makes one file as planned: created or truncated to its size,
// its content, owner, mode, extended attributes, and its times last,
// since every other step changes them. Running it twice gives the same
// file.
func (w *worker) create(dirfd int, f *planner.File, key uint64) error {
	const flags = unix.O_WRONLY | unix.O_CREAT | unix.O_NOFOLLOW | unix.O_CLOEXEC | unix.O_NONBLOCK
	fresh := true
	fd, err := unix.Openat(dirfd, f.Name, flags|unix.O_EXCL, f.Attrs.Mode)
	if err == unix.EEXIST {
		// Executed before: only ever rewrite a regular file, never
		// open a device, a pipe or a link that sits in its place.
		fresh = false
		var st unix.Stat_t
		if err = unix.Fstatat(dirfd, f.Name, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil {
			if st.Mode&unix.S_IFMT != unix.S_IFREG {
				return &OpError{Op: "create", Err: errNotRegular}
			}
			fd, err = unix.Openat(dirfd, f.Name, flags, f.Attrs.Mode)
			if err == unix.EACCES && st.Mode&0o200 == 0 {
				// A read-only file from an earlier pass, and no
				// privilege to override its mode: make it writable.
				if err = unix.Fchmodat(dirfd, f.Name, 0o600, 0); err == nil {
					fd, err = unix.Openat(dirfd, f.Name, flags, f.Attrs.Mode)
				}
			}
		}
	}
	if err != nil {
		return &OpError{Op: "create", Err: err}
	}
	defer unix.Close(fd)

	if err := w.content.Write(fdFile{fd: fd, fresh: fresh}, f.Ext(), f.Size, key); err != nil {
		return &OpError{Op: "write", Err: err}
	}
	if f.Attrs.UID != planner.NoID || f.Attrs.GID != planner.NoID {
		if err := chown(fd, f.Attrs.UID, f.Attrs.GID); err != nil {
			return &OpError{Op: "chown", Err: err}
		}
	}
	if !fresh {
		// A fresh file has its mode from the create, under umask 0.
		if err := unix.Fchmod(fd, f.Attrs.Mode); err != nil {
			return &OpError{Op: "chmod", Err: err}
		}
	}
	if err := w.setXattrs(fd, &f.Attrs, f.Ctime); err != nil {
		return err
	}
	if err := setTimes(fd, f.Atime, f.Mtime); err != nil {
		return &OpError{Op: "times", Err: err}
	}
	return nil
}

// setXattrs writes a file's DOS attributes with its creation time (as
// Samba keeps them), its downloaded-from-internet marker, and its own
// access list.
func (w *worker) setXattrs(fd int, a *planner.Attrs, ctime int64) error {
	if w.xattrs.off.Load() {
		return nil
	}
	err := unix.Fsetxattr(fd, content.XattrDOS, content.DOSAttrib(dosAttrs(a.Flags), ctime), 0)
	if err == nil && a.Flags&planner.FlagZone != 0 {
		err = unix.Fsetxattr(fd, content.XattrZone, zone, 0)
	}
	if err == nil && a.ACL != "" {
		err = unix.Fsetxattr(fd, acl.XattrAccess, []byte(a.ACL), 0)
	}
	if err == unix.ENOTSUP || err == unix.EOPNOTSUPP {
		if w.xattrs.off.CompareAndSwap(false, true) {
			return &OpError{Op: "setxattr", Err: fmt.Errorf("the target keeps no extended attributes; files go without DOS attributes, markers and access lists: %w", err)}
		}
		return nil
	}
	if err != nil {
		return &OpError{Op: "setxattr", Err: err}
	}
	return nil
}

// zone is the Zone.Identifier stream of a file downloaded from the
// internet.
var zone = content.ZoneIdentifier(content.ZoneInternet)

// dosAttrs maps a plan's flags to DOS attributes.
func dosAttrs(flags uint8) uint32 {
	a := content.AttrArchive
	if flags&planner.FlagReadOnly != 0 {
		a |= content.AttrReadOnly
	}
	if flags&planner.FlagHidden != 0 {
		a |= content.AttrHidden
	}
	if flags&planner.FlagSystem != 0 {
		a |= content.AttrSystem
	}
	return a
}

// finalizeDir applies a folder's own attributes: owner, mode, access
// lists, and times last.
func finalizeDir(fd int, d *planner.Dir) error {
	if d.Attrs.UID != planner.NoID || d.Attrs.GID != planner.NoID {
		if err := chown(fd, d.Attrs.UID, d.Attrs.GID); err != nil {
			return &OpError{Op: "chown", Path: d.Path, Err: err}
		}
	}
	if err := unix.Fchmod(fd, d.Attrs.Mode); err != nil {
		return &OpError{Op: "chmod", Path: d.Path, Err: err}
	}
	for _, x := range []struct{ name, value string }{
		{acl.XattrAccess, d.Attrs.ACL}, {acl.XattrDefault, d.Attrs.DefaultACL},
	} {
		if x.value == "" {
			continue
		}
		if err := unix.Fsetxattr(fd, x.name, []byte(x.value), 0); err != nil {
			return &OpError{Op: "setxattr", Path: d.Path, Err: err}
		}
	}
	if err := setTimes(fd, d.Atime, d.Mtime); err != nil {
		return &OpError{Op: "times", Path: d.Path, Err: err}
	}
	return nil
}
