package content

import (
	"errors"
	"fmt"
	"math"
	"sync"
)

// ErrSize is returned, wrapped, by [Writer.Write] for a negative size.
var ErrSize = errors.New("content: negative size")

// BlockSize is the unit of the compress and dedup modes: each 4 KiB block
// of a file, counted from its start, is made alone.
const BlockSize = 4096

// chunkLen is how much a Writer fills and writes at a time.
const chunkLen = 256 << 10

// poolBlocks is the number of blocks in the dedup pool. Small, so that
// the pool's own unique blocks are few next to the unique blocks a run
// draws (1 in R), and the measured ratio is close to R from a few
// thousand blocks on.
const poolBlocks = 16

// Salts keep the streams of the modes and the pool apart.
const (
	saltRandom   = 0x72616e64
	saltCompress = 0x636f6d70
	saltDedup    = 0x64656475
	saltPool     = 0x706f6f6c
)

// File is what a [Writer] writes into; the engine wraps a raw file
// descriptor. *os.File satisfies it.
type File interface {
	WriteAt(p []byte, off int64) (int, error)
	Truncate(size int64) error
}

// Writer writes planned content into files. It holds buffers that it
// reuses from file to file, so it is not safe for concurrent use: each
// worker has its own.
type Writer struct {
	mode    Mode
	buf     []byte // chunkLen bytes once a mode or a text file needs it
	randLen int    // compress: random bytes at the start of each block
	dupCut  uint64 // dedup: a block is unique when its draw is below
}

// NewWriter returns a Writer for mode m. m is expected to come from
// [ParseMode]; a ratio out of range is clamped to (1, MaxRatio].
func NewWriter(m Mode) *Writer {
	w := &Writer{mode: m}
	r := math.Min(math.Max(m.Ratio, 1.0001), MaxRatio)
	switch m.Kind {
	case Compress:
		w.randLen = compressRandLen(r)
	case Dedup:
		w.dupCut = uint64(math.MaxUint64 / r)
	}
	return w
}

// compressRandLen returns how many random bytes start each block so that
// deflate at level 6 shrinks the data by about r: the rest of the block
// is zeros, which cost next to nothing, and the random bytes cost a
// little more than their size.
func compressRandLen(r float64) int {
	n := int(math.Round(BlockSize/r)) - compressCost
	return max(n, 1)
}

// compressCost is what a compressor spends on a block beyond its random
// bytes, in bytes: literal codes a little longer than 8 bits and the
// matches that cover the zeros. About 25 for deflate, 10 for zstd;
// TestCompressRatio measures both.
const compressCost = 18

// Mode returns the mode w writes.
func (w *Writer) Mode() Mode { return w.mode }

// Write gives f exactly the planned content for a file with extension
// ext (lower case, no dot), size bytes long and keyed by key, and leaves
// f's length at size. The header of the type comes first in every mode.
// Write may be called again on the same file and converges to the same
// bytes. Errors from f are returned wrapped.
func (w *Writer) Write(f File, ext string, size int64, key uint64) error {
	if size < 0 {
		return fmt.Errorf("%w %d for a %s file", ErrSize, size, ext)
	}
	t := types[ext]

	var err error
	if w.mode.Kind == Sparse {
		err = w.writeSparse(f, t, size, key)
	} else {
		err = w.writeFull(f, t, size, key)
	}
	if err != nil {
		return err
	}

	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("content: truncate to %d: %w", size, err)
	}
	return nil
}

func (w *Writer) writeSparse(f File, t *fileType, size int64, key uint64) error {
	if t == nil || size == 0 {
		return nil
	}
	if t.text == nil {
		if len(t.header) == 0 {
			return nil
		}
		return writeAt(f, t.header[:min(int64(len(t.header)), size)], 0)
	}

	n := int(min(size, TextMax))
	b := w.buffer()[:0]
	b = append(b, t.header[:min(len(t.header), n)]...)
	corpus, start := t.text.text(key)
	b = append(b, corpus[start:start+n-len(b)]...)
	if int64(n) == size {
		b[n-1] = '\n'
	}
	return writeAt(f, b, 0)
}

func (w *Writer) writeFull(f File, t *fileType, size int64, key uint64) error {
	var header []byte
	if t != nil {
		header = t.header
	}
	buf := w.buffer()

	for off := int64(0); off < size; off += chunkLen {
		b := buf[:min(chunkLen, size-off)]
		w.fill(b, off, key)
		if off == 0 {
			copy(b, header)
		}
		if err := writeAt(f, b, off); err != nil {
			return err
		}
	}
	return nil
}

// fill fills b, which starts at offset off of the file, a multiple of
// BlockSize, with the mode's data.
func (w *Writer) fill(b []byte, off int64, key uint64) {
	first := off / BlockSize
	for i := 0; i < len(b); i += BlockSize {
		blk := b[i:min(i+BlockSize, len(b))]
		n := first + int64(i/BlockSize)

		switch w.mode.Kind {
		default: // Zero, and kinds ParseMode never returns
			clear(blk)
		case Random:
			fillRandom(blk, blockSeed(key, n, saltRandom))
		case Compress:
			k := min(w.randLen, len(blk))
			fillRandom(blk[:k], blockSeed(key, n, saltCompress))
			clear(blk[k:])
		case Dedup:
			s := blockSeed(key, n, saltDedup)
			switch {
			case s < w.dupCut:
				fillRandom(blk, s)
			case n == 0:
				// The header goes over the first block: one pool
				// block for it keeps files of a type alike.
				copy(blk, pool()[0])
			default:
				copy(blk, pool()[s%poolBlocks])
			}
		}
	}
}

// buffer returns w's chunk buffer, made on first use.
func (w *Writer) buffer() []byte {
	if w.buf == nil {
		w.buf = make([]byte, chunkLen)
	}
	return w.buf
}

func writeAt(f File, b []byte, off int64) error {
	if _, err := f.WriteAt(b, off); err != nil {
		return fmt.Errorf("content: write %d bytes at %d: %w",
			len(b), off, err)
	}
	return nil
}

// pool returns the dedup pool: poolBlocks random blocks, the same in
// every run, so duplicates span files and runs.
var pool = sync.OnceValue(func() [][]byte {
	p := make([][]byte, poolBlocks)
	for i := range p {
		p[i] = make([]byte, BlockSize)
		fillRandom(p[i], blockSeed(0, int64(i), saltPool))
	}
	return p
})
