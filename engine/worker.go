package engine

import (
	"context"
	"time"

	"golang.org/x/sys/unix"

	"filegen/planner"
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

// worker executes chunks. Each worker has its own folder handles.
type worker struct {
	root int
	dirs *dirs
}

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
		for end := fi + d.Files; fi < end; fi++ {
			if fi%256 == 0 && ctx.Err() != nil {
				return res, ctx.Err()
			}
			f := &c.Files[fi]
			if err := createFile(dirfd, f); err != nil {
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

// createFile makes one file as planned: created or truncated to its size,
// owner, mode, times last. Running it twice gives the same file.
func createFile(dirfd int, f *planner.File) error {
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
		}
	}
	if err != nil {
		return &OpError{Op: "create", Err: err}
	}
	defer unix.Close(fd)

	if f.Size > 0 || !fresh {
		if err := unix.Ftruncate(fd, f.Size); err != nil {
			return &OpError{Op: "truncate", Err: err}
		}
	}
	if f.Attrs.UID != planner.NoID || f.Attrs.GID != planner.NoID {
		if err := chown(fd, f.Attrs.UID, f.Attrs.GID); err != nil {
			return &OpError{Op: "chown", Err: err}
		}
	}
	if !fresh {
		// A fresh file has its mode from the create under umask 0.
		if err := unix.Fchmod(fd, f.Attrs.Mode); err != nil {
			return &OpError{Op: "chmod", Err: err}
		}
	}
	if err := setTimes(fd, f.Atime, f.Mtime); err != nil {
		return &OpError{Op: "times", Err: err}
	}
	return nil
}

// finalizeDir applies a folder's own attributes.
func finalizeDir(fd int, d *planner.Dir) error {
	if d.Attrs.UID != planner.NoID || d.Attrs.GID != planner.NoID {
		if err := chown(fd, d.Attrs.UID, d.Attrs.GID); err != nil {
			return &OpError{Op: "chown", Path: d.Path, Err: err}
		}
	}
	if err := unix.Fchmod(fd, d.Attrs.Mode); err != nil {
		return &OpError{Op: "chmod", Path: d.Path, Err: err}
	}
	if err := setTimes(fd, d.Atime, d.Mtime); err != nil {
		return &OpError{Op: "times", Path: d.Path, Err: err}
	}
	return nil
}
