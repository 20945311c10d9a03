// Package planner turns a profile, a seed, a file count and a reference time
// into a plan: an ordered list of directories and the files they hold, cut
// into self-contained chunks.
//
// # Determinism
//
// Every random draw comes from a counter-based generator keyed by the seed,
// the layer, the directory and the file index, never from a stream shared
// along the plan. A chunk can therefore be generated alone, and the batch
// size, the thread count and a split across hosts change how the work is
// grouped, never what the tree is.
//
// # Memory
//
// The planner streams: it holds the directory layout (a few bytes per
// directory) and one chunk at a time, never the list of files.
package planner
