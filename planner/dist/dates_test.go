package dist

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

// asOf is the reference time of the date tests.
var asOf = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

const day = 24 * time.Hour
const year = 36525 * day / 100

// window returns Dates for preset p over the years before asOf.
func window(p Preset, years float64) Dates {
	max := asOf.UnixNano()
	return NewDates(p, max-int64(years*float64(year)), max)
}

// ages draws n ages in days from d, checking each is in the window.
func ages(t *testing.T, d Dates, seed uint64, n int) []float64 {
	t.Helper()
	s := newSource(seed)
	out := make([]float64, n)
	for i := range out {
		m := d.Draw(s)
		if m < d.Min || m > d.Max {
			t.Fatalf("%v: Draw = %d, want in [%d, %d]",
				d.Preset, m, d.Min, d.Max)
		}
		out[i] = float64(d.Max-m) / float64(day)
	}
	return out
}

// shareBelow returns the share of xs below x.
func shareBelow(xs []float64, x float64) float64 {
	k := 0
	for _, v := range xs {
		if v < x {
			k++
		}
	}
	return float64(k) / float64(len(xs))
}

func TestPresetShares(t *testing.T) {
	const y = 365.25
	type row struct {
		below float64 // age in days
		share float64 // share of files younger than below, REALISM.md
	}
	tests := []struct {
		preset Preset
		years  float64 // window; long enough for the row
		rows   []row
	}{
		{RecentSkew, 10, []row{
			{120, 0.50}, {30, 0.20}, {y, 0.75}, {3 * y, 0.91},
		}},
		{Uniform, 5, []row{
			{3 * y, 0.60}, {30, 0.016},
		}},
		// The archive row has 12 % of files older than 7 years; a 20
		// year window leaves its shape nearly whole.
		{Archive, 20, []row{
			{900, 0.50}, {3 * y, 0.59}, {7 * y, 0.88},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.preset.String(), func(t *testing.T) {
			a := ages(t, window(tt.preset, tt.years), 11, 100000)
			for _, r := range tt.rows {
				got := shareBelow(a, r.below)
				if math.Abs(got-r.share) > 0.03 {
					t.Errorf("share under %.0f days = %.3f, want %.3f ± 0.03",
						r.below, got, r.share)
				}
			}
		})
	}
}

func TestLegacyMessThirds(t *testing.T) {
	d := window(LegacyMess, 10)
	a := ages(t, d, 12, 100000)
	third := 10 * 365.25 / 3
	tests := []struct {
		lo, hi float64 // ages in days
		want   float64
	}{
		{0, third, 0.30},
		{third, 2 * third, 0.30},
		{2 * third, 3 * third, 0.40},
	}
	for _, tt := range tests {
		got := shareBelow(a, tt.hi) - shareBelow(a, tt.lo)
		if math.Abs(got-tt.want) > 0.01 {
			t.Errorf("ages %.0f..%.0f days: share %.3f, want %.2f",
				tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestYearSpread(t *testing.T) {
	tests := []struct {
		name     string
		min, max time.Time
		years    []int // the years that get a share each
	}{
		{"ten years from June",
			time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			[]int{2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024,
				2025, 2026}},
		{"as-of January 2nd",
			time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
			[]int{2023, 2024, 2025}},
		{"as-of New Year",
			time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			[]int{2023, 2024, 2025}},
		{"inside one year",
			time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC),
			[]int{2025}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDates(YearSpread, tt.min.UnixNano(), tt.max.UnixNano())
			s := newSource(13)
			const n = 100000
			count := map[int]int{}
			for range n {
				m := d.Draw(s)
				if m < d.Min || m > d.Max {
					t.Fatalf("Draw = %d, want in the window", m)
				}
				count[time.Unix(0, m).UTC().Year()]++
			}

			want := 1 / float64(len(tt.years))
			for _, y := range tt.years {
				got := float64(count[y]) / n
				if math.Abs(got-want) > 0.01 {
					t.Errorf("year %d: share %.3f, want %.3f", y, got, want)
				}
				delete(count, y)
			}
			for y, c := range count {
				// Slivers joined to a neighbour keep a share in
				// proportion to their length.
				if got := float64(c) / n; got > 0.01 {
					t.Errorf("year %d: share %.4f, want a sliver", y, got)
				}
			}
		})
	}
}

func TestBiasMonotone(t *testing.T) {
	for _, p := range []Preset{RecentSkew, Archive} {
		prev := math.Inf(1)
		for b := 0.0; b <= 100; b += 10 {
			d := window(p, 10)
			d.Bias = b
			a := ages(t, d, 14, 20000)
			slices.Sort(a)
			med := a[len(a)/2]
			if p == RecentSkew && med >= prev {
				t.Errorf("%v bias %v: median age %.1f days, want below %.1f",
					p, b, med, prev)
			}
			if p == Archive && med > prev {
				t.Errorf("%v bias %v: median age %.1f days, want at most %.1f",
					p, b, med, prev)
			}
			prev = med
		}
	}
}

func TestDatesNoPile(t *testing.T) {
	tests := []struct {
		name string
		d    Dates
	}{}
	for p := range numPresets {
		for _, yrs := range []float64{10, 1, 30.0 / 365.25} {
			d := window(p, yrs)
			tests = append(tests, struct {
				name string
				d    Dates
			}{p.String(), d})
		}
		d := window(p, 3)
		d.Bias = 100
		tests = append(tests, struct {
			name string
			d    Dates
		}{p.String() + " bias 100", d})
	}
	// A one-hour window is far shorter than the archive's ages.
	hour := NewDates(Archive, asOf.Add(-time.Hour).UnixNano(), asOf.UnixNano())
	tests = append(tests, struct {
		name string
		d    Dates
	}{"archive one hour", hour})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const n = 100000
			s := newSource(15)
			perSecond := map[int64]int{}
			edges := 0
			subSecond := 0
			for range n {
				m := tt.d.Draw(s)
				perSecond[m/1e9]++
				if m == tt.d.Min || m == tt.d.Max {
					edges++
				}
				if m%1e9 != 0 {
					subSecond++
				}
			}

			seconds := (tt.d.Max - tt.d.Min) / 1e9
			limit := max(20, 10*n/int(min(seconds, n)))
			for sec, c := range perSecond {
				if c > limit {
					t.Errorf("second %d holds %d draws, want at most %d",
						sec, c, limit)
					break
				}
			}
			if edges > 1 {
				t.Errorf("%d draws on Min or Max, want at most 1", edges)
			}
			if subSecond < n-10 {
				t.Errorf("%d of %d draws with a sub-second part, want all",
					subSecond, n)
			}
		})
	}
}

