package planner

import "math/bits"

// Layers of random draws. Each names what a generator is used for, so that
// adding a draw to one layer never shifts the draws of another.
const (
	layerTree    uint64 = iota + 1 // directory shapes and names
	layerFile                      // a file's name, type, size and times
	layerAttrs                     // a file's owner, mode and flags
	layerContent                   // a file's content key
	layerTime                      // what lies below a stored time's unit
)

// mix is SplitMix64's finalizer: a bijection on 64 bits whose output bits
// each depend on every input bit.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashKey combines a seed and a path of counters into one key.
func hashKey(seed uint64, parts ...uint64) uint64 {
	h := mix(seed ^ 0x6a09e667f3bcc909)
	for _, p := range parts {
		h = mix(h ^ mix(p+0x9e3779b97f4a7c15))
	}
	return h
}

// Rand is a counter-based generator: its whole future is fixed by the key it
// starts from, and it shares no state with any other generator. The zero
// value is usable but every Rand should come from [newRand].
type Rand struct{ s uint64 }

func newRand(key uint64) Rand { return Rand{s: key} }

// Uint64 returns the next 64 random bits.
func (r *Rand) Uint64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// Float64 returns a uniform number in [0, 1).
func (r *Rand) Float64() float64 {
	return float64(r.Uint64()>>11) * 0x1p-53
}

// Intn returns a uniform integer in [0, n). n must be positive.
func (r *Rand) Intn(n int) int {
	hi, _ := bits.Mul64(r.Uint64(), uint64(n))
	return int(hi)
}

// pick returns an index drawn with probability proportional to weights,
// given their running sums.
func (r *Rand) pick(cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
