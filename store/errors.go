package store

import "errors"

// Errors of opening a database.
var (
	// ErrLocked means another process holds the database for writing.
	ErrLocked = errors.New("store: run is held by another process")

	// ErrNotDatabase means the file is not a filegen run database, or is
	// damaged beyond reading.
	ErrNotDatabase = errors.New("store: not a filegen run database")

	// ErrNewerSchema means the database was written by a newer filegen.
	ErrNewerSchema = errors.New("store: database written by a newer filegen")
)

// Errors of reading and writing a run.
var (
	// ErrNoRun means the database holds no run record yet.
	ErrNoRun = errors.New("store: no run in database")

	// ErrNoChunk means a chunk index is outside the plan.
	ErrNoChunk = errors.New("store: no such chunk")

	// ErrReadOnly means a write was tried on a database opened read-only.
	ErrReadOnly = errors.New("store: database opened read-only")
)
