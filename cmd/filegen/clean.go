package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"filegen/engine"
)

func cleanCommand() *cli.Command {
	return &cli.Command{
		Name:      "clean",
		Usage:     "remove exactly what a run created",
		ArgsUsage: "NAME",
		Description: "Example:\n   filegen clean srv-demo\n\n" +
			"Removes the run's files and folders, deepest first. A planned file is removed\n" +
			"only while it is a regular file of its planned size; anything the plan does not\n" +
			"name, and every folder that still holds such a thing, stays and is listed.\n" +
			"Stopped at any point, the same command continues. Afterwards the run can be\n" +
			"run again to make the tree anew.",
		Flags:  []cli.Flag{stateDirFlag()},
		Action: cleanAction,
	}
}

func cleanAction(c *cli.Context) error {
	db, _, err := openNamedRun(c)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.Run()
	if err != nil {
		return err
	}

	w := c.App.Writer
	p, err := engine.Clean(c.Context, db, r.Target, engine.CleanOptions{
		OnKeep: func(path, why string) { fmt.Fprintf(w, "kept %s: %s\n", path, why) },
	})
	fmt.Fprintf(os.Stderr, "filegen: removed %d files (%s) and %d folders of run %q; kept %d files and %d folders\n",
		p.Files, humanBytes(p.Bytes), p.Dirs, r.Name, p.KeptFiles, p.KeptDirs)
	if err != nil {
		return fmt.Errorf("clean stopped: %w; run the same command again to continue", err)
	}
	return nil
}
