// Command filegen builds large, realistic file trees: the contents of an
// enterprise file share, planned up front, created by workers that commit
// their progress, resumable after any stop.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"filegen/engine"
	"filegen/store"
)

// Exit codes, documented in the help text.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 3
	exitBusy        = 4
)

const exitHelp = `EXIT CODES:
   0  done
   1  failed (the message says why; the run can usually be resumed)
   2  bad usage: a flag, an argument or a profile is wrong
   3  interrupted and resumable: run the same command again, or filegen resume NAME
   4  the run is held by another live filegen process
`

// usageError marks an error as the user's: exit code 2.
type usageError struct{ error }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func main() {
	os.Exit(run(os.Args))
}

func run(args []string) int {
	ctx, stop := signalContext()
	defer stop()

	app := newApp()
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	fmt.Fprintf(os.Stderr, "filegen: %v\n", err)
	return code
}

func newApp() *cli.App {
	app := &cli.App{
		Name:  "filegen",
		Usage: "build large, realistic file trees, resumably",
		Description: "filegen plans a whole tree up front from a profile and a seed, stores the plan\n" +
			"in a run database, and creates it with parallel workers that commit their progress.\n" +
			"Stop it any way you like: the same command continues exactly where it stopped.",
		CustomAppHelpTemplate: cli.AppHelpTemplate + "\n" + exitHelp,
		Commands: []*cli.Command{
			runCommand(),
			resumeCommand(),
			statusCommand(),
			historyCommand(),
			planCommand(),
			profilesCommand(),
			reportCommand(),
			doctorCommand(),
			directoryCommand(),
			completionCommand(),
			manCommand(),
			verifyCommand(),
			repairCommand(),
			cleanCommand(),
		},
		EnableBashCompletion: true,
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		HideHelpCommand: true,
		// Exit codes are decided in one place, exitCode.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	for _, c := range app.Commands {
		setUsageError(c)
	}
	addExamples(app)
	setCompletion(app)
	return app
}

// setUsageError makes a bad flag of c or its subcommands a usage error.
func setUsageError(c *cli.Command) {
	c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
		return usageError{fmt.Errorf("%s: %w (see filegen %s --help)", c.Name, err, c.Name)}
	}
	for _, sub := range c.Subcommands {
		setUsageError(sub)
	}
}

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	var ue usageError
	var ec cli.ExitCoder
	switch {
	case errors.As(err, &ec):
		return ec.ExitCode()
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, engine.ErrInterrupted):
		return exitInterrupted
	case errors.Is(err, store.ErrLocked):
		return exitBusy
	}
	return exitFailed
}

// signalContext returns a context that ends at the first SIGINT, SIGTERM
// or SIGHUP, so that a run stops cleanly. A second SIGINT or SIGTERM ends
// the process at once: every committed chunk is safe, and the rest is
// executed again on resume.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig, ok := <-ch
		if !ok {
			return
		}
		fmt.Fprintf(os.Stderr, "\nfilegen: %v: stopping cleanly; send it again to stop at once\n", sig)
		cancel()
		if _, ok := <-ch; ok {
			fmt.Fprintln(os.Stderr, "filegen: stopped at once; committed work is safe, resume to continue")
			os.Exit(exitInterrupted)
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(ch)
		cancel()
	}
}
