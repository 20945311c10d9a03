package dist

import (
	"math"
	"testing"
)

func TestClassShares(t *testing.T) {
	// Dormant shares by path kind, ORIGINAL.md.
	dormant := map[PathKind]float64{
		PathArchive: 0.75, PathHome: 0.55, PathProject: 0.50,
		PathTemp: 0.40, PathLogs: 0.05, PathOther: 0.20,
	}
	for k, want := range dormant {
		t.Run(k.String(), func(t *testing.T) {
			const n = 100000
			s := newSource(21)
			var count [numClasses]int
			for range n {
				count[DrawClass(s, k)]++
			}
			if got := float64(count[Dormant]) / n; math.Abs(got-want) > 0.02 {
				t.Errorf("dormant share = %.3f, want %.2f ± 0.02", got, want)
			}

			// The others keep the base proportions among themselves.
			rest := 1 - want
			for c := range numClasses {
				if c == Dormant {
					continue
				}
				want := baseShares[c] / 85 * rest
				got := float64(count[c]) / n
				if math.Abs(got-want) > 0.01 {
					t.Errorf("%v share = %.3f, want %.3f", c, got, want)
				}
				if s := ClassShare(c, k); math.Abs(s-want) > 1e-12 {
					t.Errorf("ClassShare(%v, %v) = %v, want %v", c, k, s, want)
				}
			}
		})
	}
}

func TestClassTimesOrder(t *testing.T) {
	as := asOf.UnixNano()
	s := newSource(22)
	for k := range numPathKinds {
		for _, p := range []Preset{RecentSkew, Uniform, Archive} {
			d := window(p, 3)
			d.Bias = 100
			for range 20000 {
				c := DrawClass(s, k)
				m := d.Draw(s)
				ct, at := c.Times(s, m, as)
				if !(ct <= m && m <= at && at <= as) {
					t.Fatalf("%v in %v: ctime %d, mtime %d, atime %d, "+
						"asOf %d: want them in order", c, k, ct, m, at, as)
				}
			}
		}
	}
}

func TestClassTimesGaps(t *testing.T) {
	as := asOf.UnixNano()
	old := asOf.Add(-2 * 365 * day).UnixNano() // room for every gap
	tests := []struct {
		c                Class
		create, aLo, aHi float64 // days
		neverRead        bool
	}{
		{c: Active, create: 30, aHi: 14},
		{c: Reference, create: 90, aHi: 30},
		{c: WORM, create: 1, aHi: 14},
		{c: WONR, create: 1, neverRead: true},
		{c: Aging, create: 180, aLo: 30, aHi: 365},
		{c: Dormant, create: 180, aHi: 30},
		{c: LegacyArchive, create: 30, neverRead: true},
	}
	for _, tt := range tests {
		t.Run(tt.c.String(), func(t *testing.T) {
			s := newSource(23)
			maxC, maxA, minA := 0.0, 0.0, math.Inf(1)
			for range 20000 {
				ct, at := tt.c.Times(s, old, as)
				cg := float64(old-ct) / float64(day)
				ag := float64(at-old) / float64(day)
				maxC, maxA, minA = max(maxC, cg), max(maxA, ag), min(minA, ag)
			}
			if maxC > tt.create || maxC < 0.95*tt.create {
				t.Errorf("largest creation gap %.2f days, want up to %v",
					maxC, tt.create)
			}
			if tt.neverRead {
				if maxA != 0 {
					t.Errorf("largest access gap %.2f days, want 0", maxA)
				}
				return
			}
			if maxA > tt.aHi || maxA < 0.95*tt.aHi || minA < tt.aLo ||
				minA > tt.aLo+0.05*(tt.aHi-tt.aLo) {
				t.Errorf("access gaps %.2f..%.2f days, want %v..%v",
					minA, maxA, tt.aLo, tt.aHi)
			}
		})
	}
}

func TestClassTimesNoPile(t *testing.T) {
	// Files written in the last days before asOf: most access gaps
	// would pass asOf and must not gather on it.
	as := asOf.UnixNano()
	d := NewDates(Uniform, asOf.Add(-3*day).UnixNano(), as)
	const n = 100000
	s := newSource(24)
	onAsOf := 0
	perSecond := map[int64]int{}
	for range n {
		m := d.Draw(s)
		_, at := Aging.Times(s, m, as)
		if at == as {
			onAsOf++
		}
		perSecond[at/1e9]++
	}
	if onAsOf > 1 {
		t.Errorf("%d atimes at asOf, want at most 1", onAsOf)
	}
	for sec, c := range perSecond {
		if c > 30 { // 3 days hold 259,200 seconds
			t.Errorf("second %d holds %d atimes, want a handful", sec, c)
			break
		}
	}
}

func TestClassNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Active.String(), "active"},
		{WORM.String(), "worm"},
		{WONR.String(), "wonr"},
		{LegacyArchive.String(), "legacy-archive"},
		{Class(99).String(), "Class(99)"},
		{PathHome.String(), "home"},
		{PathKind(99).String(), "PathKind(99)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}
