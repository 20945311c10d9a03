package planner

import (
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"filegen/planner/dist"
)

// planStats gathers what REALISM.md measures of a plan.
type planStats struct {
	sizes     []float64 // ln(size), sizes over zero
	rawSizes  []float64
	files     int
	dirs      int
	emptyDirs int
	depthSum  int
	ages      []float64 // days before as-of
	perDir    map[string]int
	names     map[string]map[string]bool // folder -> lower-case names
	bad       []string
}

func gather(t *testing.T, in Inputs) *planStats {
	t.Helper()
	prof, err := Builtin(in.Profile)
	if err != nil {
		t.Fatal(err)
	}
	s := &planStats{perDir: make(map[string]int), names: make(map[string]map[string]bool)}
	asOf := in.AsOf.UnixNano()
	err = Generate(in, prof, nil, 4000, func(c *Chunk) error {
		for i := range c.Dirs {
			d := &c.Dirs[i]
			if d.Final {
				s.dirs++
			}
			s.perDir[d.Path] += d.Files
		}
		for i := range c.Files {
			f := &c.Files[i]
			s.files++
			p := c.Dirs[f.Dir].Path
			s.depthSum += strings.Count(p, "/") + 2 // the file's own level, counted from 1
			s.rawSizes = append(s.rawSizes, float64(f.Size))
			if f.Size > 0 {
				s.sizes = append(s.sizes, math.Log(float64(f.Size)))
			}
			s.ages = append(s.ages, float64(asOf-f.Mtime)/float64(24*time.Hour))
			if !(f.Ctime <= f.Mtime && f.Mtime <= f.Atime && f.Atime <= asOf) {
				s.bad = append(s.bad, c.FilePath(i))
			}
			if s.names[p] == nil {
				s.names[p] = make(map[string]bool)
			}
			low := strings.ToLower(f.Name)
			if s.names[p][low] || strings.ContainsAny(f.Name, windowsForbidden+"\\/") {
				s.bad = append(s.bad, "name "+c.FilePath(i))
			}
			s.names[p][low] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range s.perDir {
		if n == 0 {
			s.emptyDirs++
		}
	}
	return s
}

func median(x []float64) float64 {
	y := append([]float64(nil), x...)
	sort.Float64s(y)
	return y[len(y)/2]
}

func TestDefaultTreeAnchors(t *testing.T) {
	s := gather(t, testInputs(t, 200_000, 11))
	if len(s.bad) > 0 {
		t.Errorf("%d files break creation <= write <= access <= as-of or have a clashing or forbidden name, e.g. %v", len(s.bad), s.bad[:min(5, len(s.bad))])
	}
	// The mean is carried by a heavy tail, a few files of gigabytes in
	// 100,000: average it over three seeds.
	var total float64
	var n int
	for seed := uint64(21); seed < 24; seed++ {
		for _, v := range gather(t, testInputs(t, 200_000, seed)).rawSizes {
			total += v
			n++
		}
	}
	checks := []struct {
		what     string
		got      float64
		min, max float64
	}{
		{"median size (KB)", median(s.rawSizes) / 1000, 2, 16},
		{"mean size (KB)", total / float64(n) / 1000, 150, 700},
		{"mean files per folder", float64(s.files) / float64(s.dirs), 6, 15},
		{"empty folders (%)", 100 * float64(s.emptyDirs) / float64(s.dirs), 22.5 - 3, 22.5 + 3},
		{"mean file depth", float64(s.depthSum) / float64(s.files), 5, 8},
	}
	for _, c := range checks {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %.2f, want %g to %g (REALISM.md)", c.what, c.got, c.min, c.max)
		} else {
			t.Logf("%s = %.2f (want %g to %g)", c.what, c.got, c.min, c.max)
		}
	}
}

func TestSizesFollowPublishedFit(t *testing.T) {
	s := gather(t, testInputs(t, 100_000, 12))
	// ln(size) against the Impressions model the profile names: at most
	// 0.05 apart (REALISM.md's bar for realism).
	m := dist.Impressions()
	d := dist.KS(append([]float64(nil), s.sizes...), m.LogCDF)
	if d > 0.05 {
		t.Errorf("KS distance of sizes to the Impressions fit = %.4f, want <= 0.05", d)
	}
	t.Logf("KS distance to Impressions: %.4f", d)

	// And the same on power-of-two histograms.
	hist := func(cdf func(float64) float64, n int) []float64 {
		out := make([]float64, 40)
		for i := range out {
			out[i] = cdf(math.Ldexp(1, i))
		}
		return out
	}
	var emp []float64
	sorted := append([]float64(nil), s.rawSizes...)
	sort.Float64s(sorted)
	for i := 0; i < 40; i++ {
		x := math.Ldexp(1, i)
		k := sort.SearchFloat64s(sorted, x)
		emp = append(emp, float64(k)/float64(len(sorted)))
	}
	want := hist(m.CDF, 40)
	worst := 0.0
	for i := range want {
		worst = math.Max(worst, math.Abs(want[i]-emp[i]))
	}
	if worst > 0.05 {
		t.Errorf("power-of-two histogram differs from the Impressions fit by %.4f, want <= 0.05", worst)
	}

	// The published fits differ from each other by more than that, so
	// the test can tell a wrong model.
	if d2 := dist.KS(append([]float64(nil), s.sizes...), dist.Desktop1998().LogCDF); d2 < 0.1 {
		t.Errorf("KS distance to the 1998 desktop fit = %.4f; the test cannot tell the models apart", d2)
	}
}

func TestPresetsMatchRealism(t *testing.T) {
	asOf := testAsOf
	cases := []struct {
		preset string
		years  int
		share  func(ages []float64) map[string]float64
		want   map[string]float64
	}{
		{"recent-skew", 10, nil, map[string]float64{"under 30 days": 20, "under 1 year": 75, "over 3 years": 9}},
		{"uniform", 5, nil, map[string]float64{"over 3 years": 40, "under 30 days": 1.6}},
		{"archive", 20, nil, map[string]float64{"over 3 years": 41, "over 7 years": 12}},
	}
	for _, c := range cases {
		in, err := Inputs{Files: 30_000, Seed: 5, AsOf: asOf, Preset: c.preset, Bias: DefaultBias,
			MinDate: asOf.AddDate(-c.years, 0, 0)}.Resolve(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		s := gather(t, in)
		// Clutter (stale temp files) is dated by its own rule.
		got := map[string]float64{}
		for _, a := range s.ages {
			if a < 30 {
				got["under 30 days"]++
			}
			if a < 365.25 {
				got["under 1 year"]++
			}
			if a > 3*365.25 {
				got["over 3 years"]++
			}
			if a > 7*365.25 {
				got["over 7 years"]++
			}
		}
		for k, want := range c.want {
			share := 100 * got[k] / float64(len(s.ages))
			if math.Abs(share-want) > 3 {
				t.Errorf("%s: %s = %.1f%%, want %.1f%% within 3 points", c.preset, k, share, want)
			}
		}
	}
}

func TestScenarioLayers(t *testing.T) {
	in, err := Inputs{Scenario: "messy-legacy", Seed: 3, AsOf: testAsOf, Bias: DefaultBias}.Resolve(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if in.Files != 100_000 || len(in.Layers) != 3 {
		t.Fatalf("messy-legacy resolved to %d files in %d layers", in.Files, len(in.Layers))
	}
	s := gather(t, in)
	if s.files != 100_000 {
		t.Errorf("messy-legacy planned %d files", s.files)
	}
	old := 0
	for _, a := range s.ages {
		if a > 3*365.25 {
			old++
		}
	}
	// 60 % of files come from layers over ten years; most of their
	// dates are over three years old.
	if share := float64(old) / float64(s.files); share < 0.3 {
		t.Errorf("messy-legacy: %.0f%% of files over three years old, want a legacy share", 100*share)
	}

	// The acquired company's layer reaches only its own folder.
	in, _ = Inputs{Scenario: "10m", Files: 20_000, Seed: 3, AsOf: testAsOf, Bias: DefaultBias}.Resolve(time.Now())
	s = gather(t, in)
	acquired := 0
	for p, n := range s.perDir {
		if strings.HasPrefix(p, "Acquired/") || p == "Acquired" {
			acquired += n
		}
	}
	if want := int(in.Layers[3].Files); acquired != want {
		t.Errorf("10m: Acquired holds %d files, want its layer's %d", acquired, want)
	}
}

// TestSizesFollowOwnModel checks the generator against the model it is
// configured with: a folder's sizes are the mixture of its types' shifted
// models, weighted as the profile says.
func TestSizesFollowOwnModel(t *testing.T) {
	prof, _ := Builtin("enterprise")
	g, err := newGenerator(testInputs(t, 1, 1), prof, nil, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range prof.Folders[:4] {
		ctx := g.newCtx(g.root, f.Types, f.Words)
		const n = 20_000
		sample := make([]float64, 0, n)
		for i := 0; i < n; i++ {
			r := newRand(hashKey(77, uint64(i)))
			ti := r.pick(ctx.cum)
			if s := ctx.sizes[ti].Draw(&r); s > 0 {
				sample = append(sample, math.Log(float64(s)))
			}
		}
		total := ctx.cum[len(ctx.cum)-1]
		mixture := func(l float64) float64 {
			var p, prev float64
			for i, m := range ctx.sizes {
				p += (ctx.cum[i] - prev) / total * m.LogCDF(l)
				prev = ctx.cum[i]
			}
			return p
		}
		// Empty files are left out of both sides.
		empty := mixture(math.Inf(-1))
		d := dist.KS(sample, func(l float64) float64 { return (mixture(l) - empty) / (1 - empty) })
		if limit := 1.63 / math.Sqrt(float64(len(sample))); d > limit {
			t.Errorf("%s: KS distance of sizes to the folder's own model = %.4f, want below %.4f", f.Name, d, limit)
		}
	}
}
