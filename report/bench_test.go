package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"filegen/report"
)

// BenchmarkWalk walks 100,000 files in 1,000 folders (10 top folders of
// 100 folders of 100 files) with 1, 2 and 4 workers. The tree is built
// once; its metadata is cached, so this measures the walk's own cost.
func BenchmarkWalk(b *testing.B) {
	root := b.TempDir()
	for i := range 10 {
		for j := range 100 {
			dir := filepath.Join(root, fmt.Sprintf("d%02d", i),
				fmt.Sprintf("s%03d", j))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			for k := range 100 {
				name := fmt.Sprintf("f%03d.%s", k, []string{"doc", "pdf",
					"xlsx", "txt"}[k%4])
				f, err := os.Create(filepath.Join(dir, name))
				if err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		}
	}

	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var files int64
			for b.Loop() {
				r, err := report.Walk(context.Background(), root,
					report.Options{AsOf: asOf, Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				files = r.Files
			}
			if files != 100000 {
				b.Fatalf("Files = %d, want 100000", files)
			}
			b.ReportMetric(float64(files)*float64(b.N)/
				b.Elapsed().Seconds(), "files/s")
		})
	}
}
