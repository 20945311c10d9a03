package dist

import (
	"fmt"
	"math"
)

// SizeModel is a distribution of file sizes in bytes. A share EmptyProb
// of files is empty. The others come, with probability 1-TailProb, from
// a lognormal (Mu, Sigma in the natural log of bytes) and otherwise from
// a Pareto of shape Alpha starting at TailMin. Every size is capped at
// Cap, and a drawn value x becomes ceil(x) bytes, so a non-empty file
// holds at least one byte.
type SizeModel struct {
	Name      string  // the published fit the model follows
	Mu, Sigma float64 // lognormal body, natural log of bytes
	TailProb  float64 // share of non-empty files in the Pareto tail
	Alpha     float64 // Pareto shape; below 1 the tail has no mean
	TailMin   int64   // Pareto minimum, bytes
	Cap       int64   // largest size drawn, bytes
	EmptyProb float64 // share of empty files
}

// ImpressionsCap is the cap of [Impressions]: 32 GiB. The fit's Pareto
// tail (alpha 0.91) has no finite mean, so some cap is needed; at
// 32 GiB the mean is about 460 KB per file, in the middle of the half
// a megabyte that enterprise surveys report, and the largest files are
// the size of real mailbox, database and disk-image files.
const ImpressionsCap = 32 << 30

// Impressions returns the Impressions fit to 2004 file-system data
// (Agrawal et al., FAST 2009): lognormal mu 9.48, sigma 2.4566, and with
// probability 0.00006 a Pareto tail of alpha 0.91 from 512 MiB, capped
// at [ImpressionsCap]. Median about 13 KB.
func Impressions() SizeModel {
	return SizeModel{
		Name:     "impressions",
		Mu:       9.48,
		Sigma:    2.4566,
		TailProb: 0.00006,
		Alpha:    0.91,
		TailMin:  512 << 20,
		Cap:      ImpressionsCap,
	}
}

// Desktop1998 returns the fit to 1998 Windows desktops (Douceur and
// Bolosky, SIGMETRICS 1999): 1.7 % empty files, the rest lognormal with
// mu 8.46 and sigma 2.38. It has no tail; its cap is that of
// [Impressions], which the lognormal reaches once in about 10^10 files.
func Desktop1998() SizeModel {
	return SizeModel{
		Name:      "desktop-1998",
		Mu:        8.46,
		Sigma:     2.38,
		Cap:       ImpressionsCap,
		EmptyProb: 0.017,
	}
}

// Draw returns a size in bytes, in [0, m.Cap]. It takes one number
// from s for an empty file and usually two otherwise (a few more, now
// and then, when the normal draw retries). m must be valid (see
// [SizeModel.Validate]).
func (m SizeModel) Draw(s Source) int64 {
	pick := s.Float64()
	if pick < m.EmptyProb {
		return 0
	}

	var x float64
	if pick < m.EmptyProb+(1-m.EmptyProb)*m.TailProb {
		x = float64(m.TailMin) * math.Pow(open01(s), -1/m.Alpha)
	} else {
		x = math.Exp(m.Mu + m.Sigma*normal(s))
	}

	// Compare as floats first: x may be beyond what int64 holds.
	if x >= float64(m.Cap) {
		return m.Cap
	}
	return max(int64(math.Ceil(x)), 1)
}

// CDF returns the probability that [SizeModel.Draw] returns at most
// bytes. It is the exact step function of the whole sizes Draw gives.
func (m SizeModel) CDF(bytes float64) float64 {
	if bytes < 0 || math.IsNaN(bytes) {
		return 0
	}
	if bytes >= float64(m.Cap) {
		return 1
	}
	k := math.Floor(bytes)
	if k == 0 {
		return m.EmptyProb
	}

	// Draw gives k or less exactly when the continuous value is <= k.
	body := normCDF((math.Log(k) - m.Mu) / m.Sigma)
	tail := 0.0
	if m.TailProb > 0 && k >= float64(m.TailMin) {
		tail = 1 - math.Pow(float64(m.TailMin)/k, m.Alpha)
	}
	mix := (1-m.TailProb)*body + m.TailProb*tail
	return m.EmptyProb + (1-m.EmptyProb)*mix
}

