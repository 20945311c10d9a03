// Package directory owns the identities a plan gives files: the users and
// groups of an Active Directory or other LDAP server, of the local passwd
// and group databases, or of a synthetic id range, loaded once per plan
// into a [Snapshot]. It also populates a directory with the demo company
// the generated share belongs to, and removes it again.
//
// # Loading
//
// [LDAP] reads users and groups with paged searches (Active Directory
// serves at most 1,000 entries a page) and fetches the members of large
// groups by ranged retrieval (member;range=0-1499 and onwards). Primary
// groups come from primaryGroupID, which Active Directory leaves out of
// the group's member list. Member DNs are compared parsed and without
// regard to case. Referrals and continuation references are ignored,
// never chased. The number of queries grows with pages and with large
// groups, never with files; [Snapshot.Queries] reports it.
//
// # Ids
//
// A user's uid and a group's gid come from the RFC 2307 uidNumber and
// gidNumber attributes when present. Otherwise they are mapped from the
// relative id at the end of the object's SID into a range, as Samba's
// idmap_rid and SSSD do: id = IDBase + rid, for rid < IDRange. Objects
// whose rid falls outside the range are left out and counted.
//
// # Caching
//
// [Cached] keeps a snapshot in a file (mode 0600) for a lifetime, so that
// repeated plans do not query the server again. The file holds names,
// DNs, SIDs and ids; never a password.
//
// # Passwords
//
// [Config.Password] is used to bind and nowhere else: it is not logged,
// not cached, and it is removed from any error text the server or the
// client library returns.
//
// # Demo company
//
// [Populate] creates the organizational units, users and groups of a
// [Company] under [Config.Base], deterministically from its seed, and is
// idempotent. Every object it creates is tagged in its description with
// [Tag], and [Reset] deletes exactly the tagged objects, leaving anything
// else alone. [Orphan] deletes the former employees, so that files they
// own keep ids that no longer resolve.
package directory
