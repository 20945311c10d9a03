package report

import (
	"cmp"
	"fmt"
	"os/user"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// counts holds one worker's running sums. Each worker owns one; they are
// merged when the walk ends, so the hot path takes no lock.
type counts struct {
	files, folders, symlinks, others int64
	bytes, allocated, sparse, hard   int64
	maxDepth                         int
	dormant, neverRead               Share

	sizes, modified, accessed, depth, perFolder Histogram

	exts, owners, groups tallyMap
	findings             map[string]*Finding
	known                map[uint32]bool // uid -> resolves, cached
	knownGroup           map[uint32]bool
}

func newCounts() *counts {
	return &counts{
		sizes:      NewPow2(UnitBytes),
		modified:   NewPow2(UnitDays),
		accessed:   NewPow2(UnitDays),
		depth:      NewLinear(UnitLevels, depthBuckets),
		perFolder:  NewPow2(UnitFiles),
		exts:       tallyMap{},
		owners:     tallyMap{},
		groups:     tallyMap{},
		findings:   map[string]*Finding{},
		known:      map[uint32]bool{},
		knownGroup: map[uint32]bool{},
	}
}

// find counts one occurrence of a finding at path p.
func (c *counts) find(sev Severity, kind, p string) {
	f := c.findings[kind]
	if f == nil {
		f = &Finding{Severity: sev, Kind: kind}
		c.findings[kind] = f
	}
	f.Count++
	f.Examples = addExample(f.Examples, p)
}

// addExample keeps the maxExamples smallest paths, so the examples do
// not depend on which worker saw what first.
func addExample(ex []string, p string) []string {
	i, found := slices.BinarySearch(ex, p)
	if found || i >= maxExamples {
		return ex
	}
	ex = slices.Insert(ex, i, p)
	if len(ex) > maxExamples {
		ex = ex[:maxExamples]
	}
	return ex
}

func (c *counts) merge(o *counts) {
	c.files += o.files
	c.folders += o.folders
	c.symlinks += o.symlinks
	c.others += o.others
	c.bytes += o.bytes
	c.allocated += o.allocated
	c.sparse += o.sparse
	c.hard += o.hard
	c.maxDepth = max(c.maxDepth, o.maxDepth)
	c.dormant.Files += o.dormant.Files
	c.dormant.Bytes += o.dormant.Bytes
	c.neverRead.Files += o.neverRead.Files
	c.neverRead.Bytes += o.neverRead.Bytes

	c.sizes.Merge(o.sizes)
	c.modified.Merge(o.modified)
	c.accessed.Merge(o.accessed)
	c.depth.Merge(o.depth)
	c.perFolder.Merge(o.perFolder)

	c.exts.merge(o.exts)
	c.owners.merge(o.owners)
	c.groups.merge(o.groups)
	for k, f := range o.findings {
		g := c.findings[k]
		if g == nil {
			c.findings[k] = f
			continue
		}
		g.Count += f.Count
		for _, p := range f.Examples {
			g.Examples = addExample(g.Examples, p)
		}
	}
}

// tallyMap sums files and bytes per key, up to maxKeys keys; the rest
// goes to OtherKey.
type tallyMap map[string]*Share

func (m tallyMap) add(key string, files, bytes int64) {
	s := m[key]
	if s == nil {
		if len(m) >= maxKeys {
			key = OtherKey
			s = m[key]
		}
		if s == nil {
			s = &Share{}
			m[key] = s
		}
	}
	s.Files += files
	s.Bytes += bytes
}

func (m tallyMap) merge(o tallyMap) {
	for k, s := range o {
		m.add(k, s.Files, s.Bytes)
	}
}

// top returns the n largest tallies by the given measure; ties go to
// the larger other measure, then to the smaller name, so the order is
// stable.
func (m tallyMap) top(n int, by func(Share) int64) []Tally {
	out := make([]Tally, 0, len(m))
	for k, s := range m {
		out = append(out, Tally{Name: k, Files: s.Files, Bytes: s.Bytes})
	}
	slices.SortFunc(out, func(a, b Tally) int {
		sa := Share{Files: a.Files, Bytes: a.Bytes}
		sb := Share{Files: b.Files, Bytes: b.Bytes}
		return cmp.Or(cmp.Compare(by(sb), by(sa)),
			cmp.Compare(sb.Files+sb.Bytes, sa.Files+sa.Bytes),
			cmp.Compare(a.Name, b.Name))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func byFiles(s Share) int64 { return s.Files }
func byBytes(s Share) int64 { return s.Bytes }

// ExtOf returns the extension a file counts under: lower case with the
// dot, NoExt when the name has none, OtherKey when it does not look like
// one.
func ExtOf(name string) string {
	e := path.Ext(name)
	if e == "" || e == name || e == "." {
		return NoExt
	}
	if len(e) > 11 {
		return OtherKey
	}
	for _, r := range e[1:] {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			r >= '0' && r <= '9' || r == '_' || r == '-'
		if !ok {
			return OtherKey
		}
	}
	return strings.ToLower(e)
}

// names resolves user and group ids, caching each answer. It is safe
// for concurrent use.
type names struct {
	mu     sync.Mutex
	users  map[uint32]string
	groups map[uint32]string
}

func newNames() *names {
	return &names{users: map[uint32]string{}, groups: map[uint32]string{}}
}

// user returns the name of uid and whether it resolved.
func (n *names) user(uid uint32) (string, bool) {
	return n.lookup(n.users, uid, func(id string) (string, error) {
		u, err := user.LookupId(id)
		if err != nil {
			return "", err
		}
		return u.Username, nil
	})
}

// group returns the name of gid and whether it resolved.
func (n *names) group(gid uint32) (string, bool) {
	return n.lookup(n.groups, gid, func(id string) (string, error) {
		g, err := user.LookupGroupId(id)
		if err != nil {
			return "", err
		}
		return g.Name, nil
	})
}

func (n *names) lookup(m map[uint32]string, id uint32,
	look func(string) (string, error)) (string, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if name, ok := m[id]; ok {
		return name, name != ""
	}
	name, err := look(strconv.FormatUint(uint64(id), 10))
	if err != nil {
		name = ""
	}
	if len(m) < maxKeys {
		m[id] = name
	}
	return name, name != ""
}

// resolve turns tallies keyed by numeric id into named ones.
func resolve(ts []Tally, look func(uint32) (string, bool)) []Tally {
	for i := range ts {
		if ts[i].Name == OtherKey {
			continue
		}
		ts[i].ID = ts[i].Name
		id, err := strconv.ParseUint(ts[i].Name, 10, 32)
		if err != nil {
			continue
		}
		if name, ok := look(uint32(id)); ok {
			ts[i].Name = name
		}
	}
	return ts
}

// detail writes the sentence a finding of the given kind carries.
func detail(f *Finding, r *Report, o Options) string {
	switch f.Kind {
	case KindHugeFolder:
		return fmt.Sprintf("%d folders hold more than %d entries; "+
			"split them", f.Count, o.HugeFolder)
	case KindOrphanOwner:
		return fmt.Sprintf("%d files belong to a uid that resolves "+
			"to no user; reassign them", f.Count)
	case KindOrphanGroup:
		return fmt.Sprintf("%d files belong to a gid that resolves "+
			"to no group", f.Count)
	case KindWorldWritable:
		return fmt.Sprintf("%d folders are writable by anyone; "+
			"remove o+w or set the sticky bit", f.Count)
	case KindSparse:
		return fmt.Sprintf("%d files (%.1f%%) are sparse: fewer "+
			"bytes allocated than their size", f.Count,
			percent(f.Count, r.Files))
	case KindFuture:
		return fmt.Sprintf("%d files were modified after %s",
			f.Count, r.AsOf.Format("2006-01-02 15:04"))
	case KindUnreadable:
		return fmt.Sprintf("%d entries could not be read and are "+
			"missing from the counts", f.Count)
	case KindTooDeep:
		return fmt.Sprintf("%d folders are nested deeper than %d "+
			"levels and were not entered", f.Count, maxDepth)
	}
	return ""
}
