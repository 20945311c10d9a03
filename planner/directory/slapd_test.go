package directory

import (
	"fmt"
	"os"
	"testing"

	"filegen/planner/directory/dirtest"
)

// The test server: OpenLDAP slapd with the AD-like schema and the bulk
// directory of package dirtest, started once per test process by
// TestMain.
const (
	testBase     = dirtest.Base
	testAdmin    = dirtest.AdminDN
	testAdminPW  = dirtest.AdminPassword
	testReader   = dirtest.ReaderDN
	testReaderPW = dirtest.ReaderPassword
	testDomain   = dirtest.Domain
	testUsers    = dirtest.Users
	testBig      = dirtest.BigGroup
)

var testURL string

// stops are servers started on demand by tests, stopped after all ran.
var stops []func()

func TestMain(m *testing.M) {
	srv, err := dirtest.New(dirtest.Options{Bulk: true, Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "directory tests need slapd:", err)
		os.Exit(1)
	}
	testURL = srv.URL
	code := m.Run()
	for i := len(stops) - 1; i >= 0; i-- {
		stops[i]()
	}
	if err := srv.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}
