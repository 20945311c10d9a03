package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"filegen/engine"
	"filegen/store"
)

// faultPlan is the plan the fault tests build: small enough to finish in
// a second or two, with chunks small enough that kills land between
// commits.
func faultPlan(files int) []string {
	return []string{"--files", fmt.Sprint(files), "--seed", "7",
		"--as-of", "2026-06-01T00:00:00Z", "--batch-size", "100"}
}

func runArgs(target string, files int, extra ...string) []string {
	args := append([]string{"run", "-q"}, faultPlan(files)...)
	return append(append(args, extra...), target)
}

// mustVerify checks that the tree of run name matches its plan exactly
// and returns how many files were checked.
func (c *fgCLI) mustVerify(name string) {
	c.t.Helper()
	out, code := c.run("verify", name)
	if code != 0 {
		if len(out) > 2000 {
			out = out[:2000] + "..."
		}
		c.t.Fatalf("verify %s: exit %d\n%s", name, code, out)
	}
}

// start starts filegen and returns a channel that yields its exit code.
// Its output goes to the test's log.
func (c *fgCLI) start(args ...string) (*exec.Cmd, <-chan int) {
	c.t.Helper()
	cmd := c.cmd(args...)
	out := &testWriter{t: c.t}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() {
		err := cmd.Wait()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code = -int(ws.Signal())
			}
		}
		done <- code
	}()
	return cmd, done
}

// waitFiles waits until run name has committed at least n files, or its
// process ended.
func (c *fgCLI) waitFiles(name string, n int64, done <-chan int) (int, bool) {
	c.t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		select {
		case code := <-done:
			return code, true
		case <-time.After(20 * time.Millisecond):
		}
		// Not more often: a status read of a run that is starting
		// opens its database, and a start waits for readers.
		if s, err := engine.ReadStatus(c.state, name); err == nil && s.Files >= n {
			return 0, false
		}
	}
	c.t.Fatalf("run %s never reached %d files", name, n)
	return 0, false
}

// lastFinalDir returns a folder whose attributes the last chunk of a run's
// plan holds, one whose planned mode is not 0700.
func lastFinalDir(t *testing.T, dbPath string) string {
	t.Helper()
	db, r := openPlan(t, dbPath)
	defer db.Close()
	for i := r.Chunks - 1; i >= 0; i-- {
		ch := planChunk(t, db, i)
		for j := len(ch.Dirs) - 1; j >= 0; j-- {
			if d := ch.Dirs[j]; d.Final && d.Attrs.Mode&0o777 != 0o700 {
				return d.Path
			}
		}
	}
	t.Fatal("no folder in the plan has a mode other than 0700")
	return ""
}

// storedState returns the state that run name's database holds.
func (c *fgCLI) storedState(name string) string {
	c.t.Helper()
	db, err := store.Open(store.RunPath(c.state, name), store.Options{ReadOnly: true})
	if err != nil {
		return "no database yet"
	}
	defer db.Close()
	r, err := db.Run()
	if err != nil {
		return "no run record yet"
	}
	return string(r.State)
}

// testWriter logs what a process writes.
type testWriter struct{ t *testing.T }

func (w *testWriter) Write(b []byte) (int, error) {
	w.t.Logf("filegen: %s", bytes.TrimRight(b, "\n"))
	return len(b), nil
}

