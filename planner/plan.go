package planner

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

// Inputs are everything a plan is a function of. Two plans with equal
// inputs and the same profile are the same tree.
type Inputs struct {
	Profile string    `json:"profile"`
	Seed    uint64    `json:"seed"`
	Files   int64     `json:"files"`
	AsOf    time.Time `json:"as_of"`

	// Preset, MinDate, MaxDate and Bias set the last-write times.
	Preset  string    `json:"date_preset"`
	MinDate time.Time `json:"min_date"`
	MaxDate time.Time `json:"max_date"`
	Bias    float64   `json:"recent_bias"`

	Content   string `json:"content"`
	Owners    string `json:"owners"`
	MaxPerDir int    `json:"max_per_dir"`
}

// Defaults for inputs left at their zero value.
const (
	DefaultFiles     = 100_000
	DefaultPreset    = "recent-skew"
	DefaultBias      = 50
	DefaultContent   = "sparse"
	DefaultOwners    = "none"
	DefaultMaxPerDir = 5_000 // far below where ext4 folders slow down
	DefaultYears     = 3     // the date window before the as-of time
)

// Resolve fills in the defaults of in, rounds times to the second, and
// checks the result.
func (in Inputs) Resolve(now time.Time) (Inputs, error) {
	if in.Profile == "" {
		in.Profile = "enterprise"
	}
	if in.AsOf.IsZero() {
		in.AsOf = now
	}
	in.AsOf = in.AsOf.UTC().Truncate(time.Second)
	if in.MaxDate.IsZero() {
		in.MaxDate = in.AsOf
	}
	if in.MinDate.IsZero() {
		in.MinDate = in.MaxDate.AddDate(-DefaultYears, 0, 0)
	}
	in.MinDate, in.MaxDate = in.MinDate.UTC(), in.MaxDate.UTC()
	if in.Preset == "" {
		in.Preset = DefaultPreset
	}
	if in.Bias == 0 {
		in.Bias = DefaultBias
	}
	if in.Content == "" {
		in.Content = DefaultContent
	}
	if in.Owners == "" {
		in.Owners = DefaultOwners
	}
	if in.MaxPerDir == 0 {
		in.MaxPerDir = DefaultMaxPerDir
	}

	switch {
	case in.Files < 0:
		return in, fmt.Errorf("files: %d is negative", in.Files)
	case in.MaxPerDir < 1:
		return in, fmt.Errorf("max-per-dir: %d is not positive", in.MaxPerDir)
	case !in.MinDate.Before(in.MaxDate):
		return in, fmt.Errorf("min-date %s is not before max-date %s",
			in.MinDate.Format(time.DateOnly), in.MaxDate.Format(time.DateOnly))
	case in.MaxDate.After(in.AsOf):
		return in, fmt.Errorf("max-date %s is after as-of %s",
			in.MaxDate.Format(time.DateOnly), in.AsOf.Format(time.DateOnly))
	case in.Bias < 0 || in.Bias > 100:
		return in, fmt.Errorf("recent-bias: %g is not in 0..100", in.Bias)
	}
	switch in.Preset {
	case "recent-skew", "uniform":
	default:
		return in, fmt.Errorf("date-preset: unknown preset %q (known: recent-skew, uniform)", in.Preset)
	}
	switch in.Content {
	case "sparse":
	default:
		return in, fmt.Errorf("content: unknown mode %q (known: sparse)", in.Content)
	}
	switch in.Owners {
	case "none":
	default:
		return in, fmt.Errorf("owners: unknown source %q (known: none)", in.Owners)
	}
	return in, nil
}

// Diff lists, by flag name, the inputs in which in and other differ.
func (in Inputs) Diff(other Inputs) []string {
	var out []string
	a, b := reflect.ValueOf(in), reflect.ValueOf(other)
	t := a.Type()
	for i := 0; i < t.NumField(); i++ {
		x, y := a.Field(i).Interface(), b.Field(i).Interface()
		if tx, ok := x.(time.Time); ok {
			if !tx.Equal(y.(time.Time)) {
				out = append(out, fmt.Sprintf("%s: %s, not %s", flagName(t.Field(i).Tag.Get("json")),
					tx.Format(time.RFC3339), y.(time.Time).Format(time.RFC3339)))
			}
			continue
		}
		if x != y {
			out = append(out, fmt.Sprintf("%s: %v, not %v", flagName(t.Field(i).Tag.Get("json")), x, y))
		}
	}
	return out
}

