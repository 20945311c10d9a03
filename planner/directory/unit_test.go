package directory

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSID(t *testing.T) {
	tests := []struct {
		sid    string
		domain string
		rid    uint32
	}{
		{"S-1-5-21-3623811015-3361044348-30300820-1013",
			"S-1-5-21-3623811015-3361044348-30300820", 1013},
		{"S-1-5-32-544", "S-1-5-32", 544},
	}
	for _, tt := range tests {
		b, err := sidBytes(tt.sid)
		if err != nil {
			t.Fatalf("sidBytes(%s): %v", tt.sid, err)
		}
		got, err := sidString(b)
		if err != nil || got != tt.sid {
			t.Errorf("sidString(sidBytes(%s)) = %s, %v", tt.sid, got, err)
		}
		d, r, ok := splitRID(tt.sid)
		if !ok || d != tt.domain || r != tt.rid {
			t.Errorf("splitRID(%s) = %s, %d, %v; want %s, %d",
				tt.sid, d, r, ok, tt.domain, tt.rid)
		}
	}
	if _, err := sidString([]byte{1, 2, 0, 0}); !errors.Is(err, ErrFormat) {
		t.Errorf("sidString(short) error = %v, want ErrFormat", err)
	}
}

func TestMapRID(t *testing.T) {
	tests := []struct {
		rid, base, count uint32
		want             uint32
		ok               bool
	}{
		{1013, 200000, 1 << 20, 201013, true},
		{0, 10000, 100, 10000, true},
		{100, 10000, 100, 0, false},           // outside the range
		{20, 0xFFFFFFF0, 100, 0, false},       // overflows
		{513, 1000000, 200000, 1000513, true}, // SSSD-like slice
	}
	for _, tt := range tests {
		got, ok := mapRID(tt.rid, tt.base, tt.count)
		if got != tt.want || ok != tt.ok {
			t.Errorf("mapRID(%d, %d, %d) = %d, %v; want %d, %v",
				tt.rid, tt.base, tt.count, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSameDN(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"CN=John Smith,OU=Sales,DC=corp,DC=example",
			"cn=john smith,ou=sales,dc=CORP,dc=Example", true},
		{"cn=a, ou=x", "CN=A,OU=X", true},
		{"cn=a+sn=b,ou=x", "sn=B+cn=A,ou=x", true},
		{`cn=Smith\, John,ou=x`, `CN=smith\2c john,OU=x`, true},
		{"cn=a,ou=x", "cn=a,ou=y", false},
		{"cn=a,ou=x", "cn=a,ou=x,dc=z", false},
	}
	for _, tt := range tests {
		if got := sameDN(tt.a, tt.b); got != tt.want {
			t.Errorf("sameDN(%q, %q) = %v, want %v",
				tt.a, tt.b, got, tt.want)
		}
	}
}

func TestRangeEnd(t *testing.T) {
	tests := []struct {
		attr string
		hi   int
		ok   bool
	}{
		{"member;range=0-1499", 1499, true},
		{"Member;Range=1500-*", -1, true},
		{"member", 0, false},
		{"memberOf;range=0-10", 0, false},
	}
	for _, tt := range tests {
		hi, ok := rangeEnd(tt.attr, "member")
		if hi != tt.hi || ok != tt.ok {
			t.Errorf("rangeEnd(%q) = %d, %v; want %d, %v",
				tt.attr, hi, ok, tt.hi, tt.ok)
		}
	}
}

func TestLocalFiles(t *testing.T) {
	dir := t.TempDir()
	passwd := filepath.Join(dir, "passwd")
	group := filepath.Join(dir, "group")
	os.WriteFile(passwd, []byte("root:x:0:0:root:/root:/bin/sh\n"+
		"# comment\nann:x:1000:100::/home/ann:/bin/sh\n"+
		"bob:x:1001:1001::/home/bob:/bin/sh\n"), 0o644)
	os.WriteFile(group, []byte("root:x:0:\nusers:x:100:bob\n"+
		"bob:x:1001:\n"), 0o644)
	snap, err := LocalFiles(passwd, group).Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	g, ok := snap.Group("USERS")
	if !ok {
		t.Fatalf("Group(USERS) not found")
	}
	if got, want := strings.Join(g.Members, ","), "ann,bob"; got != want {
		t.Errorf("users members = %s, want %s", got, want)
	}
	if u, _ := snap.User("bob"); u.UID != 1001 || u.GID != 1001 {
		t.Errorf("bob = %d:%d, want 1001:1001", u.UID, u.GID)
	}

	os.WriteFile(passwd, []byte("bad:x:notanumber:0::/:/bin/sh\n"), 0o644)
	_, err = LocalFiles(passwd, group).Load(context.Background())
	if !errors.Is(err, ErrFormat) {
		t.Errorf("Load(bad passwd) error = %v, want ErrFormat", err)
	}
}

func TestLocalHost(t *testing.T) {
	snap, err := Local().Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if u, ok := snap.User("root"); !ok || u.UID != 0 {
		t.Errorf("User(root) = %+v, %v; want uid 0", u, ok)
	}
}

func TestUIDRange(t *testing.T) {
	snap, err := UIDRange(70000, 3).Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := len(snap.Users), 3; got != want {
		t.Fatalf("users = %d, want %d", got, want)
	}
	if u := snap.Users[2]; u.Name != "user70002" || u.UID != 70002 {
		t.Errorf("Users[2] = %+v, want user70002 uid 70002", u)
	}
	if _, err := UIDRange(0xFFFFFFFF, 2).Load(context.Background()); !errors.Is(err, ErrConfig) {
		t.Errorf("overflowing range error = %v, want ErrConfig", err)
	}
}

// counting is a source that counts its loads.
type counting struct{ n int }

func (c *counting) Load(ctx context.Context) (*Snapshot, error) {
	c.n++
	return &Snapshot{Source: "count", Loaded: now,
		Users: []User{{Name: "u", UID: uint32(c.n)}}}, nil
}

var now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func TestCachedLifetime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "directory.json")
	src := &counting{}
	c := Cached(src, path, 5*time.Minute).(*cached)
	tests := []struct {
		at    time.Duration // after the first load
		loads int           // loads of the source so far
	}{
		{0, 1},
		{time.Minute, 1},
		{5*time.Minute - time.Second, 1},
		{5 * time.Minute, 2}, // expired: loaded again at now
	}
	for _, tt := range tests {
		c.now = func() time.Time { return now.Add(tt.at) }
		if _, err := c.Load(context.Background()); err != nil {
			t.Fatalf("Load: %v", err)
		}
		if src.n != tt.loads {
			t.Errorf("after %v: loads = %d, want %d", tt.at, src.n, tt.loads)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("cache mode = %v, want %v", got, want)
	}
}

func TestCacheHoldsNoPassword(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directory.json")
	cfg := readerConfig()
	snap, err := Cached(LDAP(cfg, nil), path, 0).Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), cfg.Password) {
		t.Errorf("cache file holds the password")
	}
	var back Snapshot
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := len(back.Users), len(snap.Users); got != want {
		t.Errorf("cached users = %d, want %d", got, want)
	}
}
