package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"filegen/planner"
	"filegen/store"
)

// Status is a run's state as `filegen status` shows it, live or not.
type Status struct {
	Name   string      `json:"name"`
	Target string      `json:"target"`
	State  store.State `json:"state"`

	// Live is set when a process is working on the run now.
	Live bool   `json:"live"`
	PID  int    `json:"pid,omitempty"`
	Host string `json:"host,omitempty"`

	Files      int64 `json:"files"`
	FilesTotal int64 `json:"files_total"`
	Dirs       int64 `json:"dirs"`
	DirsTotal  int64 `json:"dirs_total"`
	Bytes      int64 `json:"bytes"`
	BytesTotal int64 `json:"bytes_total"`
	Chunks     int64 `json:"chunks"`
	ChunkTotal int64 `json:"chunks_total"`
	Finalized  int64 `json:"chunks_finalized"`
	Errors     int64 `json:"errors"`

	Created time.Time `json:"created"`
	Started time.Time `json:"started,omitzero"`
	Ended   time.Time `json:"ended,omitzero"`
	Updated time.Time `json:"updated"`

	// Elapsed is the time spent executing, in seconds, and Rate the files
	// a second over it.
	Elapsed float64 `json:"elapsed_seconds"`
	Rate    float64 `json:"files_per_second"`

	Message string          `json:"message,omitempty"`
	Inputs  *planner.Inputs `json:"inputs,omitempty"`
}

// Percent returns how far the run is, from 0 to 100.
func (s *Status) Percent() float64 {
	if s.FilesTotal == 0 {
		if s.State == store.Done {
			return 100
		}
		return 0
	}
	return 100 * float64(s.Files) / float64(s.FilesTotal)
}

// newStatus builds a status from a run record and its counters.
func newStatus(r store.Run, c store.Counters) Status {
	s := Status{
		Name: r.Name, Target: r.Target, State: r.State, PID: r.PID, Host: r.Host,
		Files: c.Files, FilesTotal: r.Files, Dirs: c.Dirs, DirsTotal: r.Dirs,
		Bytes: c.Bytes, BytesTotal: r.Bytes, Chunks: c.Chunks, ChunkTotal: int64(r.Chunks),
		Finalized: c.Finalized, Errors: c.Errors,
		Created: r.Created, Started: r.Started, Ended: r.Ended,
		Updated: time.Now().UTC(),
		Elapsed: r.Elapsed.Seconds(),
		Message: r.Message,
	}
	var in planner.Inputs
	if json.Unmarshal(r.Inputs, &in) == nil {
		s.Inputs = &in
	}
	s.rate()
	return s
}

func (s *Status) rate() {
	if s.Elapsed > 0 {
		s.Rate = float64(s.Files) / s.Elapsed
	}
}

// SnapshotPath returns where a live run publishes its status.
func SnapshotPath(stateDir, name string) string {
	return filepath.Join(stateDir, "runs", name+".status.json")
}

// WriteSnapshot replaces the run's snapshot file atomically.
func WriteSnapshot(path string, s Status) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("engine: cannot write status snapshot: %w", err)
	}
	return os.Rename(tmp, path)
}

// alive reports whether a process with pid exists on this host and has
// not exited: a killed process can linger as a zombie while the kernel
// finishes its I/O.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust the signal
	}
	// The state follows the command name in parentheses.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || (stat[i+2] != 'Z' && stat[i+2] != 'X')
}

// ReadStatus returns the status of the run called name. It answers at once
// for a live run (from the snapshot the run publishes, since the run holds
// the database), a finished one, and a crashed one, which it reports as
// interrupted.
func ReadStatus(stateDir, name string) (Status, error) {
	path := store.RunPath(stateDir, name)
	db, err := store.Open(path, store.Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	if errors.Is(err, store.ErrLocked) {
		return readSnapshot(stateDir, name)
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Status{}, fmt.Errorf("engine: no run called %q in %s", name, stateDir)
		}
		return Status{}, err
	}
	defer db.Close()
	s, err := Snapshot(db, 0)
	if err != nil {
		return Status{}, err
	}
	s.Live = false
	if s.State.Live() {
		// Nobody holds the database, so whoever was working on the run
		// is gone without stopping it.
		s.State = store.Interrupted
		s.Message = "the process working on the run stopped without saying so (killed or crashed); resume it"
	}
	return s, nil
}

func readSnapshot(stateDir, name string) (Status, error) {
	var s Status
	data, err := os.ReadFile(SnapshotPath(stateDir, name))
	if err != nil {
		return s, fmt.Errorf("engine: run %q is held by another process that has not published its status yet: %w",
			name, err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("engine: bad status snapshot of run %q: %w", name, err)
	}
	s.Live = alive(s.PID)
	if !s.Live && s.State.Live() {
		s.State = store.Interrupted
		s.Message = fmt.Sprintf("process %d is gone but still holds the run while the kernel finishes its writes; resume it once it is released", s.PID)
	}
	return s, nil
}

// Snapshot reads the status of db's run as its live process sees it.
// elapsed is the time spent executing over every start, as that process
// counts it now; zero keeps the figure the run last saved, which may be
// a second old.
func Snapshot(db *store.DB, elapsed time.Duration) (Status, error) {
	r, err := db.Run()
	if err != nil {
		return Status{}, err
	}
	c, err := db.Counters()
	if err != nil {
		return Status{}, err
	}
	s := newStatus(r, c)
	s.Live = true
	if elapsed > 0 {
		s.Elapsed = elapsed.Seconds()
	}
	s.rate()
	return s, nil
}
