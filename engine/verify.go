package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"filegen/planner"
	"filegen/planner/acl"
	"filegen/planner/content"
	"filegen/store"
)

// DiffKind names what differs between an entry on disk and its plan.
type DiffKind string

// The kinds of difference that [Verify] reports.
const (
	DiffMissing    DiffKind = "missing"    // planned, not on disk
	DiffType       DiffKind = "type"       // a link, a file or a folder in the wrong place
	DiffSize       DiffKind = "size"       // apparent size
	DiffMtime      DiffKind = "mtime"      // modification time
	DiffAtime      DiffKind = "atime"      // access time, of files only
	DiffMode       DiffKind = "mode"       // permission bits
	DiffOwner      DiffKind = "owner"      // user id
	DiffGroup      DiffKind = "group"      // group id
	DiffContent    DiffKind = "content"    // the header does not match the type
	DiffACL        DiffKind = "acl"        // POSIX access or default list
	DiffXattr      DiffKind = "xattr"      // DOS attributes or the zone marker
	DiffUnreadable DiffKind = "unreadable" // the entry could not be examined
)

// Diff is one difference between the tree and its plan.
type Diff struct {
	Kind DiffKind `json:"kind"`
	Path string   `json:"path"` // relative to the target
	Got  string   `json:"got,omitempty"`
	Want string   `json:"want,omitempty"`
}

func (d Diff) String() string {
	if d.Got == "" && d.Want == "" {
		return fmt.Sprintf("%s %s", d.Kind, d.Path)
	}
	return fmt.Sprintf("%s %s: %s, want %s", d.Kind, d.Path, d.Got, d.Want)
}

// VerifyOptions configure [Verify].
type VerifyOptions struct {
	// Threads is the number of workers examining chunks; zero means
	// DefaultThreads.
	Threads int

	// Sample, when positive and below the plan's file count, checks only
	// that many files, spread evenly over the plan: the same files on
	// every call. Folders are not checked then.
	Sample int64

	// Repair recreates every file that differs and applies the planned
	// attributes of every folder that differs. The differences found are
	// reported as before the repair.
	Repair bool

	// OnDiff is called for each difference, in plan order, from one
	// goroutine at a time; nil ignores them.
	OnDiff func(Diff)
}

// VerifyReport sums up a [Verify] call.
type VerifyReport struct {
	Files    int64              `json:"files"`    // files checked
	Dirs     int64              `json:"dirs"`     // folders checked
	Diffs    int64              `json:"diffs"`    // differences found
	Kinds    map[DiffKind]int64 `json:"kinds"`    // differences by kind
	Repaired int64              `json:"repaired"` // entries repaired
}

// headerRead is how much of a file the content check reads.
const headerRead = 512