func TestFaultsKillInEveryPhase(t *testing.T) {
	const files = 20_000
	c := newCLI(t)
	target := filepath.Join(t.TempDir(), "killed")
	name := store.NameFor(target)
	args := runArgs(target, files, "--threads", "4")

	seed := uint64(time.Now().UnixNano())
	t.Logf("kill points drawn with seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	phases := map[string]int{}
	kills := 0
	// Kills at random points while files are made: each at a random
	// count of committed files ahead of the last. Every fourth comes a
	// few milliseconds after the start instead, while planning or
	// recovering.
	var reached int64
	for ; kills < 12; kills++ {
		cmd, done := c.start(args...)
		if kills%4 == 0 {
			select {
			case <-done:
				t.Fatalf("the run ended within 40ms of its start, after %d kills", kills)
			case <-time.After(time.Duration(r.IntN(40)) * time.Millisecond):
			}
		} else {
			aim := reached + 1 + r.Int64N(files/16)
			if code, ended := c.waitFiles(name, aim, done); ended {
				t.Fatalf("the run ended (exit %d) before %d files, after %d kills", code, aim, kills)
			}
			reached = aim
		}
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		phases[c.storedState(name)]++
	}
	// Finalizing is short: aim at it. It starts with the folders of the
	// plan's last chunk, which stay at mode 0700 until then.
	if st := c.storedState(name); st == string(store.Planning) || !strings.Contains("executing interrupted finalizing done failed planned", st) {
		t.Fatalf("after %d kills the run is %s, not planned yet", kills, st)
	}
	marker := filepath.Join(target, lastFinalDir(t, store.RunPath(c.state, name)))
	for i := 0; i < 5; i++ {
		if c.storedState(name) == string(store.Done) {
			break
		}
		cmd, done := c.start(args...)
		for killed := false; !killed; {
			select {
			case <-done:
				killed = true
				continue
			case <-time.After(time.Millisecond):
			}
			if fi, err := os.Lstat(marker); err == nil && fi.Mode().Perm() != 0o700 {
				time.Sleep(time.Duration(r.IntN(50)) * time.Millisecond)
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
				phases[c.storedState(name)]++
				kills++
				killed = true
			}
		}
	}
	c.mustRun(args...)
	t.Logf("run: %d kills, state at each: %v", kills, phases)
	if phases[string(store.Finalizing)] == 0 {
		t.Errorf("no kill landed while finalizing")
	}
	if kills < 5 {
		t.Errorf("only %d kills landed before the run ended", kills)
	}
	c.mustVerify(name)
	if s := c.status(name); s.State != store.Done || s.Files != files || s.Chunks != s.ChunkTotal {
		t.Errorf("after the kills: %+v; want done with every file counted once", s)
	}

	// Clean, killed at random points too.
	cleanKills := 0
	for ; cleanKills < 30; cleanKills++ {
		cmd, done := c.start("clean", name)
		select {
		case code := <-done:
			if code != 0 {
				t.Fatalf("clean after %d kills: exit %d", cleanKills, code)
			}
		case <-time.After(time.Duration(r.IntN(300)) * time.Millisecond):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			continue
		}
		break
	}
	c.mustRun("clean", name)
	t.Logf("clean: %d kills", cleanKills)
	if entries, err := os.ReadDir(target); err != nil || len(entries) != 0 {
		t.Errorf("after clean the target holds %d entries (%v), want none", len(entries), err)
	}

	// The run again makes the tree anew.
	c.mustRun(args...)
	c.mustVerify(name)
	t.Logf("figures: %d kill points, 0 files lost", kills+cleanKills)
}

func TestFaultsPowerLoss(t *testing.T) {
	// Enough files that a run on tmpfs is still making them when it is
	// killed, before it ends and marks everything durable.
	const files = 40_000
	c := newCLI(t)
	// A file system of its own, so that syncing it is quick and the
	// durable mark moves as the engine means it to.
	base := mount(t, "tmpfs", "size=2g", 0)
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill points drawn with seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 3))

	faults := 0
	for round := 0; round < 4; round++ {
		target := filepath.Join(base, fmt.Sprint("t", round))
		name := store.NameFor(target)
		args := runArgs(target, files, "--threads", "2")
		cmd, done := c.start(args...)
		if _, ended := c.waitFiles(name, int64(1000+r.IntN(files/8)), done); ended {
			t.Fatalf("round %d: the run ended before the kill", round)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		<-done

		// Lose what the file system had not made durable.
		// A kill right after a sync finds every chunk durable: that
		// round tests the plain resume only.
		n := loseUndurable(t, store.RunPath(c.state, name), target)
		t.Logf("round %d: %d files lost and found again", round, n)
		faults += n

		c.mustRun(args...)
		c.mustVerify(name)
	}
	if faults == 0 {
		t.Error("no round had a chunk committed after the durable mark")
	}
	t.Logf("figures: %d files removed or truncated after kills, 0 lost", faults)
}

