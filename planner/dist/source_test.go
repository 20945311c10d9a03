package dist

import "math/rand/v2"

// pcg is the deterministic Source of the tests: a PCG with a fixed seed,
// so every test sees the same draws on every run.
type pcg struct{ r *rand.Rand }

func newSource(seed uint64) pcg {
	return pcg{rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

func (p pcg) Float64() float64 { return p.r.Float64() }
func (p pcg) Uint64() uint64   { return p.r.Uint64() }

// counter is a counter-based Source like the planner's: each number is
// a SplitMix64 hash of a key and a running index, so it has no state
// beyond the index.
type counter struct{ key, i uint64 }

func (c *counter) Uint64() uint64 {
	c.i++
	z := c.key + c.i*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (c *counter) Float64() float64 {
	return float64(c.Uint64()>>11) * 0x1p-53
}