// Verify compares the tree under target with the plan of db's run, chunk
// by chunk, and reports every difference through o.OnDiff. It never
// follows a symbolic link and, where the kernel permits, reads files
// with O_NOATIME, so that checking does not move the access times it
// checks. With o.Repair set it also puts right what differs. Its memory
// does not grow with the plan. The error is for what stops the check
// itself: the database, the target, or ctx.
func Verify(ctx context.Context, db *store.DB, target string, o VerifyOptions) (VerifyReport, error) {
	rep := VerifyReport{Kinds: make(map[DiffKind]int64)}
	if o.Threads <= 0 {
		o.Threads = DefaultThreads()
	}
	run, err := db.Run()
	if err != nil {
		return rep, err
	}
	root, err := OpenTarget(target)
	if err != nil {
		return rep, err
	}
	defer unix.Close(root)
	if o.Repair {
		unix.Umask(0)
	}

	sample := o.Sample
	if sample <= 0 || sample >= run.Files {
		sample = 0
	}
	emit := func(r *chunkCheck) {
		rep.Files += r.files
		rep.Dirs += r.dirs
		rep.Repaired += r.repaired
		for _, d := range r.diffs {
			rep.Diffs++
			rep.Kinds[d.Kind]++
			if o.OnDiff != nil {
				o.OnDiff(d)
			}
		}
	}

	// A repair makes files first and sets folders' attributes after,
	// deepest first, since making a file changes its folder.
	mode := checkAll
	if o.Repair {
		mode = checkFiles
	}
	if sample > 0 {
		mode = checkFiles
	}
	cm, err := contentMode(run)
	if err != nil {
		return rep, err
	}
	v := &verifier{db: db, root: root, mode: mode, repair: o.Repair, content: cm,
		threads: o.Threads, sample: sample, total: run.Files}
	if err := v.forward(ctx, run.Chunks, emit); err != nil {
		return rep, err
	}
	if o.Repair && sample == 0 {
		if err := v.folders(ctx, run.Chunks, emit); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// What a pass of the verifier checks.
const (
	checkAll   = iota // files and folders
	checkFiles        // files, and folders only as far as files need them
)

// verifier holds what the passes of a [Verify] call share.
type verifier struct {
	db      *store.DB
	root    int
	mode    int
	repair  bool
	threads int
	sample  int64 // files to check, 0 for all
	total   int64 // files in the plan
	content content.Mode
}

// chunkCheck is what checking one chunk found.
type chunkCheck struct {
	files, dirs, repaired int64
	diffs                 []Diff
	err                   error
}

// checkJob is a decoded chunk on its way to a worker, with the files to
// check (nil for all) and where the result goes.
type checkJob struct {
	c    *planner.Chunk
	pick []int
	out  chan *chunkCheck
}

// forward checks the chunks in plan order with o.threads workers. One
// goroutine reads and decodes chunks and picks the sample; results are
// emitted in plan order, at most twice the workers ahead.
func (v *verifier) forward(ctx context.Context, chunks int, emit func(*chunkCheck)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan checkJob)
	order := make(chan chan *chunkCheck, 2*v.threads)
	var feedErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(order)
		defer close(jobs)
		feedErr = v.feed(ctx, chunks, jobs, order)
	}()
	for range v.threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := newDirs(v.root)
			defer d.close()
			for j := range jobs {
				j.out <- v.checkChunk(d, j.c, j.pick)
			}
		}()
	}

	var err error
	for out := range order {
		r := <-out
		if r.err != nil && err == nil {
			err = r.err
			cancel()
		}
		if err == nil {
			emit(r)
		}
	}
	wg.Wait()
	if err == nil && feedErr != nil {
		err = feedErr
	}
	if err == nil && ctx.Err() != nil {
		err = ErrInterrupted
	}
	return err
}

// feed reads the chunks in order and hands them out.
func (v *verifier) feed(ctx context.Context, chunks int, jobs chan<- checkJob,
	order chan<- chan *chunkCheck) error {

	var base, k int64 // the chunk's first file in the plan; the next sample
	for i := 0; i < chunks; i++ {
		c, err := loadChunk(v.db, i)
		if err != nil {
			return err
		}
		var pick []int
		if v.sample > 0 {
			// The k-th sampled file is the middle one of the k-th of
			// sample equal slices of the plan.
			n := int64(len(c.Files))
			for ; k < v.sample; k++ {
				g := (2*k + 1) * v.total / (2 * v.sample)
				if g >= base+n {
					break
				}
				pick = append(pick, int(g-base))
			}
			base += n
			if len(pick) == 0 {
				continue
			}
		}
		out := make(chan *chunkCheck, 1)
		select {
		case order <- out:
		case <-ctx.Done():
			return nil
		}
		select {
		case jobs <- checkJob{c: c, pick: pick, out: out}:
		case <-ctx.Done():
			out <- &chunkCheck{}
			return nil
		}
	}
	return nil
}

// folders checks, and repairs, the folders' own attributes, deepest
// first, as finalize applies them.
func (v *verifier) folders(ctx context.Context, chunks int, emit func(*chunkCheck)) error {
	d := newDirs(v.root)
	defer d.close()
	for i := chunks - 1; i >= 0; i-- {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		c, err := loadChunk(v.db, i)
		if err != nil {
			return err
		}
		r := &chunkCheck{}
		for j := len(c.Dirs) - 1; j >= 0 && r.err == nil; j-- {
			if c.Dirs[j].Final {
				v.checkDir(d, &c.Dirs[j], r)
			}
		}
		if r.err != nil {
			return r.err
		}
		emit(r)
	}
	return nil
}

// loadChunk reads and decodes chunk i. Every 64 chunks it drops the pages
// read so far, so that a pass over a large plan stays small.
func loadChunk(db *store.DB, i int) (*planner.Chunk, error) {
	if i%64 == 63 {
		db.Trim()
	}
	data, err := db.Chunk(i)
	if err != nil {
		return nil, err
	}
	c, err := planner.DecodeChunk(data)
	if err != nil {
		return nil, classify(fmt.Errorf("chunk %d: %w", i, err))
	}
	return c, nil
}

