package acl_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filegen/planner/acl"

	"golang.org/x/sys/unix"
)

func TestEncodeBytes(t *testing.T) {
	a := acl.ACL{
		{Tag: acl.Other, Perm: acl.Read},
		{Tag: acl.Group, Perm: acl.RX, ID: 2000},
		{Tag: acl.UserObj, Perm: acl.RWX},
		{Tag: acl.GroupObj, Perm: acl.Read},
	}
	want := []byte{
		2, 0, 0, 0,
		0x01, 0, 7, 0, 0xff, 0xff, 0xff, 0xff,
		0x04, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
		0x08, 0, 5, 0, 0xd0, 0x07, 0, 0,
		0x10, 0, 5, 0, 0xff, 0xff, 0xff, 0xff,
		0x20, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,
	}
	if got := a.Encode(); !bytes.Equal(got, want) {
		t.Errorf("Encode() = % x, want % x", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   acl.ACL
		want string // String() of the decoded list
	}{
		{"minimal", acl.ACL{
			{Tag: acl.UserObj, Perm: 6},
			{Tag: acl.GroupObj, Perm: 4},
			{Tag: acl.Other, Perm: 4},
		}, "user::rw-,group::r--,other::r--"},
		{"named sorted", acl.ACL{
			{Tag: acl.User, Perm: 7, ID: 30},
			{Tag: acl.User, Perm: 5, ID: 10},
			{Tag: acl.Other},
			{Tag: acl.GroupObj, Perm: 4},
			{Tag: acl.UserObj, Perm: 7},
		}, "user::rwx,user:10:r-x,user:30:rwx,group::r--," +
			"mask::rwx,other::---"},
		{"explicit mask kept", acl.ACL{
			{Tag: acl.UserObj, Perm: 7},
			{Tag: acl.Group, Perm: 7, ID: 5},
			{Tag: acl.GroupObj, Perm: 7},
			{Tag: acl.Mask, Perm: 4},
			{Tag: acl.Other},
		}, "user::rwx,group::rwx,group:5:rwx,mask::r--,other::---"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := acl.Decode(tt.in.Encode())
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got.String() != tt.want {
				t.Errorf("Decode(Encode()) = %s, want %s", got, tt.want)
			}
			if s := tt.in.String(); s != tt.want {
				t.Errorf("String() = %s, want %s", s, tt.want)
			}
			if !bytes.Equal(got.Encode(), tt.in.Encode()) {
				t.Errorf("re-encoding differs")
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	good := acl.ACL{{Tag: acl.UserObj, Perm: 7}}.Encode()
	badTag := append([]byte(nil), good...)
	badTag[4] = 0x40
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, acl.ErrShort},
		{"half entry", good[:8], acl.ErrShort},
		{"version", []byte{1, 0, 0, 0}, acl.ErrVersion},
		{"tag", badTag, acl.ErrTag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := acl.Decode(tt.in)
			if !errors.Is(err, tt.want) {
				t.Errorf("Decode() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPickProportions(t *testing.T) {
	counts := map[acl.Rule]int{}
	for i := range 1000 {
		counts[acl.Pick(float64(i)/1000)]++
	}
	want := map[acl.Rule]int{
		acl.Nested: 550, acl.DeptDirect: 250, acl.FormerUser: 100,
		acl.EveryoneRead: 50, acl.ContractorsRead: 50,
	}
	for r, w := range want {
		if got := counts[r]; got != w {
			t.Errorf("Pick count of %v = %d, want %d", r, got, w)
		}
	}
	if got := acl.Pick(1.5); got != acl.ContractorsRead {
		t.Errorf("Pick(1.5) = %v, want %v", got, acl.ContractorsRead)
	}
}

var ids = acl.Principals{
	Dept: 3001, ReadWrite: 3002, ReadOnly: 3003, Everyone: 3100,
	Contractors: 3101, Backup: 3102, Admins: 3103, Former: 4001,
	User: 4002,
}

func TestFolder(t *testing.T) {
	tests := []struct {
		rule, base acl.Rule
		want       string
	}{
		{acl.Nested, 0, "user::rwx,group::r-x,group:3002:rwx," +
			"group:3003:r-x,mask::rwx,other::---"},
		{acl.DeptDirect, 0, "user::rwx,group::r-x,group:3001:rwx," +
			"mask::rwx,other::---"},
		{acl.FormerUser, 0, "user::rwx,user:4001:rwx,group::r-x," +
			"group:3001:rwx,mask::rwx,other::---"},
		{acl.EveryoneRead, 0, "user::rwx,group::r-x,group:3001:rwx," +
			"group:3100:r-x,mask::rwx,other::---"},
		{acl.ContractorsRead, 0, "user::rwx,group::r-x,group:3001:rwx," +
			"group:3101:r-x,mask::rwx,other::---"},
		{acl.Sensitive, 0, "user::rwx,group::---,group:3002:rwx," +
			"mask::rwx,other::---"},
		{acl.Temp, 0, "user::rwx,group::rwx,group:3100:rwx," +
			"mask::rwx,other::rwx"},
		{acl.Public, 0, "user::rwx,group::r-x,group:3100:rwx," +
			"mask::rwx,other::r-x"},
		{acl.Board, 0, "user::rwx,group::---,group:3103:rwx," +
			"mask::rwx,other::---"},
		{acl.Archive, acl.DeptDirect, "user::rwx,group::r-x," +
			"group:3001:rwx,group:3102:r-x,mask::rwx,other::---"},
		{acl.Archive, acl.Board, "user::rwx,group::r-x," +
			"group:3002:rwx,group:3003:r-x,group:3102:r-x," +
			"mask::rwx,other::---"},
		{acl.Home, 0, "user::rwx,user:4002:rwx,group::---," +
			"mask::rwx,other::---"},
	}
	for _, tt := range tests {
		t.Run(tt.rule.String(), func(t *testing.T) {
			a, d := acl.Folder(tt.rule, tt.base, ids)
			if got := a.String(); got != tt.want {
				t.Errorf("Folder(%v) access = %s, want %s",
					tt.rule, got, tt.want)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("Folder(%v) default = %s, want %s",
					tt.rule, got, tt.want)
			}
		})
	}
}

// TestKernelAndGetfacl writes lists with setxattr on a real file system
// and reads them back with getfacl, which must print what String says.
func TestKernelAndGetfacl(t *testing.T) {
	getfacl, err := exec.LookPath("getfacl")
	if err != nil {
		t.Fatalf("getfacl not installed (run scripts/ldap-deps): %v", err)
	}
	dir := t.TempDir()
	for r := acl.Nested; r <= acl.Home; r++ {
		t.Run(r.String(), func(t *testing.T) {
			p := filepath.Join(dir, r.String())
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			a, d := acl.Folder(r, acl.Nested, ids)
			if err := unix.Setxattr(p, acl.XattrAccess, a.Encode(), 0); err != nil {
				t.Fatalf("setxattr access: %v", err)
			}
			if err := unix.Setxattr(p, acl.XattrDefault, d.Encode(), 0); err != nil {
				t.Fatalf("setxattr default: %v", err)
			}
			out, err := exec.Command(getfacl, "-cnE", p).Output()
			if err != nil {
				t.Fatalf("getfacl: %v", err)
			}
			var acc, def []string
			for _, l := range strings.Fields(string(out)) {
				if s, ok := strings.CutPrefix(l, "default:"); ok {
					def = append(def, s)
				} else {
					acc = append(acc, l)
				}
			}
			if got, want := strings.Join(acc, ","), a.String(); got != want {
				t.Errorf("getfacl access = %s, want %s", got, want)
			}
			if got, want := strings.Join(def, ","), d.String(); got != want {
				t.Errorf("getfacl default = %s, want %s", got, want)
			}

			// The kernel's own bytes decode to the same list.
			buf := make([]byte, 256)
			n, err := unix.Getxattr(p, acl.XattrAccess, buf)
			if err != nil {
				t.Fatalf("getxattr: %v", err)
			}
			back, err := acl.Decode(buf[:n])
			if err != nil {
				t.Fatalf("Decode(kernel bytes): %v", err)
			}
			if got, want := back.String(), a.String(); got != want {
				t.Errorf("kernel list = %s, want %s", got, want)
			}
		})
	}
}
