package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"filegen/planner"
)

func profilesCommand() *cli.Command {
	return &cli.Command{
		Name:        "profiles",
		Usage:       "list the built-in profiles and scenarios, or print a profile as YAML",
		ArgsUsage:   "[NAME]",
		Description: "Examples:\n   filegen profiles\n   filegen profiles enterprise > mine.yaml",
		Action: func(c *cli.Context) error {
			switch c.NArg() {
			case 0:
				fmt.Println("PROFILES")
				for _, name := range planner.BuiltinNames() {
					p, _ := planner.Builtin(name)
					fmt.Printf("  %-14s %s\n", name, p.Description)
				}
				fmt.Println("\nSCENARIOS (--scenario)")
				for _, s := range planner.Scenarios() {
					fmt.Printf("  %-14s %s\n", s.Name, s.Description)
				}
				fmt.Println("\nPrint one with: filegen profiles NAME > mine.yaml; use it with --profile mine.yaml")
				return nil
			case 1:
				p, err := loadProfile(c.Args().First())
				if err != nil {
					return err
				}
				out, err := p.YAML()
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
