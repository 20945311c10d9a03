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
