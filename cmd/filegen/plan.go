package main

import (
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"filegen/engine"
	"filegen/store"
)

func planCommand() *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "preview a plan: counts, bytes and per-folder totals, creating nothing",
		ArgsUsage: "[TARGET]",
		Description: "Examples:\n   filegen plan --files 1000000 --seed 7\n   filegen plan --json --profile enterprise\n\n" +
			"The same flags as run give the same tree, so the preview is exact.",
		Flags: append(append([]cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			&cli.IntFlag{Name: "batch-size", Value: engine.DefaultBatch, Usage: "files a chunk holds"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but the summary and errors"},
			stateDirFlag(),
		}, planFlags()...), ownerFlags()...),
		Action: planAction,
	}
}

func planAction(c *cli.Context) error {
	if c.NArg() > 1 {
		return usagef("plan takes at most one TARGET")
	}
	in, set, err := inputs(c)
	if err != nil {
		return err
	}
	if !set["seed"] {
		in.Seed = 1
	}
	prof, err := loadProfile(in.Profile)
	if err != nil {
		return err
	}
	if in, err = in.Resolve(time.Now()); err != nil {
		return usageError{err}
	}
	if n := c.Int("batch-size"); n < 1 || n > 1_000_000 {
		return usagef("--batch-size: %d is not in 1..1000000", n)
	}
	stateDir, _ := store.StateDir(c.String("state-dir"))
	ids, err := identities(c, in.Owners, prof, stateDir)
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := engine.Preview(c.Context, in, prof, ids, c.Int("batch-size"))
	if err != nil {
		return err
	}
	took := time.Since(start)
	if c.Bool("json") {
		return writeJSON(os.Stdout, struct {
			Inputs  any            `json:"inputs"`
			Summary engine.Summary `json:"summary"`
		}{in, s})
	}
	fmt.Printf("profile %s, seed %d, as of %s, dates %s from %s to %s\n", in.Profile, in.Seed,
		in.AsOf.Format(time.RFC3339), in.Preset, in.MinDate.Format(time.DateOnly), in.MaxDate.Format(time.DateOnly))
	fmt.Printf("%d files in %d folders, %s apparent, %d chunks (planned in %s)\n\n",
		s.Files, s.Dirs, humanBytes(s.Bytes), s.Chunks, took.Round(time.Millisecond))
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "FOLDER\tFILES\tFOLDERS\tBYTES\t")
	for _, f := range s.Folders {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", f.Name, f.Files, f.Dirs, humanBytes(f.Bytes))
	}
	return tw.Flush()
}