// checkChunk checks the files of a chunk, those in pick if it is not nil,
// and the folders whose attributes the chunk holds if the mode says so.
func (v *verifier) checkChunk(d *dirs, c *planner.Chunk, pick []int) *chunkCheck {
	r := &chunkCheck{}
	want := func(i int) bool { return true }
	if pick != nil {
		set := make(map[int]bool, len(pick))
		for _, i := range pick {
			set[i] = true
		}
		want = func(i int) bool { return set[i] }
	}

	fi := 0
	for di := range c.Dirs {
		dir := &c.Dirs[di]
		end := fi + dir.Files
		dirfd, _, err := d.open(dir.Path, v.repair)
		if err != nil {
			if fatal(err) {
				r.err = classify(err)
				return r
			}
			// Every file below a missing folder is missing too.
			r.diffs = append(r.diffs, dirDiff(err))
			for ; fi < end; fi++ {
				if want(fi) {
					r.files++
					r.diffs = append(r.diffs, Diff{Kind: DiffMissing, Path: c.FilePath(fi)})
				}
			}
			continue
		}
		for ; fi < end; fi++ {
			if !want(fi) {
				continue
			}
			r.files++
			key := planner.ContentKey(dir.Key, dir.First+fi-(end-dir.Files))
			if err := v.checkFile(dirfd, c, fi, key, r); err != nil {
				r.err = err
				return r
			}
		}
		if v.mode == checkAll && dir.Final {
			v.checkDir(d, dir, r)
		}
	}
	return r
}

// dirDiff turns the failure to open a planned folder into a difference.
func dirDiff(err error) Diff {
	var oe *OpError
	if !errors.As(err, &oe) {
		return Diff{Kind: DiffUnreadable, Got: err.Error()}
	}
	switch errno(err) {
	case unix.ENOENT:
		return Diff{Kind: DiffMissing, Path: oe.Path}
	case unix.ELOOP, unix.ENOTDIR:
		return Diff{Kind: DiffType, Path: oe.Path, Got: "not a folder", Want: "folder"}
	}
	return Diff{Kind: DiffUnreadable, Path: oe.Path, Got: oe.Err.Error()}
}

// checkFile checks the chunk's i-th file and, if it differs and the
// verifier repairs, makes it again. It returns only an error that stops
// the check.
func (v *verifier) checkFile(dirfd int, c *planner.Chunk, i int, key uint64, r *chunkCheck) error {
	f := &c.Files[i]
	p := c.FilePath(i)
	before := len(r.diffs)

	var st unix.Stat_t
	err := unix.Fstatat(dirfd, f.Name, &st, unix.AT_SYMLINK_NOFOLLOW)
	switch {
	case err == unix.ENOENT:
		r.diffs = append(r.diffs, Diff{Kind: DiffMissing, Path: p})
	case err != nil:
		if fatal(err) {
			return classify(&OpError{Op: "stat", Path: p, Err: err})
		}
		r.diffs = append(r.diffs, Diff{Kind: DiffUnreadable, Path: p, Got: err.Error()})
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		r.diffs = append(r.diffs, Diff{Kind: DiffType, Path: p,
			Got: typeName(st.Mode), Want: "file"})
	default:
		for _, fc := range fileChecks {
			if got, want, ok := fc.check(f, &st); !ok {
				r.diffs = append(r.diffs, Diff{Kind: fc.kind, Path: p, Got: got, Want: want})
			}
		}
		if d, ok := checkHeader(dirfd, f, p); !ok {
			r.diffs = append(r.diffs, d)
		}
		r.diffs = append(r.diffs, checkFileXattrs(dirfd, f, p)...)
	}

	if !v.repair || len(r.diffs) == before {
		return nil
	}
	// Only a regular file or a missing one is made again: anything
	// else in its place stays, and stays reported.
	if err == nil && st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil
	}
	w := worker{content: content.NewWriter(v.content), xattrs: new(xattrSupport)}
	if err := w.create(dirfd, f, key); err != nil {
		if fatal(err) {
			return classify(err)
		}
		return nil
	}
	r.repaired++
	return nil
}

