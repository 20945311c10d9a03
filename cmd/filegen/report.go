package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"filegen/report"
)

// reportCommand returns the report command: it walks any tree and
// writes what it holds as text, or as the files the format flags name.
func reportCommand() *cli.Command {
	file := func(name, what string) cli.Flag {
		return &cli.StringFlag{Name: name, Usage: "write the report as " +
			what + " to `FILE` (- for standard output)"}
	}
	return &cli.Command{
		Name:      "report",
		Usage:     "sum up any file tree: sizes, ages, owners, findings",
		ArgsUsage: "PATH",
		Description: "Walks PATH without following symbolic links or " +
			"changing access times,\nand prints counts, histograms, top " +
			"extensions, owners and findings.\nWith --json, --csv, " +
			"--markdown or --html the report goes to those files instead.",
		Flags: []cli.Flag{
			file("json", "JSON"),
			file("csv", "CSV"),
			file("markdown", "Markdown"),
			file("html", "one self-contained HTML page"),
			&cli.StringFlag{Name: "as-of", Usage: "measure ages from " +
				"`TIME`, RFC 3339 or a date (default: now)"},
			&cli.IntFlag{Name: "workers", Value: report.DefaultWorkers,
				Usage: "folders walked at once"},
			&cli.IntFlag{Name: "top", Value: report.DefaultTopN,
				Usage: "extensions, owners and groups listed"},
			&cli.IntFlag{Name: "huge-folder", Value: report.DefaultHugeFolder,
				Usage: "entries above which a folder is a finding"},
		},
		Action: runReport,
	}
}

func runReport(c *cli.Context) error {
	if c.NArg() != 1 {
		return cli.Exit("report: give exactly one PATH", 2)
	}
	asOf, err := reportAsOf(c.String("as-of"))
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}

	r, err := report.Walk(c.Context, c.Args().First(), report.Options{
		AsOf:       asOf,
		Workers:    c.Int("workers"),
		TopN:       c.Int("top"),
		HugeFolder: c.Int("huge-folder"),
	})
	if err != nil {
		return err
	}

	outputs := []struct {
		flag  string
		write func(io.Writer) error
	}{
		{"json", r.WriteJSON},
		{"csv", r.WriteCSV},
		{"markdown", r.WriteMarkdown},
		{"html", r.WriteHTML},
	}
	wrote := false
	for _, o := range outputs {
		if name := c.String(o.flag); name != "" {
			if err := reportWrite(c.App.Writer, name, o.write); err != nil {
				return err
			}
			wrote = true
		}
	}
	if !wrote {
		return r.WriteText(c.App.Writer)
	}
	return nil
}

// reportWrite writes through write to the named file, or to stdout for
// "-".
func reportWrite(stdout io.Writer, name string, write func(io.Writer) error) error {
	if name == "-" {
		return write(stdout)
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("report: cannot create output: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report: cannot write %s: %w", name, err)
	}
	return nil
}

// reportAsOf parses --as-of: empty means now, else an RFC 3339 time or
// a date (midnight UTC).
func reportAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("report: --as-of %q is neither an "+
		"RFC 3339 time nor a date such as 2026-06-01", s)
}
