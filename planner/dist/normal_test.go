package dist

import (
	"math"
	"testing"
)

func TestZigguratTable(t *testing.T) {
	// Each layer above the base holds the same area; the top layer's
	// edge is the peak's, so the recurrence must close at 0.
	for k := 1; k < zigLayers-1; k++ {
		area := zigEdge[k] * (zigF[k+1] - zigF[k])
		if math.Abs(area-zigV) > 1e-12 {
			t.Fatalf("layer %d area = %g, want %g", k, area, zigV)
		}
	}
	top := zigEdge[zigLayers-1] * (1 - zigF[zigLayers-1])
	if math.Abs(top-zigV) > 1e-9 {
		t.Errorf("top layer area = %g, want %g", top, zigV)
	}
}

func TestNormal(t *testing.T) {
	const n = 200000
	s := newSource(41)
	xs := make([]float64, n)
	tail := 0
	for i := range xs {
		xs[i] = normal(s)
		if math.Abs(xs[i]) > zigR {
			tail++
		}
	}
	if d, limit := KS(xs, normCDF), 1.63/math.Sqrt(n); d >= limit {
		t.Errorf("KS D = %.5f, want below %.5f", d, limit)
	}
	want := 2 * (1 - normCDF(zigR)) * n
	if got := float64(tail); math.Abs(got-want) > 4*math.Sqrt(want) {
		t.Errorf("%v draws beyond %v, want about %.0f", got, zigR, want)
	}
}
