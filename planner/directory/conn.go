package directory

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// conn is a bound connection that counts its requests.
type conn struct {
	c       *ldap.Conn
	cfg     Config
	queries int
	page    uint32 // page size, lowered once when the server refuses it
}

// dial connects to cfg.URL, upgrades with StartTLS when asked, and binds.
// Errors never carry the password.
func dial(ctx context.Context, cfg Config) (*conn, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: URL %q: %w", ErrConfig, cfg.URL, err)
	}
	if u.Scheme != "ldap" && u.Scheme != "ldaps" {
		return nil, fmt.Errorf("%w: scheme %q, want ldap or ldaps",
			ErrConfig, u.Scheme)
	}
	if cfg.StartTLS && u.Scheme == "ldaps" {
		return nil, fmt.Errorf("%w: StartTLS over ldaps://", ErrConfig)
	}
	tc := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: CA file: %w", ErrConfig, err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: no certificate in %s",
				ErrConfig, cfg.CAFile)
		}
	}

	d := &net.Dialer{Timeout: cfg.Timeout}
	if dl, ok := ctx.Deadline(); ok {
		d.Deadline = dl
	}
	lc, err := ldap.DialURL(cfg.URL,
		ldap.DialWithDialer(d), ldap.DialWithTLSConfig(tc))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConnect, cfg.URL,
			redact(err, cfg.Password))
	}
	lc.SetTimeout(cfg.Timeout)
	if cfg.StartTLS {
		if err := lc.StartTLS(tc); err != nil {
			lc.Close()
			return nil, fmt.Errorf("%w: StartTLS: %w", ErrConnect,
				redact(err, cfg.Password))
		}
	}
	if cfg.BindDN != "" {
		if err := lc.Bind(cfg.BindDN, cfg.Password); err != nil {
			lc.Close()
			return nil, fmt.Errorf("%w: bind as %s: %w", ErrConnect,
				cfg.BindDN, redact(err, cfg.Password))
		}
	}
	return &conn{c: lc, cfg: cfg, page: uint32(cfg.PageSize)}, nil
}

func (c *conn) Close() { c.c.Close() }

// redact returns err with the password removed from its text. An error
// whose text holds the password becomes a new error that keeps only the
// package's sentinel, since the original would still print it.
func redact(err error, password string) error {
	if err == nil || password == "" ||
		!strings.Contains(err.Error(), password) {
		return err
	}
	return &redacted{
		text: strings.ReplaceAll(err.Error(), password, "<redacted>"),
		kind: sentinel(err),
	}
}

type redacted struct {
	text string
	kind error
}

func (r *redacted) Error() string { return r.text }
func (r *redacted) Unwrap() error { return r.kind }

func sentinel(err error) error {
	for _, s := range []error{ErrConfig, ErrConnect, ErrSearch, ErrWrite,
		ErrFormat, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

// search runs a paged subtree search, calling fn for each entry.
// Continuation references and referral results are ignored. Each page is
// one query.
func (c *conn) search(ctx context.Context, base, filter string,
	attrs []string, fn func(*ldap.Entry) error) error {
	paging := ldap.NewControlPaging(c.page)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		req := ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree,
			ldap.NeverDerefAliases, 0, int(c.cfg.Timeout.Seconds()),
			false, filter, attrs, []ldap.Control{paging})
		res, err := c.c.Search(req)
		c.queries++
		if ldap.IsErrorWithCode(err, ldap.LDAPResultReferral) {
			return nil
		}
		// Active Directory serves at most MaxPageSize entries a page
		// whatever is asked; OpenLDAP refuses a larger page instead.
		// Ask again with AD's size.
		if ldap.IsErrorWithCode(err, ldap.LDAPResultAdminLimitExceeded) &&
			paging.PagingSize > DefaultPageSize && len(paging.Cookie) == 0 {
			c.page = DefaultPageSize
			paging.PagingSize = c.page
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: %s under %s: %w", ErrSearch, filter,
				base, redact(err, c.cfg.Password))
		}
		for _, e := range res.Entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		next := ldap.FindControl(res.Controls, ldap.ControlTypePaging)
		p, ok := next.(*ldap.ControlPaging)
		if !ok || len(p.Cookie) == 0 {
			return nil
		}
		paging.SetCookie(p.Cookie)
	}
}

// values returns all values of attribute name of e, fetching the rest
// by ranged retrieval when the server returned name;range=lo-hi.
func (c *conn) values(ctx context.Context, e *ldap.Entry,
	name string) ([]string, error) {
	var out []string
	next := -1
	for _, a := range e.Attributes {
		if strings.EqualFold(a.Name, name) {
			out = append(out, a.Values...)
			continue
		}
		if hi, ok := rangeEnd(a.Name, name); ok {
			out = append(out, a.Values...)
			next = hi
		}
	}

	for next >= 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		want := fmt.Sprintf("%s;range=%d-*", name, next+1)
		req := ldap.NewSearchRequest(e.DN, ldap.ScopeBaseObject,
			ldap.NeverDerefAliases, 0, int(c.cfg.Timeout.Seconds()),
			false, "(objectClass=*)", []string{want}, nil)
		res, err := c.c.Search(req)
		c.queries++
		if err != nil {
			return nil, fmt.Errorf("%w: %s of %s: %w", ErrSearch, want,
				e.DN, redact(err, c.cfg.Password))
		}
		next = -1
		for _, r := range res.Entries {
			for _, a := range r.Attributes {
				if hi, ok := rangeEnd(a.Name, name); ok {
					out = append(out, a.Values...)
					next = hi
				}
			}
		}
	}
	return out, nil
}

// rangeEnd parses attr as name;range=lo-hi and returns hi, or -1 when hi
// is "*" (the last range). ok is false when attr is not a range of name.
func rangeEnd(attr, name string) (hi int, ok bool) {
	base, opt, found := strings.Cut(attr, ";")
	if !found || !strings.EqualFold(base, name) {
		return 0, false
	}
	r, found := strings.CutPrefix(strings.ToLower(opt), "range=")
	if !found {
		return 0, false
	}
	_, h, found := strings.Cut(r, "-")
	if !found {
		return 0, false
	}
	if h == "*" {
		return -1, true
	}
	v, err := strconv.Atoi(h)
	if err != nil {
		return 0, false
	}
	return v, true
}
