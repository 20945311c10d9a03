package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"filegen/engine"
	"filegen/planner"
	"filegen/store"
)

func planCommand() *cli.Command {
	return &cli.Command{
		Name: "plan",
		Usage: "preview a plan (totals, histograms, tables) or export " +
			"its manifest, creating nothing",
		ArgsUsage: "[TARGET]",
		Description: "Examples:\n   filegen plan --files 1000000 --seed 7\n   filegen plan --json --profile enterprise\n" +
			"   filegen plan --files 100000 --seed 7 --export csv --output plan.csv\n\n" +
			"The same flags as run give the same tree, so the preview is exact.\n" +
			"--export writes one line per folder and file, in plan order, with its path, type,\n" +
			"size, times, mode, owner, group, flags, class, extension and whether it has an\n" +
			"access list. It streams: memory stays the same at any file count.",
		Flags: append(append([]cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			&cli.StringFlag{Name: "export",
				Usage: "write the manifest of every entry: jsonl or csv"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"},
				Usage: "the file --export writes (default: standard output)"},
			&cli.IntFlag{Name: "batch-size", Value: engine.DefaultBatch, Usage: "files a chunk holds"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"},
				Usage: "print nothing but the summary or the manifest, and errors"},
			stateDirFlag(),
		}, planFlags()...), ownerFlags()...),
		Action: planAction,
	}
}

func planAction(c *cli.Context) error {
	if c.NArg() > 1 {
		return usagef("plan takes at most one TARGET")
	}
	format, output := c.String("export"), c.String("output")
	switch {
	case format != "" && !slices.Contains(engine.ManifestFormats, format):
		return usagef("--export: unknown format %q (known: %s)", format,
			strings.Join(engine.ManifestFormats, ", "))
	case output != "" && format == "":
		return usagef("--output needs --export")
	case format != "" && output == "" && c.Bool("json"):
		return usagef("--json with --export needs --output: both would go to standard output")
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
	var s engine.Summary
	if format == "" {
		s, err = engine.Preview(c.Context, in, prof, ids, c.Int("batch-size"))
	} else {
		s, err = exportPlan(c, in, prof, ids, format, output)
	}
	if err != nil {
		return err
	}
	took := time.Since(start)

	switch {
	case format != "" && output == "":
		// The manifest went to standard output: say only what it was.
		if !c.Bool("quiet") {
			fmt.Fprintf(os.Stderr, "%d files in %d folders, %s, "+
				"exported as %s in %s\n", s.Files, s.Dirs,
				humanBytes(s.Bytes), format, took.Round(time.Millisecond))
		}
		return nil
	case c.Bool("json"):
		return writeJSON(os.Stdout, struct {
			Inputs  any            `json:"inputs"`
			Summary engine.Summary `json:"summary"`
		}{in, s})
	}
	fmt.Printf("profile %s, seed %d, as of %s\n", in.Profile, in.Seed, in.AsOf.Format(time.RFC3339))
	for i, l := range in.Layers {
		label := "dates"
		if in.Scenario != "" {
			label = fmt.Sprintf("layer %d of scenario %s: %d files,", i+1, in.Scenario, l.Files)
		}
		where := ""
		if len(l.Folders) > 0 {
			where = " in " + strings.Join(l.Folders, ", ")
		}
		fmt.Printf("%s %s from %s to %s%s\n", label, l.Preset,
			l.MinDate.Format(time.DateOnly), l.MaxDate.Format(time.DateOnly), where)
	}
	fmt.Printf("%d files in %d folders, %s apparent, %d chunks (planned in %s)\n",
		s.Files, s.Dirs, humanBytes(s.Bytes), s.Chunks, took.Round(time.Millisecond))
	if output != "" {
		fmt.Printf("manifest: %d entries as %s in %s\n", s.Files+s.Dirs, format, output)
	}
	fmt.Println()
	return s.WriteText(os.Stdout)
}

// exportPlan writes the plan's manifest to output, or to standard output
// when it is empty. A file is written beside its final name and renamed
// into place once complete, so it is never left half written.
func exportPlan(c *cli.Context, in planner.Inputs, prof *planner.Profile,
	ids *planner.Identities, format, output string) (engine.Summary, error) {
	if output == "" {
		s, _, err := engine.Export(c.Context, in, prof, ids, c.Int("batch-size"), os.Stdout, format)
		return s, err
	}
	f, err := os.CreateTemp(filepath.Dir(output), "."+filepath.Base(output)+".*")
	if err != nil {
		return engine.Summary{}, fmt.Errorf("cannot create manifest: %w", err)
	}
	s, err := exportTo(c, in, prof, ids, format, f)
	if err == nil {
		err = os.Rename(f.Name(), output)
	}
	if err != nil {
		os.Remove(f.Name())
		return engine.Summary{}, err
	}
	return s, nil
}

func exportTo(c *cli.Context, in planner.Inputs, prof *planner.Profile,
	ids *planner.Identities, format string, f *os.File) (engine.Summary, error) {
	s, _, err := engine.Export(c.Context, in, prof, ids, c.Int("batch-size"), f, format)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("cannot write manifest: %w", cerr)
	}
	return s, err
}
