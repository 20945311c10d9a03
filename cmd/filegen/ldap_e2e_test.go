package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"filegen/engine"
	"filegen/planner"
	"filegen/planner/acl"
	"filegen/planner/directory"
	"filegen/planner/directory/dirtest"
	"filegen/report"
	"filegen/store"
)

// ldapRun drives filegen against one test directory and keeps every
// word the program printed, to look for the password in.
type ldapRun struct {
	*fgCLI
	srv    *dirtest.Server
	output []string
}

// flags are the flags that reach the directory. The password goes by
// the environment only.
func (l *ldapRun) flags() []string {
	return []string{"--ldap-url", l.srv.URL, "--ldap-base", l.srv.Base,
		"--ldap-bind-dn", l.srv.BindDN,
		"--ldap-user-filter", "(objectClass=user)",
		"--ldap-group-filter", "(objectClass=group)"}
}

func (l *ldapRun) mustRun(args ...string) string {
	l.t.Helper()
	out := l.fgCLI.mustRun(args...)
	l.output = append(l.output, out)
	return out
}

// runArgs are the arguments of a run of files files into target.
func (l *ldapRun) runArgs(files int, target string, extra ...string) []string {
	args := []string{"run", "--files", strconv.Itoa(files), "--seed", "1",
		"--as-of", "2026-06-01", "--owners", "ldap"}
	args = append(append(append(args, l.flags()...), extra...), target)
	return args
}

var ownersRE = regexp.MustCompile(`owners from .*?: (\d+) users, ` +
	`\d+ groups, (\d+) queries`)

// queries returns the number of users and of queries a command's output
// reports, or -1 and -1 when it reports no read of the directory.
func queries(out string) (users, queries int) {
	m := ownersRE.FindStringSubmatch(out)
	if m == nil {
		return -1, -1
	}
	users, _ = strconv.Atoi(m[1])
	queries, _ = strconv.Atoi(m[2])
	return users, queries
}

