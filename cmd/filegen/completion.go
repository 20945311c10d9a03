package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

// bashCompletion asks filegen itself for the words that may follow the
// command line typed so far, through the flag urfave/cli answers.
const bashCompletion = `# bash completion for filegen
_filegen_complete() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local -a line=("${COMP_WORDS[@]:0:COMP_CWORD}")
    if [[ "$cur" == -* ]]; then
        line+=("$cur")
    fi
    local words
    words=$("${line[@]}" --generate-bash-completion 2>/dev/null)
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o bashdefault -o default -F _filegen_complete filegen
`

// zshCompletion does the same for zsh.
const zshCompletion = `#compdef filegen
_filegen() {
    local -a line words
    line=("${words[@]:0:$((CURRENT-1))}")
    if [[ "${words[CURRENT]}" == -* ]]; then
        line+=("${words[CURRENT]}")
    fi
    words=("${(@f)$(${line[@]} --generate-bash-completion 2>/dev/null)}")
    _describe 'filegen' words
}
compdef _filegen filegen
`

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script",
		ArgsUsage: "bash|zsh|fish",
		Description: "Examples:\n" +
			"   filegen completion bash > /etc/bash_completion.d/filegen\n" +
			"   source <(filegen completion bash)\n" +
			"   filegen completion fish > ~/.config/fish/completions/filegen.fish",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("completion needs one shell: bash, zsh or fish")
			}
			w := c.App.Writer
			switch sh := c.Args().First(); sh {
			case "bash":
				_, err := fmt.Fprint(w, bashCompletion)
				return err
			case "zsh":
				_, err := fmt.Fprint(w, zshCompletion)
				return err
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return fmt.Errorf("cannot make the fish completion: %w", err)
				}
				_, err = fmt.Fprint(w, s)
				return err
			default:
				return usagef("completion: %q is not bash, zsh or fish", sh)
			}
		},
	}
}

// setCompletion makes every command below app without subcommands
// complete its flags, and leave arguments to the shell, which completes
// paths better than a list of words would.
func setCompletion(app *cli.App) {
	var walk func(cmds []*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			if len(c.Subcommands) > 0 {
				walk(c.Subcommands)
				continue
			}
			flags := cli.DefaultCompleteWithFlags(c)
			c.BashComplete = func(ctx *cli.Context) {
				if a := os.Args; len(a) > 2 && strings.HasPrefix(a[len(a)-2], "-") {
					flags(ctx)
				}
			}
		}
	}
	walk(app.Commands)
}
