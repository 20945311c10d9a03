package dist

import (
	"math"
	"slices"
)

// KS returns the one-sample Kolmogorov-Smirnov statistic D, the largest
// distance between the empirical CDF of sample and cdf. It sorts sample
// in place. The sample must hold no NaN; -Inf is allowed (the log of an
// empty file's size).
//
// cdf must be right-continuous, as a CDF is. Ties and atoms are handled
// exactly: the left limit at a sample point x is taken as
// cdf(math.Nextafter(x, -Inf)), so a model with a point mass, such as
// empty files, is not charged its mass as distance. KS of an empty
// sample is 0.
func KS(sample []float64, cdf func(float64) float64) float64 {
	slices.Sort(sample)
	n := float64(len(sample))
	d := 0.0
	for i := 0; i < len(sample); {
		x := sample[i]
		j := i
		for j < len(sample) && sample[j] == x {
			j++
		}

		// The empirical CDF jumps from i/n to j/n at x.
		below := 0.0
		if !math.IsInf(x, -1) {
			below = cdf(math.Nextafter(x, math.Inf(-1)))
		}
		d = max(d, below-float64(i)/n, float64(j)/n-cdf(x))
		i = j
	}
	return d
}

// KS2 returns the two-sample Kolmogorov-Smirnov statistic D, the largest
// distance between the empirical CDFs of a and b, ties counted exactly.
// It sorts both slices in place. Neither may hold NaN. KS2 is 0 if
// either sample is empty.
func KS2(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	slices.Sort(a)
	slices.Sort(b)
	na, nb := float64(len(a)), float64(len(b))

	d := 0.0
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		x := min(a[i], b[j])
		for i < len(a) && a[i] == x {
			i++
		}
		for j < len(b) && b[j] == x {
			j++
		}
		d = max(d, math.Abs(float64(i)/na-float64(j)/nb))
	}
	return d
}
