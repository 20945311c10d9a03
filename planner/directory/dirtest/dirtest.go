package dirtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The directory every server holds, and its accounts.
const (
	// Base is the suffix of the server's one database.
	Base = "dc=example,dc=test"
	// AdminDN is the root DN, which may write anything.
	AdminDN = "cn=admin," + Base
	// AdminPassword is AdminDN's password.
	AdminPassword = "admin-secret-7"
	// ReaderDN is an ordinary account, which may read anything.
	ReaderDN = "cn=reader," + Base
	// ReaderPassword is ReaderDN's password.
	ReaderPassword = "reader-secret-9"
)

// Programs the package runs.
const (
	slapd   = "/usr/sbin/slapd"
	slapadd = "/usr/sbin/slapadd"
)

// Sentinel errors.
var (
	// ErrNoSlapd means slapd or slapadd is not installed.
	ErrNoSlapd = errors.New("dirtest: slapd not installed " +
		"(run scripts/ldap-deps)")
	// ErrStart means the server could not be set up or did not start.
	ErrStart = errors.New("dirtest: cannot start slapd")
)

// Options say what a server holds. The zero value is an empty directory
// with only the base, the reader and the units ou=people and ou=groups.
type Options struct {
	// Bulk loads the users and groups [WriteBulk] writes.
	Bulk bool
	// Schema is the AD-like schema file; empty finds
	// testdata/directory/ad.schema in the module holding the current
	// folder.
	Schema string
	// Log receives slapd's own error output; nil discards it.
	Log *os.File
}

// Server is a running, or stopped, slapd. Its methods are safe for
// concurrent use.
type Server struct {
	URL      string // ldap://127.0.0.1:PORT
	Base     string // [Base]
	BindDN   string // [AdminDN]
	Password string // [AdminPassword]

	dir, conf string
	log       *os.File

	mu     sync.Mutex
	proc   *os.Process   // nil while stopped
	exited chan struct{} // closed when proc has exited
}

// Start starts a server for the test and stops it, removing its data,
// when the test and its subtests end. It fails the test if the server
// cannot start.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// New sets up a directory as o says and starts slapd on it. The caller
// calls [Server.Close].
func New(o Options) (*Server, error) {
	for _, bin := range []string{slapd, slapadd} {
		if _, err := os.Stat(bin); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoSlapd, err)
		}
	}
	schema := o.Schema
	if schema == "" {
		var err error
		if schema, err = findSchema(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "filegen-slapd-")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	s := &Server{Base: Base, BindDN: AdminDN, Password: AdminPassword,
		dir: dir, conf: filepath.Join(dir, "slapd.conf"), log: o.Log}
	if err := s.setUp(schema, o.Bulk); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}

	// A port the kernel just handed out and took back is free for now.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	s.URL = "ldap://" + l.Addr().String()
	l.Close()
	if err := s.Restart(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// findSchema looks for testdata/directory/ad.schema beside the go.mod
// of the module that holds the current folder.
func findSchema() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrStart, err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "testdata", "directory", "ad.schema")
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("%w: %v", ErrStart, err)
			}
			return p, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("%w: no go.mod above the "+
				"current folder", ErrStart)
		}
		dir = up
	}
}

// setUp writes the configuration and loads the data with slapadd.
func (s *Server) setUp(schema string, bulk bool) error {
	if err := os.Mkdir(filepath.Join(s.dir, "db"), 0o700); err != nil {
		return fmt.Errorf("%w: %v", ErrStart, err)
	}
	conf := fmt.Sprintf(`include /etc/ldap/schema/core.schema
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
`, schema, s.dir, Base, AdminDN, AdminPassword, s.dir)
	if err := os.WriteFile(s.conf, []byte(conf), 0o600); err != nil {
		return fmt.Errorf("%w: %v", ErrStart, err)
	}

	ldif := filepath.Join(s.dir, "data.ldif")
	f, err := os.Create(ldif)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrStart, err)
	}
	err = writeBase(f)
	if err == nil && bulk {
		err = WriteBulk(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%w: cannot write data: %v", ErrStart, err)
	}
	out, err := exec.Command(slapadd, "-q", "-f", s.conf,
		"-l", ldif).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: slapadd: %v: %s", ErrStart, err, out)
	}
	return nil
}

// Stop stops slapd, keeping its data for [Server.Restart]. Stopping a
// stopped server does nothing.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return nil
	}
	if err := s.proc.Kill(); err != nil {
		return fmt.Errorf("dirtest: cannot stop slapd: %w", err)
	}
	<-s.exited
	s.proc = nil
	return nil
}

// Restart starts slapd again on the same address with the data it had
// when it stopped. Restarting a running server does nothing.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		return nil
	}
	cmd := exec.Command(slapd, "-d", "0", "-f", s.conf, "-h", s.URL+"/")
	if s.log != nil {
		cmd.Stderr = s.log
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: %v", ErrStart, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()

	addr := s.URL[len("ldap://"):]
	for range 200 {
		select {
		case <-exited:
			return fmt.Errorf("%w: slapd exited: %v", ErrStart,
				cmd.ProcessState)
		default:
		}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			s.proc, s.exited = cmd.Process, exited
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	<-exited
	return fmt.Errorf("%w: slapd did not listen on %s", ErrStart, addr)
}

// Close stops slapd and removes its data. The server cannot be
// restarted after.
func (s *Server) Close() error {
	err := s.Stop()
	if rerr := os.RemoveAll(s.dir); rerr != nil && err == nil {
		err = fmt.Errorf("dirtest: cannot remove data: %w", rerr)
	}
	return err
}
