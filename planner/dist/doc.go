// Package dist owns the distributions of a realistic file share: file
// sizes, last-write times by date preset, file classes with their
// creation and access gaps, and the number of files per directory. It
// also holds the Kolmogorov-Smirnov helpers that tests elsewhere use to
// compare a plan with these models.
//
// # Draws
//
// Everything here is a pure function of the numbers it takes from a
// [Source]. The planner hands each file its own counter-based source, so
// the same seed gives the same tree whatever the order of the work.
// Draws neither allocate nor keep state; all types are plain values,
// safe for concurrent use.
//
// # Figures
//
// The parameters follow the project's REALISM.md (published fits of
// file sizes, ages and directory sizes) and the toolkit that filegen
// replaces, described in ORIGINAL.md. Where the toolkit had a bug, such
// as a recent bias that made dates less recent, this package does what
// was meant.
//
// # Errors
//
// Validate methods return errors that wrap [ErrInvalid]; [ParsePreset]
// returns one that wraps [ErrUnknownPreset]. Error text starts with
// "dist:" and names the field at fault.
package dist
