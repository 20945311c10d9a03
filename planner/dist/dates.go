package dist

import (
	"fmt"
	"math"
	"strings"
)

// Preset is a date preset: the shape of the last-write times of a share.
type Preset uint8

// The date presets. The names follow the toolkit filegen replaces.
const (
	// Uniform spreads dates evenly over the window.
	Uniform Preset = iota
	// RecentSkew draws ages from a lognormal whose median moves with
	// [Dates.Bias]; at [DefaultBias] it is REALISM.md's recent-skew row.
	RecentSkew
	// YearSpread picks a calendar year of the window, each year equally
	// likely, then a time uniform inside it.
	YearSpread
	// LegacyMess cuts the window in thirds weighted 40, 30 and 30 %
	// from oldest to newest, uniform inside each third.
	LegacyMess
	// Archive draws ages from a lognormal with a median of about 900
	// days, and 5 % of them from RecentSkew.
	Archive

	numPresets
)

var presetNames = [numPresets]string{
	"uniform", "recent-skew", "year-spread", "legacy-mess", "archive",
}

// String returns the preset's command-line name, such as "recent-skew".
func (p Preset) String() string {
	if p < numPresets {
		return presetNames[p]
	}
	return fmt.Sprintf("Preset(%d)", uint8(p))
}

// ParsePreset returns the preset named s. It takes the command-line
// names ("recent-skew") and the toolkit's ("RecentSkew"), in any case.
// For another name it returns an error wrapping [ErrUnknownPreset] that
// lists the valid names.
func ParsePreset(s string) (Preset, error) {
	key := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
	for p, name := range presetNames {
		if key == strings.ReplaceAll(name, "-", "") {
			return Preset(p), nil
		}
	}
	return 0, fmt.Errorf("dist: date preset %q, want one of %s: %w",
		s, strings.Join(presetNames[:], ", "), ErrUnknownPreset)
}

// MarshalText returns the preset's name, so profiles store it as text.
func (p Preset) MarshalText() ([]byte, error) {
	if p >= numPresets {
		return nil, fmt.Errorf("dist: date preset %d: %w",
			uint8(p), ErrUnknownPreset)
	}
	return []byte(p.String()), nil
}

