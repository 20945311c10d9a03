package directory

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

type localSource struct{ passwd, group string }

// Local returns a source that reads the local passwd and group databases
// (/etc/passwd and /etc/group). It is safe for concurrent use.
func Local() Source { return LocalFiles("/etc/passwd", "/etc/group") }

// LocalFiles is [Local] with other passwd and group files.
func LocalFiles(passwd, group string) Source {
	return &localSource{passwd: passwd, group: group}
}

// Load parses both files. A group's members are its listed members and
// the users whose primary group it is.
func (s *localSource) Load(ctx context.Context) (*Snapshot, error) {
	snap := &Snapshot{Source: "local " + s.passwd + " " + s.group}
	err := readColon(s.passwd, 7, func(f []string) error {
		uid, err1 := strconv.ParseUint(f[2], 10, 32)
		gid, err2 := strconv.ParseUint(f[3], 10, 32)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("%w: ids of %q", ErrFormat, f[0])
		}
		snap.Users = append(snap.Users,
			User{Name: f[0], UID: uint32(uid), GID: uint32(gid)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readColon(s.group, 4, func(f []string) error {
		gid, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			return fmt.Errorf("%w: gid of %q", ErrFormat, f[0])
		}
		g := Group{Name: f[0], GID: uint32(gid)}
		for m := range strings.SplitSeq(f[3], ",") {
			if m != "" {
				g.Members = append(g.Members, m)
			}
		}
		for _, u := range snap.Users {
			if u.GID == g.GID {
				g.Members = append(g.Members, u.Name)
			}
		}
		slices.Sort(g.Members)
		g.Members = slices.Compact(g.Members)
		snap.Groups = append(snap.Groups, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	snap.Loaded = time.Now()
	return snap, nil
}

// readColon calls fn with the fields of each non-comment line of path,
// which must have at least n colon-separated fields.
func readColon(path string, n int, fn func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("directory: cannot read %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		fields := strings.Split(t, ":")
		if len(fields) < n {
			return fmt.Errorf("%w: %s:%d: %d fields, want %d",
				ErrFormat, path, line, len(fields), n)
		}
		if err := fn(fields); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("directory: cannot read %s: %w", path, err)
	}
	return nil
}

type rangeSource struct{ first, count uint32 }

// UIDRange returns a source of count synthetic users, user<id> with uid
// first..first+count-1, each with a personal group group<id> of the same
// id. No names resolve on the host; the ids are what files get.
func UIDRange(first, count uint32) Source {
	return &rangeSource{first: first, count: count}
}

// Load builds the users and groups. It never fails for a valid range.
func (s *rangeSource) Load(ctx context.Context) (*Snapshot, error) {
	if s.count == 0 || s.first+s.count-1 < s.first {
		return nil, fmt.Errorf("%w: uid range %d+%d", ErrConfig,
			s.first, s.count)
	}
	snap := &Snapshot{
		Source: fmt.Sprintf("uid-range %d-%d", s.first,
			s.first+s.count-1),
		Users:  make([]User, s.count),
		Groups: make([]Group, s.count),
		Loaded: time.Now(),
	}
	for i := range s.count {
		id := s.first + i
		u := "user" + strconv.FormatUint(uint64(id), 10)
		snap.Users[i] = User{Name: u, UID: id, GID: id}
		snap.Groups[i] = Group{
			Name:    "group" + strconv.FormatUint(uint64(id), 10),
			GID:     id,
			Members: []string{u},
		}
	}
	return snap, nil
}

// noneSource is the source of no identities.
type noneSource struct{}

// None returns a source with no users and no groups: files keep the
// owner of the process that creates them.
func None() Source { return noneSource{} }

// Load returns an empty snapshot.
func (noneSource) Load(ctx context.Context) (*Snapshot, error) {
	return &Snapshot{Source: "none", Loaded: time.Now()}, nil
}
