package planner

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"filegen/planner/dist"
)

// Layer is one stratum of a plan: a share of its files with their own
// date preset and window, in a subset of the top-level folders. A plan of
// several layers is one tree; each folder's files are split among the
// layers that reach it.
type Layer struct {
	Files   int64     `json:"files"`
	Preset  string    `json:"date_preset"`
	MinDate time.Time `json:"min_date"`
	MaxDate time.Time `json:"max_date"`
	Bias    float64   `json:"recent_bias"`

	// Folders are the top-level folders the layer fills; none means
	// every folder that is not optional.
	Folders []string `json:"folders,omitempty"`
}

// scenarioLayer is a layer of a built-in scenario: a share of the files
// and a window counted back from the as-of time.
type scenarioLayer struct {
	share   float64
	preset  string
	years   int // the window: this many years before the as-of time
	folders []string
}

// Scenario is a built-in bundle of layers.
type Scenario struct {
	Name        string
	Description string
	Files       int64
	layers      []scenarioLayer
}

var scenarios = []Scenario{
	{Name: "default", Description: "100,000 files, recent-skew over three years", Files: 100_000,
		layers: []scenarioLayer{{1, "recent-skew", 3, nil}}},
	{Name: "messy-legacy", Description: "100,000 files: legacy-mess and year-spread over ten years under recent work",
		Files: 100_000,
		layers: []scenarioLayer{
			{0.30, "legacy-mess", 10, nil},
			{0.30, "year-spread", 10, nil},
			{0.40, "recent-skew", 3, nil},
		}},
	{Name: "smoke", Description: "500 files, for a quick check", Files: 500,
		layers: []scenarioLayer{{1, "recent-skew", 3, nil}}},
	{Name: "smoke-2k", Description: "2,000 files, for a quick check", Files: 2_000,
		layers: []scenarioLayer{{1, "recent-skew", 3, nil}}},
	{Name: "10m", Description: "10,000,000 files in four layers, with a company acquired this year",
		Files: 10_000_000,
		layers: []scenarioLayer{
			{0.35, "legacy-mess", 10, nil},
			{0.30, "year-spread", 10, nil},
			{0.30, "recent-skew", 3, nil},
			{0.05, "uniform", 1, []string{"Acquired"}},
		}},
}

// Scenarios lists the built-in scenarios.
func Scenarios() []Scenario {
	out := append([]Scenario(nil), scenarios...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func scenarioByName(name string) (Scenario, error) {
	var known []string
	for _, s := range scenarios {
		if s.Name == name {
			return s, nil
		}
		known = append(known, s.Name)
	}
	return Scenario{}, fmt.Errorf("scenario: unknown scenario %q (known: %s)", name, strings.Join(known, ", "))
}

// layers resolves the scenario into layers of files files in all, as of
// asOf.
func (s Scenario) resolve(files int64, asOf time.Time, bias float64) []Layer {
	out := make([]Layer, len(s.layers))
	var given int64
	for i, l := range s.layers {
		n := int64(float64(files) * l.share)
		if i == len(s.layers)-1 {
			n = files - given
		}
		given += n
		out[i] = Layer{
			Files: n, Preset: l.preset,
			MinDate: asOf.AddDate(-l.years, 0, 0), MaxDate: asOf,
			Bias: bias, Folders: l.folders,
		}
	}
	return out
}

// dates returns the layer's date drawer.
func (l Layer) dates() (dist.Dates, error) {
	p, err := dist.ParsePreset(l.Preset)
	if err != nil {
		return dist.Dates{}, err
	}
	d := dist.Dates{Preset: p, Min: l.MinDate.UnixNano(), Max: l.MaxDate.UnixNano(), Bias: l.Bias}
	return d, d.Validate()
}
