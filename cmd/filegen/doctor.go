package main

import (
	"context"
	"fmt"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v2"

	"filegen/doctor"
	"filegen/planner/directory"
)

// doctorCommand returns the doctor command: it checks a target before a
// run and exits 1 when any check fails.
func doctorCommand() *cli.Command {
	return &cli.Command{
		Name:      "doctor",
		Usage:     "check that a target can take a run",
		ArgsUsage: "TARGET",
		Description: "Checks that TARGET is a writable directory that " +
			"keeps sparse files,\nextended attributes and POSIX ACLs, " +
			"allows chown, and has the space\nand inodes asked for; with " +
			"--ldap-url, that the directory answers\nand the bind works. It " +
			"writes only a temporary .filegen-doctor-* entry\ninside " +
			"TARGET and removes it. Exits 1 when any check fails.",
		Flags: append([]cli.Flag{
			&cli.Int64Flag{Name: "files", Usage: "inodes the run needs"},
			&cli.StringFlag{Name: "bytes", Usage: "space the run needs, " +
				"such as 200GiB"},
			&cli.BoolFlag{Name: "chown", Usage: "the run sets owners"},
			&cli.BoolFlag{Name: "acls", Usage: "the run sets POSIX ACLs"},
			&cli.BoolFlag{Name: "xattrs", Usage: "the run sets extended " +
				"attributes"},
		}, ldapFlags()...),
		Action: runDoctor,
	}
}

func runDoctor(c *cli.Context) error {
	if c.NArg() != 1 {
		return cli.Exit("doctor: give exactly one TARGET", 2)
	}
	need := doctor.Need{
		Files:  c.Int64("files"),
		Chown:  c.Bool("chown"),
		ACLs:   c.Bool("acls"),
		Xattrs: c.Bool("xattrs"),
	}
	if s := c.String("bytes"); s != "" {
		n, err := humanize.ParseBytes(s)
		if err != nil {
			return cli.Exit(fmt.Sprintf("doctor: --bytes %q: %v", s, err), 2)
		}
		need.Bytes = int64(n)
	}
	if c.IsSet("ldap-url") {
		// The directory is reachable and the bind works: read it as a
		// plan would.
		need.Directory = func(ctx context.Context) error {
			cfg, err := ldapConfig(c)
			if err != nil {
				return err
			}
			_, err = directory.LDAP(cfg, nil).Load(ctx)
			return err
		}
	}

	rs := doctor.Run(c.Context, c.Args().First(), need)
	failed := 0
	for _, r := range rs {
		fmt.Fprintln(c.App.Writer, r)
		if r.Status == doctor.Fail {
			failed++
		}
	}
	if failed > 0 {
		return cli.Exit(fmt.Sprintf("doctor: %d of %d checks failed",
			failed, len(rs)), 1)
	}
	return nil
}
