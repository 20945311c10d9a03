package planner

import "testing"

// BenchmarkPlan generates and encodes a 100,000-file plan, as a run
// plans it, and reports files a second and encoded bytes a file, with
// and without owners.
func BenchmarkPlan(b *testing.B) {
	for _, owners := range []bool{false, true} {
		name := "none"
		if owners {
			name = "owners"
		}
		b.Run(name, func(b *testing.B) {
			in := testInputs(b, 100_000, 1)
			prof, err := Builtin(in.Profile)
			if err != nil {
				b.Fatal(err)
			}
			var ids *Identities
			if owners {
				ids = goldenIDs(prof)
			}
			var buf []byte
			var size int64
			for b.Loop() {
				size = 0
				err := Generate(in, prof, ids, 4000, func(c *Chunk) error {
					buf = c.Encode(buf[:0])
					size += int64(len(buf))
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(in.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
			b.ReportMetric(float64(size)/float64(in.Files), "B/file")
		})
	}
}
