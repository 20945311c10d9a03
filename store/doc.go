// Package store keeps a run's state in a bbolt database: the run record with
// its resolved inputs, the plan's chunks, their states, counters, an event
// log and a capped log of per-file errors.
//
// bbolt stays inside this package: no exported signature mentions it.
//
// # Concurrency
//
// A [DB] is safe for concurrent use. bbolt allows one process to hold a
// database file open for writing; a second [Open] of the same file waits
// for its lock up to a timeout and then fails with [ErrLocked].
package store
