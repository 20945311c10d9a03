package directory

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func readerConfig() Config {
	return Config{
		URL: testURL, Base: testBase, BindDN: testReader,
		Password:    testReaderPW,
		UserFilter:  "(objectClass=user)",
		GroupFilter: "(objectClass=group)",
		IDBase:      200000, IDRange: 1000000,
	}
}

// TestLoadSlapd loads the test directory, which also holds a referral
// object under the base: the load succeeds without chasing it.
func TestLoadSlapd(t *testing.T) {
	cfg := readerConfig()
	cfg.PageSize = 5000 // the server caps pages at 1,000
	snap, err := LDAP(cfg, nil).Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := len(snap.Users), testUsers; got != want {
		t.Errorf("users = %d, want %d", got, want)
	}
	if got, want := len(snap.Groups), 5; got != want {
		t.Errorf("groups = %d, want %d (outofrange left out)", got, want)
	}
	if got, want := snap.Unmapped, 1; got != want {
		t.Errorf("unmapped = %d, want %d", got, want)
	}
	// A refused page of 5,000, ten pages of users, one of groups:
	// pages, not entries.
	if got, want := snap.Queries, 1+testUsers/1000+1; got != want {
		t.Errorf("queries = %d, want %d", got, want)
	}
	t.Logf("loaded %d users, %d groups in %d queries",
		len(snap.Users), len(snap.Groups), snap.Queries)

	users := map[string]User{}
	for _, u := range snap.Users {
		users[u.Name] = u
	}
	tests := []struct {
		name     string
		uid, gid uint32
	}{
		{"user00000", 50000, 10513},         // uidNumber
		{"user00001", 200000 + 1001, 10513}, // mapped from rid 1001
		{"user09999", 200000 + 10999, 10513},
	}
	for _, tt := range tests {
		u, ok := users[tt.name]
		if !ok {
			t.Errorf("user %s missing", tt.name)
			continue
		}
		if u.UID != tt.uid || u.GID != tt.gid {
			t.Errorf("%s ids = %d:%d, want %d:%d",
				tt.name, u.UID, u.GID, tt.uid, tt.gid)
		}
		if !strings.HasPrefix(u.SID, testDomain+"-") {
			t.Errorf("%s SID = %q, want prefix %s", tt.name, u.SID,
				testDomain)
		}
	}

	groups := []struct {
		name    string
		gid     uint32
		members int
		has     []string
	}{
		// Primary group: no member values, every user by primaryGroupID.
		{"domain users", 10513, testUsers, []string{"user05000"}},
		// Member DNs in upper case still match.
		{"BIG", 202000, testBig, []string{"user00000", "user02999"}},
		// Nesting with a cycle: both see both users.
		{"small", 202001, 2, []string{"user09998", "user09999"}},
		{"parent", 202002, 2, []string{"user09998", "user09999"}},
		// The foreign principal is dropped.
		{"foreign", 202003, 1, []string{"user00007"}},
	}
	for _, tt := range groups {
		g, ok := snap.Group(tt.name)
		if !ok {
			t.Errorf("Group(%q) not found", tt.name)
			continue
		}
		if g.GID != tt.gid || len(g.Members) != tt.members {
			t.Errorf("Group(%q) = gid %d, %d members; want %d, %d",
				tt.name, g.GID, len(g.Members), tt.gid, tt.members)
		}
		for _, m := range tt.has {
			if !contains(g.Members, m) {
				t.Errorf("Group(%q) lacks %s", tt.name, m)
			}
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestLoadPageSizeCountsQueries(t *testing.T) {
	tests := []struct {
		page, want int
	}{
		{1000, 11},
		{500, 21},
		{250, 41},
	}
	for _, tt := range tests {
		cfg := readerConfig()
		cfg.PageSize = tt.page
		snap, err := LDAP(cfg, nil).Load(context.Background())
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if snap.Queries != tt.want {
			t.Errorf("page size %d: queries = %d, want %d",
				tt.page, snap.Queries, tt.want)
		}
	}
}

func TestPasswordNeverInErrors(t *testing.T) {
	const secret = "hunter2-do-not-print"
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{"wrong password", Config{URL: testURL, Base: testBase,
			BindDN: testReader, Password: secret}, ErrConnect},
		{"bind DN is the password", Config{URL: testURL,
			Base: testBase, BindDN: "cn=" + secret,
			Password: secret}, ErrConnect},
		{"no server", Config{URL: "ldap://127.0.0.1:1",
			Base: testBase, BindDN: testReader, Password: secret},
			ErrConnect},
		{"bad filter", Config{URL: testURL, Base: testBase,
			BindDN: testReader, Password: testReaderPW,
			UserFilter: "(" + testReaderPW}, ErrSearch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LDAP(tt.cfg, nil).Load(context.Background())
			if !errors.Is(err, tt.want) {
				t.Fatalf("Load() error = %v, want %v", err, tt.want)
			}
			if pw := tt.cfg.Password; strings.Contains(err.Error(), pw) {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
}
