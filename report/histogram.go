package report

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/dustin/go-humanize"
)

// Units a [Histogram] counts in. They only change how labels read.
const (
	UnitBytes  = "bytes"
	UnitDays   = "days"
	UnitLevels = "levels"
	UnitFiles  = "files"
)

// Histogram counts values in buckets. By default the buckets are powers
// of two: bucket 0 holds 0, and bucket i > 0 holds [2^(i-1), 2^i). A
// linear histogram, made by [NewLinear], has one bucket per value from 0
// and a last bucket that holds everything above.
//
// The zero value is a ready power-of-two histogram without a unit. A
// Histogram is not safe for concurrent use; give each goroutine its own
// and [Histogram.Merge] them.
type Histogram struct {
	// Unit is one of the Unit constants; it decides the labels.
	Unit string `json:"unit"`
	// Linear is set for histograms made by NewLinear.
	Linear bool `json:"linear,omitempty"`
	// Counts holds one count per bucket. A power-of-two histogram grows
	// it up to the highest bucket used; values are int64, so that is at
	// most bucket 63, which has no upper bound.
	Counts []int64 `json:"counts"`
	// Total is the number of values added, Sum their sum and Max the
	// largest.
	Total int64 `json:"total"`
	Sum   int64 `json:"sum"`
	Max   int64 `json:"max"`
}

// NewPow2 returns an empty power-of-two histogram counting in unit.
func NewPow2(unit string) Histogram {
	return Histogram{Unit: unit, Counts: []int64{}}
}

// NewLinear returns a histogram with n buckets, one for each value 0 to
// n-2 and the last for n-1 and above. n below 2 is taken as 2.
func NewLinear(unit string, n int) Histogram {
	n = max(n, 2)
	return Histogram{Unit: unit, Linear: true, Counts: make([]int64, n)}
}

// Bucket returns the index of the bucket that holds v. Negative values
// count as 0.
func (h *Histogram) Bucket(v int64) int {
	v = max(v, 0)
	if h.Linear {
		return int(min(v, int64(len(h.Counts)-1)))
	}
	return bits.Len64(uint64(v))
}

// Add counts v once. Negative values count as 0.
func (h *Histogram) Add(v int64) {
	v = max(v, 0)
	b := h.Bucket(v)
	for len(h.Counts) <= b {
		h.Counts = append(h.Counts, 0)
	}
	h.Counts[b]++
	h.Total++
	h.Sum += v
	h.Max = max(h.Max, v)
}

// Merge adds the counts of o to h. Both must have the same kind of
// buckets (and, if linear, the same number).
func (h *Histogram) Merge(o Histogram) {
	for len(h.Counts) < len(o.Counts) {
		h.Counts = append(h.Counts, 0)
	}
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
	h.Total += o.Total
	h.Sum += o.Sum
	h.Max = max(h.Max, o.Max)
}

// Bounds returns the values bucket i holds, from lo up to but not
// including hi. The last bucket of a linear histogram has hi == -1: it
// has no upper bound.
func (h *Histogram) Bounds(i int) (lo, hi int64) {
	if h.Linear {
		if i == len(h.Counts)-1 {
			return int64(i), -1
		}
		return int64(i), int64(i) + 1
	}
	if i == 0 {
		return 0, 1
	}
	lo = int64(1) << (i - 1)
	if i >= 63 {
		// 2^63 does not fit an int64: the last bucket has no bound.
		return lo, -1
	}
	return lo, int64(1) << i
}

// Label returns a short reader's label for bucket i, such as "4-7 KiB"
// for bytes or "16-31 d" for days.
func (h *Histogram) Label(i int) string {
	lo, hi := h.Bounds(i)
	if hi == -1 {
		return h.format(lo) + "+"
	}
	if hi-lo == 1 {
		return h.format(lo)
	}
	if h.Unit == UnitBytes && lo >= 1024 {
		// Round binary units read better with an exclusive upper
		// bound: 1-2 KiB rather than 1024-2047 B.
		return joinRange(h.format(lo), h.format(hi))
	}
	return joinRange(h.format(lo), h.format(hi-1))
}

// Labels returns [Histogram.Label] for every bucket, in order.
func (h *Histogram) Labels() []string {
	out := make([]string, len(h.Counts))
	for i := range h.Counts {
		out[i] = h.Label(i)
	}
	return out
}

func (h *Histogram) format(v int64) string {
	switch h.Unit {
	case UnitBytes:
		return formatBytes(v)
	case UnitDays:
		return fmt.Sprintf("%d d", v)
	default:
		return fmt.Sprint(v)
	}
}

// formatBytes writes v exactly when it is a whole number of a binary
// unit (1 KiB, 512 MiB) and rounded otherwise.
func formatBytes(v int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	n, u := v, 0
	for n >= 1024 && n%1024 == 0 && u < len(units)-1 {
		n /= 1024
		u++
	}
	if n < 1024 {
		return fmt.Sprintf("%d %s", n, units[u])
	}
	return humanize.IBytes(uint64(v))
}

// joinRange joins two labels into "lo-hi", naming the unit once when
// both ends share it ("4-7 d", "512 KiB-1 MiB").
func joinRange(lo, hi string) string {
	ln, lu, lok := strings.Cut(lo, " ")
	_, hu, hok := strings.Cut(hi, " ")
	if lok && hok && lu == hu {
		return ln + "-" + hi
	}
	return lo + "-" + hi
}
