// Command driver runs filegen's benchmarks on file systems made for them.
//
// In compare mode (the default) it plans one tree, then for each thread
// count creates it alternately with the baseline program and with
// filegen, each time on a freshly made ext4 image, and prints the files a
// second of each, their medians and the median of the per-round ratios.
//
// In scale mode it plans and runs one large tree with filegen alone and
// prints the planning rate, the plan's bytes a file, the time from
// opening a planned run to its first claim, the run's rate, and the peak
// memory of planning and of the whole run.
//
// It must run as root: it makes, mounts and removes file systems under
// -dir, and drops the page cache between runs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"filegen/engine"
	"filegen/planner"
	"filegen/planner/directory"
	"filegen/store"
)

// config is what the flags set.
type config struct {
	mode     string
	files    int64
	seed     uint64
	owners   string
	threads  []int
	rounds   int
	filegen  string
	baseline string
	dir      string
	journal  bool
	imageGB  int
	block    int // ext4 block size
	inode    int // ext4 inode size
	peer     bool
}

func main() {
	var c config
	var threads string
	flag.StringVar(&c.mode, "mode", "compare", "compare, scale, resume (time resume start alone), or calls (what each call of a file costs)")
	var filesList string
	flag.StringVar(&filesList, "files", "200000", "files in the tree; scale takes a comma-separated list and runs each")
	flag.Uint64Var(&c.seed, "seed", 1, "plan seed")
	flag.StringVar(&c.owners, "owners", "uid-range", "none, or uid-range for owners and access lists")
	flag.StringVar(&threads, "threads", "1,2,0", "thread counts; 0 is filegen's default")
	flag.IntVar(&c.rounds, "rounds", 3, "alternating rounds per thread count")
	flag.StringVar(&c.filegen, "filegen", "bin/filegen", "filegen binary")
	flag.StringVar(&c.baseline, "baseline", "bin/baseline", "baseline binary")
	flag.StringVar(&c.dir, "dir", "/tmp/filegen-bench", "work folder for images, mounts and state")
	flag.BoolVar(&c.journal, "journal", false, "give the ext4 image a journal")
	flag.IntVar(&c.imageGB, "image-gb", 0, "image size in GiB (0: two blocks, an inode and 1 KiB a file)")
	flag.IntVar(&c.block, "block", 4096, "ext4 block size: 2048 with -inode-size 512 needs a third of the disk")
	flag.IntVar(&c.inode, "inode-size", 256, "ext4 inode size: 512 keeps a file's extended attributes in its inode")
	flag.BoolVar(&c.peer, "peer", false,
		"compare: also time empty files on 2 threads each round, as fs_mark makes them")
	flag.Parse()
	for _, s := range strings.Split(threads, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "driver: bad -threads %q\n", threads)
			os.Exit(2)
		}
		if n == 0 {
			n = engine.DefaultThreads()
		}
		c.threads = append(c.threads, n)
	}
	var sizes []int64
	for _, s := range strings.Split(filesList, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "driver: bad -files %q\n", filesList)
			os.Exit(2)
		}
		sizes = append(sizes, n)
	}
	if len(sizes) > 1 && c.mode != "scale" {
		fmt.Fprintf(os.Stderr, "driver: -mode %s takes one -files\n", c.mode)
		os.Exit(2)
	}
	imageGB := c.imageGB
	for _, n := range sizes {
		c.files, c.imageGB = n, imageGB
		if c.imageGB == 0 {
			// A file takes its inode, a block or two of header or
			// text, and more for the text files that are written
			// whole: 4.1 KiB a file with 2 KiB blocks, about 5 with 4.
			perFile := int64(2*c.block + c.inode + 1024)
			c.imageGB = int(max(4, (c.files*perFile+1<<30-1)>>30))
		}
		if err := checkSpace(c); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var err error
		switch c.mode {
		case "compare":
			err = compare(c)
		case "scale":
			err = scale(c)
		case "resume":
			err = resume(c)
		case "calls":
			err = calls(c)
		default:
			err = fmt.Errorf("driver: unknown -mode %q", c.mode)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// checkSpace refuses an image that the file system under c.dir could
// not hold, with room to spare for everyone else: the image is sparse,
// so too big a one fills the host's disk, not its own.
func checkSpace(c config) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(c.dir, &st); err != nil {
		return fmt.Errorf("driver: %s: %w", c.dir, err)
	}
	free := int64(st.Bavail) * st.Bsize
	need := int64(c.imageGB)<<30 + 10<<30
	if need > free {
		return fmt.Errorf("driver: a %d GiB image and 10 GiB to spare need more than the %d GiB free under %s",
			c.imageGB, free>>30, c.dir)
	}
	return nil
}

func (c config) mnt() string      { return filepath.Join(c.dir, "mnt") }
func (c config) state() string    { return filepath.Join(c.dir, "state") }
func (c config) planPath() string { return filepath.Join(c.dir, "plan.db") }
func (c config) runPath() string  { return store.RunPath(c.state(), "bench") }

// plan stores the plan of c's tree, as filegen run would before its
// first file, in a new database at path. It returns the time planning
// took.
func plan(c config, path string) (time.Duration, error) {
	os.Remove(path)
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()

	prof, err := planner.Builtin("enterprise")
	if err != nil {
		return 0, err
	}
	in, err := planner.Inputs{Files: c.files, Seed: c.seed, Owners: c.owners,
		AsOf: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}.Resolve(time.Now())
	if err != nil {
		return 0, err
	}
	var idsJSON []byte
	if c.owners == "uid-range" {
		snap, err := directory.UIDRange(20000, 360).Load(context.Background())
		if err != nil {
			return 0, err
		}
		var depts []string
		for _, f := range prof.Folders {
			depts = append(depts, f.Name)
		}
		idsJSON, _ = json.Marshal(planner.IdentitiesFrom(snap, depts))
	}
	inJSON, _ := json.Marshal(in)
	profJSON, _ := json.Marshal(prof)
	err = db.CreateRun(store.Run{Name: "bench", Target: c.mnt(), Inputs: inJSON,
		Profile: profJSON, Identities: idsJSON, Batch: engine.DefaultBatch,
		State: store.Planning, Created: time.Now().UTC()})
	if err != nil {
		return 0, err
	}
	start := time.Now()
	err = engine.Plan(context.Background(), db)
	return time.Since(start), err
}

// sh runs a command and returns its error with its output.
func sh(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("driver: %s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// freshFS makes a new ext4 image with inodes enough for the tree and
// mounts it at c.mnt(), so that no run finds inodes another freed.
func freshFS(c config) error {
	unmount(c)
	img := filepath.Join(c.dir, "fs.img")
	os.Remove(img)
	if err := os.MkdirAll(c.mnt(), 0o755); err != nil {
		return err
	}
	f, err := os.Create(img)
	if err != nil {
		return err
	}
	err = f.Truncate(int64(c.imageGB) << 30)
	f.Close()
	if err != nil {
		return err
	}
	inodes := c.files + c.files/5 + 10_000
	// A file takes at most its inode, a block of header or text, and
	// a block of extended attributes when its access list and DOS
	// attributes do not fit in the inode.
	args := []string{"-F", "-q", "-N", strconv.FormatInt(inodes, 10),
		"-b", strconv.Itoa(c.block), "-I", strconv.Itoa(c.inode),
		"-E", "lazy_itable_init=0,lazy_journal_init=0"}
	if !c.journal {
		args = append(args, "-O", "^has_journal")
	}
	if err := sh("mkfs.ext4", append(args, img)...); err != nil {
		return err
	}
	if err := sh("mount", "-o", "loop", img, c.mnt()); err != nil {
		return err
	}
	dropCaches()
	return nil
}

// unmount removes the image made by freshFS, if any.
func unmount(c config) {
	exec.Command("umount", c.mnt()).Run()
	os.Remove(filepath.Join(c.dir, "fs.img"))
}

var dropWarned bool

// dropCaches writes back and drops the page, dentry and inode caches, so
// that no run starts with another's.
func dropCaches() {
	syscall.Sync()
	err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0)
	if err != nil && !dropWarned {
		fmt.Fprintf(os.Stderr, "driver: cannot drop caches: %v\n", err)
		dropWarned = true
	}
}

// result is one timed run.
type result struct {
	rate float64 // files a second
}

// runBaseline creates the tree with the baseline program, with empty
// files and nothing set when empty is set.
func runBaseline(c config, threads int, empty bool, skip ...string) (result, error) {
	cmd := exec.Command(c.baseline, "-db", c.planPath(), "-target", c.mnt(),
		"-threads", strconv.Itoa(threads), "-empty="+strconv.FormatBool(empty),
		"-skip", strings.Join(skip, ","))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("driver: baseline: %w", err)
	}
	f := strings.Fields(string(out))
	i := slices.Index(f, "rate")
	if i < 0 || i+1 >= len(f) {
		return result{}, fmt.Errorf("driver: baseline said %q", out)
	}
	rate, err := strconv.ParseFloat(f[i+1], 64)
	return result{rate: rate}, err
}

// runFilegen resumes a copy of the planned run with filegen, timing the
// whole process: start, database, creation, finalizing, sync.
func runFilegen(c config, threads int) (result, error) {
	if err := copyFile(c.planPath(), c.runPath()); err != nil {
		return result{}, err
	}
	cmd := exec.Command(c.filegen, "resume", "--quiet", "--state-dir", c.state(),
		"--threads", strconv.Itoa(threads), "bench")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("driver: filegen: %w", err)
	}
	secs := time.Since(start).Seconds()
	return result{rate: float64(c.files) / secs}, nil
}

