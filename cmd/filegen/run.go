package main

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"filegen/engine"
	"filegen/planner"
	"filegen/store"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "plan a tree if new, then create it; the same command again resumes",
		ArgsUsage: "TARGET",
		Description: "Examples:\n" +
			"   filegen run /srv/demo                      100,000 files, the enterprise profile\n" +
			"   filegen run --files 10000000 --seed 7 /mnt/nas/share\n" +
			"   filegen run --name lab1 --threads 8 /mnt/lab1\n\n" +
			"Run the same command again after any stop to continue exactly where it stopped.",
		Flags: append(append(append([]cli.Flag{
			&cli.StringFlag{Name: "name", Usage: "the run's name (default: derived from the target's path)"},
			stateDirFlag(),
		}, planFlags()...), runFlags()...), ownerFlags()...),
		Action: runAction,
	}
}

func resumeCommand() *cli.Command {
	return &cli.Command{
		Name:      "resume",
		Usage:     "continue an interrupted run",
		ArgsUsage: "NAME",
		Description: "Example:\n   filegen resume srv-demo\n\n" +
			"The plan, the target and every input come from the run's database.",
		Flags:  append([]cli.Flag{stateDirFlag()}, runFlags()...),
		Action: resumeAction,
	}
}

func runAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("run needs one TARGET folder, got %d arguments", c.NArg())
	}
	if err := checkRunFlags(c); err != nil {
		return err
	}
	target, err := filepath.Abs(c.Args().First())
	if err != nil {
		return usagef("target: %v", err)
	}
	in, set, err := inputs(c)
	if err != nil {
		return err
	}
	stateDir, err := store.StateDir(c.String("state-dir"))
	if err != nil {
		return err
	}
	name := c.String("name")
	if name == "" {
		name = store.NameFor(target)
	}
	if err := store.CheckName(name); err != nil {
		return usageError{err}
	}
	// Bad inputs are refused before anything is created.
	if _, err := in.Resolve(time.Now()); err != nil {
		return usageError{err}
	}
	if _, err := loadProfile(in.Profile); err != nil {
		return err
	}
	if err := makeTarget(target); err != nil {
		return err
	}

	db, err := openRun(stateDir, name, true)
	if err != nil {
		return err
	}
	defer db.Close()

	r, err := db.Run()
	switch {
	case errors.Is(err, store.ErrNoRun):
		if err := createRun(c, db, stateDir, name, target, in, set); err != nil {
			os.Remove(db.Path())
			return err
		}
	case err != nil:
		return err
	default:
		if r.Target != target {
			return usagef("run %q builds %s, not %s; give --name to start another run", name, r.Target, target)
		}
		if err := sameInputs(r, in, set); err != nil {
			return err
		}
	}
	return execute(c, db, stateDir)
}

func resumeAction(c *cli.Context) error {
	if err := checkRunFlags(c); err != nil {
		return err
	}
	db, stateDir, err := openNamedRun(c)
	if err != nil {
		return err
	}
	defer db.Close()
	return execute(c, db, stateDir)
}

// openNamedRun opens for writing the run that the command's one argument
// names, and returns it with the state directory. The caller closes it.
func openNamedRun(c *cli.Context) (*store.DB, string, error) {
	if c.NArg() != 1 {
		return nil, "", usagef("%s needs one run NAME (see filegen history)", c.Command.Name)
	}
	name := c.Args().First()
	if err := store.CheckName(name); err != nil {
		return nil, "", usageError{err}
	}
	stateDir, err := store.StateDir(c.String("state-dir"))
	if err != nil {
		return nil, "", err
	}
	db, err := openRun(stateDir, name, false)
	return db, stateDir, err
}

// openRun opens a run's database for writing, naming the process that
// holds it if another does.
func openRun(stateDir, name string, create bool) (*store.DB, error) {
	path := store.RunPath(stateDir, name)
	if !create {
		if _, err := os.Stat(path); err != nil {
			return nil, usagef("no run called %q in %s (see filegen history)", name, stateDir)
		}
	}
	db, err := store.Open(path, store.Options{})
	if errors.Is(err, store.ErrLocked) {
		if s, serr := engine.ReadStatus(stateDir, name); serr == nil && s.PID > 0 {
			return nil, fmt.Errorf("%w: process %d on %s is working on run %q; wait for it or stop it with kill -INT %d",
				store.ErrLocked, s.PID, s.Host, name, s.PID)
		}
	}
	return db, err
}