// loseUndurable removes or truncates files of the chunks that the run
// database holds as done after its durable mark, as a power loss would,
// and returns how many.
func loseUndurable(t *testing.T, dbPath, target string) int {
	t.Helper()
	db, _ := openPlan(t, dbPath)
	defer db.Close()
	chunks, err := db.NotDurable()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, i := range chunks {
		ch := planChunk(t, db, i)
		for j := range ch.Files {
			p := filepath.Join(target, ch.FilePath(j))
			switch j % 3 {
			case 0:
				err = os.Remove(p)
			case 1:
				err = os.Truncate(p, ch.Files[j].Size/2+1)
			default:
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	return n
}

// mount mounts a file system of the given type at a new folder and
// unmounts it when the test ends. For ext4 it makes an image of size
// bytes on a loop device.
func mount(t *testing.T, fstype, opts string, size int64) string {
	t.Helper()
	if os.Getuid() != 0 {
		t.Fatal("the file system fault tests mount file systems: run them as root")
	}
	dir := t.TempDir()
	mnt := filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	switch fstype {
	case "tmpfs":
		cmd = exec.Command("mount", "-t", "tmpfs", "-o", opts, "filegen-test", mnt)
	case "ext4":
		img := filepath.Join(dir, "fs.img")
		if err := os.WriteFile(img, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(img, size); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("mkfs.ext4", "-q", "-F", img).CombinedOutput(); err != nil {
			t.Fatalf("mkfs.ext4: %v\n%s", err, out)
		}
		cmd = exec.Command("mount", "-o", "loop", img, mnt)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mount %s: %v\n%s", fstype, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			exec.Command("umount", "-l", mnt).Run()
			t.Logf("umount %s: %v %s", mnt, err, out)
		}
	})
	return mnt
}

func remount(t *testing.T, mnt, opts string) {
	t.Helper()
	var out []byte
	var err error
	// A remount read-only fails while a file is open for writing.
	for i := 0; i < 500; i++ {
		out, err = exec.Command("mount", "-o", "remount,"+opts, mnt).CombinedOutput()
		if err == nil {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("remount %s %s: %v\n%s", mnt, opts, err, out)
}

func TestFaultsFileSystem(t *testing.T) {
	const files = 6000
	tests := []struct {
		name string
		// setup makes the target and the fault before the run, or
		// returns a function that makes it during the run.
		setup func(t *testing.T) (target string, during func(), fix func())
		want  string // in the message of the stopped run
	}{
		{"full disk", func(t *testing.T) (string, func(), func()) {
			mnt := mount(t, "ext4", "", 64<<20)
			filler := filepath.Join(mnt, "filler")
			// Leave room for a few folders only.
			if err := os.Mkdir(filepath.Join(mnt, "tree"), 0o755); err != nil {
				t.Fatal(err)
			}
			fill(t, filler, mnt, 256<<10)
			return filepath.Join(mnt, "tree"), nil, func() { os.Remove(filler) }
		}, "file system is full"},
		{"no inodes", func(t *testing.T) (string, func(), func()) {
			mnt := mount(t, "tmpfs", "size=64m,nr_inodes=1500", 0)
			return filepath.Join(mnt, "tree"), nil, func() { remount(t, mnt, "nr_inodes=20000") }
		}, "file system is full"},
		{"read-only remount", func(t *testing.T) (string, func(), func()) {
			// Inodes for every file of the run: it must not end full.
			mnt := mount(t, "ext4", "", 1<<30)
			return filepath.Join(mnt, "tree"), func() { remount(t, mnt, "ro") },
				func() { remount(t, mnt, "rw") }
		}, "read-only"},
		{"target removed", func(t *testing.T) (string, func(), func()) {
			target := filepath.Join(t.TempDir(), "tree")
			return target, func() {
				for i := 0; i < 1000; i++ {
					if os.RemoveAll(target) == nil {
						if _, err := os.Lstat(target); os.IsNotExist(err) {
							return
						}
					}
				}
				t.Fatal("the target could not be removed under the run")
			}, func() {}
		}, "target folder was removed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			target, during, fix := tt.setup(t)
			name := store.NameFor(target)
			n := files
			switch {
			case tt.name == "target removed":
				// Removing takes a while as the run goes on; the run
				// stops once it is done.
				n = 20 * files
			case during != nil:
				// Enough that the fault comes before the run ends,
				// and few enough that the file system has the inodes.
				n = 5 * files
			}
			args := runArgs(target, n, "--threads", "4", "--max-errors", "0")
			var code int
			var out string
			if during == nil {
				out, code = c.run(args...)
			} else {
				cmd := c.cmd(args...)
				var buf bytes.Buffer
				cmd.Stdout, cmd.Stderr = &buf, &buf
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
					if s, err := engine.ReadStatus(c.state, name); err == nil && s.Files > 0 {
						break
					}
				}
				during()
				err := cmd.Wait()
				code, out = 0, buf.String()
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				}
			}
			if code != exitFailed || !strings.Contains(out, tt.want) || !strings.Contains(out, "run the same command again") {
				t.Fatalf("run under %s: exit %d, %q; want exit %d saying %q and what to do",
					tt.name, code, out, exitFailed, tt.want)
			}
			db, err := store.Open(store.RunPath(c.state, name), store.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Check(); err != nil {
				t.Errorf("database after %s: %v", tt.name, err)
			}
			db.Close()

			fix()
			c.mustRun(args...)
			c.mustVerify(name)
		})
	}
}

// fill writes a file at p until the file system at mnt has about free
// bytes left.
func fill(t *testing.T, p, mnt string, free int64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(mnt, &st); err != nil {
		t.Fatal(err)
	}
	// Root may use the blocks kept in reserve too.
	size := int64(st.Bfree)*st.Bsize - free
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The file's own extent blocks take some of the space too.
	for err := error(syscall.ENOSPC); err == syscall.ENOSPC && size > 0; size -= 64 << 10 {
		err = syscall.Fallocate(int(f.Fd()), 0, 0, size)
		if err != nil && err != syscall.ENOSPC {
			t.Fatal(err)
		}
	}
}

func TestFaultsSecondProcessAndSideBySide(t *testing.T) {
	c := newCLI(t)
	base := t.TempDir()
	a := filepath.Join(base, "a")
	argsA := runArgs(a, 300_000, "--threads", "1")
	cmd, done := c.start(argsA...)
	if _, ended := c.waitFiles(store.NameFor(a), 1, done); ended {
		t.Fatal("run a ended before the test could reach it")
	}

	// The same run again: refused, naming the holder.
	out, code := c.run(argsA...)
	if code != exitBusy || !strings.Contains(out, fmt.Sprint(cmd.Process.Pid)) {
		t.Errorf("second process on a live run: exit %d, %q; want %d naming pid %d",
			code, out, exitBusy, cmd.Process.Pid)
	}
	for _, verb := range []string{"verify", "clean", "repair"} {
		if out, code := c.run(verb, store.NameFor(a)); code != exitBusy {
			t.Errorf("%s of a live run: exit %d, %q; want %d", verb, code, out, exitBusy)
		}
	}

	// Another run beside it proceeds.
	b := filepath.Join(base, "b")
	c.mustRun(runArgs(b, 3000)...)
	c.mustVerify(store.NameFor(b))

	cmd.Process.Signal(syscall.SIGTERM)
	if code := <-done; code != exitInterrupted {
		t.Errorf("run a after SIGTERM: exit %d, want %d", code, exitInterrupted)
	}
}

func TestFaultsSignals(t *testing.T) {
	tests := []struct {
		name string
		sigs []syscall.Signal
	}{
		{"SIGINT", []syscall.Signal{syscall.SIGINT}},
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}},
		{"SIGHUP", []syscall.Signal{syscall.SIGHUP}},
		{"SIGINT twice", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			target := filepath.Join(t.TempDir(), "tree")
			name := store.NameFor(target)
			args := runArgs(target, 8000, "--threads", "2")
			cmd, done := c.start(args...)
			if _, ended := c.waitFiles(name, 1, done); ended {
				t.Fatal("the run ended before the signal")
			}
			for _, s := range tt.sigs {
				cmd.Process.Signal(s)
			}
			if code := <-done; code != exitInterrupted {
				t.Errorf("exit %d after %s, want %d", code, tt.name, exitInterrupted)
			}
			if s := c.status(name); s.Live || s.State.Live() && len(tt.sigs) == 1 {
				t.Errorf("after %s: state %s, live %v; want stopped", tt.name, s.State, s.Live)
			}
			c.mustRun(args...)
			c.mustVerify(name)
		})
	}
}