func flagName(jsonName string) string {
	if jsonName == "date_preset" {
		return "--date-preset"
	}
	return "--" + strings.ReplaceAll(jsonName, "_", "-")
}

// ErrStop may be returned by an emit function to end [Generate] early
// without an error.
var ErrStop = errors.New("planner: stop")

// Generate streams the plan of in and prof to emit, chunk by chunk, in
// order, each of about batch files. The chunk passed to emit is reused
// after emit returns. Generate holds one chunk and the folders on the
// current path, whatever the number of files.
func Generate(in Inputs, prof *Profile, batch int, emit func(*Chunk) error) error {
	if batch < 1 {
		return fmt.Errorf("planner: batch size %d is not positive", batch)
	}
	if err := prof.Validate(); err != nil {
		return err
	}
	g := newGenerator(in, prof, batch, emit)
	err := g.run()
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}

// node is a folder waiting on the generator's stack.
type node struct {
	path   string
	key    uint64
	depth  int
	budget int64   // files in the folder's subtree
	spec   *Folder // nil for a generated folder
	ctx    *folderCtx
	grow   string // how generated subfolders are named
	kind   string
	empty  bool
	// label is the generated folder's naming context (e.g. a year).
	label int
}

// folderCtx is what a subtree inherits: its types and words.
type folderCtx struct {
	types    []Type
	typesCum []float64
	words    []string
}

type generator struct {
	in    Inputs
	prof  *Profile
	batch int
	emit  func(*Chunk) error

	seed   uint64
	asOf   int64
	minT   int64
	maxT   int64
	chunk  Chunk
	index  int
	stack  []node
	seen   map[string]struct{}
	root   *folderCtx
	sizeMu float64
}

func newGenerator(in Inputs, prof *Profile, batch int, emit func(*Chunk) error) *generator {
	g := &generator{
		in: in, prof: prof, batch: batch, emit: emit,
		seed:   in.Seed,
		asOf:   in.AsOf.UnixNano(),
		minT:   in.MinDate.UnixNano(),
		maxT:   in.MaxDate.UnixNano(),
		seen:   make(map[string]struct{}, 64),
		sizeMu: 9.48,
	}
	g.root = newCtx(nil, prof.Types, prof.Words)
	return g
}

func newCtx(parent *folderCtx, types []Type, words []string) *folderCtx {
	if len(types) == 0 && len(words) == 0 && parent != nil {
		return parent
	}
	c := &folderCtx{types: types, words: words}
	if parent != nil {
		if len(types) == 0 {
			c.types = parent.types
		}
		if len(words) == 0 {
			c.words = parent.words
		}
	}
	c.typesCum = make([]float64, len(c.types))
	var sum float64
	for i, t := range c.types {
		sum += t.Weight
		c.typesCum[i] = sum
	}
	return c
}

func (g *generator) run() error {
	g.chunk = Chunk{AsOf: g.asOf}
	top := make([]node, len(g.prof.Folders))
	budgets := g.split(hashKey(g.seed, layerTree), g.in.Files, weightsOf(g.prof.Folders))
	for i := range g.prof.Folders {
		f := &g.prof.Folders[i]
		top[i] = g.child(node{ctx: g.root}, i, f.Name, budgets[i], f)
	}
	for i := len(top) - 1; i >= 0; i-- {
		g.stack = append(g.stack, top[i])
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
		if w[i] == 0 {
			w[i] = 1
		}
	}
	return w
}