// makeTarget creates the target folder if it is missing, and refuses one
// that is a symbolic link or not a folder.
func makeTarget(target string) error {
	fi, err := os.Lstat(target)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(target, 0o755); err != nil {
			return fmt.Errorf("cannot create target: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("cannot use target: %w", err)
	case fi.Mode()&os.ModeSymlink != 0:
		return usagef("target %s is a symbolic link; give the folder it points to", target)
	case !fi.IsDir():
		return usagef("target %s is not a folder", target)
	}
	return nil
}

// createRun resolves a new run's inputs and stores its record.
func createRun(c *cli.Context, db *store.DB, stateDir, name, target string, in planner.Inputs, set map[string]bool) error {
	if !set["seed"] {
		var b [8]byte
		rand.Read(b[:])
		in.Seed = binary.LittleEndian.Uint64(b[:]) >> 16 // short enough to type
	}
	prof, err := loadProfile(in.Profile)
	if err != nil {
		return err
	}
	in, err = in.Resolve(time.Now())
	if err != nil {
		return usageError{err}
	}
	ids, err := identities(c, in.Owners, prof, stateDir)
	if err != nil {
		return err
	}
	inJSON, _ := json.Marshal(in)
	profJSON, _ := json.Marshal(prof)
	var idsJSON []byte
	if ids != nil {
		idsJSON, _ = json.Marshal(ids)
	}
	sayer(c)("new run %q: %d files, profile %s, seed %d, as of %s",
		name, in.Files, in.Profile, in.Seed, in.AsOf.Format(time.RFC3339))
	return db.CreateRun(store.Run{
		Name: name, Target: target,
		Inputs: inJSON, Profile: profJSON, Identities: idsJSON, Batch: c.Int("batch-size"),
		State: store.Planning, Created: time.Now().UTC(),
	})
}

// sameInputs refuses plan flags that differ from those the run was planned
// with. Flags left unset take the run's values.
func sameInputs(r store.Run, in planner.Inputs, set map[string]bool) error {
	var old planner.Inputs
	if err := json.Unmarshal(r.Inputs, &old); err != nil {
		return fmt.Errorf("run %q: bad inputs in its database: %w", r.Name, err)
	}
	want := old
	fields := map[string]func(){
		"files":       func() { want.Files = in.Files },
		"seed":        func() { want.Seed = in.Seed },
		"profile":     func() { want.Profile = in.Profile },
		"date-preset": func() { want.Preset = in.Preset },
		"as-of":       func() { want.AsOf = in.AsOf },
		"min-date":    func() { want.MinDate = in.MinDate },
		"max-date":    func() { want.MaxDate = in.MaxDate },
		"recent-bias": func() { want.Bias = in.Bias },
		"content":     func() { want.Content = in.Content },
		"owners":      func() { want.Owners = in.Owners },
		"scenario":    func() { want.Scenario = in.Scenario },
		"max-per-dir": func() { want.MaxPerDir = in.MaxPerDir },
	}
	for name := range set {
		if f, ok := fields[name]; ok {
			f()
		}
	}
	if diff := want.Diff(old); len(diff) > 0 {
		return usagef("run %q was planned with other inputs:\n%s\nrun it without these flags to resume it, or give --name for a new run",
			r.Name, describeDiff(diff))
	}
	if set["profile"] {
		prof, err := loadProfile(in.Profile)
		if err != nil {
			return err
		}
		now, _ := json.Marshal(prof)
		if string(now) != string(r.Profile) {
			return usagef("run %q was planned with another version of profile %s; give --name for a new run",
				r.Name, in.Profile)
		}
	}
	return nil
}

// loadProfile returns a built-in profile by name, or a profile file.
func loadProfile(name string) (*planner.Profile, error) {
	p, err := planner.LoadProfile(name)
	if err != nil {
		return nil, usageError{err}
	}
	return p, nil
}

// execute plans the run if it needs it, then creates its files, printing
// progress and publishing the status snapshot.
func execute(c *cli.Context, db *store.DB, stateDir string) error {
	r, err := db.Run()
	if err != nil {
		return err
	}
	say := sayer(c)
	if r.State == store.Done {
		say("run %q is done: %d files in %s", r.Name, r.Files, r.Target)
		return nil
	}

	snap := engine.SnapshotPath(stateDir, r.Name)
	p, err := newProgress(c, db, snap)
	if err != nil {
		return err
	}
	defer p.close()
	say = p.say

	if r.State == store.Planning {
		p.phase(store.Planning)
		if err := engine.Plan(c.Context, db); err != nil {
			return err
		}
		if r, err = db.Run(); err != nil {
			return err
		}
		say("planned %d files in %d folders, %s, in %d chunks", r.Files, r.Dirs, humanBytes(r.Bytes), r.Chunks)
	} else {
		// Chunks committed after the durable mark are done again
		// whatever the last stop was: after a clean stop the mark is at
		// the last commit, and after a crash, a full disk or a lost
		// mount, their files may never have reached the disk.
		unclean := r.State.Live()
		n, err := db.Recover(true)
		if err != nil {
			return err
		}
		if !r.Started.IsZero() {
			detail := fmt.Sprintf("%d chunks to do again", n)
			if unclean {
				detail = "after an unclean stop, " + detail
			}
			if err := db.AddEvent("resumed", detail); err != nil {
				return err
			}
			say("resuming run %q (%s)", r.Name, detail)
		}
	}

	err = engine.Execute(c.Context, db, r.Target, engine.Options{
		Threads:   c.Int("threads"),
		MaxErrors: c.Int64("max-errors"),
		Observer:  p.observer(),
		Logger:    p.log,
	})
	p.close()

	s, serr := engine.Snapshot(db, 0)
	if serr != nil {
		return errors.Join(err, serr)
	}
	s.Live = false
	if rerr := p.finish(s, err); rerr != nil {
		err = errors.Join(err, rerr)
	}
	say = sayer(c)
	switch {
	case err == nil:
		if s.Errors > 0 {
			say("see the errors with: filegen status --errors %s", s.Name)
		}
	case errors.Is(err, engine.ErrInterrupted):
		say("interrupted at %d of %d files; to continue run the same command again, or: filegen resume %s",
			s.Files, s.FilesTotal, s.Name)
	default:
		say("stopped at %d of %d files; once the cause is fixed, continue with: filegen resume %s",
			s.Files, s.FilesTotal, s.Name)
	}
	return err
}
