package main

import (
	"fmt"
	"os"

	"github.com/goccy/go-yaml"
	"github.com/urfave/cli/v2"

	"filegen/planner"
)

func profilesCommand() *cli.Command {
	return &cli.Command{
		Name:        "profiles",
		Usage:       "list the built-in profiles, or print one as YAML",
		ArgsUsage:   "[NAME]",
		Description: "Examples:\n   filegen profiles\n   filegen profiles enterprise > mine.yaml",
		Action: func(c *cli.Context) error {
			switch c.NArg() {
			case 0:
				for _, name := range planner.BuiltinNames() {
					p, _ := planner.Builtin(name)
					fmt.Printf("%-12s %s\n", name, p.Description)
				}
				return nil
			case 1:
				p, err := loadProfile(c.Args().First())
				if err != nil {
					return err
				}
				out, err := yaml.Marshal(p)
				if err != nil {
					return err
				}
				_, err = os.Stdout.Write(out)
				return err
			}
			return usagef("profiles takes at most one NAME")
		},
	}
}
