//go:build samba

package directory

// Tests against a Samba Active Directory domain controller, provisioned
// once per test process under a temporary directory and serving LDAP on
// 127.0.0.1:389. Run them with scripts/samba-test.

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

const (
	sambaBase  = "DC=filegen,DC=test"
	sambaAdmin = "CN=Administrator,CN=Users," + sambaBase
	sambaPW    = "Adm1n-Pass-42!"
)

var (
	sambaOnce sync.Once
	sambaErr  error
)

func sambaConfig(t *testing.T) Config {
	t.Helper()
	sambaOnce.Do(func() { sambaErr = startSamba() })
	if sambaErr != nil {
		t.Fatalf("samba: %v (run scripts/samba-deps)", sambaErr)
	}
	return Config{URL: "ldap://127.0.0.1:389", Base: sambaBase,
		BindDN: sambaAdmin, Password: sambaPW}
}

func startSamba() error {
	if c, err := net.Dial("tcp", "127.0.0.1:389"); err == nil {
		c.Close()
		return fmt.Errorf("127.0.0.1:389 is already in use")
	}
	dir, err := os.MkdirTemp("", "filegen-samba-")
	if err != nil {
		return err
	}
	out, err := exec.Command("samba-tool", "domain", "provision",
		"--use-rfc2307", "--realm=FILEGEN.TEST", "--domain=FILEGEN",
		"--server-role=dc", "--dns-backend=NONE",
		"--adminpass="+sambaPW, "--targetdir="+dir,
		"--option=interfaces=lo", "--option=bind interfaces only=yes",
	).CombinedOutput()
	if err != nil {
		return fmt.Errorf("provision: %v: %s", err, out)
	}

	// Serve LDAP only, and allow simple binds without TLS on loopback.
	conf := filepath.Join(dir, "etc", "smb.conf")
	b, err := os.ReadFile(conf)
	if err != nil {
		return err
	}
	b = []byte(strings.Replace(string(b), "[global]\n", "[global]\n"+
		"\tserver services = ldap\n"+
		"\tldap server require strong auth = no\n", 1))
	if err := os.WriteFile(conf, b, 0o644); err != nil {
		return err
	}
	cmd := exec.Command("samba", "-i", "-M", "single", "-s", conf)
	if err := cmd.Start(); err != nil {
		return err
	}
	stops = append(stops, func() {
		cmd.Process.Kill()
		cmd.Wait()
		os.RemoveAll(dir)
	})
	for range 600 {
		c, err := net.Dial("tcp", "127.0.0.1:389")
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("samba did not listen on 127.0.0.1:389")
}

// TestSambaRangedMembers loads a group of 3,000 members, which Active
// Directory hands out 1,500 values at a time.
func TestSambaRangedMembers(t *testing.T) {
	cfg := sambaConfig(t)
	ctx := context.Background()
	c, err := dial(ctx, mustDefaults(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	ou := "OU=Bulk," + sambaBase
	add := func(dn string, attrs map[string][]string) {
		req := ldap.NewAddRequest(dn, nil)
		for k, v := range attrs {
			req.Attribute(k, v)
		}
		if err := c.c.Add(req); err != nil {
			t.Fatalf("add %s: %v", dn, err)
		}
	}
	add(ou, map[string][]string{"objectClass": {"organizationalUnit"}})
	members := make([]string, testBig)
	for i := range members {
		name := fmt.Sprintf("bulk%04d", i)
		members[i] = "CN=" + name + "," + ou
		add(members[i], map[string][]string{"objectClass": {"user"},
			"sAMAccountName": {name}})
	}
	big := "CN=bulk-big," + ou
	add(big, map[string][]string{"objectClass": {"group"},
		"sAMAccountName": {"bulk-big"}, "member": members})

	// Windows caps member at 1,500 values a reply; Samba hands out all
	// of them unless asked for a range. Ask for the first range as
	// Windows would answer, then let values fetch the rest.
	res, err := c.c.Search(ldap.NewSearchRequest(big,
		ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"member;range=0-1499"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("ranged search: %v", err)
	}
	if got := res.Entries[0].Attributes[0].Name; got != "member;range=0-1499" {
		t.Fatalf("first range came back as %q", got)
	}
	before := c.queries
	all, err := c.values(ctx, res.Entries[0], "member")
	if err != nil {
		t.Fatalf("values: %v", err)
	}
	if got, want := len(all), testBig; got != want {
		t.Errorf("ranged members = %d, want %d", got, want)
	}
	if got, want := c.queries-before, 1; got != want {
		t.Errorf("range queries = %d, want %d (1500-*)", got, want)
	}
	c.Close()

	snap, err := LDAP(cfg, nil).Load(ctx)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Logf("loaded %d users, %d groups in %d queries",
		len(snap.Users), len(snap.Groups), snap.Queries)
	g, ok := snap.Group("BULK-BIG")
	if !ok {
		t.Fatal("group bulk-big missing")
	}
	if got, want := len(g.Members), testBig; got != want {
		t.Errorf("bulk-big members = %d, want %d", got, want)
	}
	// Users come in pages of 1,000 and groups in one page; Samba
	// sends the big group whole.
	pages := (len(snap.Users)+999)/1000 + (len(snap.Groups)+999)/1000
	if snap.Queries != pages {
		t.Errorf("queries = %d, want %d", snap.Queries, pages)
	}

	// Primary groups: every user is in Domain Users by primaryGroupID.
	du, ok := snap.Group("Domain Users")
	if !ok || len(du.Members) < testBig {
		t.Errorf("Domain Users has %d members, want >= %d",
			len(du.Members), testBig)
	}
	u, _ := snap.User("bulk0001")
	if u.GID != du.GID || u.UID != DefaultIDBase+ridOf(t, u.SID) {
		t.Errorf("bulk0001 = %d:%d, want %d:%d", u.UID, u.GID,
			DefaultIDBase+ridOf(t, u.SID), du.GID)
	}
}

func ridOf(t *testing.T, sid string) uint32 {
	t.Helper()
	_, rid, ok := splitRID(sid)
	if !ok {
		t.Fatalf("bad SID %q", sid)
	}
	return rid
}

func TestSambaPopulateReset(t *testing.T) {
	cfg := sambaConfig(t)
	ctx := context.Background()
	spec := Demo(3)
	first, err := Populate(ctx, cfg, spec, false)
	if err != nil {
		t.Fatalf("Populate: %v", err)
	}
	t.Logf("populate: %v", first)
	again, err := Populate(ctx, cfg, spec, false)
	if err != nil || !again.Empty() {
		t.Errorf("second Populate = %v, %v; want no change", again, err)
	}
	demo := cfg
	demo.Base = "OU=" + spec.OU + "," + cfg.Base
	snap, err := LDAP(demo, nil).Load(ctx)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checkCompany(t, snap, spec)
	if g, ok := snap.Group("DL-Sales-RO"); !ok ||
		!strings.Contains(g.DN, "Filegen Demo") {
		t.Errorf("DL-Sales-RO = %+v", g)
	}

	if _, err := Orphan(ctx, cfg); err != nil {
		t.Fatalf("Orphan: %v", err)
	}
	reset, err := Reset(ctx, cfg, false)
	if err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if len(reset.Skipped) != 0 {
		t.Errorf("Reset skipped %v", reset.Skipped)
	}
	after, err := LDAP(cfg, nil).Load(ctx)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, ok := after.User(snap.Users[0].Name); ok {
		t.Errorf("user %s survived Reset", snap.Users[0].Name)
	}
	if _, ok := after.User("Administrator"); !ok {
		t.Errorf("Reset removed Administrator")
	}
}
