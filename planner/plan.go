package planner

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"filegen/planner/content"
	"filegen/planner/dist"
)

// Inputs are everything a plan is a function of, with the profile and the
// identities. Two plans with equal inputs are the same tree.
type Inputs struct {
	Profile string    `json:"profile"`
	Seed    uint64    `json:"seed"`
	Files   int64     `json:"files"`
	AsOf    time.Time `json:"as_of"`

	// Preset, MinDate, MaxDate and Bias set the last-write times of a
	// plan without a scenario.
	Preset  string    `json:"date_preset"`
	MinDate time.Time `json:"min_date"`
	MaxDate time.Time `json:"max_date"`
	Bias    float64   `json:"recent_bias"`

	// Scenario names a built-in bundle of layers; Layers are the
	// resolved layers, derived from the rest.
	Scenario string  `json:"scenario,omitempty"`
	Layers   []Layer `json:"layers"`

	Content   string `json:"content"`
	Owners    string `json:"owners"`
	MaxPerDir int    `json:"max_per_dir"`
}

// Defaults for inputs left at their zero value.
const (
	DefaultFiles   = 100_000
	DefaultPreset  = "recent-skew"
	DefaultBias    = dist.DefaultBias
	DefaultContent = "sparse"
	DefaultOwners  = "none"

	// DefaultMaxPerDir caps files per folder. Folders of 200,000 files
	// ran at half the rate of small ones on ext4, and the toolkit's
	// folders of over 100,000 made file systems many times slower; the
	// cap keeps the largest folders at a few thousand, where the
	// Impressions model puts its mean files per folder near 14.
	DefaultMaxPerDir = 4_000
	DefaultYears     = 3 // the date window before the as-of time
)

// OwnerSources are the known values of Inputs.Owners.
var OwnerSources = []string{"none", "local", "uid-range", "ldap"}

// Resolve fills in the defaults of in, rounds the reference time to the
// second, resolves the layers, and checks the result. Its errors name the
// flag at fault.
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
		return in, fmt.Errorf("--files: %d is negative", in.Files)
	case in.Files > 1<<40:
		return in, fmt.Errorf("--files: %d is more than any file system holds", in.Files)
	case in.MaxPerDir < 1:
		return in, fmt.Errorf("--max-per-dir: %d is not positive", in.MaxPerDir)
	case !in.MinDate.Before(in.MaxDate):
		return in, fmt.Errorf("--min-date %s is not before --max-date %s",
			in.MinDate.Format(time.DateOnly), in.MaxDate.Format(time.DateOnly))
	case in.MaxDate.After(in.AsOf):
		return in, fmt.Errorf("--max-date %s is after --as-of %s",
			in.MaxDate.Format(time.DateOnly), in.AsOf.Format(time.DateOnly))
	case in.Bias < 0 || in.Bias > 100:
		return in, fmt.Errorf("--recent-bias: %g is not in 0..100", in.Bias)
	}
	p, err := dist.ParsePreset(in.Preset)
	if err != nil {
		return in, fmt.Errorf("--date-preset: %w", err)
	}
	in.Preset = p.String()
	m, err := content.ParseMode(in.Content)
	if err != nil {
		return in, fmt.Errorf("--content: %w", err)
	}
	in.Content = m.String()
	if !slices.Contains(OwnerSources, in.Owners) {
		return in, fmt.Errorf("--owners: unknown source %q (known: %s)", in.Owners, strings.Join(OwnerSources, ", "))
	}

	if in.Scenario == "" {
		in.Layers = []Layer{{Files: in.Files, Preset: in.Preset, MinDate: in.MinDate,
			MaxDate: in.MaxDate, Bias: in.Bias}}
	} else {
		sc, err := scenarioByName(in.Scenario)
		if err != nil {
			return in, fmt.Errorf("--%w", err)
		}
		if in.Files == 0 {
			in.Files = sc.Files
		}
		in.Layers = sc.resolve(in.Files, in.AsOf, in.Bias)
	}
	for i, l := range in.Layers {
		if _, err := l.dates(); err != nil {
			return in, fmt.Errorf("layer %d: %w", i+1, err)
		}
	}
	return in, nil
}

// Diff lists, by flag name, the inputs in which in and other differ.
func (in Inputs) Diff(other Inputs) []string {
	var out []string
	a, b := reflect.ValueOf(in), reflect.ValueOf(other)
	t := a.Type()
	for i := 0; i < t.NumField(); i++ {
		name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if name == "layers" {
			continue // derived from the others
		}
		x, y := a.Field(i).Interface(), b.Field(i).Interface()
		if tx, ok := x.(time.Time); ok {
			if !tx.Equal(y.(time.Time)) {
				out = append(out, fmt.Sprintf("%s: %s, not %s", flagName(name),
					tx.Format(time.RFC3339), y.(time.Time).Format(time.RFC3339)))
			}
			continue
		}
		if !reflect.DeepEqual(x, y) {
			out = append(out, fmt.Sprintf("%s: %v, not %v", flagName(name), x, y))
		}
	}
	return out
}

func flagName(jsonName string) string {
	return "--" + strings.ReplaceAll(jsonName, "_", "-")
}

// ErrStop may be returned by an emit function to end [Generate] early
// without an error.
var ErrStop = errors.New("planner: stop")

// Generate streams the plan of in and prof to emit, chunk by chunk, in
// order, each of about batch files. The chunk passed to emit is reused
// after emit returns. Generate holds one chunk and the folders on the
// current path, whatever the number of files.
//
// ids gives the owners' numeric ids; nil plans no owners.
func Generate(in Inputs, prof *Profile, ids *Identities, batch int, emit func(*Chunk) error) error {
	if batch < 1 {
		return fmt.Errorf("planner: batch size %d is not positive", batch)
	}
	if err := prof.Validate(); err != nil {
		return err
	}
	g, err := newGenerator(in, prof, ids, batch, emit)
	if err != nil {
		return err
	}
	err = g.run()
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}