func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// compare alternates the baseline and filegen at each thread count.
func compare(c config) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	defer unmount(c)
	took, err := plan(c, c.planPath())
	if err != nil {
		return err
	}
	fmt.Printf("plan: %d files in %s, owners %s\n", c.files, took.Round(time.Millisecond), c.owners)
	fmt.Printf("%-8s %-6s %12s %12s %8s", "threads", "round", "baseline/s", "filegen/s", "ratio")
	if c.peer {
		fmt.Printf(" %12s", "empty@2/s")
	}
	fmt.Println()

	type row struct{ base, fg, ratio, peer []float64 }
	var rows []row
	for _, t := range c.threads {
		var r row
		for round := range c.rounds {
			var b, f result
			steps := []func() error{
				func() (err error) { b, err = runBaseline(c, t, false); return },
				func() (err error) { f, err = runFilegen(c, t); return },
			}
			if round%2 == 1 {
				steps[0], steps[1] = steps[1], steps[0]
			}
			for _, step := range steps {
				if err := freshFS(c); err != nil {
					return err
				}
				if err := step(); err != nil {
					return err
				}
			}
			r.base, r.fg = append(r.base, b.rate), append(r.fg, f.rate)
			r.ratio = append(r.ratio, f.rate/b.rate)
			peer := ""
			if c.peer {
				if err := freshFS(c); err != nil {
					return err
				}
				p, err := runBaseline(c, 2, true)
				if err != nil {
					return err
				}
				r.peer = append(r.peer, p.rate)
				peer = fmt.Sprintf(" %12.0f", p.rate)
			}
			fmt.Printf("%-8d %-6d %12.0f %12.0f %8.3f%s\n", t, round+1, b.rate, f.rate, f.rate/b.rate, peer)
		}
		rows = append(rows, r)
	}
	fmt.Println()
	fmt.Printf("%-8s %12s %12s %14s", "threads", "baseline/s", "filegen/s", "median ratio")
	if c.peer {
		fmt.Printf(" %12s %14s", "empty@2/s", "filegen/empty")
	}
	fmt.Println()
	for i, t := range c.threads {
		r := rows[i]
		fmt.Printf("%-8d %12.0f %12.0f %14.3f", t, median(r.base), median(r.fg), median(r.ratio))
		if c.peer {
			fmt.Printf(" %12.0f %14.3f", median(r.peer), median(r.fg)/median(r.peer))
		}
		fmt.Println()
	}
	return nil
}

