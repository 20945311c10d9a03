package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// manCommand prints the manual page, or Markdown, made from the command
// definitions, so that the two never disagree. It is hidden: packagers
// run it, users read the result.
func manCommand() *cli.Command {
	return &cli.Command{
		Name:   "man",
		Usage:  "print the manual page, made from the commands' definitions",
		Hidden: true,
		Description: "Examples:\n" +
			"   filegen man > /usr/local/share/man/man1/filegen.1\n" +
			"   filegen man --markdown > docs/filegen.md",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "markdown", Usage: "print Markdown instead of roff"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usagef("man takes no arguments")
			}
			page, err := c.App.ToManWithSection(1)
			codes := ".SH EXIT CODES\n.EX\n" + exitCodes() + ".EE\n"
			if c.Bool("markdown") {
				page, err = c.App.ToMarkdown()
				codes = "# EXIT CODES\n\n```\n" + exitCodes() + "```\n"
			}
			if err != nil {
				return fmt.Errorf("cannot make the manual: %w", err)
			}
			page += "\n" + codes
			_, err = fmt.Fprint(c.App.Writer, page)
			return err
		},
	}
}

// ldapExample is the connection part of the directory examples.
const ldapExample = "--ldap-url ldaps://dc1.corp.example:636 \\\n" +
	"       --ldap-base DC=corp,DC=example --ldap-bind-dn CN=filegen,CN=Users,DC=corp,DC=example"

// examples are added to the help of commands that do not give their own,
// by the command's path below filegen.
var examples = map[string]string{
	"report": "   filegen report /srv/demo\n" +
		"   filegen report --json report.json --html report.html /mnt/share",
	"doctor": "   filegen doctor /srv/demo\n" +
		"   filegen doctor --files 10000000 --bytes 2TiB --chown --acls /mnt/nas/share",
	"directory": "   filegen directory populate --dry-run " + ldapExample + "\n" +
		"   (the password comes from $FILEGEN_LDAP_PASSWORD or --ldap-password-file)",
	"directory populate": "   filegen directory populate " + ldapExample,
	"directory reset":    "   filegen directory reset --dry-run " + ldapExample,
	"directory orphan":   "   filegen directory orphan " + ldapExample,
}

// addExamples gives every command below app that shows no examples those
// of the examples table.
func addExamples(app *cli.App) {
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := strings.TrimSpace(prefix + " " + c.Name)
			ex, ok := examples[path]
			if ok && !strings.Contains(c.Description, "Example") {
				if c.Description != "" {
					c.Description += "\n\n"
				}
				c.Description += "Examples:\n" + ex
			}
			walk(path, c.Subcommands)
		}
	}
	walk("", app.Commands)
}

// exitCodes returns the exit codes of the help text, one a line.
func exitCodes() string {
	var b strings.Builder
	for _, l := range strings.Split(exitHelp, "\n")[1:] {
		if l = strings.TrimSpace(l); l != "" {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
