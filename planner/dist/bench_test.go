package dist

import (
	"testing"
	"time"
)

// sink keeps results alive so the compiler cannot drop the draws.
var sink int64

func BenchmarkSizeDraw(b *testing.B) {
	for _, m := range []SizeModel{Impressions(), Desktop1998()} {
		b.Run(m.Name, func(b *testing.B) {
			s := &counter{key: 1}
			b.ReportAllocs()
			for b.Loop() {
				sink += m.Draw(s)
			}
		})
	}
}

func BenchmarkDatesDraw(b *testing.B) {
	for p := range numPresets {
		b.Run(p.String(), func(b *testing.B) {
			d := window(p, 10)
			s := &counter{key: 2}
			b.ReportAllocs()
			for b.Loop() {
				sink += d.Draw(s)
			}
		})
	}
}

func BenchmarkDrawClass(b *testing.B) {
	s := &counter{key: 3}
	b.ReportAllocs()
	for b.Loop() {
		sink += int64(DrawClass(s, PathHome))
	}
}

func BenchmarkClassTimes(b *testing.B) {
	s := &counter{key: 4}
	as := asOf.UnixNano()
	m := asOf.Add(-100 * 24 * time.Hour).UnixNano()
	b.ReportAllocs()
	for b.Loop() {
		c, a := Aging.Times(s, m, as)
		sink += c + a
	}
}

func BenchmarkFilesPerDir(b *testing.B) {
	f := ImpressionsFilesPerDir(1000)
	s := &counter{key: 5}
	b.ReportAllocs()
	for b.Loop() {
		sink += int64(f.Draw(s))
	}
}

// BenchmarkPerFile is everything the planner asks of the package for
// one file: a size, a last-write time, a class and its times.
func BenchmarkPerFile(b *testing.B) {
	for _, p := range []Preset{RecentSkew, Archive, LegacyMess} {
		b.Run(p.String(), func(b *testing.B) {
			m := Impressions()
			d := window(p, 10)
			s := &counter{key: 6}
			b.ReportAllocs()
			for b.Loop() {
				size := m.Draw(s)
				mt := d.Draw(s)
				c, a := DrawClass(s, PathProject).Times(s, mt, d.Max)
				sink += size + mt + c + a
			}
		})
	}
}

func TestDrawsDoNotAllocate(t *testing.T) {
	s := &counter{key: 7}
	m := Impressions()
	f := ImpressionsFilesPerDir(1000)
	for p := range numPresets {
		d := window(p, 10)
		got := testing.AllocsPerRun(1000, func() {
			size := m.Draw(s)
			mt := d.Draw(s)
			c, a := DrawClass(s, PathHome).Times(s, mt, d.Max)
			sink += size + mt + c + a + int64(f.Draw(s))
		})
		if got != 0 {
			t.Errorf("%v: %v allocations a file, want 0", p, got)
		}
	}
}
