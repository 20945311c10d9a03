package content_test

import (
	"errors"
	"strings"
	"testing"

	"filegen/planner/content"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		in   string       // what the user typed
		want content.Mode // what it means
		str  string       // how String writes it back
	}{
		{"", content.Mode{}, "sparse"},
		{"sparse", content.Mode{Kind: content.Sparse}, "sparse"},
		{"zero", content.Mode{Kind: content.Zero}, "zero"},
		{"random", content.Mode{Kind: content.Random}, "random"},
		{"compress:2", content.Mode{Kind: content.Compress, Ratio: 2}, "compress:2"},
		{"compress:2.5", content.Mode{Kind: content.Compress, Ratio: 2.5}, "compress:2.5"},
		{"dedup:5", content.Mode{Kind: content.Dedup, Ratio: 5}, "dedup:5"},
		{"dedup:1.01", content.Mode{Kind: content.Dedup, Ratio: 1.01}, "dedup:1.01"},
		{"dedup:1000", content.Mode{Kind: content.Dedup, Ratio: 1000}, "dedup:1000"},
		{"compress:4e1", content.Mode{Kind: content.Compress, Ratio: 40}, "compress:40"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := content.ParseMode(tt.in)
			if err != nil {
				t.Fatalf("ParseMode(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseMode(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			back, err := content.ParseMode(got.String())
			if err != nil || back != got {
				t.Errorf("ParseMode(%q) = %+v, %v, want %+v", got.String(),
					back, err, got)
			}
		})
	}
}

func TestParseModeErrors(t *testing.T) {
	tests := []struct {
		in  string // what the user typed
		why string // what the error says beside the value and forms
	}{
		{"Sparse", "unknown kind"},
		{"gzip", "unknown kind"},
		{"zero:2", "takes no ratio"},
		{":2", "takes no ratio"},
		{"compress", "missing ratio"},
		{"dedup:", "not a number"},
		{"dedup:x", "not a number"},
		{"dedup:NaN", "not a number"},
		{"compress:Inf", "not a number"},
		{"compress:1", "out of range"},
		{"compress:0.5", "out of range"},
		{"dedup:-3", "out of range"},
		{"dedup:1001", "out of range"},
		{"compress:2:3", "not a number"},
		{" random", "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := content.ParseMode(tt.in)
			if err == nil {
				t.Fatalf("ParseMode(%q) = nil error, want one", tt.in)
			}
			if !errors.Is(err, content.ErrMode) {
				t.Errorf("ParseMode(%q) error %v is not ErrMode", tt.in, err)
			}
			msg := err.Error()
			for _, part := range []string{"content: ", "\"" + tt.in + "\"",
				tt.why, "compress:R", "dedup:R", "sparse"} {
				if !strings.Contains(msg, part) {
					t.Errorf("ParseMode(%q) error %q lacks %q", tt.in, msg, part)
				}
			}
		})
	}
}

func FuzzParseMode(f *testing.F) {
	for _, s := range []string{"sparse", "zero", "random", "compress:3",
		"dedup:2.5", "dedup:1e3", "compress:0x1p4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := content.ParseMode(s)
		if err != nil {
			if !errors.Is(err, content.ErrMode) {
				t.Fatalf("ParseMode(%q) error %v is not ErrMode", s, err)
			}
			return
		}
		if (m.Kind == content.Compress || m.Kind == content.Dedup) &&
			!(m.Ratio > 1 && m.Ratio <= content.MaxRatio) {
			t.Fatalf("ParseMode(%q) ratio %v out of range", s, m.Ratio)
		}
		back, err := content.ParseMode(m.String())
		if err != nil || back != m {
			t.Fatalf("ParseMode(%q) = %+v, %v, want %+v", m.String(),
				back, err, m)
		}
	})
}