// LogCDF returns the probability that the natural log of a size from
// [SizeModel.Draw] is at most l, taking the log of 0 as -Inf. It is
// exact at logs computed with math.Log, so [KS] of log sizes against it
// is exact too.
func (m SizeModel) LogCDF(l float64) float64 {
	switch {
	case math.IsNaN(l):
		return 0
	case math.IsInf(l, -1):
		return m.EmptyProb
	case l >= math.Log(float64(m.Cap)):
		return 1
	}

	// The largest whole size whose computed log is at most l.
	k := math.Floor(math.Exp(l))
	for math.Log(k+1) <= l {
		k++
	}
	for k >= 1 && math.Log(k) > l {
		k--
	}
	return m.CDF(k)
}

// Mean returns the expected size in bytes of the capped model, within a
// byte of the mean of [SizeModel.Draw] (the rounding up of sizes is left
// out).
func (m SizeModel) Mean() float64 {
	c := float64(m.Cap)

	// E[min(X, c)] of the lognormal body.
	s2 := m.Sigma * m.Sigma
	zc := (math.Log(c) - m.Mu) / m.Sigma
	body := math.Exp(m.Mu+s2/2)*normCDF(zc-m.Sigma) + c*(1-normCDF(zc))

	// E[min(X, c)] of the Pareto tail: the integral of its survival.
	tail := 0.0
	if m.TailProb > 0 {
		t := float64(m.TailMin)
		if c <= t {
			tail = c
		} else if m.Alpha == 1 {
			tail = t + t*math.Log(c/t)
		} else {
			a := m.Alpha
			tail = t + t*(math.Pow(c/t, 1-a)-1)/(1-a)
		}
	}

	mix := (1-m.TailProb)*body + m.TailProb*tail
	return (1 - m.EmptyProb) * mix
}

// Shift returns the model with every size scaled by e^dMu: the body's
// Mu moves by dMu and the tail starts at TailMin times e^dMu, so the
// shape stays. A file type whose files run twice the share's typical
// size takes Shift(math.Ln2). The cap stays, since it bounds what a
// share holds; a tail shifted past the cap starts at the cap.
func (m SizeModel) Shift(dMu float64) SizeModel {
	m.Mu += dMu
	t := float64(m.TailMin) * math.Exp(dMu)
	switch {
	case t >= float64(m.Cap):
		m.TailMin = m.Cap
	case t < 1:
		m.TailMin = 1
	default:
		m.TailMin = int64(math.Round(t))
	}
	return m
}

// Validate returns an error wrapping [ErrInvalid] that names the first
// impossible parameter, or nil.
func (m SizeModel) Validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("dist: size model %q: %s %v %s: %w",
			m.Name, field, v, want, ErrInvalid)
	}
	switch {
	case !finite(m.Mu):
		return bad("mu", m.Mu, "is not finite")
	case !finite(m.Sigma) || m.Sigma <= 0:
		return bad("sigma", m.Sigma, "must be positive")
	case !(m.EmptyProb >= 0 && m.EmptyProb < 1):
		return bad("empty share", m.EmptyProb, "must be in [0, 1)")
	case !(m.TailProb >= 0 && m.TailProb <= 1):
		return bad("tail share", m.TailProb, "must be in [0, 1]")
	case m.Cap < 1:
		return bad("cap", m.Cap, "must be at least 1 byte")
	}
	if m.TailProb == 0 {
		return nil
	}
	switch {
	case !finite(m.Alpha) || m.Alpha <= 0:
		return bad("alpha", m.Alpha, "must be positive")
	case m.TailMin < 1:
		return bad("tail minimum", m.TailMin, "must be at least 1 byte")
	case m.TailMin > m.Cap:
		return bad("tail minimum", m.TailMin, "must not exceed the cap")
	}
	return nil
}
