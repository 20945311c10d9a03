package dist

import (
	"fmt"
	"math"
)

// FilesPerDir is the number of files a directory holds. A share Empty
// of directories holds none. The others follow the Impressions inverse
// polynomial of degree D and offset O, density
// (D-1) O^(D-1) (x+O)^(-D), cut to [1, Max+1) and rounded down, so a
// directory holds 1 to Max files.
//
// The polynomial alone would leave 30 % of directories empty (the
// density's mass below one); REALISM.md gives 22.5 %, so the empty share
// is set apart and the polynomial shapes the directories that hold
// files. The tail beyond Max is cut off, not gathered on Max, so no pile
// of directories holds exactly Max files.
type FilesPerDir struct {
	D, O  float64 // degree (above 1) and offset (positive)
	Max   int     // most files in one directory, at least 1
	Empty float64 // share of directories with no files, in [0, 1)
}

// ImpressionsEmpty is the share of empty directories in REALISM.md.
const ImpressionsEmpty = 0.225

// ImpressionsFilesPerDir returns the Impressions model (D 2, O 2.36,
// 22.5 % empty) holding at most max files a directory. Its mean grows
// with the logarithm of max: 7.0 at 100, 10.4 at 400 (near the 10.2
// of the Impressions paper), 12.7 at 1,000, 24.6 at 100,000.
func ImpressionsFilesPerDir(max int) FilesPerDir {
	return FilesPerDir{D: 2, O: 2.36, Max: max, Empty: ImpressionsEmpty}
}

// surv is the survival function of the polynomial: P(X > x), x >= 0.
func (f FilesPerDir) surv(x float64) float64 {
	return math.Pow(f.O/(x+f.O), f.D-1)
}

// Draw returns a file count in [0, f.Max]. It takes one number from s.
// f must be valid (see [FilesPerDir.Validate]).
func (f FilesPerDir) Draw(s Source) int {
	u := s.Float64()
	if u < f.Empty {
		return 0
	}

	// Reuse the rest of u, uniform in [0, 1), for the inverse CDF of X
	// given 1 <= X < Max+1.
	v := (u - f.Empty) / (1 - f.Empty)
	hi, lo := f.surv(1), f.surv(float64(f.Max)+1)
	p := hi - v*(hi-lo) // P(X > x) at the drawn x
	var x float64
	if f.D == 2 {
		x = f.O/p - f.O
	} else {
		x = f.O*math.Pow(p, -1/(f.D-1)) - f.O
	}
	return min(max(int(x), 1), f.Max)
}

// Mean returns the expected file count of [FilesPerDir.Draw]. It sums
// over the counts, so it takes time in proportion to f.Max.
func (f FilesPerDir) Mean() float64 {
	hi, lo := f.surv(1), f.surv(float64(f.Max)+1)
	z := hi - lo

	// E[N] for N >= 1 is the sum over n of P(N >= n).
	sum := 0.0
	for n := 1; n <= f.Max; n++ {
		sum += (f.surv(float64(n)) - lo) / z
	}
	return (1 - f.Empty) * sum
}

// EmptyShare returns the share of directories that [FilesPerDir.Draw]
// leaves empty.
func (f FilesPerDir) EmptyShare() float64 {
	return f.Empty
}

// Validate returns an error wrapping [ErrInvalid] that names the first
// impossible parameter, or nil.
func (f FilesPerDir) Validate() error {
	switch {
	case !finite(f.D) || f.D <= 1:
		return fmt.Errorf("dist: files per directory: degree %v "+
			"must be above 1: %w", f.D, ErrInvalid)
	case !finite(f.O) || f.O <= 0:
		return fmt.Errorf("dist: files per directory: offset %v "+
			"must be positive: %w", f.O, ErrInvalid)
	case f.Max < 1:
		return fmt.Errorf("dist: files per directory: max %d "+
			"must be at least 1: %w", f.Max, ErrInvalid)
	case !(f.Empty >= 0 && f.Empty < 1):
		return fmt.Errorf("dist: files per directory: empty share %v "+
			"must be in [0, 1): %w", f.Empty, ErrInvalid)
	}
	return nil
}
