package report_test

import (
	"slices"
	"testing"

	"filegen/report"
)

func TestHistogramPow2(t *testing.T) {
	tests := []struct {
		name   string
		unit   string
		values []int64
		counts []int64 // wanted counts per bucket
		labels []string
	}{
		{
			name:   "bytes",
			unit:   report.UnitBytes,
			values: []int64{0, 1, 2, 3, 4, 1023, 1024, 2047},
			counts: []int64{1, 1, 2, 1, 0, 0, 0, 0, 0, 0, 1, 2},
			labels: []string{"0 B", "1 B", "2-3 B", "4-7 B", "8-15 B",
				"16-31 B", "32-63 B", "64-127 B", "128-255 B",
				"256-511 B", "512-1023 B", "1-2 KiB"},
		},
		{
			name:   "negative counts as zero",
			unit:   report.UnitDays,
			values: []int64{-5, 0, 5},
			counts: []int64{2, 0, 0, 1},
			labels: []string{"0 d", "1 d", "2-3 d", "4-7 d"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := report.NewPow2(tt.unit)
			for _, v := range tt.values {
				h.Add(v)
			}
			if got, want := h.Counts, tt.counts; !slices.Equal(got, want) {
				t.Errorf("Counts = %v, want %v", got, want)
			}
			if got, want := h.Labels(), tt.labels; !slices.Equal(got, want) {
				t.Errorf("Labels() = %q, want %q", got, want)
			}
			if got, want := h.Total, int64(len(tt.values)); got != want {
				t.Errorf("Total = %d, want %d", got, want)
			}
		})
	}
}

func TestHistogramLabelsLarge(t *testing.T) {
	h := report.NewPow2(report.UnitBytes)
	tests := []struct {
		bucket int
		want   string
	}{
		{11, "1-2 KiB"},
		{20, "512 KiB-1 MiB"},
		{21, "1-2 MiB"},
		{41, "1-2 TiB"},
		{63, "4 EiB+"},
	}
	for _, tt := range tests {
		if got := h.Label(tt.bucket); got != tt.want {
			t.Errorf("Label(%d) = %q, want %q", tt.bucket, got, tt.want)
		}
	}
}

func TestHistogramLinearAndMerge(t *testing.T) {
	a := report.NewLinear(report.UnitLevels, 4)
	b := report.NewLinear(report.UnitLevels, 4)
	for _, v := range []int64{0, 1, 1, 9} {
		a.Add(v)
	}
	for _, v := range []int64{2, 3, 100} {
		b.Add(v)
	}
	a.Merge(b)
	if got, want := a.Counts, []int64{1, 2, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("Counts = %v, want %v", got, want)
	}
	if got, want := a.Labels(), []string{"0", "1", "2", "3+"}; !slices.Equal(got, want) {
		t.Errorf("Labels() = %q, want %q", got, want)
	}
	if got, want := a.Max, int64(100); got != want {
		t.Errorf("Max = %d, want %d", got, want)
	}
	if got, want := a.Sum, int64(116); got != want {
		t.Errorf("Sum = %d, want %d", got, want)
	}
}
