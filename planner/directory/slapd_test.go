package directory

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The test server: OpenLDAP slapd with the AD-like schema in
// testdata/directory, a page limit of 1,000 like AD, started once per
// test process by TestMain.
const (
	testBase     = "dc=example,dc=test"
	testAdmin    = "cn=admin," + testBase
	testAdminPW  = "admin-secret-7"
	testReader   = "cn=reader," + testBase
	testReaderPW = "reader-secret-9"
	testDomain   = "S-1-5-21-1111-2222-3333"
	testUsers    = 10000
	testBig      = 3000
)

var testURL string

// stops are servers started on demand by tests, stopped after all ran.
var stops []func()

func TestMain(m *testing.M) {
	stop, err := startSlapd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "directory tests need slapd "+
			"(run scripts/ldap-deps):", err)
		os.Exit(1)
	}
	code := m.Run()
	for i := len(stops) - 1; i >= 0; i-- {
		stops[i]()
	}
	stop()
	os.Exit(code)
}

func startSlapd() (stop func(), err error) {
	for _, bin := range []string{"slapd", "slapadd"} {
		if _, err := exec.LookPath(bin); err != nil {
			if _, err2 := os.Stat("/usr/sbin/" + bin); err2 != nil {
				return nil, err
			}
		}
	}
	dir, err := os.MkdirTemp("", "filegen-slapd-")
	if err != nil {
		return nil, err
	}
	schema, err := filepath.Abs("../../testdata/directory/ad.schema")
	if err != nil {
		return nil, err
	}
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "slapd.conf")
	err = os.WriteFile(conf, fmt.Appendf(nil, `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include %s
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %s/slapd.pid
sizelimit size.soft=1000 size.hard=1000 size.pr=1000 size.prtotal=unlimited
database mdb
maxsize 1073741824
suffix "%s"
rootdn "%s"
rootpw %s
directory %s/db
index objectClass eq
index description eq,sub
access to * by * read
`, schema, dir, testBase, testAdmin, testAdminPW, dir), 0o600)
	if err != nil {
		return nil, err
	}
	ldif := filepath.Join(dir, "data.ldif")
	if err := writeTestData(ldif); err != nil {
		return nil, err
	}
	out, err := exec.Command("/usr/sbin/slapadd", "-q", "-f", conf,
		"-l", ldif).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("slapadd: %v: %s", err, out)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	testURL = "ldap://" + addr
	cmd := exec.Command("/usr/sbin/slapd", "-d", "0", "-f", conf,
		"-h", testURL+"/")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop = func() {
		cmd.Process.Kill()
		cmd.Wait()
		os.RemoveAll(dir)
	}
	for range 200 {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return stop, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return nil, fmt.Errorf("slapd did not listen on %s", addr)
}

func testSID(rid uint32) string {
	b, err := sidBytes(fmt.Sprintf("%s-%d", testDomain, rid))
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// writeTestData writes the base, a reader account, 10,000 users (even
// ones with uidNumber, odd ones mapped from their SID, all with primary
// group Domain Users), a 3,000-member group whose member DNs are in
// another case, nested groups with a cycle, a group with a foreign
// member, a group whose rid is out of range, and a referral.
func writeTestData(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("dn: %s\nobjectClass: dcObject\nobjectClass: organization\n"+
		"dc: example\no: Example\n\n", testBase)
	p("dn: %s\nobjectClass: person\ncn: reader\nsn: reader\n"+
		"userPassword: %s\n\n", testReader, testReaderPW)
	for _, ou := range []string{"people", "groups"} {
		p("dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n",
			ou, testBase, ou)
	}
	p("dn: ou=elsewhere,%s\nobjectClass: referral\n"+
		"objectClass: extensibleObject\nou: elsewhere\n"+
		"ref: ldap://127.0.0.2:1/ou=elsewhere,dc=other\n\n", testBase)
	for i := range testUsers {
		p("dn: cn=user%05d,ou=people,%s\nobjectClass: user\n"+
			"cn: user%05d\nsAMAccountName: user%05d\n"+
			"objectSid:: %s\nprimaryGroupID: 513\ndepartment: D%d\n",
			i, testBase, i, i, testSID(uint32(1000+i)), i%15)
		if i%2 == 0 {
			p("uidNumber: %d\n", 50000+i)
		}
		p("\n")
	}
	group := func(name string, rid uint32, gid int, members ...string) {
		p("dn: cn=%s,ou=groups,%s\nobjectClass: group\ncn: %s\n"+
			"sAMAccountName: %s\nobjectSid:: %s\n",
			name, testBase, name, name, testSID(rid))
		if gid > 0 {
			p("gidNumber: %d\n", gid)
		}
		for _, m := range members {
			p("member: %s\n", m)
		}
		p("\n")
	}
	upper := func(i int) string {
		return fmt.Sprintf("CN=USER%05d,OU=People,DC=Example,DC=TEST", i)
	}
	group("Domain Users", 513, 10513)
	big := make([]string, testBig)
	for i := range big {
		big[i] = upper(i)
	}
	group("big", 2000, 0, big...)
	group("small", 2001, 0, upper(9998),
		"cn=parent,ou=groups,"+testBase)
	group("parent", 2002, 0, "cn=small,ou=groups,"+testBase, upper(9999))
	group("foreign", 2003, 0,
		"cn=S-1-5-11,cn=ForeignSecurityPrincipals,"+testBase, upper(7))
	group("outofrange", 5000000, 0, upper(1))
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
