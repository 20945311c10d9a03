package dist

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// logSizes draws n sizes from m and returns their natural logs.
func logSizes(m SizeModel, seed uint64, n int) []float64 {
	s := newSource(seed)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Log(float64(m.Draw(s)))
	}
	return out
}

func TestSizeMatchesOwnCDF(t *testing.T) {
	const n = 20000
	limit := 1.63 / math.Sqrt(n)
	tests := []struct {
		name string
		m    SizeModel
	}{
		{"impressions", Impressions()},
		{"desktop-1998", Desktop1998()},
		{"impressions shifted up", Impressions().Shift(2.5)},
		{"desktop-1998 shifted down", Desktop1998().Shift(-3)},
		{"heavy tail", SizeModel{Name: "heavy", Mu: 8, Sigma: 2,
			TailProb: 0.2, Alpha: 1.2, TailMin: 1 << 20,
			Cap: 1 << 30, EmptyProb: 0.05}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.m.Validate(); err != nil {
				t.Fatal(err)
			}
			d := KS(logSizes(tt.m, 1, n), tt.m.LogCDF)
			if d >= limit {
				t.Errorf("KS D = %.4f, want below %.4f", d, limit)
			}
		})
	}
}

func TestSizeModelsToldApart(t *testing.T) {
	const n = 20000
	a := logSizes(Impressions(), 2, n)
	b := logSizes(Desktop1998(), 3, n)
	d := KS2(a, b)

	// REALISM.md puts the two fits about 0.17 apart.
	if d < 0.13 || d > 0.21 {
		t.Errorf("KS2(impressions, desktop-1998) = %.4f, want about 0.17", d)
	}

	// And the one-sample test at 0.05 rejects the wrong model.
	limit := 1.36 / math.Sqrt(n)
	if d := KS(a, Desktop1998().LogCDF); d < limit {
		t.Errorf("KS(impressions draws, desktop CDF) = %.4f, want >= %.4f",
			d, limit)
	}
}

func TestImpressionsAnchors(t *testing.T) {
	m := Impressions()
	s := newSource(4)
	sizes := make([]int64, 200000)
	for i := range sizes {
		sizes[i] = m.Draw(s)
		if sizes[i] < 0 || sizes[i] > m.Cap {
			t.Fatalf("Draw = %d, want in [0, %d]", sizes[i], m.Cap)
		}
	}
	slices.Sort(sizes)

	if got := sizes[len(sizes)/2]; got < 2<<10 || got > 16<<10 {
		t.Errorf("median = %d bytes, want 2 to 16 KB", got)
	}
	if got := m.Mean(); got < 150e3 || got > 700e3 {
		t.Errorf("Mean() = %.0f bytes, want 150 to 700 KB", got)
	}
}

func TestSizeMean(t *testing.T) {
	// Models whose sample mean settles: no tail, or a tail with a mean.
	tests := []struct {
		name string
		m    SizeModel
	}{
		{"desktop-1998", Desktop1998()},
		{"finite tail", SizeModel{Mu: 6, Sigma: 1.5, TailProb: 0.01,
			Alpha: 2.5, TailMin: 1 << 20, Cap: 1 << 40}},
		{"low cap", SizeModel{Mu: 9, Sigma: 2, TailProb: 0.05,
			Alpha: 0.9, TailMin: 1 << 16, Cap: 1 << 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSource(5)
			const n = 1000000
			sum := 0.0
			for range n {
				sum += float64(tt.m.Draw(s))
			}
			got, want := sum/n, tt.m.Mean()
			if math.Abs(got-want) > 0.05*want {
				t.Errorf("sample mean = %.0f, Mean() = %.0f, want within 5 %%",
					got, want)
			}
		})
	}
}

func TestSizeCDF(t *testing.T) {
	m := Impressions()
	tests := []struct {
		bytes float64
		want  float64
	}{
		{-1, 0},
		{0, 0},
		{0.5, 0},
		{math.Exp(9.48), 0.5},
		{float64(m.Cap) - 1, 1},
		{float64(m.Cap), 1},
		{math.Inf(1), 1},
	}
	for _, tt := range tests {
		if got := m.CDF(tt.bytes); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("CDF(%g) = %.6f, want %.6f", tt.bytes, got, tt.want)
		}
	}

	d := Desktop1998()
	if got, want := d.CDF(0), 0.017; got != want {
		t.Errorf("desktop CDF(0) = %v, want %v", got, want)
	}
	if got, want := d.LogCDF(math.Inf(-1)), 0.017; got != want {
		t.Errorf("desktop LogCDF(-Inf) = %v, want %v", got, want)
	}
	for _, k := range []float64{1, 2, 3, 1000, 65536, 1e9} {
		if got, want := d.LogCDF(math.Log(k)), d.CDF(k); got != want {
			t.Errorf("LogCDF(log %g) = %v, want CDF(%g) = %v", k, got, k, want)
		}
	}
}

func TestSizeShift(t *testing.T) {
	m := Impressions()
	up := m.Shift(math.Ln2)
	if got, want := up.Mu, m.Mu+math.Ln2; got != want {
		t.Errorf("Shift(ln 2).Mu = %v, want %v", got, want)
	}
	if got, want := up.TailMin, 2*m.TailMin; got != want {
		t.Errorf("Shift(ln 2).TailMin = %d, want %d", got, want)
	}
	if got, want := up.Cap, m.Cap; got != want {
		t.Errorf("Shift(ln 2).Cap = %d, want %d", got, want)
	}
	if got, want := m.Shift(20).TailMin, m.Cap; got != want {
		t.Errorf("Shift(20).TailMin = %d, want the cap %d", got, want)
	}
	if err := m.Shift(20).Validate(); err != nil {
		t.Errorf("Shift(20).Validate() = %v, want nil", err)
	}
}

func TestSizeValidate(t *testing.T) {
	ok := Impressions()
	tests := []struct {
		name string
		edit func(*SizeModel)
	}{
		{"sigma zero", func(m *SizeModel) { m.Sigma = 0 }},
		{"mu NaN", func(m *SizeModel) { m.Mu = math.NaN() }},
		{"empty share 1", func(m *SizeModel) { m.EmptyProb = 1 }},
		{"tail share negative", func(m *SizeModel) { m.TailProb = -0.1 }},
		{"alpha zero", func(m *SizeModel) { m.Alpha = 0 }},
		{"tail minimum zero", func(m *SizeModel) { m.TailMin = 0 }},
		{"tail past cap", func(m *SizeModel) { m.TailMin = m.Cap + 1 }},
		{"cap zero", func(m *SizeModel) { m.Cap = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			if err := m.Validate(); !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate() = %v, want ErrInvalid", err)
			}
		})
	}
	for _, m := range []SizeModel{Impressions(), Desktop1998()} {
		if err := m.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v, want nil", m.Name, err)
		}
	}
}
