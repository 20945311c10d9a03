package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"filegen/planner/directory"

	"github.com/urfave/cli/v2"
)

// passwordEnv names the environment variable that holds the bind
// password. The password is never taken from a flag.
const passwordEnv = "FILEGEN_LDAP_PASSWORD"

// directoryCommand returns the "directory" command: populate, reset and
// orphan the demo company in an Active Directory or LDAP server.
func directoryCommand() *cli.Command {
	dry := &cli.BoolFlag{Name: "dry-run",
		Usage: "show what would change and change nothing"}
	seed := &cli.Uint64Flag{Name: "seed", Value: 1,
		Usage: "seed the company's names are drawn from"}
	return &cli.Command{
		Name:  "directory",
		Usage: "populate or remove the demo company in a directory",
		Subcommands: []*cli.Command{
			{
				Name:  "populate",
				Usage: "create the demo company's units, users and groups",
				Flags: append(ldapFlags(), dry, seed),
				Action: func(c *cli.Context) error {
					cfg, err := ldapConfig(c)
					if err != nil {
						return err
					}
					ch, err := directory.Populate(c.Context, cfg,
						directory.Demo(c.Uint64("seed")), c.Bool("dry-run"))
					return printChanges(c, ch, err)
				},
			},
			{
				Name:  "reset",
				Usage: "delete every object populate created",
				Flags: append(ldapFlags(), dry),
				Action: func(c *cli.Context) error {
					cfg, err := ldapConfig(c)
					if err != nil {
						return err
					}
					ch, err := directory.Reset(c.Context, cfg,
						c.Bool("dry-run"))
					return printChanges(c, ch, err)
				},
			},
			{
				Name:  "orphan",
				Usage: "delete the former employees so their ids stop resolving",
				Flags: ldapFlags(),
				Action: func(c *cli.Context) error {
					cfg, err := ldapConfig(c)
					if err != nil {
						return err
					}
					ch, err := directory.Orphan(c.Context, cfg)
					return printChanges(c, ch, err)
				},
			},
		},
	}
}

// printChanges prints the changes, one DN a line, and a summary.
func printChanges(c *cli.Context, ch directory.Changes, err error) error {
	w := c.App.Writer
	for _, l := range []struct {
		verb string
		dns  []string
	}{
		{"add", ch.Added}, {"modify", ch.Modified},
		{"delete", ch.Deleted}, {"skip", ch.Skipped},
	} {
		for _, dn := range l.dns {
			fmt.Fprintf(w, "%s\t%s\n", l.verb, dn)
		}
	}
	fmt.Fprintln(w, ch)
	return err
}

// ldapFlags returns the flags that say how to reach a directory. There
// is deliberately no password flag.
func ldapFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "ldap-url",
			Usage: "ldap://host:389 or ldaps://host:636"},
		&cli.StringFlag{Name: "ldap-base",
			Usage: "base DN, e.g. DC=corp,DC=example"},
		&cli.StringFlag{Name: "ldap-bind-dn",
			Usage: "DN to bind as; the password comes from $" +
				passwordEnv + " or --ldap-password-file"},
		&cli.StringFlag{Name: "ldap-password-file",
			Usage: "file holding the bind password"},
		&cli.StringFlag{Name: "ldap-ca",
			Usage: "PEM file of CAs for ldaps:// and StartTLS"},
		&cli.BoolFlag{Name: "ldap-starttls",
			Usage: "upgrade ldap:// with StartTLS"},
		&cli.StringFlag{Name: "ldap-user-filter",
			Value: directory.DefaultUserFilter},
		&cli.StringFlag{Name: "ldap-group-filter",
			Value: directory.DefaultGroupFilter},
		&cli.UintFlag{Name: "id-base", Value: directory.DefaultIDBase,
			Usage: "first id of the SID mapping (base + rid)"},
		&cli.UintFlag{Name: "id-range", Value: directory.DefaultIDRange,
			Usage: "number of rids the SID mapping covers"},
	}
}

// ldapConfig builds a directory configuration from the flags, reading
// the password from FILEGEN_LDAP_PASSWORD or, when that is unset, from
// --ldap-password-file (trailing newline removed).
func ldapConfig(c *cli.Context) (directory.Config, error) {
	cfg := directory.Config{
		URL:         c.String("ldap-url"),
		Base:        c.String("ldap-base"),
		BindDN:      c.String("ldap-bind-dn"),
		CAFile:      c.String("ldap-ca"),
		StartTLS:    c.Bool("ldap-starttls"),
		UserFilter:  c.String("ldap-user-filter"),
		GroupFilter: c.String("ldap-group-filter"),
		IDBase:      uint32(c.Uint("id-base")),
		IDRange:     uint32(c.Uint("id-range")),
	}
	if cfg.URL == "" || cfg.Base == "" {
		return cfg, errors.New("--ldap-url and --ldap-base " +
			"are required")
	}
	if pw, ok := os.LookupEnv(passwordEnv); ok {
		cfg.Password = pw
	} else if f := c.String("ldap-password-file"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return cfg, fmt.Errorf("cannot read password "+
				"file: %w", err)
		}
		cfg.Password = strings.TrimRight(string(b), "\r\n")
	}
	if cfg.BindDN != "" && cfg.Password == "" {
		return cfg, fmt.Errorf("--ldap-bind-dn needs $%s or "+
			"--ldap-password-file", passwordEnv)
	}
	return cfg, nil
}