// child makes the node of the i-th subfolder of parent.
func (g *generator) child(parent node, i int, name string, budget int64, spec *Folder) node {
	n := node{
		key:    hashKey(g.seed, layerTree, parent.key, uint64(i)),
		depth:  parent.depth + 1,
		budget: budget,
		ctx:    parent.ctx,
		kind:   parent.kind,
		label:  parent.label,
	}
	if parent.path == "" {
		n.path = name
	} else {
		n.path = parent.path + "/" + name
	}
	if spec != nil {
		n.spec = spec
		n.ctx = newCtx(parent.ctx, spec.Types, spec.Words)
		n.grow = spec.Grow
		n.empty = spec.Empty
		if spec.Kind != "" {
			n.kind = spec.Kind
		}
	} else if parent.grow == "years" {
		n.grow = "quarters"
	}
	return n
}

// split divides total among len(w) parts in proportion to the weights,
// each weight first scaled by a random factor so that siblings differ.
func (g *generator) split(key uint64, total int64, w []float64) []int64 {
	out := make([]int64, len(w))
	if total == 0 || len(w) == 0 {
		return out
	}
	r := newRand(key)
	scaled := make([]float64, len(w))
	var sum float64
	for i := range w {
		// An exponential factor: the shares of equal weights follow a
		// flat Dirichlet, so some siblings get far more than others.
		scaled[i] = w[i] * -math.Log(1-r.Float64())
		sum += scaled[i]
	}
	if sum == 0 {
		out[0] = total
		return out
	}
	// Largest remainder, so the parts add up to total exactly.
	var given int64
	rem := make([]float64, len(w))
	for i := range w {
		x := float64(total) * scaled[i] / sum
		out[i] = int64(x)
		rem[i] = x - float64(out[i])
		given += out[i]
	}
	for ; given < total; given++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// folder emits one folder with its files and pushes its subfolders.
func (g *generator) folder(n node) error {
	r := newRand(hashKey(n.key, layerTree))

	// Files of its own: a heavy-tailed count, never more than the
	// subtree holds or the cap allows.
	var own int64
	if !n.empty {
		own = int64(filesPerDir(&r, g.in.MaxPerDir))
		own = min(own, n.budget)
	}
	rest := n.budget - own

	var kids []node
	switch {
	case n.spec != nil && len(n.spec.Children) > 0:
		budgets := g.split(hashKey(n.key, layerTree, 1), rest, weightsOf(n.spec.Children))
		for i := range n.spec.Children {
			c := &n.spec.Children[i]
			kids = append(kids, g.child(n, i, c.Name, budgets[i], c))
		}
	case rest > 0:
		kids = g.grow(&r, n, rest)
	}
	if len(kids) == 0 {
		// A leaf keeps its whole budget, up to the cap; what the cap
		// leaves over goes to generated subfolders.
		own = min(n.budget, int64(g.in.MaxPerDir))
		if rest = n.budget - own; rest > 0 {
			kids = g.grow(&r, n, rest)
		}
	}

	if err := g.files(n, int(own)); err != nil {
		return err
	}
	for i := len(kids) - 1; i >= 0; i-- {
		g.stack = append(g.stack, kids[i])
	}
	return nil
}

// grow makes generated subfolders that share rest files.
func (g *generator) grow(r *Rand, n node, rest int64) []node {
	want := (rest + int64(g.prof.SubtreeFiles) - 1) / int64(g.prof.SubtreeFiles)
	count := int(min(want, int64(1+r.Intn(g.prof.Fanout))))
	names := g.folderNames(r, n, count)
	budgets := g.split(hashKey(n.key, layerTree, 2), rest, ones(len(names)))
	kids := make([]node, 0, len(names))
	for i, name := range names {
		if budgets[i] == 0 {
			continue
		}
		kids = append(kids, g.child(n, i, name, budgets[i], nil))
	}
	return kids
}

func ones(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// filesPerDir draws the Impressions model of files per folder,
// P(n) = o/(n+o)^2 for d = 2, by inverting its distribution function.
func filesPerDir(r *Rand, max int) int {
	const o = 2.36
	u := r.Float64()
	// P(N >= n) = o/(n+o), so N = floor(o/(1-u) - o).
	n := o/(1-u) - o
	if n >= float64(max) {
		return max
	}
	return int(n)
}
