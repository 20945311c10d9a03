package dist

import (
	"errors"
	"math"
	"math/bits"
)

// Source gives uniform random numbers. The planner's counter-based
// generator implements it; tests use a seeded PCG.
type Source interface {
	Float64() float64 // uniform in [0, 1)
	Uint64() uint64   // uniform over all 64-bit values
}

// ErrInvalid is wrapped by every Validate error: a parameter is
// impossible (negative, not finite, or out of its range).
var ErrInvalid = errors.New("invalid parameter")

// ErrUnknownPreset is wrapped by the error of [ParsePreset] for a name
// that is not a date preset.
var ErrUnknownPreset = errors.New("unknown date preset")

// open01 draws a uniform number strictly inside (0, 1), so that
// quantile functions never see their infinite ends.
func open01(s Source) float64 {
	u := s.Float64()
	if u <= 0 {
		return 0x1p-54
	}
	return u
}

// between draws an integer uniformly in [lo, hi]; it needs lo <= hi.
// The multiply-high keeps every nanosecond of a long window reachable
// and costs no division.
func between(s Source, lo, hi int64) int64 {
	n := uint64(hi-lo) + 1
	if n == 0 {
		// The whole int64 range.
		return lo + int64(s.Uint64())
	}
	h, _ := bits.Mul64(s.Uint64(), n)
	return lo + int64(h)
}

// normQuantile is the inverse of the standard normal CDF.
func normQuantile(u float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*u-1)
}

// normCDF is the standard normal CDF.
func normCDF(z float64) float64 {
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}
