package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"filegen/planner"
	"filegen/store"
)

// CleanOptions configure [Clean].
type CleanOptions struct {
	// OnKeep is called for each planned entry that Clean leaves in place,
	// with the reason; nil ignores them.
	OnKeep func(path, why string)
}

// saveEvery is how often a clean saves its progress: a commit costs a
// few milliseconds, a chunk's files far more.
const saveEvery = 100 * time.Millisecond

// Clean removes from target what db's run created, deepest first, and
// leaves everything else.
//
// An entry counts as the run's when its path is in the plan and it is
// what the plan made there: a regular file of the planned size, or a
// folder. A file of another size or type, a symbolic link, anything at
// a path the plan does not hold, and every folder that still holds
// something after the run's files are gone, stay where they are. The
// target folder itself stays too.
//
// Progress is saved ten times a second: a stopped clean, started again,
// continues where it was. The run's chunks return to pending when the
// clean starts, so that running the run again makes the tree anew. Clean
// returns what it removed and kept, over every start.
func Clean(ctx context.Context, db *store.DB, target string, o CleanOptions) (store.CleanProgress, error) {
	run, err := db.Run()
	if err != nil {
		return store.CleanProgress{}, err
	}
	root, err := OpenTarget(target)
	if err != nil {
		return store.CleanProgress{}, err
	}
	defer unix.Close(root)

	p, err := db.BeginClean()
	if err != nil {
		return p, err
	}
	keep := o.OnKeep
	if keep == nil {
		keep = func(string, string) {}
	}
	d := newDirs(root)
	defer d.close()

	saved := time.Now()
	for i := run.Chunks - 1 - int(p.Chunks); i >= 0; i-- {
		if ctx.Err() != nil {
			return p, errors.Join(ErrInterrupted, db.SetCleanProgress(p))
		}
		c, err := loadChunk(db, i)
		if err != nil {
			return p, err
		}
		if err := cleanChunk(d, c, &p, keep); err != nil {
			return p, errors.Join(err, db.SetCleanProgress(p))
		}
		p.Chunks++
		if time.Since(saved) > saveEvery {
			if err := db.SetCleanProgress(p); err != nil {
				return p, err
			}
			saved = time.Now()
		}
	}
	detail := fmt.Sprintf("%d files and %d folders removed; %d files and %d folders kept",
		p.Files, p.Dirs, p.KeptFiles, p.KeptDirs)
	return p, db.EndClean(p, detail)
}

// cleanChunk removes a chunk's files, last first, then each folder the
// chunk opens, last first. A folder's first chunk is the last that clean
// reaches of everything beneath it, because the plan lists a folder
// before what it holds.
func cleanChunk(d *dirs, c *planner.Chunk, p *store.CleanProgress, keep func(string, string)) error {
	fi := len(c.Files)
	for di := len(c.Dirs) - 1; di >= 0; di-- {
		dir := &c.Dirs[di]
		start := fi - dir.Files
		dirfd, _, err := d.open(dir.Path, false)
		switch {
		case err == nil:
			for fi--; fi >= start; fi-- {
				if err := removeFile(dirfd, c, fi, p, keep); err != nil {
					return err
				}
			}
		case fatal(err):
			return classify(err)
		case errno(err) == unix.ENOENT:
			// Gone already, with all it held.
		default:
			keep(dir.Path, err.Error())
			p.KeptDirs++
		}
		fi = start
	}

	for di := len(c.Dirs) - 1; di >= 0; di-- {
		dir := &c.Dirs[di]
		if dir.First != 0 {
			continue
		}
		if err := removeDir(d, dir.Path, p, keep); err != nil {
			return err
		}
	}
	return nil
}

// removeFile removes the chunk's i-th file if it is the run's.
func removeFile(dirfd int, c *planner.Chunk, i int, p *store.CleanProgress, keep func(string, string)) error {
	f := &c.Files[i]
	var st unix.Stat_t
	err := unix.Fstatat(dirfd, f.Name, &st, unix.AT_SYMLINK_NOFOLLOW)
	switch {
	case err == unix.ENOENT:
		return nil
	case err != nil:
		if fatal(err) {
			return classify(&OpError{Op: "stat", Path: c.FilePath(i), Err: err})
		}
		keep(c.FilePath(i), err.Error())
		p.KeptFiles++
		return nil
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		keep(c.FilePath(i), "a "+typeName(st.Mode)+" is in its place")
		p.KeptFiles++
		return nil
	case st.Size != f.Size:
		keep(c.FilePath(i), fmt.Sprintf("changed: %d bytes, planned %d", st.Size, f.Size))
		p.KeptFiles++
		return nil
	}
	if err := unix.Unlinkat(dirfd, f.Name, 0); err != nil && err != unix.ENOENT {
		if fatal(err) {
			return classify(&OpError{Op: "remove", Path: c.FilePath(i), Err: err})
		}
		keep(c.FilePath(i), err.Error())
		p.KeptFiles++
		return nil
	}
	p.Files++
	p.Bytes += f.Size
	return nil
}

// removeDir removes a planned folder if it is empty.
func removeDir(d *dirs, path string, p *store.CleanProgress, keep func(string, string)) error {
	parent, name := 0, path
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			parent, name = i, path[i+1:]
			break
		}
	}
	pfd := d.root
	if parent > 0 {
		fd, _, err := d.open(path[:parent], false)
		if err != nil {
			if fatal(err) {
				return classify(err)
			}
			return nil // its parent is gone or not a folder: nothing here
		}
		pfd = fd
	}

	err := unix.Unlinkat(pfd, name, unix.AT_REMOVEDIR)
	// Hold no handle on a removed folder.
	d.close()
	switch {
	case err == nil:
		p.Dirs++
	case err == unix.ENOENT:
	case err == unix.ENOTEMPTY || err == unix.EEXIST:
		keep(path, "holds entries the run did not create")
		p.KeptDirs++
	case err == unix.ENOTDIR:
		// A link or a file in its place, reported when the chunk's
		// files were examined.
	case fatal(err):
		return classify(&OpError{Op: "remove folder", Path: path, Err: err})
	default:
		keep(path, err.Error())
		p.KeptDirs++
	}
	return nil
}
