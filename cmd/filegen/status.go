package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"filegen/engine"
	"filegen/store"
)

func statusCommand() *cli.Command {
	return &cli.Command{
		Name:      "status",
		Usage:     "show one run's state, live or not",
		ArgsUsage: "[NAME]",
		Description: "Examples:\n   filegen status srv-demo\n   filegen status --json srv-demo\n\n" +
			"Without NAME, the run most recently updated. A run whose process died is shown as interrupted.",
		Flags: []cli.Flag{
			stateDirFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print the status as JSON"},
			&cli.BoolFlag{Name: "errors", Usage: "also list the recorded per-file errors"},
		},
		Action: statusAction,
	}
}

func historyCommand() *cli.Command {
	return &cli.Command{
		Name:        "history",
		Usage:       "list every run",
		Description: "Example:\n   filegen history --json",
		Flags: []cli.Flag{
			stateDirFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print the runs as JSON"},
		},
		Action: historyAction,
	}
}

// allStatus reads the status of every run, newest first.
func allStatus(stateDir string) ([]engine.Status, error) {
	names, err := store.List(stateDir)
	if err != nil {
		return nil, err
	}
	var out []engine.Status
	for _, name := range names {
		s, err := engine.ReadStatus(stateDir, name)
		if err != nil {
			s = engine.Status{Name: name, State: "unreadable", Message: err.Error()}
		}
		out = append(out, s)
	}
	return out, nil
}

func statusAction(c *cli.Context) error {
	stateDir, err := store.StateDir(c.String("state-dir"))
	if err != nil {
		return err
	}
	var s engine.Status
	switch c.NArg() {
	case 0:
		all, err := allStatus(stateDir)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			return usagef("no runs in %s", stateDir)
		}
		s = all[0]
		for _, x := range all[1:] {
			if x.Updated.After(s.Updated) && !x.Created.IsZero() && x.Created.After(s.Created) {
				s = x
			}
		}
	case 1:
		if err := store.CheckName(c.Args().First()); err != nil {
			return usageError{err}
		}
		if s, err = engine.ReadStatus(stateDir, c.Args().First()); err != nil {
			return err
		}
	default:
		return usagef("status takes at most one run NAME")
	}

	if c.Bool("json") {
		return writeJSON(os.Stdout, s)
	}
	printStatus(os.Stdout, s)
	if c.Bool("errors") && !s.Live {
		db, err := store.Open(store.RunPath(stateDir, s.Name), store.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		defer db.Close()
		errs, err := db.Errors(store.MaxErrors)
		if err != nil {
			return err
		}
		for _, e := range errs {
			fmt.Printf("  %s %s: %s\n", e.Op, e.Path, e.Err)
		}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printStatus(w io.Writer, s engine.Status) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	state := string(s.State)
	if s.Live {
		state += fmt.Sprintf(" (live, process %d on %s)", s.PID, s.Host)
	}
	fmt.Fprintf(tw, "run\t%s\n", s.Name)
	fmt.Fprintf(tw, "target\t%s\n", s.Target)
	fmt.Fprintf(tw, "state\t%s\n", state)
	fmt.Fprintf(tw, "files\t%d of %d (%.1f%%)\n", s.Files, s.FilesTotal, s.Percent())
	fmt.Fprintf(tw, "folders\t%d of %d\n", s.Dirs, s.DirsTotal)
	fmt.Fprintf(tw, "bytes\t%s of %s (apparent)\n", humanBytes(s.Bytes), humanBytes(s.BytesTotal))
	fmt.Fprintf(tw, "chunks\t%d of %d done, %d finalized\n", s.Chunks, s.ChunkTotal, s.Finalized)
	fmt.Fprintf(tw, "errors\t%d\n", s.Errors)
	if !s.Started.IsZero() {
		fmt.Fprintf(tw, "started\t%s\n", s.Started.Local().Format(time.DateTime))
	}
	if !s.Ended.IsZero() {
		fmt.Fprintf(tw, "ended\t%s\n", s.Ended.Local().Format(time.DateTime))
	}
	fmt.Fprintf(tw, "elapsed\t%s (%.0f files/s)\n", (time.Duration(s.Elapsed) * time.Second).Round(time.Second), s.Rate)
	if s.Inputs != nil {
		in := s.Inputs
		fmt.Fprintf(tw, "plan\tprofile %s, seed %d, as of %s, %s\n", in.Profile, in.Seed,
			in.AsOf.Format(time.RFC3339), in.Preset)
	}
	if s.Message != "" {
		fmt.Fprintf(tw, "note\t%s\n", s.Message)
	}
	tw.Flush()
}

func historyAction(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("history takes no arguments")
	}
	stateDir, err := store.StateDir(c.String("state-dir"))
	if err != nil {
		return err
	}
	all, err := allStatus(stateDir)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if all == nil {
			all = []engine.Status{}
		}
		return writeJSON(os.Stdout, all)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTARGET\tOUTCOME\tFILES\tBYTES\tSTARTED\tENDED\tDURATION\tRATE\tERRORS")
	for _, s := range all {
		when := func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.Local().Format("2006-01-02 15:04")
		}
		outcome := string(s.State)
		if s.Live {
			outcome += " (live)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%s\t%s\t%s\t%s\t%.0f/s\t%d\n",
			s.Name, s.Target, outcome, s.Files, s.FilesTotal, humanBytes(s.Bytes),
			when(s.Started), when(s.Ended),
			(time.Duration(s.Elapsed) * time.Second).Round(time.Second), s.Rate, s.Errors)
	}
	return tw.Flush()
}
