package main

import (
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"filegen/store"
)

// benchProgress returns a progress serving metrics for a run of its own,
// without a display.
func benchProgress(b *testing.B) *progress {
	b.Helper()
	db, err := store.Open(filepath.Join(b.TempDir(), "runs", "b.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.CreateRun(store.Run{Name: "b", State: store.Executing, Files: 1000}); err != nil {
		b.Fatal(err)
	}
	p := &progress{db: db, snap: filepath.Join(b.TempDir(), "b.status.json"),
		window: window{span: rateWindow}, start: time.Now(), stop: make(chan struct{})}
	s, err := serveMetrics("127.0.0.1:0", p)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.close)
	p.server = s
	p.publish(false)
	return p
}

// BenchmarkObserveCommit is what the committer pays per commit for
// progress and metrics.
func BenchmarkObserveCommit(b *testing.B) {
	o := benchProgress(b).observer()
	c := store.Counters{Files: 1, Chunks: 1}
	for i := 0; b.Loop(); i++ {
		c.Files += 4000
		o.Commit(2*time.Millisecond, 1)
		o.Progress(c)
	}
}

// BenchmarkScrape is one scrape of /metrics over loopback.
func BenchmarkScrape(b *testing.B) {
	p := benchProgress(b)
	url := "http://" + p.server.addr() + "/metrics"
	for b.Loop() {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkPublish is the once-a-second work: reading the counters,
// writing the snapshot, updating the rates.
func BenchmarkPublish(b *testing.B) {
	p := benchProgress(b)
	for b.Loop() {
		p.publish(false)
	}
}
