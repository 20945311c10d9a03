package directory

import (
	"slices"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// dnKey returns a form of dn under which two DNs naming the same entry
// are equal: parsed, attribute types and values folded to lower case,
// multi-valued RDNs in a fixed order. A DN that does not parse is folded
// as text.
func dnKey(dn string) string {
	d, err := ldap.ParseDN(dn)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(dn))
	}
	var sb strings.Builder
	for i, r := range d.RDNs {
		if i > 0 {
			sb.WriteByte(',')
		}
		parts := make([]string, len(r.Attributes))
		for j, a := range r.Attributes {
			parts[j] = strings.ToLower(a.Type) + "=" +
				ldap.EscapeDN(strings.ToLower(a.Value))
		}
		slices.Sort(parts)
		sb.WriteString(strings.Join(parts, "+"))
	}
	return sb.String()
}

// sameDN reports whether two DNs name the same entry.
func sameDN(a, b string) bool { return dnKey(a) == dnKey(b) }
