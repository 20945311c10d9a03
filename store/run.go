package store

import (
	"encoding/json"
	"time"
)

// State is where a run stands.
type State string

// The states of a run, in the order a run passes through them.
const (
	Planning    State = "planning"
	Planned     State = "planned"
	Executing   State = "executing"
	Finalizing  State = "finalizing"
	Done        State = "done"
	Failed      State = "failed"
	Interrupted State = "interrupted"
)

// Live reports whether a process working on the run would be in state s.
func (s State) Live() bool {
	return s == Planning || s == Executing || s == Finalizing
}

// Run is a run's record: who it is, what it was asked to build, and where it
// stands. The plan's totals are set once planning ends.
type Run struct {
	Name   string `json:"name"`
	Target string `json:"target"`

	// Inputs and Profile are the plan's resolved inputs and its profile,
	// kept so that a resume needs nothing but the database.
	Inputs  json.RawMessage `json:"inputs"`
	Profile json.RawMessage `json:"profile"`
	Batch   int             `json:"batch_size"`

	// Identities are the owners' ids the plan was made with, or null.
	Identities json.RawMessage `json:"identities,omitempty"`

	State   State  `json:"state"`
	Message string `json:"message,omitempty"`

	// Plan totals.
	Chunks int   `json:"chunks"`
	Files  int64 `json:"files"`
	Dirs   int64 `json:"dirs"`
	Bytes  int64 `json:"bytes"`

	Created time.Time `json:"created"`
	Started time.Time `json:"started,omitzero"`
	Ended   time.Time `json:"ended,omitzero"`

	// Elapsed is the time spent executing, summed over every start.
	Elapsed time.Duration `json:"elapsed"`

	// Host and PID name the process that last worked on the run.
	Host string `json:"host,omitempty"`
	PID  int    `json:"pid,omitempty"`
}

// Counters are a run's totals from committed chunks only.
type Counters struct {
	Chunks int64 `json:"chunks"`
	Files  int64 `json:"files"`
	Dirs   int64 `json:"dirs"`
	Bytes  int64 `json:"bytes"`
	Errors int64 `json:"errors"`

	// Finalized counts the chunks whose folders have their attributes.
	Finalized int64 `json:"finalized"`
}

// Result is what executing a chunk did, as a worker hands it to be
// committed.
type Result struct {
	Chunk  int
	Files  int64 // files created
	Dirs   int64 // folders created or found
	Bytes  int64 // apparent bytes of the files created
	Errors []FileError
}

// FileError is a failure on one entry.
type FileError struct {
	Time  time.Time `json:"time"`
	Path  string    `json:"path"`
	Op    string    `json:"op"`
	Errno int       `json:"errno,omitempty"`
	Err   string    `json:"error"`
}

// Event is a line of a run's history.
type Event struct {
	Time   time.Time `json:"time"`
	Kind   string    `json:"kind"` // planned, started, interrupted, resumed, finished, failed
	Detail string    `json:"detail,omitempty"`
}
