package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"filegen/planner"
	"filegen/planner/directory"
)

// ownerFlags say where owners come from, beyond --owners.
func ownerFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "uid-range", Value: "20000-20359",
			Usage: "ids for --owners uid-range, FIRST-LAST"},
		&cli.DurationFlag{Name: "directory-cache", Value: directory.DefaultTTL,
			Usage: "how long a directory read is reused by later plans (0: read it every time)"},
	}, ldapFlags()...)
}

// identities resolves a plan's owners from the source --owners names. It
// returns nil for none. The result is stored with the plan, so that a
// resume never needs the source again.
func identities(c *cli.Context, owners string, prof *planner.Profile, stateDir string) (*planner.Identities, error) {
	var src directory.Source
	switch owners {
	case "none":
		return nil, nil
	case "local":
		src = directory.Local()
	case "uid-range":
		first, last, ok := strings.Cut(c.String("uid-range"), "-")
		lo, err1 := strconv.ParseUint(first, 10, 32)
		hi, err2 := strconv.ParseUint(last, 10, 32)
		if !ok || err1 != nil || err2 != nil || hi < lo || hi-lo > 1_000_000 {
			return nil, usagef("--uid-range: %q is not FIRST-LAST, at most a million ids", c.String("uid-range"))
		}
		src = directory.UIDRange(uint32(lo), uint32(hi-lo+1))
	case "ldap":
		cfg, err := ldapConfig(c)
		if err != nil {
			return nil, usageError{err}
		}
		src = directory.LDAP(cfg, nil)
		if ttl := c.Duration("directory-cache"); ttl > 0 && stateDir != "" {
			// The cache file holds ids and names, never the password.
			src = directory.Cached(src, filepath.Join(stateDir, "directory", cacheName(cfg)), ttl)
		}
	default:
		return nil, usagef("--owners: unknown source %q (known: %s)", owners, strings.Join(planner.OwnerSources, ", "))
	}

	start := time.Now()
	snap, err := src.Load(c.Context)
	if err != nil {
		return nil, fmt.Errorf("cannot read owners from %s: %w", owners, err)
	}
	var depts []string
	for _, f := range prof.Folders {
		depts = append(depts, f.Name)
	}
	ids := planner.IdentitiesFrom(snap, depts)
	sayer(c)("owners from %s: %d users, %d groups, %d queries, %s",
		snap.Source, len(snap.Users), len(snap.Groups), snap.Queries, time.Since(start).Round(time.Millisecond))
	return ids, nil
}

// cacheName names a directory's cache file by the server and base it
// reads, never by anything secret.
func cacheName(cfg directory.Config) string {
	return fileSafe(cfg.URL+"-"+cfg.Base) + ".json"
}

func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, s)
}