func TestFaultsBadTargets(t *testing.T) {
	c := newCLI(t)
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}

	// The target itself a link.
	link := filepath.Join(base, "link")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	if out, code := c.run(runArgs(link, 500)...); code != exitUsage || !strings.Contains(out, "symbolic link") {
		t.Errorf("target a symbolic link: exit %d, %q; want %d", code, out, exitUsage)
	}

	// A link, a file and a folder in the places of planned folders.
	target := filepath.Join(base, "tree")
	for _, err := range []error{
		os.MkdirAll(target, 0o755),
		os.Symlink(outside, filepath.Join(target, "Finance")),
		os.WriteFile(filepath.Join(target, "HR"), []byte("not a folder"), 0o644),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	name := store.NameFor(target)
	out, code := c.run(runArgs(target, 3000, "--max-errors", "0")...)
	if code != 0 {
		t.Fatalf("run with entries in the way: exit %d\n%s", code, out)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("the run wrote %d entries through a link", len(entries))
	}
	out = c.mustRun("status", "--errors", name)
	for _, p := range []string{"Finance", "HR"} {
		if !strings.Contains(out, p+":") && !strings.Contains(out, p+" ") {
			t.Errorf("the errors do not name %s:\n%s", p, out)
		}
	}
	out, code = c.run("verify", name)
	if code != exitFailed || !strings.Contains(out, "type Finance") || !strings.Contains(out, "type HR") {
		t.Errorf("verify: exit %d; want %d reporting Finance and HR as of the wrong type", code, exitFailed)
	}
	c.run("repair", name)
	c.run("clean", name)
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("repair or clean wrote through a link: %d entries", len(entries))
	}
	if b, err := os.ReadFile(filepath.Join(target, "HR")); err != nil || string(b) != "not a folder" {
		t.Errorf("the file in place of a folder changed: %q, %v", b, err)
	}
}

