// Package engine executes a run: it claims chunks from the store, creates
// their directories and files under the target, commits finished chunks in
// groups, and applies directory attributes in a final, resumable phase.
//
// [Verify] compares a tree with its plan and can repair it; [Clean]
// removes what a run made and nothing else. Both read the plan chunk by
// chunk and never follow a symbolic link.
//
// The engine never prints. It reports through [Observer] callbacks, and the
// command line decides what to show.
package engine
