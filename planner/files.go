package planner

import (
	"errors"
	"strconv"

	"filegen/planner/acl"
	"filegen/planner/dist"
)

var errNoLayers = errors.New("planner: the inputs have no layers; resolve them first")

// files adds folder n and its files, own[l] of layer l, to the chunks.
func (g *generator) files(n node, own []int64) error {
	count := int(sum(own))

	// A chunk covers whole folders where it can: start a new one rather
	// than split a folder that would fit in the next.
	c := &g.chunk
	if len(c.Files) > 0 && len(c.Files)+count > g.batch || len(c.Dirs) >= g.batch {
		if err := g.flush(); err != nil {
			return err
		}
	}
	dir := g.addDir(n, 0)
	g.resetNames()

	// Clutter a folder holds once: desktop.ini and Thumbs.db come first.
	r := newRand(hashKey(n.key, layerFile, 1<<40))
	cl := g.prof.Clutter
	ini := count >= 1 && r.Float64()*100 < cl.DesktopINI
	thumbs := count >= 2 && n.ctx.images && r.Float64()*100 < cl.ThumbsDB

	layer, next := 0, own[0]
	var latest int64
	for i := 0; i < count; i++ {
		for int64(i) >= next {
			layer++
			next += own[layer]
		}
		if len(c.Files) >= g.batch {
			if err := g.flush(); err != nil {
				return err
			}
			dir = g.addDir(n, i)
		}
		special := ""
		switch {
		case ini && i == 0:
			special = "desktop.ini"
		case thumbs && i == btoi(ini):
			special = "Thumbs.db"
		}
		f := g.file(&n, i, layer, special)
		f.Dir = dir
		latest = max(latest, f.Mtime)
		c.Files = append(c.Files, f)
		c.Dirs[dir].Files++
	}

	// The folder's own attributes go with the last chunk that holds it,
	// after all its files, so finalizing chunks in reverse order reaches
	// every folder after everything beneath it.
	d := &c.Dirs[dir]
	d.Final = true
	a := newRand(hashKey(n.key, layerAttrs))
	d.Attrs = g.dirAttrs(&a, &n)
	if latest == 0 {
		latest = g.dates[0].Draw(&a)
	}
	d.Mtime = latest
	d.Atime = latest + int64(a.Float64()*float64(g.asOf-latest))
	d.Mtime, d.Atime, _ = settled(d.Key, g.asOf, d.Mtime, d.Atime, d.Mtime)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (g *generator) addDir(n node, first int) int {
	c := &g.chunk
	c.Dirs = append(c.Dirs, Dir{Path: n.path, Key: n.key, First: first})
	return len(c.Dirs) - 1
}

func (g *generator) flush() error {
	c := &g.chunk
	if len(c.Dirs) == 0 {
		return nil
	}
	c.Index = g.index
	if err := g.emit(c); err != nil {
		return err
	}
	g.index++
	c.Dirs = c.Dirs[:0]
	c.Files = c.Files[:0]
	return nil
}

// officeTypes are the types whose editors leave ~$ owner files.
var officeTypes = map[string]bool{"docx": true, "xlsx": true, "pptx": true,
	"doc": true, "xls": true, "ppt": true}

// file draws the i-th file of folder n, of the given layer. special names
// a clutter file the folder holds once.
func (g *generator) file(n *node, i, layer int, special string) File {
	r := newRand(hashKey(n.key, layerFile, uint64(i)))
	ctx := n.ctx
	p := g.prof

	ti := r.pick(ctx.cum)
	ext := ctx.types[ti].Ext
	f := File{Size: ctx.sizes[ti].Draw(&r)}
	f.Mtime = g.dates[layer].Draw(&r)
	class := dist.DrawClass(&r, kinds[n.kind])
	f.Ctime, f.Atime = class.Times(&r, f.Mtime, g.asOf)
	t := g.templates[r.Intn(len(g.templates))]
	g.buf = t.render(g.buf[:0], &r, ctx.words, p, f.Mtime)

	var flags uint8
	clutter := r.Float64() * 100
	switch {
	case special == "desktop.ini":
		g.buf = append(g.buf[:0], "desktop"...)
		ext = "ini"
		f.Size = 120 + int64(r.Intn(300))
		flags = FlagHidden | FlagSystem
	case special == "Thumbs.db":
		g.buf = append(g.buf[:0], "Thumbs"...)
		ext = "db"
		f.Size = 4096 * (1 + int64(r.Intn(200)))
		flags = FlagHidden | FlagSystem
	case clutter < p.Clutter.LockFiles && officeTypes[ext]:
		// Office's owner file: ~$ over the first two characters of
		// the document's name, 162 bytes, hidden.
		cut := min(2, len(g.buf)-1)
		g.buf = append([]byte("~$"), g.buf[cut:]...)
		f.Size = 162
		flags = FlagHidden
	case clutter < p.Clutter.LockFiles+p.Clutter.TempFiles:
		// A stale temporary file, left about 30, 90 or 180 days ago.
		g.buf = append(g.buf[:0], "~WRL"...)
		g.buf = strconv.AppendInt(g.buf, int64(1000+r.Intn(9000)), 10)
		ext = "tmp"
		f.Size = int64(r.Intn(64 << 10))
		age := [3]int64{30, 90, 180}[r.Intn(3)]*day + int64((r.Float64()-0.5)*10*float64(day))
		f.Mtime = max(g.asOf-age, g.dates[layer].Min)
		class = dist.WONR
		f.Ctime, f.Atime = class.Times(&r, f.Mtime, g.asOf)
	}
	// The plan keeps times to the second; the nanoseconds come from
	// the file's key (see settle).
	f.Mtime, f.Atime, f.Ctime = settled(ContentKey(n.key, i), g.asOf, f.Mtime, f.Atime, f.Ctime)
	g.buf = append(g.buf, '.')
	g.buf = append(g.buf, ext...)
	f.Name = g.names.add(string(g.buf))

	a := newRand(hashKey(n.key, layerAttrs, uint64(i)))
	f.Attrs = Attrs{Mode: 0o644, UID: NoID, GID: NoID, Class: uint8(class), Flags: flags}
	if a.Float64()*100 < p.ReadOnly {
		f.Attrs.Flags |= FlagReadOnly
		f.Attrs.Mode = 0o444
	}
	if a.Float64()*100 < p.Hidden {
		f.Attrs.Flags |= FlagHidden
	}
	if a.Float64()*100 < p.Zone {
		f.Attrs.Flags |= FlagZone
	}
	if g.ids != nil {
		f.Attrs.UID, f.Attrs.GID = g.ids.owner(&a, p.Owners, n.dept, n.service)
		if n.home != 0 && a.Float64() < 0.8 {
			// Most files of a home folder are its user's.
			f.Attrs.UID = n.home
		}
		if a.Float64()*100 < p.FileACLs {
			f.Attrs.ACL, f.Attrs.Mode = g.fileACL(&a, n, f.Attrs.Mode)
		}
	}
	return f
}

// fileACL gives a file an entry of its own: a member of the department,
// or a former employee, who may read and write it.
func (g *generator) fileACL(r *Rand, n *node, mode uint32) (string, uint32) {
	var who uint32
	if n.dept != nil && len(n.dept.Members) > 0 && r.Intn(4) > 0 {
		who = n.dept.Members[r.Intn(len(n.dept.Members))].UID
	} else if len(g.ids.Former) > 0 {
		who = g.ids.Former[r.Intn(len(g.ids.Former))]
	}
	if who == 0 {
		return "", mode
	}
	perm := uint16(acl.Read | acl.Write)
	if mode&0o200 == 0 {
		perm = acl.Read
	}
	a := acl.ACL{
		{Tag: acl.UserObj, Perm: uint16(mode>>6) & 7},
		{Tag: acl.GroupObj, Perm: uint16(mode>>3) & 7},
		{Tag: acl.Other, Perm: uint16(mode) & 7},
		{Tag: acl.User, Perm: perm, ID: who},
	}
	enc := a.Encode()
	dec, _ := acl.Decode(enc)
	return g.intern(enc), modeOf(dec, mode)
}

// modeOf returns the permission bits that an access list sets: the
// owner's, the mask's (or the group's, without a mask), and others'.
func modeOf(a acl.ACL, mode uint32) uint32 {
	var u, gr, m, o uint32
	hasMask := false
	for _, e := range a {
		switch e.Tag {
		case acl.UserObj:
			u = uint32(e.Perm)
		case acl.GroupObj:
			gr = uint32(e.Perm)
		case acl.Mask:
			m, hasMask = uint32(e.Perm), true
		case acl.Other:
			o = uint32(e.Perm)
		}
	}
	if hasMask {
		gr = m
	}
	return mode&^0o777 | u<<6 | gr<<3 | o
}

// intern keeps one copy of each encoded list.
func (g *generator) intern(b []byte) string {
	if s, ok := g.acls[string(b)]; ok {
		return s
	}
	s := string(b)
	g.acls[s] = s
	return s
}

// dirAttrs returns a folder's owner, mode and permission lists.
func (g *generator) dirAttrs(r *Rand, n *node) Attrs {
	a := Attrs{Mode: 0o755, UID: NoID, GID: NoID}
	switch n.kind {
	case "sensitive", "board":
		a.Mode = 0o750
	case "temp":
		a.Mode = 0o777
	}
	if n.home != 0 || n.rule == acl.Home {
		a.Mode = 0o700
	}
	if g.ids == nil {
		return a
	}

	a.UID = 0
	if n.home != 0 {
		a.UID = n.home
	}
	if n.dept != nil && n.dept.Group != 0 {
		a.GID = n.dept.Group
	}
	access, def := acl.Folder(n.rule, n.base, g.ids.principals(r, n.dept, n.home))
	enc := access.Encode()
	dec, err := acl.Decode(enc)
	if err != nil {
		return a
	}
	a.ACL = g.intern(enc)
	a.DefaultACL = g.intern(def.Encode())
	a.Mode = modeOf(dec, 0)
	return a
}