// TestLDAPOwnersKilledResumedWithoutDirectory builds a tree whose owners
// come from a directory of 10,000 users and the demo company, kills the
// run, stops the directory and resumes: the tree must match an
// uninterrupted run entry by entry, owners and access lists included.
func TestLDAPOwnersKilledResumedWithoutDirectory(t *testing.T) {
	const files = 20_000
	srv := dirtest.Start(t, dirtest.Options{Bulk: true})
	t.Setenv(passwordEnv, srv.Password)
	l := &ldapRun{fgCLI: newCLI(t), srv: srv}
	base := t.TempDir()
	ref, killed := filepath.Join(base, "ref"), filepath.Join(base, "killed")

	pop := l.mustRun(append([]string{"directory", "populate"},
		l.flags()...)...)
	if !strings.Contains(pop, " added, ") {
		t.Fatalf("populate printed no summary:\n%s", pop)
	}
	before := loadDirectory(t, srv)

	// The reference, and a run a tenth the size: the directory is read
	// the same way for both.
	refOut := l.mustRun(l.runArgs(files, ref, "--directory-cache", "0")...)
	small := l.mustRun(l.runArgs(files/10, filepath.Join(base, "small"),
		"--directory-cache", "0")...)
	users, qRef := queries(refOut)
	_, qSmall := queries(small)
	t.Logf("queries: %d for %d files, %d for %d files",
		qRef, files, qSmall, files/10)
	if qRef <= 0 || qRef != qSmall {
		t.Errorf("queries = %d for %d files, %d for %d; want the same, "+
			"more than none", qRef, files, qSmall, files/10)
	}
	// The bulk users and the company's employees and service accounts,
	// in pages of 1,000: 11 of users, one of groups.
	demo := directory.Demo(1)
	if got, want := users, dirtest.Users+demo.Users+demo.Services; got != want {
		t.Errorf("users read = %d, want %d", got, want)
	}
	if want := 12; qRef != want {
		t.Errorf("queries = %d, want %d", qRef, want)
	}
	summary := l.planSummary(files)

	// The same plan, killed while it creates files; then the directory
	// goes away and the same command finishes the run from its record.
	args := l.runArgs(files, killed, "--threads", "1", "--batch-size", "100")
	at, first := l.killWhileExecuting(args...)
	t.Logf("killed at %d of %d files", at, files)
	if _, q := queries(first); q != qRef {
		t.Errorf("killed run read the directory in %d queries, want %d",
			q, qRef)
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	out := l.mustRun(args...)
	if _, q := queries(out); !strings.Contains(out, "resuming run") ||
		q >= 0 {
		t.Errorf("second run did not resume from the record:\n%s", out)
	}
	s := l.status(store.NameFor(killed))
	if s.State != store.Done || s.Files != files {
		t.Errorf("resumed run: %s with %d files, want done with %d",
			s.State, s.Files, files)
	}

	want := tree(t, ref)
	got := tree(t, killed)
	sameTree(t, "killed and resumed without the directory", want, got)
	plan := planACLs(t, l.state, store.NameFor(ref))
	refACL, gotACL := getfacl(t, ref), getfacl(t, killed)
	sameACLs(t, "uninterrupted run", plan, refACL)
	sameACLs(t, "resumed run", plan, gotACL)
	checkSummary(t, summary, got, plan)

	ids := runIdentities(t, l.state, store.NameFor(killed))
	checkOwnerMix(t, ids, got)
	checkOrphaned(t, l, ids, before, got)
	l.checkNoPassword(store.NameFor(killed))
}

// planSummary returns the plan summary of the reference run's inputs.
func (l *ldapRun) planSummary(files int) engine.Summary {
	l.t.Helper()
	args := []string{"plan", "--json", "--files", strconv.Itoa(files),
		"--seed", "1", "--as-of", "2026-06-01", "--owners", "ldap",
		"--directory-cache", "0"}
	cmd := l.cmd(append(args, l.flags()...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		l.t.Fatalf("filegen plan: %v\n%s", err, stderr.String())
	}
	l.output = append(l.output, stdout.String(), stderr.String())
	var v struct {
		Summary engine.Summary `json:"summary"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
		l.t.Fatalf("plan --json: %v", err)
	}
	return v.Summary
}

// killWhileExecuting starts a run, kills it with SIGKILL once its status
// shows files created, and returns how many, and what the run printed.
func (l *ldapRun) killWhileExecuting(args ...string) (int64, string) {
	l.t.Helper()
	name := store.NameFor(args[len(args)-1])
	cmd := l.cmd(args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(2 * time.Minute); ; {
		select {
		case err := <-exited:
			l.t.Fatalf("the run ended (%v) before it could be killed:\n%s",
				err, out.String())
		case <-time.After(10 * time.Millisecond):
		}
		s, err := engine.ReadStatus(l.state, name)
		if err == nil && s.State == store.Executing && s.Files > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			l.t.Fatalf("the run never reported a file: %+v", s)
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	l.output = append(l.output, out.String())
	s, err := engine.ReadStatus(l.state, name)
	if err != nil {
		l.t.Fatal(err)
	}
	if s.Files <= 0 || s.Files >= s.FilesTotal {
		l.t.Fatalf("killed with %d of %d files; want some, not all",
			s.Files, s.FilesTotal)
	}
	return s.Files, out.String()
}

// loadDirectory reads the test directory as the run does.
func loadDirectory(t *testing.T, srv *dirtest.Server) *directory.Snapshot {
	t.Helper()
	snap, err := directory.LDAP(directory.Config{
		URL: srv.URL, Base: srv.Base, BindDN: srv.BindDN,
		Password: srv.Password, UserFilter: "(objectClass=user)",
		GroupFilter: "(objectClass=group)",
	}, nil).Load(context.Background())
	if err != nil {
		t.Fatalf("load directory: %v", err)
	}
	return snap
}

// entryACL is an entry's access list and default list in getfacl's
// text form, entries joined by commas; empty for none.
type entryACL struct{ Access, Default string }

// planACLs reads every list the run's plan gives, by relative path.
func planACLs(t *testing.T, stateDir, name string) map[string]entryACL {
	t.Helper()
	db, r := openPlan(t, store.RunPath(stateDir, name))
	defer db.Close()
	// An access list of only the owner, group and others is the
	// mode: the kernel keeps it as such, and getfacl shows it for all.
	text := func(b string, access bool) string {
		if b == "" {
			return ""
		}
		a, err := acl.Decode([]byte(b))
		if err != nil {
			t.Fatalf("plan holds a bad list: %v", err)
		}
		if access && len(a) <= 3 {
			return ""
		}
		return a.String()
	}
	out := make(map[string]entryACL)
	for i := range r.Chunks {
		c := planChunk(t, db, i)
		for _, d := range c.Dirs {
			if d.Final {
				out[d.Path] = entryACL{text(d.Attrs.ACL, true),
					text(d.Attrs.DefaultACL, false)}
			}
		}
		for j, f := range c.Files {
			out[c.FilePath(j)] = entryACL{
				Access: text(f.Attrs.ACL, true)}
		}
	}
	return out
}

// getfacl reads every entry's lists under root with getfacl, numeric,
// without effective-rights comments. Lists of only the owner, group and
// others, which every file has, count as none.
func getfacl(t *testing.T, root string) map[string]entryACL {
	t.Helper()
	cmd := exec.Command("getfacl", "-R", "-n", "-E", "-p", ".")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("getfacl: %v: %s", err, stderr.String())
	}
	out := make(map[string]entryACL)
	var path string
	var access, def []string
	flush := func() {
		if path == "" || path == "." {
			return
		}
		e := entryACL{Default: strings.Join(def, ",")}
		if len(access) > 3 {
			e.Access = strings.Join(access, ",")
		}
		out[strings.TrimPrefix(path, "./")] = e
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# file: "):
			flush()
			path, access, def = strings.TrimPrefix(line, "# file: "),
				nil, nil
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "default:"):
			def = append(def, strings.TrimPrefix(line, "default:"))
		default:
			access = append(access, line)
		}
	}
	flush()
	return out
}

// sameACLs compares the lists on disk with the plan's, for every entry
// of the plan.
func sameACLs(t *testing.T, what string, plan, disk map[string]entryACL) {
	t.Helper()
	bad, withACL := 0, 0
	for p, want := range plan {
		if want.Access != "" {
			withACL++
		}
		got, ok := disk[p]
		if ok && got == want {
			continue
		}
		t.Errorf("%s: %s has lists %+v, want %+v", what, p, got, want)
		if bad++; bad > 10 {
			t.Fatalf("%s: too many differences", what)
		}
	}
	if len(disk) != len(plan) || withACL == 0 {
		t.Errorf("%s: getfacl read %d entries, the plan has %d, %d with "+
			"lists; want the same, some with lists", what, len(disk),
			len(plan), withACL)
	}
}

// checkSummary compares the plan summary with the tree and the lists
// on disk.
func checkSummary(t *testing.T, s engine.Summary, tr map[string]entry,
	lists map[string]entryACL) {
	t.Helper()
	var fileACL, dirACL int64
	for p, e := range lists {
		if tr[p].Type.IsDir() && (e.Access != "" || e.Default != "") {
			dirACL++
		} else if !tr[p].Type.IsDir() && e.Access != "" {
			fileACL++
		}
	}
	if s.ACL.Files != fileACL || s.DirACL != dirACL {
		t.Errorf("summary: %d files and %d folders with lists; the tree "+
			"has %d and %d", s.ACL.Files, s.DirACL, fileACL, dirACL)
	}

	// Files the plan leaves unchanged belong to root, who runs filegen.
	owners, groups := map[string]int64{}, map[string]int64{}
	for _, e := range tr {
		if e.Type.IsRegular() {
			owners[strconv.Itoa(int(e.UID))]++
			groups[strconv.Itoa(int(e.GID))]++
		}
	}
	for _, tt := range []struct {
		what  string
		tally []reportTally
		tree  map[string]int64
	}{
		{"owner", tallies(s.Owners), owners},
		{"group", tallies(s.Groups), groups},
	} {
		if len(tt.tally) < 5 {
			t.Errorf("summary has %d %ss, want several", len(tt.tally),
				tt.what)
		}
		var unchanged int64
		for _, r := range tt.tally {
			if r.id == "" {
				unchanged += r.files
			}
		}
		for _, r := range tt.tally {
			want := tt.tree[r.id]
			if r.id == "0" {
				want -= unchanged
			}
			if r.id != "" && r.files != want {
				t.Errorf("summary: %s %s has %d files, the tree %d",
					tt.what, r.id, r.files, want)
			}
		}
	}
}

type reportTally struct {
	id    string // empty for files the plan leaves unchanged
	files int64
}

func tallies(ts []report.Tally) []reportTally {
	out := make([]reportTally, len(ts))
	for i, x := range ts {
		id := x.ID
		if x.Name == engine.Unchanged {
			id = ""
		}
		out[i] = reportTally{id, x.Files}
	}
	return out
}

// runIdentities returns the identities stored in a run's record.
func runIdentities(t *testing.T, stateDir, name string) *planner.Identities {
	t.Helper()
	db, r := openPlan(t, store.RunPath(stateDir, name))
	db.Close()
	var ids planner.Identities
	if err := json.Unmarshal(r.Identities, &ids); err != nil {
		t.Fatalf("run record's identities: %v", err)
	}
	return &ids
}

// checkOwnerMix sorts the files of departments by what owns them and
// compares the shares with the profile's mix.
func checkOwnerMix(t *testing.T, ids *planner.Identities,
	tr map[string]entry) {
	t.Helper()
	kind := map[uint32]string{}
	deptGroup := map[uint32]bool{}
	for _, d := range ids.Departments {
		deptGroup[d.Group] = true
		for _, m := range d.Members {
			kind[m.UID] = "user"
		}
	}
	for _, uid := range ids.Services {
		kind[uid] = "service"
	}
	for _, uid := range ids.Former {
		kind[uid] = "former"
	}

	// Home folders, and the folders in them, belong to their user, who
	// owns most of their files whatever the mix says.
	count := map[string]float64{}
	var total, home, homeOwn float64
	for p, e := range tr {
		if !e.Type.IsRegular() || e.UID == 0 && e.GID == 0 {
			continue // outside any department: left to root
		}
		if dir := tr[filepath.Dir(p)]; dir.UID != 0 {
			home++
			if e.UID == dir.UID {
				homeOwn++
			}
			continue
		}
		k := kind[e.UID]
		switch {
		case e.UID == 0 && e.GID == ids.Admins:
			k = "admins"
		case e.UID == 0 && deptGroup[e.GID]:
			k = "group"
		case k == "":
			t.Errorf("%s is owned by %d:%d, which the run's "+
				"identities do not name", p, e.UID, e.GID)
			continue
		}
		count[k]++
		total++
	}
	t.Logf("home folders: their user owns %.0f of %.0f files",
		homeOwn, home)
	if share := homeOwn / home; home < 100 || share < 0.75 {
		t.Errorf("home folders: their user owns %.0f of %.0f files, "+
			"want at least 75 %%", homeOwn, home)
	}

	prof, err := planner.LoadProfile("enterprise")
	if err != nil {
		t.Fatal(err)
	}
	want := prof.Owners
	for _, tt := range []struct {
		kind string
		want float64
	}{
		{"group", want.Group}, {"user", want.User},
		{"service", want.Service}, {"former", want.Former},
		{"admins", want.Admins},
	} {
		got := 100 * count[tt.kind] / total
		t.Logf("owner mix: %s %.1f %%, profile %.0f %%", tt.kind, got,
			tt.want)
		if math.Abs(got-tt.want) > 3 {
			t.Errorf("owner mix: %s owns %.1f %% of %d files, want "+
				"%.0f %% within 3 points", tt.kind, got, int(total),
				tt.want)
		}
	}
}

// checkOrphaned deletes the former employees and checks that their uids,
// which own files, no longer resolve in the directory, while they did
// before.
func checkOrphaned(t *testing.T, l *ldapRun, ids *planner.Identities,
	before *directory.Snapshot, tr map[string]entry) {
	t.Helper()
	if err := l.srv.Restart(); err != nil {
		t.Fatal(err)
	}
	l.mustRun(append([]string{"directory", "orphan"}, l.flags()...)...)
	after := loadDirectory(t, l.srv)

	byUID := func(s *directory.Snapshot) map[uint32]string {
		m := map[uint32]string{}
		for _, u := range s.Users {
			m[u.UID] = u.Name
		}
		return m
	}
	was, is := byUID(before), byUID(after)
	owns := map[uint32]int{}
	for _, e := range tr {
		owns[e.UID]++
	}
	formerFiles := 0
	for _, uid := range ids.Former {
		formerFiles += owns[uid]
		if was[uid] == "" {
			t.Errorf("former uid %d did not resolve before orphan", uid)
		}
		if name, ok := is[uid]; ok {
			t.Errorf("former uid %d resolves to %s after orphan",
				uid, name)
		}
	}
	if len(ids.Former) == 0 || formerFiles == 0 {
		t.Errorf("%d former employees own %d files; want some of both",
			len(ids.Former), formerFiles)
	}
	want := len(before.Users) - len(ids.Former)
	if got := len(after.Users); got != want {
		t.Errorf("after orphan %d users, want %d", got, want)
	}
}

// checkNoPassword looks for the bind password in everything the runs
// wrote and printed.
func (l *ldapRun) checkNoPassword(name string) {
	l.t.Helper()
	pw := []byte(l.srv.Password)
	l.output = append(l.output, l.fgCLI.mustRun("status", "--json", name))
	for i, out := range l.output {
		if bytes.Contains([]byte(out), pw) {
			l.t.Errorf("output %d holds the password:\n%s", i, out)
		}
	}
	n := 0
	err := filepath.WalkDir(l.state, func(p string, d fs.DirEntry,
		err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if bytes.Contains(b, pw) {
			l.t.Errorf("%s holds the password", p)
		}
		return nil
	})
	if err != nil {
		l.t.Fatal(err)
	}
	db := store.RunPath(l.state, name)
	if _, err := os.Stat(db); err != nil || n < 3 {
		l.t.Errorf("searched %d files of the state directory for the "+
			"password, the run database %s among them (%v)", n, db, err)
	}
	cache, _ := filepath.Glob(filepath.Join(l.state, "directory", "*"))
	if len(cache) == 0 {
		l.t.Errorf("no directory cache in %s to search", l.state)
	}
}
