// Package report walks a file tree, ours or any other, and sums it up:
// counts, bytes apparent and allocated, histograms of sizes, ages, depth
// and files per folder, top extensions, owners and groups, dormant and
// never-read shares, and findings by severity.
//
// # Walking
//
// [Walk] never follows a symbolic link and never changes an access time:
// directories are opened relative to their parent's descriptor with
// O_NOFOLLOW and, where permitted, O_NOATIME; files are only stat'ed,
// never opened. The walk is depth-first, so the open directories at any
// moment are one stack per worker, as deep as the tree.
//
// # Memory
//
// A [Report] holds counters, fixed-size histograms and maps capped at a
// few thousand keys (extensions, owners, groups); findings keep a count
// and a handful of example paths. Nothing grows with the number of files.
//
// # Output
//
// A Report writes itself as text, JSON, CSV, Markdown or one
// self-contained HTML page whose charts are inline SVG.
//
// [Histogram] is the power-of-two (or linear) bucket counter the report
// uses; it is meant for reuse wherever a tree is summed up.
package report
