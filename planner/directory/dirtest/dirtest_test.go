package dirtest_test

import (
	"context"
	"errors"
	"testing"

	"filegen/planner/directory"
	"filegen/planner/directory/dirtest"
)

func load(s *dirtest.Server, bindDN, pw string) (*directory.Snapshot,
	error) {
	return directory.LDAP(directory.Config{
		URL: s.URL, Base: s.Base, BindDN: bindDN, Password: pw,
		UserFilter: "(objectClass=user)", GroupFilter: "(objectClass=group)",
	}, nil).Load(context.Background())
}

// TestStartStopRestart loads each kind of directory, takes the server
// away and brings it back with the same data.
func TestStartStopRestart(t *testing.T) {
	tests := []struct {
		name           string
		bulk           bool
		users, groups  int
		bindDN, passwd string
	}{
		{"empty, admin", false, 0, 0,
			dirtest.AdminDN, dirtest.AdminPassword},
		{"bulk, reader", true, dirtest.Users, 6,
			dirtest.ReaderDN, dirtest.ReaderPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := dirtest.Start(t, dirtest.Options{Bulk: tt.bulk})
			if s.Base != dirtest.Base || s.BindDN != dirtest.AdminDN ||
				s.Password != dirtest.AdminPassword {
				t.Errorf("server = %+v, want the package's base "+
					"and admin", s)
			}
			check := func(when string) {
				t.Helper()
				snap, err := load(s, tt.bindDN, tt.passwd)
				if err != nil {
					t.Fatalf("%s: Load: %v", when, err)
				}
				// One group of the bulk set maps to no id.
				got := len(snap.Groups) + snap.Unmapped
				if len(snap.Users) != tt.users || got != tt.groups {
					t.Errorf("%s: %d users, %d groups; want %d, %d",
						when, len(snap.Users), got, tt.users,
						tt.groups)
				}
			}
			check("started")

			if err := s.Stop(); err != nil {
				t.Fatalf("Stop: %v", err)
			}
			_, err := load(s, tt.bindDN, tt.passwd)
			if !errors.Is(err, directory.ErrConnect) {
				t.Errorf("Load while stopped: %v, want %v", err,
					directory.ErrConnect)
			}
			if err := s.Stop(); err != nil {
				t.Errorf("second Stop: %v", err)
			}

			if err := s.Restart(); err != nil {
				t.Fatalf("Restart: %v", err)
			}
			check("restarted")
		})
	}
}

func TestBadSchemaFails(t *testing.T) {
	_, err := dirtest.New(dirtest.Options{Schema: "/nonexistent.schema"})
	if !errors.Is(err, dirtest.ErrStart) {
		t.Errorf("New with a missing schema: %v, want %v", err,
			dirtest.ErrStart)
	}
}
