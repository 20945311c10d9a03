package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func adminConfig() Config {
	return Config{
		URL: testURL, Base: "ou=demo," + testBase, BindDN: testAdmin,
		Password:    testAdminPW,
		UserFilter:  "(objectClass=user)",
		GroupFilter: "(objectClass=group)",
	}
}

// addPlain creates an untagged object, as an administrator would.
func addPlain(t *testing.T, dn, class, rdnAttr, rdn string) {
	t.Helper()
	c, err := dial(context.Background(), mustDefaults(t, adminConfig()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := ldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{class})
	req.Attribute(rdnAttr, []string{rdn})
	if class == "group" {
		req.Attribute("gidNumber", []string{"4242"})
	}
	if err := c.c.Add(req); err != nil {
		t.Fatalf("add %s: %v", dn, err)
	}
}

func mustDefaults(t *testing.T, c Config) Config {
	t.Helper()
	c, err := c.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPopulateResetOrphan(t *testing.T) {
	ctx := context.Background()
	cfg := adminConfig()
	spec := Demo(42)

	// The base unit and an unrelated object exist before.
	addPlain(t, cfg.Base, "organizationalUnit", "ou", "demo")
	addPlain(t, "cn=keep-me,"+cfg.Base, "group", "cn", "keep-me")

	dry, err := Populate(ctx, cfg, spec, true)
	if err != nil {
		t.Fatalf("Populate(dry run): %v", err)
	}
	want := len(spec.objects(cfg.Base, cfg.Attrs.withDefaults()))
	if got := len(dry.Added); got != want {
		t.Errorf("dry run adds %d, want %d", got, want)
	}
	if snap := load(t, cfg); len(snap.Users) != 0 {
		t.Fatalf("dry run wrote %d users", len(snap.Users))
	}

	first, err := Populate(ctx, cfg, spec, false)
	if err != nil {
		t.Fatalf("Populate: %v", err)
	}
	if got := len(first.Added); got != want {
		t.Errorf("Populate added %d, want %d", got, want)
	}
	t.Logf("populate: %v", first)
	snap := load(t, cfg)
	checkCompany(t, snap, spec)

	again, err := Populate(ctx, cfg, spec, false)
	if err != nil {
		t.Fatalf("Populate again: %v", err)
	}
	if !again.Empty() {
		t.Errorf("second Populate changed: %v", again)
	}
	if same := load(t, cfg); !sameSnapshot(snap, same) {
		t.Errorf("second Populate changed the directory")
	}

	// A tagged group that lost a member gets it back.
	c, err := dial(ctx, mustDefaults(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	gg := "CN=GG-Finance,OU=Groups,OU=Filegen Demo," + cfg.Base
	del := ldap.NewModifyRequest(gg, nil)
	u, _ := snap.Group("GG-Finance")
	victim, _ := snap.User(u.Members[0])
	del.Delete("member", []string{victim.DN})
	if err := c.c.Modify(del); err != nil {
		t.Fatalf("remove member: %v", err)
	}
	c.Close()
	fix, err := Populate(ctx, cfg, spec, false)
	if err != nil {
		t.Fatalf("Populate repair: %v", err)
	}
	if len(fix.Modified) != 1 || len(fix.Added) != 0 {
		t.Errorf("repair = %v, want 1 modified", fix)
	}

	orph, err := Orphan(ctx, cfg)
	if err != nil {
		t.Fatalf("Orphan: %v", err)
	}
	if got, want := len(orph.Deleted), spec.Former; got != want {
		t.Errorf("Orphan deleted %d, want %d", got, want)
	}
	after := load(t, cfg)
	for _, u := range after.Users {
		if u.Former {
			t.Errorf("former user %s still there", u.Name)
		}
	}

	dryReset, err := Reset(ctx, cfg, true)
	if err != nil {
		t.Fatalf("Reset(dry run): %v", err)
	}
	if got, want := len(dryReset.Deleted), want-spec.Former; got != want {
		t.Errorf("Reset dry run deletes %d, want %d", got, want)
	}
	reset, err := Reset(ctx, cfg, false)
	if err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if got, want := len(reset.Deleted), want-spec.Former; got != want {
		t.Errorf("Reset deleted %d, want %d", got, want)
	}
	left := load(t, cfg)
	if len(left.Users) != 0 || len(left.Groups) != 1 ||
		left.Groups[0].Name != "keep-me" {
		t.Errorf("after Reset: %d users, groups %v; want only keep-me",
			len(left.Users), left.Groups)
	}
}

func load(t *testing.T, cfg Config) *Snapshot {
	t.Helper()
	snap, err := LDAP(cfg, nil).Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return snap
}

func sameSnapshot(a, b *Snapshot) bool {
	if len(a.Users) != len(b.Users) || len(a.Groups) != len(b.Groups) {
		return false
	}
	for i := range a.Users {
		if a.Users[i] != b.Users[i] {
			return false
		}
	}
	for i := range a.Groups {
		if !slices.Equal(a.Groups[i].Members, b.Groups[i].Members) {
			return false
		}
	}
	return true
}

func checkCompany(t *testing.T, snap *Snapshot, spec Company) {
	t.Helper()
	var emp, svc, former int
	for _, u := range snap.Users {
		switch {
		case u.Service:
			svc++
		case u.Former:
			former++
			emp++
		default:
			emp++
		}
	}
	if emp != spec.Users || svc != spec.Services || former != spec.Former {
		t.Errorf("users = %d employees, %d services, %d former; "+
			"want %d, %d, %d", emp, svc, former,
			spec.Users, spec.Services, spec.Former)
	}
	tests := []struct {
		group   string
		members int
	}{
		{"GG-Finance", spec.Users / len(spec.Departments)},
		{"DL-Finance-RW", spec.Users / len(spec.Departments)}, // nested
		{"DL-RD-RO", spec.Users / len(spec.Departments)},
		{"All-Employees", spec.Users},
		{"Contractors", spec.Contractors},
		{"Backup-Operators", 1},
	}
	for _, tt := range tests {
		g, ok := snap.Group(tt.group)
		if !ok {
			t.Errorf("group %s missing", tt.group)
			continue
		}
		if len(g.Members) != tt.members {
			t.Errorf("group %s has %d members, want %d",
				tt.group, len(g.Members), tt.members)
		}
	}
	u, ok := snap.User(snap.Users[0].Name)
	if !ok || u.UID < spec.IDBase || u.GID < spec.IDBase {
		t.Errorf("user %+v lacks RFC 2307 ids", u)
	}
}

func TestCompanyDeterministic(t *testing.T) {
	at := ADAttributes
	a := Demo(7).objects("dc=x", at)
	b := Demo(7).objects("dc=x", at)
	c := Demo(8).objects("dc=x", at)
	if len(a) != len(b) {
		t.Fatalf("lengths differ: %d, %d", len(a), len(b))
	}
	differ := false
	names := map[string]bool{}
	for i := range a {
		if a[i].dn != b[i].dn {
			t.Errorf("object %d: %s vs %s with the same seed",
				i, a[i].dn, b[i].dn)
		}
		if a[i].dn != c[i].dn {
			differ = true
		}
		if n := a[i].attrs[at.Name]; n != "" {
			if names[n] || len(n) > 20 {
				t.Errorf("account %q duplicated or too long", n)
			}
			names[n] = true
		}
	}
	if !differ {
		t.Errorf("seeds 7 and 8 gave the same company")
	}
}
