package planner

import (
	"math"
)

const day = int64(24 * 3600 * 1e9)

// files adds the folder n and its count files to the chunks.
func (g *generator) files(n node, count int) error {
	// A chunk covers whole folders where it can: start a new one rather
	// than split a folder that would fit in it.
	c := &g.chunk
	if len(c.Files) > 0 && len(c.Files)+count > g.batch || len(c.Dirs) >= g.batch {
		if err := g.flush(); err != nil {
			return err
		}
	}
	dir := g.addDir(n, 0)
	clear(g.seen)

	var latest int64
	for i := 0; i < count; i++ {
		if len(c.Files) >= g.batch {
			if err := g.flush(); err != nil {
				return err
			}
			dir = g.addDir(n, i)
		}
		f := g.file(n, i)
		f.Dir = dir
		latest = max(latest, f.Mtime)
		c.Files = append(c.Files, f)
		c.Dirs[dir].Files++
	}

	// The folder's own attributes go with the last chunk that holds it,
	// after all its files, so finalizing in reverse order reaches every
	// folder after everything beneath it.
	d := &c.Dirs[dir]
	d.Final = true
	d.Attrs = g.dirAttrs(n)
	r := newRand(hashKey(n.key, layerAttrs))
	if latest == 0 {
		latest = g.drawMtime(&r)
	}
	d.Mtime = latest
	d.Atime = latest + int64(r.Float64()*float64(g.asOf-latest))
	return nil
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

func (g *generator) dirAttrs(n node) Attrs {
	a := Attrs{Mode: 0o755, UID: NoID, GID: NoID}
	switch n.kind {
	case "sensitive":
		a.Mode = 0o750
	case "temp":
		a.Mode = 0o777
	case "home":
		a.Mode = 0o700
	}
	if n.kind == "home" && n.spec != nil {
		a.Mode = 0o755 // the folder that holds the homes
	}
	return a
}

// file draws the i-th file of folder n.
func (g *generator) file(n node, i int) File {
	r := newRand(hashKey(n.key, layerFile, uint64(i)))
	ctx := n.ctx

	t := ctx.types[r.pick(ctx.typesCum)]
	f := File{Size: g.drawSize(&r, t.Shift)}
	f.Mtime = g.drawMtime(&r)
	f.Ctime, f.Atime = g.classTimes(&r, f.Mtime)
	f.Name = g.unique(g.fileName(&r, ctx, f.Mtime, t.Ext))

	a := newRand(hashKey(n.key, layerAttrs, uint64(i)))
	f.Attrs = Attrs{Mode: 0o644, UID: NoID, GID: NoID}
	if a.Float64()*100 < g.prof.ReadOnly {
		f.Attrs.Flags |= FlagReadOnly
		f.Attrs.Mode = 0o444
	}
	if a.Float64()*100 < g.prof.Hidden {
		f.Attrs.Flags |= FlagHidden
	}
	if a.Float64()*100 < g.prof.Zone {
		f.Attrs.Flags |= FlagZone
	}
	return f
}

// drawSize draws a lognormal size around the profile's model, shifted for
// the type.
func (g *generator) drawSize(r *Rand, shift float64) int64 {
	const sigma = 2.4566
	z := normal(r)
	s := math.Exp(g.sizeMu + shift + sigma*z)
	if s > 64<<30 {
		s = 64 << 30
	}
	return int64(s)
}

// normal draws a standard normal number by the Box-Muller method.
func normal(r *Rand) float64 {
	u1 := 1 - r.Float64()
	u2 := r.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// drawMtime draws a last-write time in the window by the plan's preset.
func (g *generator) drawMtime(r *Rand) int64 {
	span := g.maxT - g.minT
	if g.in.Preset == "recent-skew" {
		// Ages in days, lognormal; a higher bias gives younger files.
		mu := 4.79 + (50-g.in.Bias)/25
		for try := 0; try < 16; try++ {
			age := math.Exp(mu + 1.65*normal(r))
			t := g.maxT - int64(age*float64(day))
			if t > g.minT {
				return t
			}
		}
	}
	return g.minT + int64(r.Float64()*float64(span))
}

// classTimes draws a creation time before mtime and an access time after
// it, never after the reference time.
func (g *generator) classTimes(r *Rand, mtime int64) (ctime, atime int64) {
	ctime = mtime - int64(r.Float64()*30*float64(day))
	gap := int64(r.Float64() * 14 * float64(day))
	if room := g.asOf - mtime; gap > room {
		gap = int64(r.Float64() * float64(room))
	}
	return ctime, mtime + gap
}
