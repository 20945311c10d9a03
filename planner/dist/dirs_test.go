package dist

import (
	"errors"
	"math"
	"testing"
)

func TestFilesPerDir(t *testing.T) {
	tests := []struct {
		f          FilesPerDir
		meanLo, hi float64 // bounds of Mean()
	}{
		{ImpressionsFilesPerDir(400), 9.5, 10.9},
		{ImpressionsFilesPerDir(1000), 6, 15},
		{ImpressionsFilesPerDir(100), 6, 15},
		{FilesPerDir{D: 2.5, O: 3, Max: 5000, Empty: 0.1}, 0, math.Inf(1)},
	}
	for _, tt := range tests {
		f := tt.f
		s := newSource(31)
		const n = 200000
		empty, sum := 0, 0.0
		for range n {
			k := f.Draw(s)
			if k < 0 || k > f.Max {
				t.Fatalf("%+v: Draw = %d, want in [0, %d]", f, k, f.Max)
			}
			if k == 0 {
				empty++
			}
			sum += float64(k)
		}

		got, want := float64(empty)/n, f.EmptyShare()
		if math.Abs(got-want) > 0.01 {
			t.Errorf("%+v: empty share %.4f, want %.4f ± 0.01", f, got, want)
		}
		mean := f.Mean()
		if mean < tt.meanLo || mean > tt.hi {
			t.Errorf("%+v: Mean() = %.2f, want %v..%v",
				f, mean, tt.meanLo, tt.hi)
		}
		if got := sum / n; math.Abs(got-mean) > 0.03*mean {
			t.Errorf("%+v: sample mean %.2f, Mean() %.2f, want within 3 %%",
				f, got, mean)
		}
	}
}

func TestFilesPerDirShape(t *testing.T) {
	// P(N = n | N >= 1) from the density, against the draws.
	f := ImpressionsFilesPerDir(1000)
	s := newSource(32)
	const n = 400000
	count := make([]int, f.Max+1)
	for range n {
		count[f.Draw(s)]++
	}
	z := f.surv(1) - f.surv(float64(f.Max)+1)
	for k := 1; k <= 20; k++ {
		want := (1 - f.Empty) * (f.surv(float64(k)) - f.surv(float64(k+1))) / z
		got := float64(count[k]) / n
		if math.Abs(got-want) > 0.005 {
			t.Errorf("P(%d files) = %.4f, want %.4f", k, got, want)
		}
	}
	// No pile on the cap: the last count is as rare as its density says.
	if count[f.Max] > 10 {
		t.Errorf("%d directories at Max, want a few at most", count[f.Max])
	}
}

func TestFilesPerDirValidate(t *testing.T) {
	tests := []struct {
		name string
		f    FilesPerDir
	}{
		{"degree 1", FilesPerDir{D: 1, O: 2, Max: 10}},
		{"offset 0", FilesPerDir{D: 2, O: 0, Max: 10}},
		{"max 0", FilesPerDir{D: 2, O: 2, Max: 0}},
		{"all empty", FilesPerDir{D: 2, O: 2, Max: 10, Empty: 1}},
	}
	for _, tt := range tests {
		if err := tt.f.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate() = %v, want ErrInvalid", tt.name, err)
		}
	}
	if err := ImpressionsFilesPerDir(500).Validate(); err != nil {
		t.Errorf("Impressions: Validate() = %v, want nil", err)
	}
}