// skippable are the calls of a file that the baseline's -skip leaves
// out.
var skippable = []string{"write", "truncate", "chown", "dos", "zone", "acl", "times"}

// calls times the baseline with each of a file's calls left out in
// turn, alternating, at each thread count, and prints what each call
// costs: the time a file takes with it less the time without, as a share
// of the whole. The last rows are the tree's files made empty, as fs_mark
// makes them, and the calls it leaves out together.
func calls(c config) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	defer unmount(c)
	if _, err := plan(c, c.planPath()); err != nil {
		return err
	}
	variants := [][]string{nil}
	for _, name := range skippable {
		variants = append(variants, []string{name})
	}
	variants = append(variants, skippable)
	for _, t := range c.threads {
		rates := make([][]float64, len(variants)+1)
		for round := range c.rounds {
			order := make([]int, len(rates))
			for i := range order {
				order[i] = i
			}
			if round%2 == 1 {
				slices.Reverse(order)
			}
			for _, i := range order {
				if err := freshFS(c); err != nil {
					return err
				}
				var r result
				var err error
				if i == len(variants) {
					r, err = runBaseline(c, t, true)
				} else {
					r, err = runBaseline(c, t, false, variants[i]...)
				}
				if err != nil {
					return err
				}
				rates[i] = append(rates[i], r.rate)
			}
		}
		full := median(rates[0])
		fmt.Printf("threads %d, %d files, medians of %d rounds\n", t, c.files, c.rounds)
		fmt.Printf("%-34s %10s %12s\n", "without", "files/s", "share saved")
		for i, v := range variants {
			name := strings.Join(v, ",")
			switch len(v) {
			case 0:
				name = "(nothing: every call)"
			case len(skippable):
				name = "all seven"
			}
			r := median(rates[i])
			fmt.Printf("%-34s %10.0f %11.1f%%\n", name, r, 100*(1-full/r))
		}
		r := median(rates[len(variants)])
		fmt.Printf("%-34s %10.0f %11.1f%%\n", "all seven, folders not finalized", r, 100*(1-full/r))
	}
	return nil
}

