package planner

import (
	"math"
	"strconv"
	"strings"
	"time"

	"filegen/planner/acl"
	"filegen/planner/dist"
)

const day = int64(24 * time.Hour)

// maxDepth bounds how deep generated folders go, far beyond what budgets
// reach, so that no profile can make paths longer than file systems take.
const maxDepth = 40

// subtreeFiles is the most files a generated subtree holds when it is laid
// out whole (see [generator.layout]); bigger budgets are split among
// generated folders first. It bounds what the generator holds at once.
const subtreeFiles = 2000

// namedShape is the gamma shape of the random factors of named folders'
// weights: shares stay within about half of the weights either way.
const namedShape = 4

// homesPerDept is how many home folders a department has when the plan
// has no directory to name its members: 360 people in 15 departments.
const homesPerDept = 24

// node is a folder waiting on the generator's stack.
type node struct {
	path   string
	key    uint64
	depth  int
	budget []int64 // files in the folder's subtree, per layer
	spec   *Folder // nil for a generated folder
	ctx    *folderCtx
	grow   string
	kind   string
	empty  bool

	dept    *DeptIDs // nil without owners
	service string
	home    uint32   // the home folder's user, or 0
	rule    acl.Rule // the permission pattern, inherited by generated folders
	base    acl.Rule // the pattern under an archive rule

	// sub is the laid-out subtree the folder belongs to, and idx its
	// place in it; nil above the subtrees.
	sub *subtree
	idx int32
}

// folderCtx is what a subtree inherits: its types with their size models,
// and its words.
type folderCtx struct {
	types  []Type
	cum    []float64
	sizes  []dist.SizeModel
	words  []string
	images bool // holds image types, so it may hold a Thumbs.db
}

type generator struct {
	in    Inputs
	prof  *Profile
	ids   *Identities
	batch int
	emit  func(*Chunk) error

	seed      uint64
	asOf      int64
	dates     []dist.Dates
	sizes     dist.SizeModel
	perDir    dist.FilesPerDir
	templates []template
	root      *folderCtx

	chunk Chunk
	index int
	stack []node
	names names
	buf   []byte
	acls  map[string]string // encoded lists, shared
}

func newGenerator(in Inputs, prof *Profile, ids *Identities, batch int, emit func(*Chunk) error) (*generator, error) {
	g := &generator{
		in: in, prof: prof, ids: ids, batch: batch, emit: emit,
		seed:   in.Seed,
		asOf:   in.AsOf.UnixNano(),
		perDir: dist.ImpressionsFilesPerDir(in.MaxPerDir),
		names:  make(names, 64),
		acls:   make(map[string]string),
	}
	var err error
	if g.sizes, err = prof.sizeModel(); err != nil {
		return nil, err
	}
	for _, l := range in.Layers {
		d, err := l.dates()
		if err != nil {
			return nil, err
		}
		g.dates = append(g.dates, d)
	}
	if len(g.dates) == 0 {
		return nil, errNoLayers
	}
	for _, s := range prof.Names {
		t, err := parseTemplate(s)
		if err != nil {
			return nil, err
		}
		g.templates = append(g.templates, t)
	}
	g.root = g.newCtx(nil, prof.Types, prof.Words)
	return g, nil
}