func TestFaultsBadInput(t *testing.T) {
	c := newCLI(t)
	base := t.TempDir()
	target := filepath.Join(base, "never")
	tests := []struct {
		args []string
		want string // in the message
	}{
		{[]string{"run", "--profile", "../etc/passwd", target}, "profile"},
		{[]string{"run", "--profile", "/etc/passwd", target}, "profile"},
		{[]string{"run", "--profile", "a/b", target}, "profile"},
		{[]string{"run", "--name", "../x", target}, "run name"},
		{[]string{"run", "--name", "a/b", target}, "run name"},
		{[]string{"run", "--files", "-5", target}, "files"},
		{[]string{"run", "--threads", "-1", target}, "threads"},
		{[]string{"run", "--batch-size", "0", target}, "batch-size"},
		{[]string{"run", "--min-date", "2026-01-01", "--max-date", "2020-01-01", target}, "date"},
		{[]string{"run", "--date-preset", "someday", target}, "preset"},
		{[]string{"verify", "--sample", "-1", "x"}, "sample"},
		{[]string{"verify", "../x"}, "run name"},
		{[]string{"clean", "a/b"}, "run name"},
		{[]string{"repair"}, "NAME"},
	}
	for _, tt := range tests {
		out, code := c.run(tt.args...)
		if code != exitUsage || !strings.Contains(out, tt.want) {
			t.Errorf("filegen %q: exit %d, %q; want %d naming %q", tt.args, code, out, exitUsage, tt.want)
		}
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("bad input created the target: %v", err)
	}
	if names, _ := store.List(c.state); len(names) != 0 {
		t.Errorf("bad input created runs: %v", names)
	}
}