// fileCheck compares one attribute of a file with its plan.
type fileCheck struct {
	kind  DiffKind
	check func(f *planner.File, st *unix.Stat_t) (got, want string, ok bool)
}

// fileChecks are the checks of a regular file's attributes, in the order
// they are reported. Another check is one more entry.
var fileChecks = []fileCheck{
	{DiffSize, func(f *planner.File, st *unix.Stat_t) (string, string, bool) {
		return num(st.Size), num(f.Size), st.Size == f.Size
	}},
	{DiffMtime, func(f *planner.File, st *unix.Stat_t) (string, string, bool) {
		return num(st.Mtim.Nano()), num(f.Mtime), st.Mtim.Nano() == f.Mtime
	}},
	{DiffAtime, func(f *planner.File, st *unix.Stat_t) (string, string, bool) {
		return num(st.Atim.Nano()), num(f.Atime), st.Atim.Nano() == f.Atime
	}},
	{DiffMode, func(f *planner.File, st *unix.Stat_t) (string, string, bool) {
		return checkMode(st.Mode, f.Attrs.Mode)
	}},
	{DiffOwner, func(f *planner.File, st *unix.Stat_t) (string, string, bool) {
		return checkID(st.Uid, f.Attrs.UID)
	}},
	{DiffGroup, func(f *planner.File, st *unix.Stat_t) (string, string, bool) {
		return checkID(st.Gid, f.Attrs.GID)
	}},
}

// dirChecks are the checks of a folder's own attributes. Its access time
// is left out: listing a folder moves it.
var dirChecks = []struct {
	kind  DiffKind
	check func(d *planner.Dir, st *unix.Stat_t) (got, want string, ok bool)
}{
	{DiffMtime, func(d *planner.Dir, st *unix.Stat_t) (string, string, bool) {
		return num(st.Mtim.Nano()), num(d.Mtime), st.Mtim.Nano() == d.Mtime
	}},
	{DiffMode, func(d *planner.Dir, st *unix.Stat_t) (string, string, bool) {
		return checkMode(st.Mode, d.Attrs.Mode)
	}},
	{DiffOwner, func(d *planner.Dir, st *unix.Stat_t) (string, string, bool) {
		return checkID(st.Uid, d.Attrs.UID)
	}},
	{DiffGroup, func(d *planner.Dir, st *unix.Stat_t) (string, string, bool) {
		return checkID(st.Gid, d.Attrs.GID)
	}},
}

// checkDir checks, and if the verifier repairs, applies, a folder's own
// attributes.
func (v *verifier) checkDir(d *dirs, dir *planner.Dir, r *chunkCheck) {
	fd, _, err := d.open(dir.Path, false)
	if err != nil {
		if fatal(err) {
			r.err = classify(err)
			return
		}
		if v.mode == checkFiles {
			// The forward pass reported it already.
			return
		}
		r.diffs = append(r.diffs, dirDiff(err))
		return
	}
	r.dirs++
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		r.diffs = append(r.diffs, Diff{Kind: DiffUnreadable, Path: dir.Path, Got: err.Error()})
		return
	}
	bad := false
	for _, dc := range dirChecks {
		if got, want, ok := dc.check(dir, &st); !ok {
			r.diffs = append(r.diffs, Diff{Kind: dc.kind, Path: dir.Path, Got: got, Want: want})
			bad = true
		}
	}
	for _, x := range []struct{ name, want string }{
		{acl.XattrAccess, dir.Attrs.ACL}, {acl.XattrDefault, dir.Attrs.DefaultACL},
	} {
		if d, ok := checkXattr(fd, "", x.name, x.want, DiffACL, dir.Path); !ok {
			r.diffs = append(r.diffs, d)
			bad = true
		}
	}
	if bad && v.repair {
		if err := finalizeDir(fd, dir); err == nil {
			r.repaired++
		} else if fatal(err) {
			r.err = classify(err)
		}
	}
}