// newCtx returns the context of a folder with its own types or words, or
// the parent's when it has neither.
func (g *generator) newCtx(parent *folderCtx, types []Type, words []string) *folderCtx {
	if parent != nil && len(types) == 0 && len(words) == 0 {
		return parent
	}
	c := &folderCtx{types: types, words: words}
	if parent != nil {
		if len(types) == 0 {
			c.types, c.cum, c.sizes, c.images = parent.types, parent.cum, parent.sizes, parent.images
		}
		if len(words) == 0 {
			c.words = parent.words
		}
	}
	if c.cum != nil {
		return c
	}

	// Each type's model is the profile's, shifted. The spread the shifts
	// add is taken out of sigma, and they are centred so that the mean
	// size stays the model's: the folder's sizes as a whole follow the
	// published model the profile names.
	var sum, mean, sq, expSum float64
	for _, t := range c.types {
		sum += t.Weight
		mean += t.Weight * t.Shift
	}
	mean /= sum
	for _, t := range c.types {
		sq += t.Weight * (t.Shift - mean) * (t.Shift - mean)
		expSum += t.Weight * math.Exp(t.Shift-mean)
	}
	base := g.sizes
	s2 := base.Sigma * base.Sigma
	variance := math.Min(sq/sum, 0.75*s2)
	base.Sigma = math.Sqrt(s2 - variance)
	mean += math.Log(expSum/sum) - variance/2

	c.cum = make([]float64, len(c.types))
	c.sizes = make([]dist.SizeModel, len(c.types))
	acc := 0.0
	for i, t := range c.types {
		acc += t.Weight
		c.cum[i] = acc
		c.sizes[i] = base.Shift(t.Shift - mean)
		switch t.Ext {
		case "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "psd":
			c.images = true
		}
	}
	return c
}

func (g *generator) run() error {
	g.chunk = Chunk{AsOf: g.asOf}
	folders := g.prof.Folders

	// Each layer's files go to the top-level folders it fills, in
	// proportion to their weights; the random factors that make
	// siblings differ are shared by all layers.
	scaled := g.scale(hashKey(g.seed, layerTree), weightsOf(folders), namedShape)
	budgets := make([][]int64, len(folders))
	for i := range budgets {
		budgets[i] = make([]int64, len(g.dates))
	}
	for l, layer := range g.in.Layers {
		w := make([]float64, len(folders))
		for i, f := range folders {
			fills := len(layer.Folders) == 0 && !f.Optional
			for _, name := range layer.Folders {
				fills = fills || strings.EqualFold(name, f.Name)
			}
			if fills {
				w[i] = scaled[i]
			}
		}
		for i, n := range divide(layer.Files, w) {
			budgets[i][l] = n
		}
	}

	parent := node{ctx: g.root}
	for i := len(folders) - 1; i >= 0; i-- {
		f := &folders[i]
		n := g.child(parent, i, f.Name, budgets[i], f)
		if g.ids != nil {
			n.dept = g.ids.Departments[f.Name]
		}
		g.stack = append(g.stack, n)
	}
	for len(g.stack) > 0 {
		n := g.stack[len(g.stack)-1]
		g.stack = g.stack[:len(g.stack)-1]
		if err := g.folder(n); err != nil {
			return err
		}
	}
	return g.flush()
}

func weightsOf(fs []Folder) []float64 {
	w := make([]float64, len(fs))
	for i, f := range fs {
		w[i] = f.Weight
		if w[i] == 0 && f.Name != "" {
			w[i] = 1
		}
	}
	return w
}

// child makes the node of the i-th subfolder of parent.
func (g *generator) child(parent node, i int, name string, budget []int64, spec *Folder) node {
	n := node{
		key:     hashKey(g.seed, layerTree, parent.key, uint64(i)),
		depth:   parent.depth + 1,
		budget:  budget,
		ctx:     parent.ctx,
		kind:    parent.kind,
		dept:    parent.dept,
		service: parent.service,
		home:    parent.home,
		rule:    parent.rule,
		base:    parent.base,
	}
	if parent.path == "" {
		n.path = name
	} else {
		n.path = parent.path + "/" + name
	}
	if spec != nil {
		n.spec = spec
		n.ctx = g.newCtx(parent.ctx, spec.Types, spec.Words)
		n.grow = spec.Grow
		n.empty = spec.Empty
		if spec.Kind != "" {
			n.kind = spec.Kind
		}
		if spec.Service != "" {
			n.service = spec.Service
		}
		// A named folder has a pattern of its own, drawn unless its
		// kind fixes it.
		r := newRand(hashKey(n.key, layerAttrs, 1<<32))
		drawn := acl.Pick(r.Float64())
		switch n.kind {
		case "sensitive":
			n.rule = acl.Sensitive
		case "temp":
			n.rule = acl.Temp
		case "public":
			n.rule = acl.Public
		case "board":
			n.rule = acl.Board
		case "archive":
			if n.rule != acl.Archive {
				n.base = drawn
			}
			n.rule = acl.Archive
		case "home":
			n.rule = acl.DeptDirect
		default:
			n.rule = drawn
		}
	} else {
		switch parent.grow {
		case "years":
			n.grow = "quarters"
		case "projects":
			n.grow = "phases"
		}
	}
	return n
}