func TestFaultsBadDatabase(t *testing.T) {
	c := newCLI(t)
	good := filepath.Join(t.TempDir(), "good")
	c.mustRun(runArgs(good, 500)...)
	valid, err := os.ReadFile(store.RunPath(c.state, store.NameFor(good)))
	if err != nil {
		t.Fatal(err)
	}

	newer := filepath.Join(t.TempDir(), "newer.db")
	if err := os.WriteFile(newer, valid, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 99))
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	newerData, _ := os.ReadFile(newer)

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"garbage", []byte("this is not a database at all, just some text\n"), "not a filegen run database"},
		{"newer schema", newerData, "newer"},
	}
	// Cut short at several points below the database's high-water mark
	// (what lies past it is free space that a cut loses nothing of):
	// pages, values or both lost.
	used := usedBytes(t, store.RunPath(c.state, store.NameFor(good)))
	for _, cut := range []int{used / 3, used / 2, used * 2 / 3, used - 4096, used - 100} {
		tests = append(tests, struct {
			name string
			data []byte
			want string
		}{fmt.Sprint("truncated at ", cut), valid[:cut], ""})
	}
	// Damage spread over the pages from several starting points: each
	// breaks bbolt's pages in another way.
	for _, off := range []int{4096, 4100, 5000, 6000, 8192, 9000} {
		d := append([]byte(nil), valid...)
		for i := off; i < len(d); i += 97 {
			d[i] ^= 0x5a
		}
		tests = append(tests, struct {
			name string
			data []byte
			want string
		}{fmt.Sprint("damaged from ", off), d, "not a filegen run database"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "bad-" + strings.ReplaceAll(tt.name, " ", "-")
			path := store.RunPath(c.state, name)
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{
				{"resume", name}, {"status", name}, {"verify", name}, {"clean", name}, {"repair", name},
			} {
				out, code := c.run(args...)
				if code == 0 || strings.Contains(out, "panic") || strings.Contains(out, "goroutine") {
					t.Errorf("filegen %v on a %s database: exit %d\n%s", args, tt.name, code, out)
				}
				if tt.want != "" && !strings.Contains(out, tt.want) {
					t.Errorf("filegen %v on a %s database: %q; want it to say %q", args, tt.name, out, tt.want)
				}
				if got, _ := os.ReadFile(path); !bytes.Equal(got, tt.data) {
					t.Errorf("filegen %v changed the %s database", args, tt.name)
				}
			}
		})
	}
}

// usedBytes is how much of the database at path bbolt has in use: its
// high-water mark.
func usedBytes(t *testing.T, path string) int {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var used int
	if err := b.View(func(tx *bolt.Tx) error { used = int(tx.Size()); return nil }); err != nil {
		t.Fatal(err)
	}
	return used
}

func TestFaultsStateFileModes(t *testing.T) {
	c := newCLI(t)
	target := filepath.Join(t.TempDir(), "tree")
	c.mustRun(runArgs(target, 300)...)
	runs := filepath.Join(c.state, "runs")
	fi, err := os.Stat(runs)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o700); got != want {
		t.Errorf("%s: mode %v, want %v", runs, got, want)
	}
	entries, err := os.ReadDir(runs)
	if err != nil || len(entries) == 0 {
		t.Fatalf("state folder: %d entries, %v", len(entries), err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Errorf("%s: mode %v, want %v", e.Name(), got, want)
		}
	}
}
