// Package dirtest starts throwaway OpenLDAP servers for tests: slapd
// with the Active Directory-like schema in testdata/directory/ad.schema,
// Active Directory's page limit of 1,000 entries, on a free port of
// 127.0.0.1, with its database in a temporary folder.
//
// A test calls [Start], which stops the server and removes its folder
// when the test ends; a TestMain that needs one server for the whole
// process calls [New] and [Server.Close]. [Server.Stop] and
// [Server.Restart] take the server away and bring it back with the same
// data on the same address, so that tests can check what a program does
// while the directory is down.
//
// [Options.Bulk] loads a directory the size the toolkit was measured
// with: 10,000 users and a group of 3,000 members, besides groups that
// exercise nesting, cycles, foreign principals and referrals.
//
// The package needs /usr/sbin/slapd and /usr/sbin/slapadd
// (scripts/ldap-deps installs them); without them [New] fails with
// [ErrNoSlapd] and [Start] fails the test. It never skips.
package dirtest