// scale plans and runs one large tree and reports what it costs.
func scale(c config) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	defer unmount(c)

	took, err := plan(c, c.planPath())
	if err != nil {
		return err
	}
	fi, err := os.Stat(c.planPath())
	if err != nil {
		return err
	}
	chunkBytes, err := planBytes(c.planPath())
	if err != nil {
		return err
	}
	fmt.Printf("files %d\n", c.files)
	fmt.Printf("planning: %s, %.0f files/s\n", took.Round(time.Millisecond), float64(c.files)/took.Seconds())
	fmt.Printf("plan: %.1f bytes a file encoded, %.1f bytes a file in the database (%d bytes)\n",
		float64(chunkBytes)/float64(c.files), float64(fi.Size())/float64(c.files), fi.Size())

	if err := resumeStart(c, 1); err != nil {
		return err
	}

	// The whole run, planning included, as a user starts it.
	if err := freshFS(c); err != nil {
		return err
	}
	os.Remove(c.runPath())
	cmd := exec.Command(c.filegen, "run", "--quiet", "--state-dir", c.state(), "--name", "bench",
		"--files", strconv.FormatInt(c.files, 10), "--seed", strconv.FormatUint(c.seed, 10),
		"--owners", c.owners, "--as-of", "2026-06-01T00:00:00Z", c.mnt())
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("driver: filegen run: %w", err)
	}
	peak := watch(cmd.Process.Pid)
	err = cmd.Wait()
	secs := time.Since(start).Seconds()
	p := <-peak
	if err != nil {
		return fmt.Errorf("driver: filegen run: %w", err)
	}
	fmt.Printf("filegen run (plan and create): %.1f s, %.0f files/s overall\n", secs, float64(c.files)/secs)
	fmt.Printf("peak RSS (VmHWM) %.1f MiB: anonymous at most %.1f MiB, mapped files (the database) at most %.1f MiB\n",
		float64(p.hwm)/(1<<20), float64(p.anon)/(1<<20), float64(p.file)/(1<<20))
	return nil
}

