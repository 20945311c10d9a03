package directory

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

type ldapSource struct {
	cfg Config
	log *slog.Logger
}

// LDAP returns a source that reads users and groups from the directory
// cfg describes, with a new connection for each Load. A nil log
// discards. The source is safe for concurrent use.
func LDAP(cfg Config, log *slog.Logger) Source {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ldapSource{cfg: cfg, log: log}
}

// raw is what a search returned, before ids and members are resolved.
type raw struct {
	dn, name, sid, dept, desc string
	uid, gid, primary         string
	members                   []string
}

// Load reads all users and groups matching the filters under the base,
// resolves ids, primary groups and nested membership, and reports the
// number of queries it made.
func (s *ldapSource) Load(ctx context.Context) (*Snapshot, error) {
	snap, err := s.load(ctx)
	return snap, redact(err, s.cfg.Password)
}

func (s *ldapSource) load(ctx context.Context) (*Snapshot, error) {
	cfg, err := s.cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	c, err := dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer c.Close()

	at := cfg.Attrs
	var users, groups []raw
	uattrs := []string{at.Name, at.SID, at.UID, at.GID, at.PrimaryGroup,
		at.Department, at.Description}
	err = c.search(ctx, cfg.Base, cfg.UserFilter, uattrs,
		func(e *ldap.Entry) error {
			users = append(users, readRaw(e, at))
			return nil
		})
	if err != nil {
		return nil, err
	}
	gattrs := []string{at.Name, at.SID, at.GID, at.Member, at.Description}
	err = c.search(ctx, cfg.Base, cfg.GroupFilter, gattrs,
		func(e *ldap.Entry) error {
			r := readRaw(e, at)
			m, err := c.values(ctx, e, at.Member)
			r.members = m
			groups = append(groups, r)
			return err
		})
	if err != nil {
		return nil, err
	}

	snap := resolve(cfg, users, groups)
	snap.Source = "ldap " + cfg.URL + " " + cfg.Base
	snap.Queries = c.queries
	snap.Loaded = time.Now()
	s.log.Info("directory loaded", "source", snap.Source,
		"users", len(snap.Users), "groups", len(snap.Groups),
		"queries", snap.Queries, "unmapped", snap.Unmapped,
		"took", time.Since(start).Round(time.Millisecond))
	return snap, nil
}

func readRaw(e *ldap.Entry, at Attributes) raw {
	r := raw{
		dn:      e.DN,
		name:    e.GetAttributeValue(at.Name),
		dept:    e.GetAttributeValue(at.Department),
		desc:    e.GetAttributeValue(at.Description),
		uid:     e.GetAttributeValue(at.UID),
		gid:     e.GetAttributeValue(at.GID),
		primary: e.GetAttributeValue(at.PrimaryGroup),
	}
	if b := e.GetRawAttributeValue(at.SID); len(b) > 0 {
		if s, err := sidString(b); err == nil {
			r.sid = s
		} else if strings.HasPrefix(string(b), "S-") {
			r.sid = string(b) // a directory that stores SIDs as text
		}
	}
	if r.name == "" {
		r.name = firstRDNValue(e.DN)
	}
	return r
}

func firstRDNValue(dn string) string {
	d, err := ldap.ParseDN(dn)
	if err != nil || len(d.RDNs) == 0 || len(d.RDNs[0].Attributes) == 0 {
		return dn
	}
	return d.RDNs[0].Attributes[0].Value
}

// id returns an explicit RFC 2307 id, else the SID's rid mapped into
// the configured range.
func id(explicit, sid string, cfg Config) (uint32, bool) {
	if explicit != "" {
		v, err := strconv.ParseUint(explicit, 10, 32)
		if err == nil {
			return uint32(v), true
		}
	}
	if _, rid, ok := splitRID(sid); ok {
		return mapRID(rid, cfg.IDBase, cfg.IDRange)
	}
	return 0, false
}

// resolve turns raw entries into a snapshot.
func resolve(cfg Config, ru, rg []raw) *Snapshot {
	snap := &Snapshot{}
	groupAt := map[string]int{} // dnKey -> index in snap.Groups
	groupSID := map[string]int{}
	for _, r := range rg {
		gid, ok := id(r.gid, r.sid, cfg)
		if !ok {
			snap.Unmapped++
			continue
		}
		groupAt[dnKey(r.dn)] = len(snap.Groups)
		if r.sid != "" {
			groupSID[r.sid] = len(snap.Groups)
		}
		snap.Groups = append(snap.Groups,
			Group{Name: r.name, DN: r.dn, SID: r.sid, GID: gid})
	}

	// Direct members: users by name, groups by index.
	direct := make([][]string, len(snap.Groups))
	nested := make([][]int, len(snap.Groups))
	userAt := map[string]string{} // dnKey -> name
	for _, r := range ru {
		u := User{Name: r.name, DN: r.dn, SID: r.sid, Department: r.dept}
		u.Service, u.Former = roleOf(r.desc)
		uid, ok := id(r.uid, r.sid, cfg)
		if !ok {
			snap.Unmapped++
			continue
		}
		u.UID = uid
		if g, ok := primaryGroup(r, groupSID); ok {
			direct[g] = append(direct[g], u.Name)
			u.GID = snap.Groups[g].GID
		}
		if r.gid != "" {
			if v, err := strconv.ParseUint(r.gid, 10, 32); err == nil {
				u.GID = uint32(v)
			}
		}
		userAt[dnKey(r.dn)] = u.Name
		snap.Users = append(snap.Users, u)
	}
	for _, r := range rg {
		g, ok := groupAt[dnKey(r.dn)]
		if !ok {
			continue
		}
		for _, m := range r.members {
			k := dnKey(m)
			if name, ok := userAt[k]; ok {
				direct[g] = append(direct[g], name)
			} else if sub, ok := groupAt[k]; ok {
				nested[g] = append(nested[g], sub)
			}
			// Anything else (foreign principals, objects outside
			// the base or the filters) is not a member we can use.
		}
	}

	for g := range snap.Groups {
		snap.Groups[g].Members = expand(g, direct, nested)
	}
	return snap
}

// primaryGroup finds the group whose SID is the user's domain SID with
// the user's primaryGroupID as its rid.
func primaryGroup(r raw, bySID map[string]int) (int, bool) {
	if r.primary == "" || r.sid == "" {
		return 0, false
	}
	dom, _, ok := splitRID(r.sid)
	if !ok {
		return 0, false
	}
	g, ok := bySID[dom+"-"+r.primary]
	return g, ok
}

// expand returns the users of group g and of every group nested in it,
// sorted and unique. Cycles are followed once.
func expand(g int, direct [][]string, nested [][]int) []string {
	seen := map[int]bool{}
	var out []string
	var walk func(int)
	walk = func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		out = append(out, direct[i]...)
		for _, n := range nested[i] {
			walk(n)
		}
	}
	walk(g)
	slices.Sort(out)
	return slices.Compact(out)
}