func TestParsePreset(t *testing.T) {
	tests := []struct {
		in   string
		want Preset
	}{
		{"uniform", Uniform},
		{"recent-skew", RecentSkew},
		{"year-spread", YearSpread},
		{"legacy-mess", LegacyMess},
		{"archive", Archive},
		{"Uniform", Uniform},
		{"RecentSkew", RecentSkew},
		{"YearSpread", YearSpread},
		{"LegacyMess", LegacyMess},
		{"Archive", Archive},
		{"RECENT_SKEW", RecentSkew},
	}
	for _, tt := range tests {
		got, err := ParsePreset(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePreset(%q) = %v, %v, want %v, nil",
				tt.in, got, err, tt.want)
		}
	}
	for p := range numPresets {
		got, err := ParsePreset(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePreset(%q) = %v, %v, want %v",
				p.String(), got, err, p)
		}
		var q Preset
		text, _ := p.MarshalText()
		if err := q.UnmarshalText(text); err != nil || q != p {
			t.Errorf("UnmarshalText(%q) = %v, %v, want %v", text, q, err, p)
		}
	}

	_, err := ParsePreset("recent")
	if !errors.Is(err, ErrUnknownPreset) {
		t.Fatalf("ParsePreset(recent) error = %v, want ErrUnknownPreset", err)
	}
	want := `dist: date preset "recent", want one of uniform, recent-skew, ` +
		`year-spread, legacy-mess, archive: unknown date preset`
	if got := err.Error(); got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestDatesValidate(t *testing.T) {
	ok := window(RecentSkew, 3)
	tests := []struct {
		name string
		edit func(*Dates)
		want error
	}{
		{"valid", func(*Dates) {}, nil},
		{"bias 0", func(d *Dates) { d.Bias = 0 }, nil},
		{"bias 100", func(d *Dates) { d.Bias = 100 }, nil},
		{"bias above", func(d *Dates) { d.Bias = 101 }, ErrInvalid},
		{"bias NaN", func(d *Dates) { d.Bias = math.NaN() }, ErrInvalid},
		{"empty window", func(d *Dates) { d.Min = d.Max }, ErrInvalid},
		{"reversed", func(d *Dates) { d.Min = d.Max + 1 }, ErrInvalid},
		{"unknown preset", func(d *Dates) { d.Preset = numPresets },
			ErrInvalid},
	}
	for _, tt := range tests {
		d := ok
		tt.edit(&d)
		if err := d.Validate(); !errors.Is(err, tt.want) ||
			(tt.want == nil && err != nil) {
			t.Errorf("%s: Validate() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestYearStart(t *testing.T) {
	for y := 1679; y < 2262; y++ {
		want := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
		if got := yearStart(int64(y)); got != want {
			t.Fatalf("yearStart(%d) = %d, want %d", y, got, want)
		}
		for _, tm := range []int64{want, want - 1, want + 86400e9*200} {
			w := int64(time.Unix(0, tm).UTC().Year())
			if got := yearOf(tm); got != w {
				t.Fatalf("yearOf(%d) = %d, want %d", tm, got, w)
			}
		}
	}
}

func TestAgesConditionedOnWindow(t *testing.T) {
	// Short windows send many draws past the redraws to the inverse
	// CDF; both paths together must give the lognormal cut at the
	// window's length.
	tests := []struct {
		days float64
		bias float64
	}{
		{30, DefaultBias},
		{400, DefaultBias},
		{5, 30},
		{3650, 70},
	}
	for _, tt := range tests {
		max := asOf.UnixNano()
		d := Dates{Preset: RecentSkew, Bias: tt.bias, Max: max,
			Min: max - int64(tt.days*float64(day))}
		mu := d.recentMu()
		cdf := func(a float64) float64 {
			if a <= 0 {
				return 0
			}
			return normCDF((math.Log(a)-mu)/recentSigma) /
				normCDF((math.Log(tt.days)-mu)/recentSigma)
		}
		const n = 20000
		a := ages(t, d, 16, n)
		if got, limit := KS(a, cdf), 1.63/math.Sqrt(n); got >= limit {
			t.Errorf("%v days, bias %v: KS D = %.4f, want below %.4f",
				tt.days, tt.bias, got, limit)
		}
	}
}
