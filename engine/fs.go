package engine

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// OpError is a failed operation on one entry under the target.
type OpError struct {
	Op   string // mkdir, open, create, write, truncate, chown, chmod, times, ...
	Path string // relative to the target
	Err  error
}

func (e *OpError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }
func (e *OpError) Unwrap() error { return e.Err }

// errno returns the system error number under err, or 0.
func errno(err error) unix.Errno {
	var en unix.Errno
	if errors.As(err, &en) {
		return en
	}
	return 0
}

// dirs opens folders under a target root through held handles, creating
// them where asked, one path component at a time and never through a
// symbolic link. It keeps the handles of the last path it opened, so that
// a run of files in nearby folders costs few system calls. Not safe for
// concurrent use: each worker has its own.
type dirs struct {
	root  int
	stack []openDir
}

type openDir struct {
	name string
	fd   int
}

func newDirs(root int) *dirs { return &dirs{root: root} }

// open returns a handle on the folder at the relative path p, which stays
// valid until the next call. With create set, missing folders are made
// (mode 0700 until they are finalized) and created reports whether the
// last one was.
func (d *dirs) open(p string, create bool) (fd int, created bool, err error) {
	// Keep the handles that p shares with the path opened before.
	parts := strings.Split(p, "/")
	keep := 0
	for keep < len(d.stack) && keep < len(parts) && d.stack[keep].name == parts[keep] {
		keep++
	}
	d.truncate(keep)

	parent := d.root
	if keep > 0 {
		parent = d.stack[keep-1].fd
	}
	for i := keep; i < len(parts); i++ {
		name := parts[i]
		fd, err = unix.Openat(parent, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		created = false
		if err == unix.ENOENT && create {
			err = unix.Mkdirat(parent, name, 0o700)
			if err == nil || err == unix.EEXIST {
				created = err == nil
				fd, err = unix.Openat(parent, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			}
		}
		if err != nil {
			op := "open folder"
			if err == unix.ELOOP || err == unix.ENOTDIR {
				// A symbolic link or a file where a folder should be.
				err = fmt.Errorf("not a folder (a symbolic link or a file is in the way): %w", err)
			}
			return -1, false, &OpError{Op: op, Path: strings.Join(parts[:i+1], "/"), Err: err}
		}
		d.stack = append(d.stack, openDir{name: name, fd: fd})
		parent = fd
	}
	if len(parts) == keep {
		return parent, false, nil
	}
	return parent, created, nil
}

func (d *dirs) truncate(n int) {
	for i := len(d.stack) - 1; i >= n; i-- {
		unix.Close(d.stack[i].fd)
	}
	d.stack = d.stack[:n]
}

// close releases every handle but the root's.
func (d *dirs) close() { d.truncate(0) }

// setTimes sets a descriptor's access and modification times with
// utimensat(fd, NULL, times, 0), which x/sys offers only by path.
func setTimes(fd int, atime, mtime int64) error {
	ts := [2]unix.Timespec{unix.NsecToTimespec(atime), unix.NsecToTimespec(mtime)}
	_, _, e := unix.Syscall6(unix.SYS_UTIMENSAT, uintptr(fd), 0,
		uintptr(unsafe.Pointer(&ts[0])), 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// chown changes a descriptor's owner and group; planner.NoID leaves one
// alone.
func chown(fd int, uid, gid uint32) error {
	u, g := int(int32(uid)), int(int32(gid))
	return unix.Fchown(fd, u, g)
}
