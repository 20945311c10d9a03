package content

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrMode is returned, wrapped, by [ParseMode] for a value that names no
// content mode.
var ErrMode = errors.New("content: invalid mode")

// Kind is the family of content a [Mode] produces.
type Kind uint8

// The content kinds. Sparse is the zero value and the default.
const (
	Sparse   Kind = iota // header, then a hole
	Zero                 // header, then allocated zero blocks
	Random               // header, then incompressible bytes
	Compress             // header, then bytes that compress by Ratio
	Dedup                // header, then blocks duplicated by Ratio
)

// MaxRatio is the largest ratio [ParseMode] accepts for compress and dedup.
const MaxRatio = 1000

// Mode is a content mode: a kind and, for Compress and Dedup, the ratio
// it aims at (greater than 1). The zero Mode is sparse.
type Mode struct {
	Kind  Kind
	Ratio float64
}

// validModes lists the accepted forms, for error messages.
const validModes = "sparse, zero, random, compress:R, dedup:R " +
	"(R a number above 1, at most 1000)"

// ParseMode parses a content mode as written on the command line:
// "sparse" (also the empty string), "zero", "random", "compress:R" or
// "dedup:R". An invalid value gives an error wrapping [ErrMode] that
// names the value and lists the valid forms.
func ParseMode(s string) (Mode, error) {
	name, arg, hasArg := strings.Cut(s, ":")

	var k Kind
	switch name {
	case "", "sparse":
		k = Sparse
	case "zero":
		k = Zero
	case "random":
		k = Random
	case "compress":
		k = Compress
	case "dedup":
		k = Dedup
	default:
		return Mode{}, badMode(s, "unknown kind")
	}

	if k != Compress && k != Dedup {
		if hasArg {
			return Mode{}, badMode(s, "this kind takes no ratio")
		}
		return Mode{Kind: k}, nil
	}

	if !hasArg {
		return Mode{}, badMode(s, "missing ratio")
	}
	r, err := strconv.ParseFloat(arg, 64)
	if err != nil || math.IsNaN(r) || math.IsInf(r, 0) {
		return Mode{}, badMode(s, "ratio is not a number")
	}
	if r <= 1 || r > MaxRatio {
		return Mode{}, badMode(s, "ratio out of range")
	}
	return Mode{Kind: k, Ratio: r}, nil
}

func badMode(s, why string) error {
	return fmt.Errorf("%w %q: %s; valid forms: %s", ErrMode, s, why,
		validModes)
}

// String returns the mode in the form [ParseMode] reads, so that
// ParseMode(m.String()) gives m back for every mode ParseMode returns.
func (m Mode) String() string {
	switch m.Kind {
	case Sparse:
		return "sparse"
	case Zero:
		return "zero"
	case Random:
		return "random"
	case Compress:
		return "compress:" + strconv.FormatFloat(m.Ratio, 'g', -1, 64)
	case Dedup:
		return "dedup:" + strconv.FormatFloat(m.Ratio, 'g', -1, 64)
	}
	return "Kind(" + strconv.Itoa(int(m.Kind)) + ")"
}