// UnmarshalText sets p from a name that [ParsePreset] accepts.
func (p *Preset) UnmarshalText(text []byte) error {
	v, err := ParsePreset(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// DefaultBias is the recent bias that gives REALISM.md's recent-skew
// row: ages lognormal with mu 4.79 and sigma 1.65 days, a median of
// 120 days.
//
// The bias moves the median age on a log scale: every 10 points above
// DefaultBias halve it and every 10 points below double it, so a bias
// of 100 puts the median near 4 days and a bias of 0 near 10 years.
// Higher always means more recent; the spread (sigma) stays.
const DefaultBias = 50

// Fitted age lognormals, in days (REALISM.md).
const (
	recentMu    = 4.79
	recentSigma = 1.65
	archiveMu   = 6.80
	archiveSig  = 0.89
	archiveMix  = 0.05 // share of Archive drawn from RecentSkew

	nsPerDay = 86400e9
)

// Dates draws last-write times over a window.
type Dates struct {
	Preset   Preset
	Min, Max int64   // window, unix nanoseconds; Max is normally the as-of time
	Bias     float64 // 0..100 for RecentSkew and Archive; higher is more recent
}

// NewDates returns Dates for preset p over [min, max] at [DefaultBias].
func NewDates(p Preset, min, max int64) Dates {
	return Dates{Preset: p, Min: min, Max: max, Bias: DefaultBias}
}

// Validate returns an error wrapping [ErrInvalid] if the preset is
// unknown, the window is empty or reversed, or the bias is outside
// 0..100. Bias is checked for every preset, although only RecentSkew
// and Archive use it.
func (d Dates) Validate() error {
	switch {
	case d.Preset >= numPresets:
		return fmt.Errorf("dist: dates: preset %d: %w",
			uint8(d.Preset), ErrInvalid)
	case d.Min >= d.Max:
		return fmt.Errorf("dist: dates: window %d..%d must not be empty: %w",
			d.Min, d.Max, ErrInvalid)
	case !(d.Bias >= 0 && d.Bias <= 100):
		return fmt.Errorf("dist: dates: bias %v must be in 0..100: %w",
			d.Bias, ErrInvalid)
	}
	return nil
}

// Draw returns a last-write time in unix nanoseconds inside
// [d.Min, d.Max]. Ages that would fall outside the window are redrawn,
// exactly: the age is drawn from its distribution conditioned on the
// window, so no edge gathers the overflow. Every preset draws down to
// the nanosecond, so no instant holds a pile of files. d must be valid.
func (d Dates) Draw(s Source) int64 {
	switch d.Preset {
	case RecentSkew:
		return d.ageLognormal(s, d.recentMu(), recentSigma)
	case YearSpread:
		return d.yearSpread(s)
	case LegacyMess:
		return d.legacyMess(s)
	case Archive:
		if s.Float64() < archiveMix {
			return d.ageLognormal(s, d.recentMu(), recentSigma)
		}
		return d.ageLognormal(s, archiveMu, archiveSig)
	default:
		return between(s, d.Min, d.Max)
	}
}

// recentMu is the log-median age in days at d.Bias (see [DefaultBias]).
func (d Dates) recentMu() float64 {
	return recentMu - (d.Bias-DefaultBias)*math.Ln2/10
}

// ageTries is how many lognormal ages ageLognormal draws before it
// turns to the inverse CDF. Rejection is cheaper per try, and in a
// window long enough for the preset the first try almost always fits.
const ageTries = 4

// ageLognormal draws an age in days from a lognormal conditioned on
// the window and returns Max minus the age. It first redraws ages that
// do not fit, a few times; then it draws by inverse CDF from the part
// of the lognormal that fits. Both give the same conditioned
// distribution, so the result is exact either way.
func (d Dates) ageLognormal(s Source, mu, sigma float64) int64 {
	span := float64(d.Max - d.Min)
	for range ageTries {
		age := math.Exp(mu+sigma*normal(s)) * nsPerDay
		if age <= span {
			return d.back(age)
		}
	}

	fits := normCDF((math.Log(span/nsPerDay) - mu) / sigma)
	if fits < 1e-9 {
		// The window is far shorter than the ages: nothing of the
		// shape survives, and uniform is its limit.
		return between(s, d.Min, d.Max)
	}
	z := normQuantile(open01(s) * fits)
	return d.back(math.Exp(mu+sigma*z) * nsPerDay)
}

// back returns Max less age nanoseconds, inside the window.
func (d Dates) back(age float64) int64 {
	t := d.Max - int64(age)
	if t < d.Min {
		// Rounding only, by nanoseconds: reflect, never stack on
		// the edge.
		t = d.Min + (d.Min - t)
	}
	return t
}

// legacyMess draws from the window cut in thirds, weighted 40/30/30
// from oldest to newest.
func (d Dates) legacyMess(s Source) int64 {
	third := (d.Max - d.Min) / 3
	lo, hi := d.Min, d.Min+third
	switch u := s.Float64(); {
	case u >= 0.7:
		lo, hi = d.Min+2*third+1, d.Max
	case u >= 0.4:
		lo, hi = d.Min+third+1, d.Min+2*third
	}
	if lo > hi {
		// A window of a few nanoseconds.
		lo = hi
	}
	return between(s, lo, hi)
}

// minYearSlice is the shortest part of a calendar year that YearSpread
// gives a year's share of files; a shorter sliver at either end of the
// window joins its neighbour year. Without it an as-of of January 2nd
// would put one year's share of files on a single day.
const minYearSlice = 90 * nsPerDay

// yearSpread picks one of the window's calendar years (UTC), each
// equally likely, then a time uniform in the part of it inside the
// window.
func (d Dates) yearSpread(s Source) int64 {
	// New Years strictly inside the window cut it into slices.
	first := yearOf(d.Min) + 1
	last := yearOf(d.Max)
	if yearStart(last) == d.Max {
		last--
	}
	if first <= last && yearStart(first)-d.Min < minYearSlice {
		first++
	}
	if first <= last && d.Max-yearStart(last) < minYearSlice {
		last--
	}
	if first > last {
		return between(s, d.Min, d.Max)
	}

	// Slice i runs from cut i-1 to cut i; cut j is New Year first+j.
	n := last - first + 2
	i := between(s, 0, n-1)
	lo, hi := d.Min, d.Max
	if i > 0 {
		lo = yearStart(first + i - 1)
	}
	if i < n-1 {
		hi = yearStart(first+i) - 1
	}
	return between(s, lo, hi)
}

// yearStart returns New Year of year y, UTC, in unix nanoseconds.
func yearStart(y int64) int64 {
	p := y - 1
	leaps := floorDiv(p, 4) - floorDiv(p, 100) + floorDiv(p, 400)
	const leapsTo1970 = 477 // leap years from year 1 to 1969
	days := 365*(y-1970) + leaps - leapsTo1970
	return days * 86400e9
}

// yearOf returns the UTC year holding unix nanosecond t.
func yearOf(t int64) int64 {
	y := 1970 + floorDiv(t, 31556952e9) // mean Gregorian year
	for yearStart(y) > t {
		y--
	}
	for yearStart(y+1) <= t {
		y++
	}
	return y
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
