package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"filegen/engine"
	"filegen/planner"
)

// planFlags are the flags a plan is a function of.
func planFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Int64Flag{Name: "files", Aliases: []string{"max-files"}, Value: planner.DefaultFiles,
			Usage: "how many files the tree holds"},
		&cli.StringFlag{Name: "seed", Usage: "the seed of the tree; the same seed gives the same tree (default: random, and printed)"},
		&cli.StringFlag{Name: "profile", Value: "enterprise", Usage: "a built-in profile's name, or a YAML profile file"},
		&cli.StringFlag{Name: "date-preset", Value: planner.DefaultPreset,
			Usage: "how modification times spread: recent-skew, uniform, year-spread, legacy-mess, archive"},
		&cli.StringFlag{Name: "as-of", Usage: "the reference time that ages count back from, RFC 3339 or a date (default: now)"},
		&cli.StringFlag{Name: "min-date", Usage: "the oldest modification time (default: three years before --max-date)"},
		&cli.StringFlag{Name: "max-date", Usage: "the newest modification time (default: --as-of)"},
		&cli.Float64Flag{Name: "recent-bias", Value: planner.DefaultBias, Usage: "0 to 100: higher means more recent files (recent-skew)"},
		&cli.StringFlag{Name: "scenario", Usage: "a built-in bundle of layers (see filegen profiles); sets --files unless given"},
		&cli.StringFlag{Name: "content", Value: planner.DefaultContent,
			Usage: "what files hold: sparse (a type's header, then a hole), zero, random, compress:R, dedup:R"},
		&cli.StringFlag{Name: "owners", Value: planner.DefaultOwners,
			Usage: "where owners come from: none, local, uid-range, ldap"},
		&cli.BoolFlag{Name: "no-ad", Usage: "the same as --owners none"},
		&cli.IntFlag{Name: "max-per-dir", Value: planner.DefaultMaxPerDir, Usage: "the most files in one folder"},
	}
}

// runFlags are the flags of executing a run, which never change the tree.
func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "threads", Aliases: []string{"max-threads"}, Value: engine.DefaultThreads(),
			Usage: "workers creating files"},
		&cli.IntFlag{Name: "batch-size", Value: engine.DefaultBatch, Usage: "files a chunk holds (fixed when the run is planned)"},
		&cli.Int64Flag{Name: "max-errors", Value: 1000, Usage: "stop after this many failed entries (0: never)"},
		&cli.DurationFlag{Name: "progress-interval", Value: 10 * time.Second,
			Usage: "how often to print a progress line when the output is not a terminal"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		&cli.StringFlag{Name: "log-format", Value: "text",
			Usage: "progress lines and messages as text or json (json: no live bar on a terminal)"},
		&cli.StringFlag{Name: "report", Usage: "write the final figures as JSON to `FILE`"},
		&cli.StringFlag{Name: "listen", Usage: "serve /metrics (Prometheus) and /status (JSON) on `ADDR`; " +
			"a port alone means 127.0.0.1"},
	}
}

func stateDirFlag() cli.Flag {
	return &cli.StringFlag{Name: "state-dir", EnvVars: []string{"FILEGEN_STATE_DIR"},
		Usage: "where run databases live (default: $XDG_STATE_HOME/filegen or ~/.local/state/filegen)"}
}

// parseTime reads an RFC 3339 time or a date.
func parseTime(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateTime, time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("--%s: %q is neither an RFC 3339 time (2026-06-01T00:00:00Z) nor a date (2026-06-01)", flag, s)
}

// inputs reads the plan flags. Only flags the user set are marked in set,
// by name, so that a resumed run can take the rest from its record.
func inputs(c *cli.Context) (in planner.Inputs, set map[string]bool, err error) {
	set = make(map[string]bool)
	for _, f := range planFlags() {
		name := f.Names()[0]
		if c.IsSet(name) {
			set[name] = true
		}
	}
	if c.Bool("no-ad") {
		if set["owners"] && c.String("owners") != "none" {
			return in, nil, usagef("--no-ad and --owners %s disagree", c.String("owners"))
		}
		set["owners"] = true
	}

	in.Files = c.Int64("files")
	in.Scenario = c.String("scenario")
	if in.Scenario != "" && !set["files"] {
		in.Files = 0 // the scenario's
	}
	if in.Files < 0 {
		return in, nil, usagef("--files: %d is negative", in.Files)
	}
	if s := c.String("seed"); s != "" {
		in.Seed, err = strconv.ParseUint(s, 0, 64)
		if err != nil {
			return in, nil, usagef("--seed: %q is not a number from 0 to 2^64-1", s)
		}
	}
	in.Profile = c.String("profile")
	in.Preset = c.String("date-preset")
	for _, t := range []struct {
		flag string
		dst  *time.Time
	}{{"as-of", &in.AsOf}, {"min-date", &in.MinDate}, {"max-date", &in.MaxDate}} {
		if *t.dst, err = parseTime(t.flag, c.String(t.flag)); err != nil {
			return in, nil, err
		}
	}
	in.Bias = c.Float64("recent-bias")
	in.Content = c.String("content")
	in.Owners = c.String("owners")
	if c.Bool("no-ad") {
		in.Owners = "none"
	}
	in.MaxPerDir = c.Int("max-per-dir")
	return in, set, nil
}

// flagOfInput maps an input's flag name in a difference back to the flag
// the user typed.
func describeDiff(diff []string) string {
	return "  " + strings.Join(diff, "\n  ")
}

// checkRunFlags rejects impossible execution flags.
func checkRunFlags(c *cli.Context) error {
	if n := c.Int("threads"); n < 1 || n > 1024 {
		return usagef("--threads: %d is not in 1..1024", n)
	}
	if n := c.Int("batch-size"); n < 1 || n > 1_000_000 {
		return usagef("--batch-size: %d is not in 1..1000000", n)
	}
	if n := c.Int64("max-errors"); n < 0 {
		return usagef("--max-errors: %d is negative", n)
	}
	if d := c.Duration("progress-interval"); d < 100*time.Millisecond {
		return usagef("--progress-interval: %v is shorter than 100ms", d)
	}
	return checkOpsFlags(c)
}
