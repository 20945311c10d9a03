package report

import (
	"cmp"
	"errors"
	"slices"
	"time"
)

// ErrNotDir is returned by [Walk] when the root is not a directory.
var ErrNotDir = errors.New("report: root is not a directory")

// Defaults for [Options] fields left zero.
const (
	// DefaultWorkers is four: the machines this runs on have two cores,
	// and a walk of a tree whose metadata is not cached blocks in the
	// kernel on every stat, so twice the cores keeps both busy without
	// piling up open directories. One worker is enough for a small tree.
	DefaultWorkers = 4
	// DefaultTopN is how many extensions, owners and groups are listed.
	DefaultTopN = 10
	// DefaultHugeFolder is the entry count above which a folder is a
	// finding: past it, listing the folder gets slow on most file
	// systems and in every file browser.
	DefaultHugeFolder = 50000
	// DormantAfter is how long a file must go unread to count as dormant.
	DormantAfter = 90 * 24 * time.Hour
)

// Limits that keep memory bounded whatever the tree.
const (
	// maxKeys caps each of the extension, owner and group maps; keys
	// past it are summed under OtherKey.
	maxKeys = 4096
	// maxExamples is how many example paths a finding keeps.
	maxExamples = 5
	// maxDepth caps the stack of open folders a worker holds. Deeper
	// folders are not entered and show up as a finding.
	maxDepth = 256
	// depthBuckets is the number of buckets of the depth histogram.
	depthBuckets = 33
)

// Names used in tallies for what has no name of its own.
const (
	// NoExt is the extension of a file whose name has none.
	NoExt = "(none)"
	// OtherKey sums the keys past a tally's cap, and extensions that do
	// not look like extensions (too long, or not letters and digits).
	OtherKey = "(other)"
)

// Options tune [Walk]. The zero value walks with the defaults.
type Options struct {
	// AsOf is the reference time ages are measured from. Zero means now.
	AsOf time.Time
	// Workers is the number of folders walked at once; 0 means
	// DefaultWorkers.
	Workers int
	// TopN is how many extensions, owners and groups are listed; 0 means
	// DefaultTopN.
	TopN int
	// HugeFolder is the entry count above which a folder is a finding;
	// 0 means DefaultHugeFolder.
	HugeFolder int
}

// Report sums up one walked tree. Counts of files, bytes and histograms
// cover regular files only; Folders counts every directory, the root
// included. Its fields are plain data: a Report can be encoded, decoded
// and compared.
type Report struct {
	// Root is the walked path as given; AsOf the reference time.
	Root string    `json:"root"`
	AsOf time.Time `json:"as_of"`
	// Started and Elapsed say when and how long the walk ran, with
	// Workers folders walked at once.
	Started time.Time     `json:"started"`
	Elapsed time.Duration `json:"elapsed_ns"`
	Workers int           `json:"workers"`

	Files    int64 `json:"files"`
	Folders  int64 `json:"folders"`
	Symlinks int64 `json:"symlinks"`
	// Others counts devices, pipes and sockets.
	Others int64 `json:"others"`
	// Bytes is the apparent size of the files, Allocated the space their
	// blocks take.
	Bytes     int64 `json:"bytes"`
	Allocated int64 `json:"allocated"`
	// SparseFiles have fewer bytes allocated than their size.
	SparseFiles int64 `json:"sparse_files"`
	// HardLinked files have more than one name; each name is counted.
	HardLinked int64 `json:"hard_linked"`
	// MaxDepth is the depth of the deepest folder; the root is depth 0.
	MaxDepth int `json:"max_depth"`

	// Dormant files were last read more than DormantAfter before AsOf.
	Dormant Share `json:"dormant"`
	// NeverRead files have an access time equal to their modification
	// time.
	NeverRead Share `json:"never_read"`

	// Sizes counts files by apparent size in bytes.
	Sizes Histogram `json:"sizes"`
	// Modified and Accessed count files by age in whole days before AsOf.
	Modified Histogram `json:"modified"`
	Accessed Histogram `json:"accessed"`
	// Depth counts files by the depth of their name: a file in the root
	// is at depth 1.
	Depth Histogram `json:"depth"`
	// FilesPerFolder counts folders by the files directly inside them.
	FilesPerFolder Histogram `json:"files_per_folder"`

	// ExtByCount and ExtByBytes list the top extensions, lower case with
	// the dot.
	ExtByCount []Tally `json:"ext_by_count"`
	ExtByBytes []Tally `json:"ext_by_bytes"`
	// Owners and Groups list the top owners and groups by bytes.
	Owners []Tally `json:"owners"`
	Groups []Tally `json:"groups"`

	// Findings are sorted by severity, most severe first.
	Findings []Finding `json:"findings"`
}

// Share is a part of the files, in count and bytes.
type Share struct {
	Files int64 `json:"files"`
	Bytes int64 `json:"bytes"`
}

// Tally is one key's part: an extension, an owner or a group.
type Tally struct {
	// Name is the extension, or the owner or group name when it
	// resolves, else the number.
	Name string `json:"name"`
	// ID is the numeric user or group id; empty for extensions.
	ID    string `json:"id,omitempty"`
	Files int64  `json:"files"`
	Bytes int64  `json:"bytes"`
}

// Severity ranks a [Finding].
type Severity string

// Severities, from most to least severe.
const (
	SevError Severity = "error"
	SevWarn  Severity = "warn"
	SevInfo  Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case SevError:
		return 0
	case SevWarn:
		return 1
	}
	return 2
}

// Kinds of [Finding].
const (
	// KindHugeFolder: folders with more entries than Options.HugeFolder.
	KindHugeFolder = "huge-folder"
	// KindOrphanOwner: files whose owner uid resolves to no user.
	KindOrphanOwner = "orphaned-owner"
	// KindOrphanGroup: files whose gid resolves to no group.
	KindOrphanGroup = "orphaned-group"
	// KindWorldWritable: folders anyone may write to.
	KindWorldWritable = "world-writable-folder"
	// KindSparse: files with fewer bytes allocated than their size.
	KindSparse = "sparse-files"
	// KindFuture: files modified after the reference time.
	KindFuture = "future-mtime"
	// KindUnreadable: entries that could not be stat'ed or folders that
	// could not be opened; they are missing from every count.
	KindUnreadable = "unreadable"
	// KindTooDeep: folders not entered because they are nested deeper
	// than the walk holds open folders.
	KindTooDeep = "too-deep"
)

// Finding is one kind of thing worth a look, with how often it was seen
// and a few example paths (relative to the root, smallest first).
type Finding struct {
	Severity Severity `json:"severity"`
	Kind     string   `json:"kind"`
	Count    int64    `json:"count"`
	Detail   string   `json:"detail"`
	Examples []string `json:"examples,omitempty"`
}

// Finding returns the finding of the given kind, or nil if there is none.
func (r *Report) Finding(kind string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].Kind == kind {
			return &r.Findings[i]
		}
	}
	return nil
}

func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Severity.rank(), b.Severity.rank()),
			cmp.Compare(a.Kind, b.Kind))
	})
}

// percent returns part as a percentage of whole, 0 when whole is 0.
func percent(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}
