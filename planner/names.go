package planner

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var projectNames = []string{"Apollo", "Atlas", "Beacon", "Cascade", "Comet",
	"Delta", "Ember", "Falcon", "Granite", "Harbor", "Horizon", "Jade",
	"Keystone", "Lighthouse", "Meridian", "Nova", "Orion", "Pioneer",
	"Quartz", "Redwood", "Summit", "Titan", "Vertex", "Zephyr"}

var genericFolders = []string{"Drafts", "Final", "Working", "Reports",
	"Old", "Misc", "Templates", "Reference", "Meetings", "Review",
	"Approved", "Incoming", "Outgoing", "Scans", "Exports", "Notes"}

var phases = []string{"Planning", "Execution", "Review", "Resources", "Documentation"}

// folderNames draws count distinct names for the generated subfolders of n.
func (g *generator) folderNames(r *Rand, n node, count int) []string {
	asOfYear := g.in.AsOf.Year()
	names := make([]string, 0, count)
	switch {
	case n.grow == "years":
		// The most recent years, newest first.
		for i := 0; i < count; i++ {
			names = append(names, strconv.Itoa(asOfYear-i))
		}
		return names
	case n.grow == "quarters" && n.depth > 0:
		for i := 0; i < count && i < 4; i++ {
			names = append(names, "Q"+strconv.Itoa(i+1))
		}
		if len(names) == count {
			return names
		}
	case n.grow == "users":
		return g.distinct(r, count, func(r *Rand) string {
			p := g.prof.People
			return strings.ToLower(p[r.Intn(len(p)/2)] + "." + p[len(p)/2+r.Intn(len(p)-len(p)/2)])
		}, names)
	case n.grow == "projects":
		return g.distinct(r, count, func(r *Rand) string {
			return "Project " + projectNames[r.Intn(len(projectNames))]
		}, names)
	case n.spec == nil && n.kind == "project" && n.depth > 0 && strings.HasPrefix(lastPart(n.path), "Project "):
		for i := 0; i < count && i < len(phases); i++ {
			names = append(names, phases[i])
		}
		if len(names) == count {
			return names
		}
	}
	return g.distinct(r, count, func(r *Rand) string {
		if r.Intn(4) == 0 {
			w := n.ctx.words
			return w[r.Intn(len(w))]
		}
		return genericFolders[r.Intn(len(genericFolders))]
	}, names)
}

func lastPart(p string) string {
	return p[strings.LastIndexByte(p, '/')+1:]
}

// distinct fills names up to count with drawn names, adding a number to
// any that repeats an earlier one regardless of case.
func (g *generator) distinct(r *Rand, count int, draw func(*Rand) string, names []string) []string {
	clear(g.seen)
	for _, s := range names {
		g.seen[strings.ToLower(s)] = struct{}{}
	}
	for len(names) < count {
		names = append(names, g.unique(draw(r)))
	}
	return names
}

// unique returns name, or name with a number added before its extension,
// so that it differs from every name in g.seen regardless of case, and
// records it there.
func (g *generator) unique(name string) string {
	key := strings.ToLower(name)
	if _, dup := g.seen[key]; !dup {
		g.seen[key] = struct{}{}
		return name
	}
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		stem, ext = name[:i], name[i:]
	}
	for k := 2; ; k++ {
		s := stem + " (" + strconv.Itoa(k) + ")" + ext
		key := strings.ToLower(s)
		if _, dup := g.seen[key]; !dup {
			g.seen[key] = struct{}{}
			return s
		}
	}
}

// fileName draws a file's name from the folder's words and the file's
// modification time.
func (g *generator) fileName(r *Rand, ctx *folderCtx, mtime int64, ext string) string {
	w := ctx.words[r.Intn(len(ctx.words))]
	t := time.Unix(0, mtime).UTC()
	var s string
	switch r.Intn(8) {
	case 0:
		s = fmt.Sprintf("%s %s", w, t.Format("2006-01-02"))
	case 1:
		s = fmt.Sprintf("%s_%d_Q%d", w, t.Year(), (int(t.Month())+2)/3)
	case 2:
		s = fmt.Sprintf("%s_v%d", w, 1+r.Intn(9))
	case 3:
		p := g.prof.People
		s = fmt.Sprintf("%s_%s", p[r.Intn(len(p))], w)
	case 4:
		s = fmt.Sprintf("%s %04d", w, r.Intn(10000))
	case 5:
		s = fmt.Sprintf("%s %s %d", w, t.Month().String()[:3], t.Year())
	case 6:
		s = fmt.Sprintf("%s_FINAL", w)
	default:
		s = fmt.Sprintf("%s_%d", w, r.Intn(1000))
	}
	return s + "." + ext
}
