// Command baseline creates a planned tree with the same system calls per
// file as filegen, and nothing else: no claims, no commits, no progress.
// It reads the whole plan from a run database before its clock starts,
// so that its rate is what the file system allows for the work.
//
// Usage:
//
//	baseline -db RUN.db -target DIR [-threads N] [-empty] [-skip CALLS]
//
// With -empty it only creates and closes each file, in the planned
// folders, as fs_mark does, and skips the folders' attributes: the rate
// of a peer on the same tree, not a baseline for filegen. With -skip it
// leaves out the named calls of each file (write, truncate, chown, dos,
// zone, acl, times), to tell what each costs.
// It prints one line: files, folders, seconds, files a second, and the
// seconds of its phases: creating, finalizing folders, syncing.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"filegen/planner"
	"filegen/planner/acl"
	"filegen/planner/content"
	"filegen/store"
)

// emptyOnly makes every file an empty one with nothing set: open, close.
var emptyOnly bool

// skip names the calls of each file to leave out.
var skip = map[string]bool{}

// skippable are the calls -skip can name.
var skippable = []string{"write", "truncate", "chown", "dos", "zone", "acl", "times"}

func main() {
	dbPath := flag.String("db", "", "run database holding the plan")
	target := flag.String("target", "", "folder to create the tree in")
	threads := flag.Int("threads", 1, "workers")
	flag.BoolVar(&emptyOnly, "empty", false,
		"only create and close empty files, as fs_mark does: a peer's rate, not filegen's work")
	skipList := flag.String("skip", "", "calls to leave out of each file, comma-separated: "+strings.Join(skippable, ", "))
	flag.Parse()
	if *dbPath == "" || *target == "" || *threads < 1 {
		flag.Usage()
		os.Exit(2)
	}
	for _, name := range strings.FieldsFunc(*skipList, func(r rune) bool { return r == ',' }) {
		if !slices.Contains(skippable, name) {
			fmt.Fprintf(os.Stderr, "baseline: -skip %q: not one of %s\n", name, strings.Join(skippable, ", "))
			os.Exit(2)
		}
		skip[name] = true
	}
	if err := run(*dbPath, *target, *threads); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run(dbPath, target string, threads int) error {
	chunks, mode, err := load(dbPath)
	if err != nil {
		return err
	}
	root, err := unix.Open(target, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("baseline: cannot open target: %w", err)
	}
	defer unix.Close(root)
	unix.Umask(0)

	start := time.Now()
	var next atomic.Int64
	var files, failed atomic.Int64
	var wg sync.WaitGroup
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{held: held{root: root}, content: content.NewWriter(mode)}
			defer w.held.cut(0)
			for {
				i := next.Add(1) - 1
				if i >= int64(len(chunks)) {
					return
				}
				n, bad := w.chunk(chunks[i])
				files.Add(n)
				failed.Add(bad)
			}
		}()
	}
	wg.Wait()
	created := time.Since(start)

	// Folders' own attributes, deepest first, as filegen finalizes.
	dirs := 0
	h := held{root: root}
	for i := len(chunks) - 1; i >= 0; i-- {
		c := chunks[i]
		for j := len(c.Dirs) - 1; j >= 0; j-- {
			d := &c.Dirs[j]
			if !d.Final || emptyOnly {
				continue
			}
			fd, err := h.open(d.Path, false)
			if err == nil {
				err = finalize(fd, d)
			}
			if err != nil {
				failed.Add(1)
			}
			dirs++
		}
	}
	h.cut(0)
	finalized := time.Since(start)
	if err := unix.Syncfs(root); err != nil {
		return fmt.Errorf("baseline: sync: %w", err)
	}
	secs := time.Since(start).Seconds()

	if failed.Load() > 0 {
		return fmt.Errorf("baseline: %d entries failed", failed.Load())
	}
	fmt.Printf("files %d dirs %d seconds %.3f rate %.0f create %.3f finalize %.3f sync %.3f\n",
		files.Load(), dirs, secs, float64(files.Load())/secs, created.Seconds(),
		(finalized - created).Seconds(), secs-finalized.Seconds())
	return nil
}

// load reads and decodes every chunk of a run's plan, and its content
// mode.
func load(path string) ([]*planner.Chunk, content.Mode, error) {
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return nil, content.Mode{}, err
	}
	defer db.Close()
	r, err := db.Run()
	if err != nil {
		return nil, content.Mode{}, err
	}
	var in planner.Inputs
	if err := json.Unmarshal(r.Inputs, &in); err != nil {
		return nil, content.Mode{}, fmt.Errorf("baseline: run inputs: %w", err)
	}
	mode, err := content.ParseMode(in.Content)
	if err != nil {
		return nil, content.Mode{}, err
	}
	chunks := make([]*planner.Chunk, r.Chunks)
	for i := range chunks {
		b, err := db.Chunk(i)
		if err != nil {
			return nil, mode, err
		}
		if chunks[i], err = planner.DecodeChunk(b); err != nil {
			return nil, mode, fmt.Errorf("baseline: chunk %d: %w", i, err)
		}
	}
	return chunks, mode, nil
}

// worker creates files; each goroutine has its own.
type worker struct {
	held    held
	content *content.Writer
}

