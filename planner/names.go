package planner

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// token is a part of a name template: literal text, or a value drawn per
// file.
type token uint8

const (
	tokLiteral token = iota
	tokWord
	tokYear
	tokMonth
	tokMon
	tokQuarter
	tokDate
	tokNumber
	tokVersion
	tokFirst
	tokLast
	tokHash
)

var tokenNames = map[string]token{
	"word": tokWord, "year": tokYear, "month": tokMonth, "mon": tokMon,
	"quarter": tokQuarter, "date": tokDate, "number": tokNumber,
	"version": tokVersion, "first": tokFirst, "last": tokLast, "hash": tokHash,
}

type segment struct {
	tok  token
	text string
}

// template is a parsed name template.
type template []segment

func parseTemplate(s string) (template, error) {
	var t template
	words := 0
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			t = append(t, segment{text: s})
			break
		}
		if i > 0 {
			t = append(t, segment{text: s[:i]})
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("%q: a { without its }", s)
		}
		name := s[i+1 : i+j]
		tok, ok := tokenNames[name]
		if !ok {
			return nil, fmt.Errorf("unknown token {%s} (known: word, year, month, mon, quarter, date, number, version, first, last, hash)", name)
		}
		if tok == tokWord {
			words++
		}
		t = append(t, segment{tok: tok})
		s = s[i+j+1:]
	}
	for _, seg := range t {
		if strings.ContainsAny(seg.text, "/\\\x00"+windowsForbidden) {
			return nil, fmt.Errorf("%q holds a character no name may hold", seg.text)
		}
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("empty template")
	}
	return t, nil
}

// render appends the name the template gives for the draws of r and the
// file's modification time.
func (t template) render(b []byte, r *Rand, words []string, p *Profile, mtime int64) []byte {
	var tm time.Time
	for _, seg := range t {
		if seg.tok >= tokYear && seg.tok <= tokDate && tm.IsZero() {
			tm = time.Unix(0, mtime).UTC()
		}
		switch seg.tok {
		case tokLiteral:
			b = append(b, seg.text...)
		case tokWord:
			b = append(b, words[r.Intn(len(words))]...)
		case tokYear:
			b = strconv.AppendInt(b, int64(tm.Year()), 10)
		case tokMonth:
			b = appendPad2(b, int(tm.Month()))
		case tokMon:
			b = append(b, tm.Month().String()[:3]...)
		case tokQuarter:
			b = strconv.AppendInt(b, int64(tm.Month()+2)/3, 10)
		case tokDate:
			b = strconv.AppendInt(b, int64(tm.Year()), 10)
			b = append(b, '-')
			b = appendPad2(b, int(tm.Month()))
			b = append(b, '-')
			b = appendPad2(b, tm.Day())
		case tokNumber:
			n := r.Intn(10000)
			b = appendPad2(b, n/100)
			b = appendPad2(b, n%100)
		case tokVersion:
			b = strconv.AppendInt(b, int64(1+r.Intn(9)), 10)
		case tokFirst:
			b = append(b, p.First[r.Intn(len(p.First))]...)
		case tokLast:
			b = append(b, p.Last[r.Intn(len(p.Last))]...)
		case tokHash:
			h := r.Uint64()
			for i := 0; i < 6; i++ {
				b = append(b, "0123456789abcdef"[h&15])
				h >>= 4
			}
		}
	}
	return b
}

func appendPad2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10%10), byte('0'+n%10))
}

// names keeps the names of one folder distinct regardless of case, as SMB
// clients see them. It holds a hash of each name, not the name.
type names map[uint64]struct{}

func foldHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return mix(h)
}

// add returns name, or name with " (n)" before its extension, so that it
// differs from every name added before, and records it.
func (ns names) add(name string) string {
	if h := foldHash(name); !ns.has(h) {
		ns[h] = struct{}{}
		return name
	}
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		stem, ext = name[:i], name[i:]
	}
	for k := 2; ; k++ {
		s := stem + " (" + strconv.Itoa(k) + ")" + ext
		if h := foldHash(s); !ns.has(h) {
			ns[h] = struct{}{}
			return s
		}
	}
}

func (ns names) has(h uint64) bool {
	_, ok := ns[h]
	return ok
}

// resetNames empties the generator's set of names. Clearing a map costs
// in proportion to the most it ever held, so after a big folder the set
// is made anew rather than cleared for every small one that follows.
func (g *generator) resetNames() {
	if len(g.names) > 256 {
		g.names = make(names, 64)
		return
	}
	clear(g.names)
}
