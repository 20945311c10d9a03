package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"filegen/store"
)

func TestListenAddr(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "9100", want: "127.0.0.1:9100"},
		{in: ":9100", want: "127.0.0.1:9100"},
		{in: "0", want: "127.0.0.1:0"},
		{in: "0.0.0.0:9100", want: "0.0.0.0:9100"},
		{in: "[::1]:80", want: "[::1]:80"},
		{in: "localhost:8080", want: "localhost:8080"},
		{in: "70000", bad: true},
		{in: "host:http", bad: true},
		{in: "host", bad: true},
		{in: "", bad: true},
	}
	for _, tt := range tests {
		got, err := listenAddr(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("listenAddr(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("listenAddr(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// liveRun is a slow run serving metrics, started in the background.
type liveRun struct {
	name string
	addr string
	cmd  *exec.Cmd
	wait chan error

	stderr *bytes.Buffer // lines after the address, once wait returned
}

// startLive starts a run with --listen on a free loopback port, reads the
// address it serves on from standard error, and waits for a first
// committed file.
func (c *fgCLI) startLive(t *testing.T) *liveRun {
	t.Helper()
	target := filepath.Join(t.TempDir(), "live")
	cmd := c.cmd("run", "--listen", "127.0.0.1:0", "--files", "400000",
		"--threads", "1", "--batch-size", "200", target)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &liveRun{name: store.NameFor(target), cmd: cmd,
		wait: make(chan error, 1), stderr: new(bytes.Buffer)}
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-r.wait
	})

	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`addr=(\S+)`)
		sc := bufio.NewScanner(pipe)
		sent := false
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
				continue
			}
			r.stderr.WriteString(sc.Text() + "\n")
		}
		r.wait <- cmd.Wait()
	}()
	select {
	case r.addr = <-found:
	case <-time.After(60 * time.Second):
		t.Fatal("the run never said where it serves metrics")
	}

	for deadline := time.Now().Add(60 * time.Second); ; {
		fams := scrape(t, r.addr)
		if value(fams, "filegen_files_created_total", "") > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run never reported a created file")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return r
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v\n%s", url, resp.Status, err, body)
	}
	return body
}

// scrape reads /metrics with the Prometheus text parser.
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(get(t, "http://"+addr+"/metrics")))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// value returns the counter or gauge of the family's metric whose phase
// label is phase, or whose only metric it is; -1 if there is none.
func value(fams map[string]*dto.MetricFamily, name, phase string) float64 {
	f, ok := fams[name]
	if !ok {
		return -1
	}
	for _, m := range f.GetMetric() {
		match := phase == ""
		for _, l := range m.GetLabel() {
			if l.GetName() == "phase" && l.GetValue() == phase {
				match = true
			}
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		}
	}
	return -1
}

func TestMetricsDuringRun(t *testing.T) {
	c := newCLI(t)
	r := c.startLive(t)

	first := scrape(t, r.addr)
	time.Sleep(1500 * time.Millisecond)
	second := scrape(t, r.addr)

	counters := []string{"filegen_files_created_total", "filegen_dirs_created_total",
		"filegen_bytes_created_total", "filegen_chunks_committed_total", "filegen_errors_total"}
	for _, name := range counters {
		a, b := value(first, name, ""), value(second, name, "")
		if a < 0 || b < a {
			t.Errorf("%s: %v then %v; want present and not falling", name, a, b)
		}
		if f := second[name]; f != nil && f.GetType() != dto.MetricType_COUNTER {
			t.Errorf("%s is a %v, want a counter", name, f.GetType())
		}
	}
	if a, b := value(first, "filegen_files_created_total", ""),
		value(second, "filegen_files_created_total", ""); b <= a {
		t.Errorf("files created did not grow in 1.5 s: %v then %v", a, b)
	}
	if got := value(second, "filegen_files_planned", ""); got != 400000 {
		t.Errorf("filegen_files_planned = %v, want 400000", got)
	}
	if got := value(second, "filegen_files_per_second", ""); got <= 0 {
		t.Errorf("filegen_files_per_second = %v, want more than 0", got)
	}
	for _, ph := range phases {
		want := 0.0
		if ph == store.Executing {
			want = 1
		}
		if got := value(second, "filegen_phase", string(ph)); got != want {
			t.Errorf("filegen_phase{phase=%q} = %v, want %v", ph, got, want)
		}
	}

	h := second["filegen_commit_duration_seconds"]
	if h == nil || h.GetType() != dto.MetricType_HISTOGRAM {
		t.Fatalf("filegen_commit_duration_seconds = %v; want a histogram", h)
	}
	hist := h.GetMetric()[0].GetHistogram()
	chunks := value(second, "filegen_chunks_committed_total", "")
	if n := hist.GetSampleCount(); n == 0 || float64(n) > chunks {
		t.Errorf("commit latency holds %d commits; want 1 to %v, the chunks committed", n, chunks)
	}
	if hist.GetSampleSum() <= 0 {
		t.Errorf("commit latency sum = %v, want more than 0", hist.GetSampleSum())
	}

	// The run stops cleanly and says it can be resumed.
	if s := c.status(r.name); !s.Live || s.PID != r.cmd.Process.Pid {
		t.Errorf("status of the run = %+v; want live, process %d", s, r.cmd.Process.Pid)
	}
	if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := <-r.wait
	r.wait <- err
	if code := exitOf(err); code != exitInterrupted {
		t.Errorf("after SIGINT: exit %d, want %d\n%s", code, exitInterrupted, r.stderr)
	}
	if !strings.Contains(r.stderr.String(), "outcome       interrupted") {
		t.Errorf("no summary of the interrupted run in:\n%s", r.stderr)
	}
}

func TestStatusEndpointEqualsStatusJSON(t *testing.T) {
	c := newCLI(t)
	r := c.startLive(t)

	// The status changes every second, and status --json takes a while:
	// it must print one of the documents /status served meanwhile.
	url := "http://" + r.addr + "/status"
	for try := 1; ; try++ {
		served := map[string]bool{}
		stop := make(chan struct{})
		polled := make(chan struct{})
		go func() {
			defer close(polled)
			for {
				if resp, err := http.Get(url); err == nil {
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					served[string(body)] = true
				}
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		}()
		out, code := c.run("status", "--json", r.name)
		close(stop)
		<-polled
		if code != 0 {
			t.Fatalf("status --json: exit %d: %s", code, out)
		}
		if !strings.Contains(out, `"live": true`) {
			t.Errorf("status of a live run is not live:\n%s", out)
		}
		if served[out] {
			break
		}
		if try == 5 {
			t.Fatalf("status --json printed:\n%s\nwhich /status never served; it served %d others",
				out, len(served))
		}
	}
}

func exitOf(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(interface{ ExitCode() int }); ok {
		return ee.ExitCode()
	}
	return -1
}
