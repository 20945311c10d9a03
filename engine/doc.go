// Package engine executes a run: it claims chunks from the store, creates
// their directories and files under the target, commits finished chunks in
// groups, and applies directory attributes in a final, resumable phase.
//
// The engine never prints. It reports through [Observer] callbacks, and the
// command line decides what to show.
package engine
