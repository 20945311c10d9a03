package planner

import (
	"math/bits"
	"time"
)

// Units in which a plan stores times. What lies below a unit is not
// stored: settle draws it from the entry's key, the same way when the plan
// is made and when a chunk is decoded, so it costs no space and still
// looks like a real clock's. Modification times are kept to the second;
// the access time's distance after them and the creation time's before
// them, which run to days and years, to the minute.
const (
	AgeUnit = int64(time.Second)
	GapUnit = int64(time.Minute)
)

// Bounds within which times are stored in units, so that no time settle
// returns can overflow: reference times from 1897 to 2116, ages and gaps
// of up to 73 years.
const (
	minAsOf = -1 << 61
	maxAsOf = 1 << 62
	maxSpan = 1 << 61
)

// quanta are an entry's times in whole units: the modification time's age
// before the reference time, in AgeUnit; how far the access time comes
// after it and the creation time before it, in GapUnit. A gap of zero
// stands for the same instant.
type quanta struct{ m, a, c uint64 }

// validQuanta reports whether q can be settled against asOf.
func validQuanta(asOf int64, q quanta) bool {
	return asOf >= minAsOf && asOf <= maxAsOf &&
		q.m < uint64(maxSpan/AgeUnit) && q.a < uint64(maxSpan/GapUnit) && q.c < uint64(maxSpan/GapUnit)
}

// quantize returns the quanta of times m (modification), a (access) and c
// (creation) against the reference time asOf, or false if they cannot be
// stored as quanta: a time after asOf, out of order, or too far apart.
func quantize(asOf, m, a, c int64) (q quanta, ok bool) {
	if asOf < minAsOf || asOf > maxAsOf || m > asOf || m < asOf-maxSpan ||
		a < m || a > asOf || c > m || c < m-maxSpan {
		return q, false
	}
	q.m = uint64(asOf-m) / uint64(AgeUnit)
	q.a = uint64(a-m) / uint64(GapUnit)
	q.c = uint64(m-c) / uint64(GapUnit)
	return q, validQuanta(asOf, q)
}

// settle returns the times that q stands for, with what lies below each
// unit drawn from key: a folder's Key, a file's [ContentKey]. Access is
// never before modification nor after asOf, creation never after
// modification.
func settle(key uint64, asOf int64, q quanta) (m, a, c int64) {
	r := newRand(hashKey(key, layerTime))
	below := func(unit int64) int64 {
		hi, _ := bits.Mul64(r.Uint64(), uint64(unit))
		return int64(hi)
	}
	m = asOf - int64(q.m)*AgeUnit - below(AgeUnit)
	a, c = m, m
	if q.a > 0 {
		a = min(asOf, m+int64(q.a)*GapUnit+below(GapUnit))
	}
	if q.c > 0 {
		c = m - int64(q.c)*GapUnit - below(GapUnit)
	}
	return m, a, c
}

// settled returns the times a planned entry with the given key gets:
// what quantize keeps of m, a and c, settled. Times that cannot be stored
// in units come back unchanged.
func settled(key uint64, asOf, m, a, c int64) (int64, int64, int64) {
	q, ok := quantize(asOf, m, a, c)
	if !ok {
		return m, a, c
	}
	return settle(key, asOf, q)
}
