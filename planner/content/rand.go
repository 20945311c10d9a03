package content

import "encoding/binary"

// golden is the splitmix64 increment: 2^64 divided by the golden ratio.
const golden = 0x9e3779b97f4a7c15

// mix is the splitmix64 finalizer: a bijection that spreads every input
// bit over the whole output.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// blockSeed returns the seed of block i of the file with key key, for a
// purpose told apart by salt. Content is addressed by block, so any block
// can be made alone.
func blockSeed(key uint64, i int64, salt uint64) uint64 {
	return mix(key ^ mix(uint64(i)*golden+salt))
}

// rng is a small counter-based generator for building text.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += golden
	return mix(r.s)
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

func (r *rng) pick(words []string) string { return words[r.intn(len(words))] }

// fillRandom fills b with bytes of the stream keyed by seed.
func fillRandom(b []byte, seed uint64) {
	s := seed
	for len(b) >= 8 {
		s += golden
		binary.LittleEndian.PutUint64(b, mix(s))
		b = b[8:]
	}
	if len(b) > 0 {
		var t [8]byte
		binary.LittleEndian.PutUint64(t[:], mix(s+golden))
		copy(b, t[:])
	}
}
