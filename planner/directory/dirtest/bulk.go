package dirtest

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
)

// The bulk directory [WriteBulk] writes.
const (
	// Domain is the SID of the domain its objects belong to.
	Domain = "S-1-5-21-1111-2222-3333"
	// Users is the number of users, user00000 to user09999, cn=userNNNNN
	// under ou=people; user N has rid 1000+N.
	Users = 10000
	// BigGroup is the number of members of the group "big".
	BigGroup = 3000
)

// The domain's sub-authorities after S-1-5-21, as in [Domain].
var domainSubs = []uint32{21, 1111, 2222, 3333}

// sid returns the binary SID of the domain's object with the given rid:
// revision 1, authority 5 (NT), then the sub-authorities little-endian.
func sid(rid uint32) string {
	b := make([]byte, 8, 8+4*(len(domainSubs)+1))
	b[0], b[1], b[7] = 1, byte(len(domainSubs)+1), 5
	for _, v := range append(domainSubs, rid) {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// writeBase writes what every server holds: the base, the reader and
// the units people and groups.
func writeBase(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "dn: %s\nobjectClass: dcObject\n"+
		"objectClass: organization\ndc: example\no: Example\n\n", Base)
	fmt.Fprintf(bw, "dn: %s\nobjectClass: person\ncn: reader\n"+
		"sn: reader\nuserPassword: %s\n\n", ReaderDN, ReaderPassword)
	for _, ou := range []string{"people", "groups"} {
		fmt.Fprintf(bw, "dn: ou=%s,%s\nobjectClass: organizationalUnit\n"+
			"ou: %s\n\n", ou, Base, ou)
	}
	return bw.Flush()
}

// WriteBulk writes, as LDIF to add under [Base] after the base entries:
// a referral (ou=elsewhere, to a server that is not there), [Users]
// users (even ones with a uidNumber of 50000+N, odd ones with none, all
// with primaryGroupID 513 and department D0 to D14), and these groups:
//
//   - "Domain Users", rid 513, gidNumber 10513, no member values;
//   - "big", rid 2000, the first [BigGroup] users, their DNs in another
//     case than the users' own;
//   - "small" (rid 2001) and "parent" (rid 2002), members of each other
//     and of one user each;
//   - "foreign", rid 2003, with a foreign security principal and one user;
//   - "outofrange", rid 5000000, past any id range a test maps.
func WriteBulk(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("dn: ou=elsewhere,%s\nobjectClass: referral\n"+
		"objectClass: extensibleObject\nou: elsewhere\n"+
		"ref: ldap://127.0.0.2:1/ou=elsewhere,dc=other\n\n", Base)
	for i := range Users {
		p("dn: cn=user%05d,ou=people,%s\nobjectClass: user\n"+
			"cn: user%05d\nsAMAccountName: user%05d\n"+
			"objectSid:: %s\nprimaryGroupID: 513\ndepartment: D%d\n",
			i, Base, i, i, sid(uint32(1000+i)), i%15)
		if i%2 == 0 {
			p("uidNumber: %d\n", 50000+i)
		}
		p("\n")
	}

	group := func(name string, rid uint32, gid int, members ...string) {
		p("dn: cn=%s,ou=groups,%s\nobjectClass: group\ncn: %s\n"+
			"sAMAccountName: %s\nobjectSid:: %s\n",
			name, Base, name, name, sid(rid))
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
	big := make([]string, BigGroup)
	for i := range big {
		big[i] = upper(i)
	}
	group("big", 2000, 0, big...)
	group("small", 2001, 0, upper(Users-2), "cn=parent,ou=groups,"+Base)
	group("parent", 2002, 0, "cn=small,ou=groups,"+Base, upper(Users-1))
	group("foreign", 2003, 0,
		"cn=S-1-5-11,cn=ForeignSecurityPrincipals,"+Base, upper(7))
	group("outofrange", 5000000, 0, upper(1))
	return bw.Flush()
}
