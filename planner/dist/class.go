package dist

import "fmt"

// Class is a file's life pattern. It sets the gap from creation to last
// write and from last write to last access (ORIGINAL.md).
type Class uint8

// The file classes, with their share of a share's files where the path
// says nothing more, and their gaps in days (creation to write, write
// to access).
const (
	Active        Class = iota // 25 %: 0-30, 0-14
	Reference                  // 15 %: 0-90, 0-30
	WORM                       // write once, read many; 10 %: 0-1, 0-14
	WONR                       // write once, never read; 15 %: 0-1, 0
	Aging                      // 15 %: 0-180, 30-365
	Dormant                    // 15 %, by path (see DrawClass): 0-180, 0-30
	LegacyArchive              // 5 %: 0-30, 0

	numClasses
)

var classNames = [numClasses]string{
	"active", "reference", "worm", "wonr", "aging", "dormant",
	"legacy-archive",
}

// String returns the class's lower-case name, such as "legacy-archive".
func (c Class) String() string {
	if c < numClasses {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", uint8(c))
}

// PathKind is what a file's folder is for, as far as its class goes.
type PathKind uint8

// The path kinds. They carry a Path prefix because the date preset
// [Archive] holds the plain name.
const (
	PathOther   PathKind = iota // none of the below
	PathArchive                 // archive folders
	PathHome                    // users' home folders
	PathProject                 // project folders
	PathTemp                    // scratch and temporary folders
	PathLogs                    // log folders

	numPathKinds
)

var pathKindNames = [numPathKinds]string{
	"other", "archive", "home", "project", "temp", "logs",
}

// String returns the path kind's lower-case name.
func (k PathKind) String() string {
	if k < numPathKinds {
		return pathKindNames[k]
	}
	return fmt.Sprintf("PathKind(%d)", uint8(k))
}

// baseShares are the class shares of the toolkit, in percent.
var baseShares = [numClasses]float64{25, 15, 10, 15, 15, 15, 5}

// dormantShares are the Dormant shares by path kind, in percent.
var dormantShares = [numPathKinds]float64{20, 75, 55, 50, 40, 5}

// classCum holds, per path kind, the cumulative class shares.
var classCum = func() (t [numPathKinds][numClasses]float64) {
	rest := 100 - baseShares[Dormant]
	for k := range numPathKinds {
		d := dormantShares[k]
		sum := 0.0
		for c := range numClasses {
			share := baseShares[c] * (100 - d) / rest
			if c == Dormant {
				share = d
			}
			sum += share / 100
			t[k][c] = sum
		}
		t[k][numClasses-1] = 1
	}
	return t
}()

// DrawClass returns the class of a file in a folder of kind k. The
// Dormant share is set by k (archive 75 %, home 55 %, project 50 %,
// temp 40 %, logs 5 %, other 20 %); the other classes keep their base
// proportions (25/15/10/15/15/5) scaled to fill the rest. It takes one
// number from s. An unknown k counts as [PathOther].
func DrawClass(s Source, k PathKind) Class {
	if k >= numPathKinds {
		k = PathOther
	}
	u := s.Float64()
	cum := &classCum[k]
	for c := range numClasses - 1 {
		if u < cum[c] {
			return c
		}
	}
	return numClasses - 1
}

// ClassShare returns the share of files in folders of kind k that
// [DrawClass] gives class c.
func ClassShare(c Class, k PathKind) float64 {
	if k >= numPathKinds {
		k = PathOther
	}
	if c >= numClasses {
		return 0
	}
	if c == 0 {
		return classCum[k][0]
	}
	return classCum[k][c] - classCum[k][c-1]
}

// gaps are the class gaps in days: creation before the last write
// (up to create), access after it (from accessLo to accessHi).
var gaps = [numClasses]struct{ create, accessLo, accessHi int64 }{
	Active:        {30, 0, 14},
	Reference:     {90, 0, 30},
	WORM:          {1, 0, 14},
	WONR:          {1, 0, 0},
	Aging:         {180, 30, 365},
	Dormant:       {180, 0, 30},
	LegacyArchive: {30, 0, 0},
}

// Times returns the creation and last-access times of a file of class c
// last written at mtime, given the plan's as-of time; all unix
// nanoseconds. Creation is mtime less a gap uniform over the class's
// range. Access is mtime plus a gap uniform over the class's range cut
// at asOf, so ctime <= mtime <= atime <= asOf always holds and no
// instant gathers the files that would have been read after asOf.
// When even the shortest gap of the class passes asOf, the access gap
// is uniform between mtime and asOf. Classes never read keep atime at
// mtime. An mtime after asOf is taken as asOf. Here ctime is the
// creation (birth) time the plan records, not the Unix change time.
// It takes two numbers from s, one if the class is never read.
func (c Class) Times(s Source, mtime, asOf int64) (ctime, atime int64) {
	if c >= numClasses {
		c = Active
	}
	mtime = min(mtime, asOf)
	g := &gaps[c]
	ctime = mtime - between(s, 0, g.create*nsPerDayInt)
	if g.accessHi == 0 {
		return ctime, mtime
	}

	room := asOf - mtime
	lo := g.accessLo * nsPerDayInt
	hi := min(g.accessHi*nsPerDayInt, room)
	if lo > hi {
		lo = 0
	}
	return ctime, mtime + between(s, lo, hi)
}

const nsPerDayInt = 86400e9
