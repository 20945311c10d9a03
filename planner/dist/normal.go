package dist

import "math"

// The standard normal is drawn by the ziggurat method of Marsaglia and
// Tsang (2000) with 128 layers of equal area under exp(-x²/2). Most
// draws take one 64-bit number and a multiplication, where the inverse
// CDF costs a logarithm in the tails; the distribution is exact.
const (
	zigLayers = 128
	zigR      = 3.442619855899      // where the tail starts
	zigV      = 9.91256303526217e-3 // area of each layer
)

// zigEdge[k] is the right edge of layer k; layer 0 is the base with
// the tail folded into a virtual width. zigEdge[zigLayers] is 0.
// zigF[k] is exp(-zigEdge[k]²/2).
var zigEdge, zigF = func() (e, f [zigLayers + 1]float64) {
	g := func(x float64) float64 { return math.Exp(-x * x / 2) }
	e[0] = zigV / g(zigR)
	e[1] = zigR
	for k := 1; k < zigLayers-1; k++ {
		e[k+1] = math.Sqrt(-2 * math.Log(g(e[k])+zigV/e[k]))
	}
	e[zigLayers] = 0
	for k := range e {
		f[k] = g(e[k])
	}
	return e, f
}()

// normal draws a standard normal number.
func normal(s Source) float64 {
	for {
		r := s.Uint64()
		k := r & (zigLayers - 1)
		u := float64(r>>11) * 0x1p-53
		x := u * zigEdge[k]
		if r&zigLayers != 0 {
			x = -x
		}
		ax := math.Abs(x)

		// Inside the part of the layer that lies wholly under the
		// curve: the common case.
		if ax < zigEdge[k+1] {
			return x
		}

		if k == 0 {
			t := normalTail(s)
			if x < 0 {
				return -t
			}
			return t
		}

		// In the layer's overhang: keep x if a uniform height within
		// the layer falls under the curve.
		y := zigF[k] + s.Float64()*(zigF[k+1]-zigF[k])
		if y < math.Exp(-ax*ax/2) {
			return x
		}
	}
}

// normalTail draws from the normal beyond zigR (Marsaglia, 1964).
func normalTail(s Source) float64 {
	for {
		x := -math.Log(open01(s)) / zigR
		y := -math.Log(open01(s))
		if 2*y > x*x {
			return zigR + x
		}
	}
}
