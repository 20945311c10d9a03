package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"filegen/store"
)

// phases are the values of the filegen_phase metric's label.
var phases = []store.State{
	store.Planning, store.Planned, store.Executing, store.Finalizing,
	store.Done, store.Failed, store.Interrupted,
}

// listenAddr turns --listen into an address to listen on: a port alone,
// as "9100" or ":9100", means the loopback interface, so that a run is
// not visible on the network unless a host is named.
func listenAddr(s string) (string, error) {
	if _, err := strconv.ParseUint(s, 10, 16); err == nil {
		s = ":" + s
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", fmt.Errorf("--listen: %q is not PORT, :PORT or HOST:PORT", s)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", fmt.Errorf("--listen: %q is not a port number", port)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// metricsServer serves a live run's /metrics, in the Prometheus text
// format, and /status, the document `filegen status --json` prints. Its
// owner calls close, once.
type metricsServer struct {
	ln      net.Listener
	srv     *http.Server
	latency prometheus.Histogram
	chunks  prometheus.Histogram
	done    chan struct{}
}

// serveMetrics listens on --listen's addr and serves p's figures until
// close.
func serveMetrics(addr string, p *progress) (*metricsServer, error) {
	addr, err := listenAddr(addr)
	if err != nil {
		return nil, usageError{err}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot serve metrics: %w", err)
	}

	m := &metricsServer{
		ln: ln,
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "filegen_commit_duration_seconds",
			Help: "Time each commit of finished chunks took.",
			// Commits take 1 to 4 ms when the disk keeps up; the top
			// buckets catch a disk that stalls.
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 13),
		}),
		chunks: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "filegen_commit_chunks",
			Help:    "Chunks recorded by each commit; more than one means commits are grouped.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 8),
		}),
		done: make(chan struct{}),
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(m.latency, m.chunks,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	registerRun(reg, p)

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		s, ok := p.status()
		if !ok {
			http.Error(w, "the run has not published its status yet", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		writeJSON(w, s)
	})
	m.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(m.done)
		m.srv.Serve(ln)
	}()
	return m, nil
}

// registerRun registers the metrics read from p's latest figures.
func registerRun(reg *prometheus.Registry, p *progress) {
	counter := func(name, help string, get func(store.Counters) int64) {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 {
				c, _, _ := p.current()
				return float64(get(c))
			}))
	}
	counter("filegen_files_created_total", "Files the run has created and committed.",
		func(c store.Counters) int64 { return c.Files })
	counter("filegen_dirs_created_total", "Folders the run has created and committed.",
		func(c store.Counters) int64 { return c.Dirs })
	counter("filegen_bytes_created_total", "Apparent bytes of the files the run has created.",
		func(c store.Counters) int64 { return c.Bytes })
	counter("filegen_chunks_committed_total", "Chunks the run has committed.",
		func(c store.Counters) int64 { return c.Chunks })
	counter("filegen_errors_total", "Entries that failed.",
		func(c store.Counters) int64 { return c.Errors })

	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "filegen_files_per_second",
		Help: "Files created a second over the last " + rateWindow.String() + ".",
	}, func() float64 {
		_, _, rate := p.current()
		return rate
	}))
	for _, ph := range phases {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "filegen_phase",
			Help:        "1 for the phase the run is in, 0 for the others.",
			ConstLabels: prometheus.Labels{"phase": string(ph)},
		}, func() float64 {
			if _, s, _ := p.current(); s == ph {
				return 1
			}
			return 0
		}))
	}
	if r, err := p.db.Run(); err == nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "filegen_files_planned",
			Help:        "Files the run's plan holds.",
			ConstLabels: prometheus.Labels{"run": r.Name, "target": r.Target},
		}, func() float64 {
			// A new run is planned after the server starts.
			if s, ok := p.status(); ok {
				return float64(s.FilesTotal)
			}
			return float64(r.Files)
		}))
	}
}

// commit records one commit; it is the engine's Observer.Commit.
func (m *metricsServer) commit(d time.Duration, chunks int) {
	m.latency.Observe(d.Seconds())
	m.chunks.Observe(float64(chunks))
}

// addr returns the address the server listens on.
func (m *metricsServer) addr() string { return m.ln.Addr().String() }

// close stops the server, letting requests in progress finish for a
// moment.
func (m *metricsServer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if m.srv.Shutdown(ctx) != nil {
		m.srv.Close()
	}
	<-m.done
}