// scale multiplies each weight by a gamma factor of the given shape drawn
// from key. With shape 1, equal weights share like a flat Dirichlet, so
// some siblings get far more than others, as in real trees; a larger
// shape keeps shares closer to the weights, as the profile's folders'
// should be.
func (g *generator) scale(key uint64, w []float64, shape int) []float64 {
	r := newRand(key)
	out := make([]float64, len(w))
	for i := range w {
		p := 1.0
		for range shape {
			p *= 1 - r.Float64()
		}
		out[i] = w[i] * -math.Log(p) / float64(shape)
	}
	return out
}

// divide splits total in proportion to w, by largest remainder, so that
// the parts add up to total exactly.
func divide(total int64, w []float64) []int64 {
	out := make([]int64, len(w))
	var sum float64
	for _, x := range w {
		sum += x
	}
	if total == 0 || sum == 0 {
		return out
	}
	var given int64
	rem := make([]float64, len(w))
	for i, x := range w {
		v := float64(total) * x / sum
		out[i] = int64(v)
		rem[i] = v - float64(out[i])
		given += out[i]
	}
	for ; given < total; given++ {
		best := -1
		for i := range rem {
			if w[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

func sum(b []int64) int64 {
	var n int64
	for _, x := range b {
		n += x
	}
	return n
}

// folder emits one folder with its files and pushes its subfolders.
func (g *generator) folder(n node) error {
	r := newRand(hashKey(n.key, layerTree))
	total := sum(n.budget)
	if n.sub == nil && n.generic() && total > 0 && total <= subtreeFiles {
		n.sub, n.idx = g.layout(n), 0
	}
	if n.sub != nil {
		kids := g.subChildren(&r, n)
		if err := g.files(n, n.sub.ownOf(n.idx)); err != nil {
			return err
		}
		for i := len(kids) - 1; i >= 0; i-- {
			g.stack = append(g.stack, kids[i])
		}
		return nil
	}

	// Files of its own: the Impressions count, never more than the
	// subtree holds; the layers share it in proportion to their budgets.
	count := int64(g.perDir.Draw(&r))
	if n.empty {
		count = 0
	}
	count = min(count, total)
	own := divide(count, toFloat(n.budget))
	rest := make([]int64, len(n.budget))
	for l := range rest {
		rest[l] = n.budget[l] - own[l]
	}

	kids := g.children(&r, n, rest)
	if len(kids) == 0 && sum(rest) > 0 {
		// Nowhere to put the rest (the depth limit): the folder keeps it.
		for l := range own {
			own[l] += rest[l]
		}
	}
	if err := g.files(n, own); err != nil {
		return err
	}
	for i := len(kids) - 1; i >= 0; i-- {
		g.stack = append(g.stack, kids[i])
	}
	return nil
}

func toFloat(b []int64) []float64 {
	out := make([]float64, len(b))
	for i, x := range b {
		out[i] = float64(x)
	}
	return out
}

// children makes the subfolders of n and gives them the rest of its
// files. Named folders always exist; generated ones only with files,
// but for the fixed sets of an archive's years and a project's phases.
func (g *generator) children(r *Rand, n node, rest []int64) []node {
	total := sum(rest)
	var names []string
	var w []float64
	always := false
	switch {
	case n.spec != nil && len(n.spec.Children) > 0:
		scaled := g.scale(hashKey(n.key, layerTree, 1), weightsOf(n.spec.Children), namedShape)
		kids := make([]node, len(n.spec.Children))
		parts := g.splitLayers(rest, scaled)
		for i := range n.spec.Children {
			c := &n.spec.Children[i]
			kids[i] = g.child(n, i, c.Name, parts[i], c)
		}
		return kids
	case n.depth >= maxDepth:
		return nil
	case n.grow == "years":
		y := time.Unix(0, g.asOf).UTC().Year()
		for i := 0; i < 10; i++ {
			names = append(names, strconv.Itoa(y-i))
		}
		always = true
	case n.grow == "quarters":
		names = []string{"Q1", "Q2", "Q3", "Q4"}
	case n.grow == "phases":
		names = []string{"Planning", "Execution", "Review", "Resources", "Documentation"}
		always = true
	case n.grow == "users":
		return g.homes(n, rest)
	case total == 0:
		return nil
	case n.grow == "projects":
		names = g.distinct(r, 3+r.Intn(5), func(r *Rand) string {
			return "Project " + projectNames[r.Intn(len(projectNames))]
		})
	default:
		k := 2 + r.Intn(g.prof.Fanout-1)
		names = g.distinct(r, k, func(r *Rand) string {
			if r.Intn(3) == 0 {
				return n.ctx.words[r.Intn(len(n.ctx.words))]
			}
			return folderWords[r.Intn(len(folderWords))]
		})
	}
	if w == nil {
		w = make([]float64, len(names))
		for i := range w {
			w[i] = 1
		}
	}
	parts := g.splitLayers(rest, g.scale(hashKey(n.key, layerTree, 2), w, 1))
	var kids []node
	for i, name := range names {
		if !always && sum(parts[i]) == 0 {
			continue
		}
		kids = append(kids, g.child(n, i, name, parts[i], nil))
	}
	return kids
}

// homes makes a home folder for each member of the department, or for
// accounts named from the profile when the plan has no owners.
func (g *generator) homes(n node, rest []int64) []node {
	var members []Member
	if n.dept != nil {
		members = n.dept.Members
	} else if g.ids != nil {
		members = g.ids.Users
	}
	if len(members) == 0 {
		r := newRand(hashKey(n.key, layerTree, 3))
		p := g.prof
		g.resetNames()
		for len(members) < homesPerDept {
			name := strings.ToLower(p.First[r.Intn(len(p.First))] + "." + p.Last[r.Intn(len(p.Last))])
			for k := 2; g.names.has(foldHash(name)); k++ {
				name = strings.TrimRight(name, "0123456789") + strconv.Itoa(k)
			}
			g.names[foldHash(name)] = struct{}{}
			members = append(members, Member{Name: name})
		}
	}
	w := make([]float64, len(members))
	for i := range w {
		w[i] = 1
	}
	parts := g.splitLayers(rest, g.scale(hashKey(n.key, layerTree, 2), w, 1))
	kids := make([]node, len(members))
	for i, m := range members {
		kids[i] = g.child(n, i, m.Name, parts[i], nil)
		kids[i].home = m.UID
		kids[i].rule = acl.Home
		kids[i].grow = ""
	}
	return kids
}

// splitLayers divides each layer's rest among children by the same
// weights.
func (g *generator) splitLayers(rest []int64, w []float64) [][]int64 {
	parts := make([][]int64, len(w))
	for i := range parts {
		parts[i] = make([]int64, len(rest))
	}
	for l, r := range rest {
		for i, n := range divide(r, w) {
			parts[i][l] = n
		}
	}
	return parts
}

var projectNames = []string{"Apollo", "Atlas", "Beacon", "Cascade", "Comet",
	"Delta", "Ember", "Falcon", "Granite", "Harbor", "Horizon", "Jade",
	"Keystone", "Lighthouse", "Meridian", "Nova", "Orion", "Pioneer",
	"Quartz", "Redwood", "Summit", "Titan", "Vertex", "Zephyr"}

var folderWords = []string{"Drafts", "Final", "Working", "Reports", "Old",
	"Misc", "Templates", "Reference", "Meetings", "Review", "Approved",
	"Incoming", "Outgoing", "Scans", "Exports", "Notes", "Backup",
	"Current", "Shared", "Archive", "To Sort", "New Folder", "Docs"}

// distinct draws count names that differ regardless of case.
func (g *generator) distinct(r *Rand, count int, draw func(*Rand) string) []string {
	g.resetNames()
	out := make([]string, 0, count)
	for len(out) < count {
		out = append(out, g.names.add(draw(r)))
	}
	return out
}