// chunk creates a chunk's folders and files and returns how many files
// it made and how many entries failed.
func (w *worker) chunk(c *planner.Chunk) (made, failed int64) {
	fi := 0
	for di := range c.Dirs {
		d := &c.Dirs[di]
		dirfd, err := w.held.open(d.Path, true)
		if err != nil {
			failed += int64(d.Files)
			fi += d.Files
			continue
		}
		for i := 0; i < d.Files; i, fi = i+1, fi+1 {
			f := &c.Files[fi]
			key := planner.ContentKey(d.Key, d.First+i)
			if w.create(dirfd, f, key) != nil {
				failed++
				continue
			}
			made++
		}
	}
	return made, failed
}

// rawFile lets the content writer write with pwrite and ftruncate.
type rawFile int

func (f rawFile) WriteAt(p []byte, off int64) (int, error) {
	if skip["write"] {
		return len(p), nil
	}
	n, err := unix.Pwrite(int(f), p, off)
	if err == nil && n < len(p) {
		err = errors.New("short write")
	}
	return n, err
}

// Truncate skips the call for an empty file just made empty, as filegen
// does.
func (f rawFile) Truncate(size int64) error {
	if size == 0 || skip["truncate"] {
		return nil
	}
	return unix.Ftruncate(int(f), size)
}

// create makes one new file: open, content, owner, extended attributes,
// times, close. The tree is new, so a file never exists already.
func (w *worker) create(dirfd int, f *planner.File, key uint64) error {
	const flags = unix.O_WRONLY | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW |
		unix.O_CLOEXEC | unix.O_NONBLOCK
	fd, err := unix.Openat(dirfd, f.Name, flags, f.Attrs.Mode)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if emptyOnly {
		return nil
	}

	if err := w.content.Write(rawFile(fd), f.Ext(), f.Size, key); err != nil {
		return err
	}
	a := &f.Attrs
	if (a.UID != planner.NoID || a.GID != planner.NoID) && !skip["chown"] {
		if err := unix.Fchown(fd, int(int32(a.UID)), int(int32(a.GID))); err != nil {
			return err
		}
	}
	if !skip["dos"] {
		if err := unix.Fsetxattr(fd, content.XattrDOS, content.DOSAttrib(dos(a.Flags), f.Ctime), 0); err != nil {
			return err
		}
	}
	if a.Flags&planner.FlagZone != 0 && !skip["zone"] {
		if err := unix.Fsetxattr(fd, content.XattrZone, zone, 0); err != nil {
			return err
		}
	}
	if a.ACL != "" && !skip["acl"] {
		if err := unix.Fsetxattr(fd, acl.XattrAccess, []byte(a.ACL), 0); err != nil {
			return err
		}
	}
	if skip["times"] {
		return nil
	}
	return times(fd, f.Atime, f.Mtime)
}

var zone = content.ZoneIdentifier(content.ZoneInternet)

// dos maps plan flags to DOS attributes.
func dos(flags uint8) uint32 {
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

// finalize sets a folder's owner, mode, access lists and times.
func finalize(fd int, d *planner.Dir) error {
	a := &d.Attrs
	if a.UID != planner.NoID || a.GID != planner.NoID {
		if err := unix.Fchown(fd, int(int32(a.UID)), int(int32(a.GID))); err != nil {
			return err
		}
	}
	if err := unix.Fchmod(fd, a.Mode); err != nil {
		return err
	}
	if a.ACL != "" {
		if err := unix.Fsetxattr(fd, acl.XattrAccess, []byte(a.ACL), 0); err != nil {
			return err
		}
	}
	if a.DefaultACL != "" {
		if err := unix.Fsetxattr(fd, acl.XattrDefault, []byte(a.DefaultACL), 0); err != nil {
			return err
		}
	}
	return times(fd, d.Atime, d.Mtime)
}

// times is utimensat(fd, NULL, times, 0).
func times(fd int, atime, mtime int64) error {
	ts := [2]unix.Timespec{unix.NsecToTimespec(atime), unix.NsecToTimespec(mtime)}
	_, _, e := unix.Syscall6(unix.SYS_UTIMENSAT, uintptr(fd), 0,
		uintptr(unsafe.Pointer(&ts[0])), 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// held keeps open the folders of the last path, so that the next path
// reopens only what differs.
type held struct {
	root  int
	names []string
	fds   []int
}

// open returns a descriptor on the folder at relative path p, valid
// until the next call; with create set it makes missing folders.
func (h *held) open(p string, create bool) (int, error) {
	parts := strings.Split(p, "/")
	k := 0
	for k < len(h.names) && k < len(parts) && h.names[k] == parts[k] {
		k++
	}
	h.cut(k)
	const flags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC
	for _, name := range parts[k:] {
		parent := h.root
		if len(h.fds) > 0 {
			parent = h.fds[len(h.fds)-1]
		}
		fd, err := unix.Openat(parent, name, flags, 0)
		if err == unix.ENOENT && create {
			if err = unix.Mkdirat(parent, name, 0o700); err == nil || err == unix.EEXIST {
				fd, err = unix.Openat(parent, name, flags, 0)
			}
		}
		if err != nil {
			return -1, fmt.Errorf("baseline: folder %s: %w", p, err)
		}
		h.names = append(h.names, name)
		h.fds = append(h.fds, fd)
	}
	if len(h.fds) == 0 {
		return h.root, nil
	}
	return h.fds[len(h.fds)-1], nil
}

// cut closes the held folders from the n-th on.
func (h *held) cut(n int) {
	for _, fd := range h.fds[n:] {
		unix.Close(fd)
	}
	h.names, h.fds = h.names[:n], h.fds[:n]
}
