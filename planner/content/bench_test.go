package content_test

import (
	"testing"

	"filegen/planner/content"
)

// BenchmarkWriteSparse measures the per-file cost of the sparse mode, the
// default, which the engine calls tens of thousands of times a second.
func BenchmarkWriteSparse(b *testing.B) {
	for _, ext := range []string{"bak", "pdf", "docx", "log"} {
		b.Run(ext, func(b *testing.B) {
			w := content.NewWriter(content.Mode{})
			f := &nullFile{}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := w.Write(f, ext, 5<<20, uint64(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteFull measures the throughput of the modes that write every
// byte, on 1 MiB files.
func BenchmarkWriteFull(b *testing.B) {
	const size = 1 << 20
	for _, mode := range []string{"zero", "random", "compress:4", "dedup:5"} {
		b.Run(mode, func(b *testing.B) {
			m, err := content.ParseMode(mode)
			if err != nil {
				b.Fatal(err)
			}
			w := content.NewWriter(m)
			f := &nullFile{}
			b.SetBytes(size)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := w.Write(f, "pdf", size, uint64(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