// resumeStart times, rounds times with a cold page cache, opening a copy
// of the planned run and claiming its first chunks, as filegen resume
// does.
func resumeStart(c config, rounds int) error {
	for range rounds {
		if err := copyFile(c.planPath(), c.runPath()); err != nil {
			return err
		}
		dropCaches()
		first, err := firstClaim(c.runPath())
		if err != nil {
			return err
		}
		fmt.Printf("resume start (cold cache): %s to the first claim\n", first.Round(time.Microsecond))
	}
	return nil
}

// resume plans a run and times its start, cold, three times.
func resume(c config) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	defer os.RemoveAll(c.dir)
	took, err := plan(c, c.planPath())
	if err != nil {
		return err
	}
	fi, err := os.Stat(c.planPath())
	if err != nil {
		return err
	}
	fmt.Printf("files %d, planned in %s, database %d bytes\n", c.files, took.Round(time.Millisecond), fi.Size())
	return resumeStart(c, 3)
}

// peakMem is the most of each kind of resident memory seen, and the
// kernel's own high-water mark of the whole.
type peakMem struct{ anon, file, hwm int64 }

// watch samples a process's resident memory every 20 ms until it exits,
// then sends the peaks. Anonymous memory is the program's own; mapped
// file pages are the database, which the kernel can drop at will. The
// high-water mark (VmHWM) misses no peak between samples. It is the
// figure to quote, not the rusage of the child: Go starts a child on
// this process's memory until it execs, and the kernel counts that
// memory's peak, this driver's, as the child's.
func watch(pid int) <-chan peakMem {
	out := make(chan peakMem, 1)
	go func() {
		var p peakMem
		path := fmt.Sprintf("/proc/%d/status", pid)
		for {
			b, err := os.ReadFile(path)
			if err != nil {
				break
			}
			for _, line := range strings.Split(string(b), "\n") {
				f := strings.Fields(line)
				if len(f) < 2 {
					continue
				}
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				switch f[0] {
				case "RssAnon:":
					p.anon = max(p.anon, kb<<10)
				case "RssFile:":
					p.file = max(p.file, kb<<10)
				case "VmHWM:":
					p.hwm = max(p.hwm, kb<<10)
				case "State:":
					if f[1] == "Z" {
						out <- p
						return
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		out <- p
	}()
	return out
}

// planBytes sums the encoded chunks of a planned run.
func planBytes(path string) (int64, error) {
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	r, err := db.Run()
	if err != nil {
		return 0, err
	}
	var n int64
	for i := range r.Chunks {
		b, err := db.Chunk(i)
		if err != nil {
			return 0, err
		}
		n += int64(len(b))
	}
	return n, nil
}

// firstClaim opens a planned run as filegen resume does, recovers it and
// claims its first chunks, and returns how long that took.
func firstClaim(path string) (time.Duration, error) {
	start := time.Now()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	r, err := db.Run()
	if err != nil {
		return 0, err
	}
	if _, err := db.Recover(r.State.Live()); err != nil {
		return 0, err
	}
	claimed, _, err := db.Step(nil, engine.DefaultThreads())
	if err != nil {
		return 0, err
	}
	if len(claimed) == 0 {
		return 0, errors.New("driver: nothing to claim")
	}
	took := time.Since(start)
	return took, nil
}
