package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"filegen/engine"
)

// errDiffers is returned when the tree does not match its plan: exit 1.
var errDiffers = errors.New("the tree differs from its plan")

// maxListed is how many differences --json lists; the counts cover all.
const maxListed = 10_000

func verifyFlags() []cli.Flag {
	return []cli.Flag{
		stateDirFlag(),
		&cli.Int64Flag{Name: "sample", Usage: "check only N files, spread evenly over the plan (0: all)"},
		&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
		&cli.IntFlag{Name: "threads", Value: engine.DefaultThreads(), Usage: "workers checking files"},
	}
}

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "compare the tree on disk with the plan",
		ArgsUsage: "NAME",
		Description: "Examples:\n   filegen verify srv-demo\n   filegen verify --sample 1000 --json srv-demo\n" +
			"   filegen verify --repair srv-demo\n\n" +
			"Checks existence, type, size, times, mode, owner and group of every planned entry\n" +
			"and lists each difference with its kind and path. Reading does not move access\n" +
			"times. The exit code is 1 when anything differs.",
		Flags: append(verifyFlags(),
			&cli.BoolFlag{Name: "repair", Usage: "recreate what is missing or wrong, then check again"}),
		Action: func(c *cli.Context) error { return verifyAction(c, c.Bool("repair")) },
	}
}

func repairCommand() *cli.Command {
	return &cli.Command{
		Name:      "repair",
		Usage:     "recreate what is missing or wrong in a run's tree",
		ArgsUsage: "NAME",
		Description: "Example:\n   filegen repair srv-demo\n\n" +
			"The same as filegen verify --repair: what differs is made again as planned,\n" +
			"then the tree is checked once more. Entries of another type in a planned place\n" +
			"(a link, a folder) are left alone and reported.",
		Flags:  verifyFlags(),
		Action: func(c *cli.Context) error { return verifyAction(c, true) },
	}
}

// verifyResult is what verify --json prints.
type verifyResult struct {
	Name   string              `json:"name"`
	Target string              `json:"target"`
	Check  engine.VerifyReport `json:"check"`
	// After is the check that follows a repair.
	After       *engine.VerifyReport `json:"after_repair,omitempty"`
	Differences []engine.Diff        `json:"differences"`
	Truncated   bool                 `json:"truncated,omitempty"`
}

func verifyAction(c *cli.Context, repair bool) error {
	if n := c.Int64("sample"); n < 0 {
		return usagef("--sample: %d is negative", n)
	}
	if n := c.Int("threads"); n < 1 || n > 1024 {
		return usagef("--threads: %d is not in 1..1024", n)
	}
	db, _, err := openNamedRun(c)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.Run()
	if err != nil {
		return err
	}

	asJSON := c.Bool("json")
	out := verifyResult{Name: r.Name, Target: r.Target, Differences: []engine.Diff{}}
	w := c.App.Writer
	o := engine.VerifyOptions{
		Threads: c.Int("threads"),
		Sample:  c.Int64("sample"),
		Repair:  repair,
		OnDiff: func(d engine.Diff) {
			switch {
			case !asJSON:
				fmt.Fprintln(w, d)
			case len(out.Differences) < maxListed:
				out.Differences = append(out.Differences, d)
			default:
				out.Truncated = true
			}
		},
	}
	out.Check, err = engine.Verify(c.Context, db, r.Target, o)
	if err != nil {
		return err
	}
	last := out.Check
	if repair {
		o.Repair, o.OnDiff = false, nil
		after, err := engine.Verify(c.Context, db, r.Target, o)
		if err != nil {
			return err
		}
		out.After, last = &after, after
	}

	if asJSON {
		if err := writeJSON(w, out); err != nil {
			return err
		}
	} else {
		printVerify(os.Stderr, out)
	}
	if last.Diffs > 0 {
		return fmt.Errorf("%w: %d differences (%s)", errDiffers, last.Diffs, kinds(last))
	}
	return nil
}

func printVerify(w io.Writer, v verifyResult) {
	rep := v.Check
	fmt.Fprintf(w, "filegen: checked %d files and %d folders of run %q in %s: %d differences",
		rep.Files, rep.Dirs, v.Name, v.Target, rep.Diffs)
	if rep.Diffs > 0 {
		fmt.Fprintf(w, " (%s)", kinds(rep))
	}
	fmt.Fprintln(w)
	if v.After != nil {
		fmt.Fprintf(w, "filegen: repaired %d entries; checked again: %d differences\n",
			rep.Repaired, v.After.Diffs)
	}
}

// kinds lists a report's differences by kind: "missing 3, size 1".
func kinds(r engine.VerifyReport) string {
	var parts []string
	for k, n := range r.Kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
