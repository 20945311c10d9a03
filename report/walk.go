package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// readBatch is how many names are read from a folder at a time, so a
// folder of a million entries is never held in memory at once.
const readBatch = 512

// Walk walks the tree at root and returns its report. It follows root
// itself if root is a symbolic link, and no link below it. It changes
// nothing, access times included.
//
// Entries that cannot be read are counted as a finding, not returned as
// errors. Walk returns an error when root cannot be opened or is not a
// directory, and the context's error when ctx is done before the walk.
// It is safe to call concurrently.
func Walk(ctx context.Context, root string, o Options) (*Report, error) {
	o = o.withDefaults()
	started := time.Now()

	fd, err := openRoot(root)
	if errors.Is(err, unix.ENOTDIR) {
		return nil, fmt.Errorf("%w: %s", ErrNotDir, root)
	}
	if err != nil {
		return nil, fmt.Errorf("report: cannot open %s: %w", root, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("report: cannot stat %s: %w", root, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		unix.Close(fd)
		return nil, fmt.Errorf("%w: %s", ErrNotDir, root)
	}

	w := &walker{
		o:       o,
		root:    root,
		asOf:    o.AsOf.UnixNano(),
		dormant: o.AsOf.Add(-DormantAfter).UnixNano(),
		names:   newNames(),
		// The queue holds as many folders as there are workers: enough
		// to keep an idle worker fed, few enough that queued folders
		// hold few descriptors.
		jobs: make(chan job, o.Workers),
	}
	all := w.run(ctx, job{fd: fd, rel: ".", mode: st.Mode})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("report: walk of %s stopped: %w", root, err)
	}

	r := w.report(all)
	r.Started = started
	r.Elapsed = time.Since(started)
	return r, nil
}

func (o Options) withDefaults() Options {
	if o.AsOf.IsZero() {
		o.AsOf = time.Now()
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.TopN <= 0 {
		o.TopN = DefaultTopN
	}
	if o.HugeFolder <= 0 {
		o.HugeFolder = DefaultHugeFolder
	}
	return o
}

// job is one folder to walk: an open descriptor, which the worker that
// takes the job closes.
type job struct {
	fd    int
	rel   string
	depth int
	mode  uint32
}

type walker struct {
	o             Options
	root          string
	asOf, dormant int64
	names         *names
	jobs          chan job
	pending       sync.WaitGroup
}

// run walks from the root job with o.Workers workers and returns their
// merged counts. Workers hand folders to each other only when the queue
// has room; otherwise a worker goes down the folder itself, depth first.
func (w *walker) run(ctx context.Context, root job) *counts {
	w.pending.Add(1)
	w.jobs <- root
	go func() {
		w.pending.Wait()
		close(w.jobs)
	}()

	parts := make([]*counts, w.o.Workers)
	var workers sync.WaitGroup
	for i := range parts {
		parts[i] = newCounts()
		workers.Go(func() {
			for j := range w.jobs {
				if ctx.Err() == nil {
					w.folder(ctx, parts[i], j)
				} else {
					unix.Close(j.fd)
				}
				w.pending.Done()
			}
		})
	}
	workers.Wait()

	all := parts[0]
	for _, p := range parts[1:] {
		all.merge(p)
	}
	return all
}

// folder counts the folder of j and everything below it, closing j.fd.
func (w *walker) folder(ctx context.Context, c *counts, j job) {
	f := os.NewFile(uintptr(j.fd), path.Join(w.root, j.rel))
	defer f.Close()

	c.folders++
	c.maxDepth = max(c.maxDepth, j.depth)
	if j.mode&0o002 != 0 {
		c.find(SevWarn, KindWorldWritable, j.rel)
	}

	var subdirs []job
	var entries, files int64
	for ctx.Err() == nil {
		batch, err := f.Readdirnames(readBatch)
		for _, name := range batch {
			entries++
			rel := path.Join(j.rel, name)
			var st unix.Stat_t
			err := unix.Fstatat(j.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
			if errors.Is(err, unix.ENOENT) {
				continue // removed since the listing
			}
			if err != nil {
				c.find(SevError, KindUnreadable, rel)
				continue
			}
			switch st.Mode & unix.S_IFMT {
			case unix.S_IFREG:
				files++
				w.file(c, name, rel, j.depth+1, &st)
			case unix.S_IFDIR:
				subdirs = append(subdirs,
					job{rel: name, depth: j.depth + 1, mode: st.Mode})
			case unix.S_IFLNK:
				c.symlinks++
			default:
				c.others++
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			c.find(SevError, KindUnreadable, j.rel)
			break
		}
	}
	c.perFolder.Add(files)
	if entries > int64(w.o.HugeFolder) {
		c.find(SevWarn, KindHugeFolder, j.rel)
	}

	for _, s := range subdirs {
		if ctx.Err() != nil {
			return
		}
		name := s.rel
		s.rel = path.Join(j.rel, name)
		if s.depth > maxDepth {
			c.find(SevError, KindTooDeep, s.rel)
			continue
		}
		fd, err := openDir(j.fd, name)
		if err != nil {
			c.find(SevError, KindUnreadable, s.rel)
			continue
		}
		s.fd = fd
		if !w.handOff(s) {
			w.folder(ctx, c, s)
		}
	}
}

// handOff queues j for another worker if the queue has room.
func (w *walker) handOff(j job) bool {
	w.pending.Add(1)
	select {
	case w.jobs <- j:
		return true
	default:
		w.pending.Done()
		return false
	}
}

// file counts one regular file.
func (w *walker) file(c *counts, name, rel string, depth int,
	st *unix.Stat_t) {
	size := st.Size
	alloc := st.Blocks * 512
	mtime := st.Mtim.Nano()
	atime := st.Atim.Nano()

	c.files++
	c.bytes += size
	c.allocated += alloc
	if alloc < size {
		c.sparse++
		c.find(SevInfo, KindSparse, rel)
	}
	if st.Nlink > 1 {
		c.hard++
	}
	c.sizes.Add(size)
	c.depth.Add(int64(depth))
	c.modified.Add(days(w.asOf - mtime))
	c.accessed.Add(days(w.asOf - atime))
	if mtime > w.asOf {
		c.find(SevInfo, KindFuture, rel)
	}
	if atime < w.dormant {
		c.dormant.Files++
		c.dormant.Bytes += size
	}
	if atime == mtime {
		c.neverRead.Files++
		c.neverRead.Bytes += size
	}

	c.exts.add(ExtOf(name), 1, size)
	c.owners.add(idKey(st.Uid), 1, size)
	c.groups.add(idKey(st.Gid), 1, size)
	if !w.known(c.known, st.Uid, w.names.user) {
		c.find(SevWarn, KindOrphanOwner, rel)
	}
	if !w.known(c.knownGroup, st.Gid, w.names.group) {
		c.find(SevInfo, KindOrphanGroup, rel)
	}
}

// known says whether id resolves, asking look once per worker and id.
func (w *walker) known(cache map[uint32]bool, id uint32,
	look func(uint32) (string, bool)) bool {
	if ok, hit := cache[id]; hit {
		return ok
	}
	_, ok := look(id)
	if len(cache) < maxKeys {
		cache[id] = ok
	}
	return ok
}

// report turns the merged counts into a Report.
func (w *walker) report(c *counts) *Report {
	o := w.o
	r := &Report{
		Root:           w.root,
		AsOf:           o.AsOf,
		Workers:        o.Workers,
		Files:          c.files,
		Folders:        c.folders,
		Symlinks:       c.symlinks,
		Others:         c.others,
		Bytes:          c.bytes,
		Allocated:      c.allocated,
		SparseFiles:    c.sparse,
		HardLinked:     c.hard,
		MaxDepth:       c.maxDepth,
		Dormant:        c.dormant,
		NeverRead:      c.neverRead,
		Sizes:          c.sizes,
		Modified:       c.modified,
		Accessed:       c.accessed,
		Depth:          c.depth,
		FilesPerFolder: c.perFolder,
		ExtByCount:     c.exts.top(o.TopN, byFiles),
		ExtByBytes:     c.exts.top(o.TopN, byBytes),
		Owners:         resolve(c.owners.top(o.TopN, byBytes), w.names.user),
		Groups:         resolve(c.groups.top(o.TopN, byBytes), w.names.group),
		Findings:       []Finding{},
	}
	for _, f := range c.findings {
		f.Detail = detail(f, r, o)
		r.Findings = append(r.Findings, *f)
	}
	sortFindings(r.Findings)
	return r
}

// days turns a span in nanoseconds into whole days; negative spans
// (times after the reference) count as 0.
func days(ns int64) int64 {
	return max(ns, 0) / int64(24*time.Hour)
}

func idKey(id uint32) string {
	return fmt.Sprint(id)
}

// openRoot opens the root folder, following it if it is a link.
func openRoot(root string) (int, error) {
	return openNoatime(func(flags int) (int, error) {
		return unix.Open(root, flags, 0)
	}, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
}

// openDir opens the folder name in the folder dirfd without following a
// link.
func openDir(dirfd int, name string) (int, error) {
	return openNoatime(func(flags int) (int, error) {
		return unix.Openat(dirfd, name, flags, 0)
	}, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC)
}

// openNoatime opens with O_NOATIME so that reading the folder leaves
// its access time alone, and without it where the kernel refuses
// (O_NOATIME needs ownership of the folder or CAP_FOWNER).
func openNoatime(open func(int) (int, error), flags int) (int, error) {
	for {
		fd, err := open(flags | unix.O_NOATIME)
		if errors.Is(err, unix.EPERM) {
			fd, err = open(flags)
		}
		if errors.Is(err, unix.EINTR) {
			continue
		}
		return fd, err
	}
}