// checkXattr compares an extended attribute of the entry at fd (or of
// name relative to fd, without following a link) with its plan; an
// empty want means the plan sets none, and only a planned one is
// checked.
func checkXattr(fd int, name, attr, want string, kind DiffKind, p string) (Diff, bool) {
	if want == "" {
		return Diff{}, true
	}
	var buf [1024]byte
	var n int
	var err error
	if name == "" {
		n, err = unix.Fgetxattr(fd, attr, buf[:])
	} else {
		n, err = unix.Lgetxattr(fmt.Sprintf("/proc/self/fd/%d/%s", fd, name), attr, buf[:])
	}
	switch {
	case err == unix.ENODATA:
		return Diff{Kind: kind, Path: p, Got: "no " + attr, Want: describeXattr(attr, want)}, false
	case err != nil:
		return Diff{Kind: DiffUnreadable, Path: p, Got: attr + ": " + err.Error()}, false
	case string(buf[:n]) != want:
		return Diff{Kind: kind, Path: p, Got: describeXattr(attr, string(buf[:n])), Want: describeXattr(attr, want)}, false
	}
	return Diff{}, true
}

// describeXattr shows an attribute's value as a person reads it.
func describeXattr(attr, v string) string {
	if attr == acl.XattrAccess || attr == acl.XattrDefault {
		if a, err := acl.Decode([]byte(v)); err == nil {
			return a.String()
		}
	}
	return fmt.Sprintf("%q", v)
}

// checkFileXattrs compares a file's DOS attributes, zone marker and own
// access list with its plan.
func checkFileXattrs(dirfd int, f *planner.File, p string) []Diff {
	var diffs []Diff
	want := []struct {
		attr, value string
		kind        DiffKind
	}{
		{content.XattrDOS, string(content.DOSAttrib(dosAttrs(f.Attrs.Flags), f.Ctime)), DiffXattr},
		{acl.XattrAccess, f.Attrs.ACL, DiffACL},
	}
	if f.Attrs.Flags&planner.FlagZone != 0 {
		want = append(want, struct {
			attr, value string
			kind        DiffKind
		}{content.XattrZone, string(zone), DiffXattr})
	}
	for _, w := range want {
		if d, ok := checkXattr(dirfd, f.Name, w.attr, w.value, w.kind, p); !ok {
			if d.Kind == DiffUnreadable && strings.Contains(d.Got, "not supported") {
				continue // the target keeps no extended attributes
			}
			diffs = append(diffs, d)
		}
	}
	return diffs
}

// checkHeader reads the start of a file, without moving its access time
// where the kernel allows, and compares the type it recognizes with the
// type of the file's extension.
func checkHeader(dirfd int, f *planner.File, p string) (Diff, bool) {
	ext := f.Ext()
	want := content.TypeOf(ext)
	n := content.HeaderLen(ext)
	if want == "" || n == 0 || f.Size < int64(min(n, headerRead)) {
		return Diff{}, true
	}
	const flags = unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_CLOEXEC | unix.O_NONBLOCK
	fd, err := unix.Openat(dirfd, f.Name, flags|unix.O_NOATIME, 0)
	if err == unix.EPERM {
		// O_NOATIME needs the file's owner or CAP_FOWNER.
		fd, err = unix.Openat(dirfd, f.Name, flags, 0)
	}
	if err != nil {
		return Diff{Kind: DiffUnreadable, Path: p, Got: err.Error()}, false
	}
	defer unix.Close(fd)
	buf := make([]byte, min(int64(headerRead), f.Size))
	m, err := unix.Pread(fd, buf, 0)
	if err != nil {
		return Diff{Kind: DiffUnreadable, Path: p, Got: err.Error()}, false
	}
	got := content.Recognize(buf[:m])
	if got != want {
		if got == "" {
			got = "unknown"
		}
		return Diff{Kind: DiffContent, Path: p, Got: got, Want: want}, false
	}
	return Diff{}, true
}

func checkMode(mode, want uint32) (string, string, bool) {
	got := mode & 0o7777
	want &= 0o7777
	return fmt.Sprintf("%04o", got), fmt.Sprintf("%04o", want), got == want
}

func checkID(got, want uint32) (string, string, bool) {
	if want == planner.NoID {
		return "", "", true
	}
	return num(int64(got)), num(int64(want)), got == want
}

func num(v int64) string { return strconv.FormatInt(v, 10) }

// typeName names the type of entry a stat mode shows.
func typeName(mode uint32) string {
	switch mode & unix.S_IFMT {
	case unix.S_IFREG:
		return "file"
	case unix.S_IFDIR:
		return "folder"
	case unix.S_IFLNK:
		return "symbolic link"
	case unix.S_IFIFO:
		return "pipe"
	case unix.S_IFSOCK:
		return "socket"
	case unix.S_IFCHR, unix.S_IFBLK:
		return "device"
	}
	return "unknown"
}
