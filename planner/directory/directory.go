package directory

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Sentinel errors.
var (
	// ErrConfig means the configuration is incomplete or inconsistent.
	ErrConfig = errors.New("directory: invalid configuration")
	// ErrConnect means the server could not be reached or bound to.
	ErrConnect = errors.New("directory: cannot connect")
	// ErrSearch means a search failed.
	ErrSearch = errors.New("directory: search failed")
	// ErrWrite means an add, modify or delete failed.
	ErrWrite = errors.New("directory: write failed")
	// ErrFormat means a file or attribute could not be parsed.
	ErrFormat = errors.New("directory: bad format")
)

// User is one account. UID and GID are the ids files get; GID is the
// user's primary group.
type User struct {
	Name       string // account name (sAMAccountName or login)
	DN         string
	SID        string // S-1-5-21-... or empty
	Department string
	UID, GID   uint32
	Service    bool // a service account
	Former     bool // a former employee, due to be deleted
}

// Group is one group. Members are user names, nested groups expanded,
// primary group members included, sorted and without duplicates.
type Group struct {
	Name    string
	DN      string
	SID     string
	GID     uint32
	Members []string
}

// Snapshot is the set of users and groups a plan draws owners from.
// It is not modified after a source returns it and is safe for
// concurrent reads.
type Snapshot struct {
	Source   string // where it came from, without credentials
	Users    []User
	Groups   []Group
	Queries  int // LDAP requests made to load it; 0 for other sources
	Unmapped int // objects left out because no id could be given
	Loaded   time.Time
}

// Group returns the group with the given name, compared without regard
// to case.
func (s *Snapshot) Group(name string) (Group, bool) {
	for _, g := range s.Groups {
		if strings.EqualFold(g.Name, name) {
			return g, true
		}
	}
	return Group{}, false
}

// User returns the user with the given name, compared without regard to
// case.
func (s *Snapshot) User(name string) (User, bool) {
	for _, u := range s.Users {
		if strings.EqualFold(u.Name, name) {
			return u, true
		}
	}
	return User{}, false
}

// Source loads a snapshot. Implementations are safe for concurrent use;
// each Load reads the source anew unless it is [Cached].
type Source interface {
	Load(ctx context.Context) (*Snapshot, error)
}

// Attributes names the LDAP attributes read and written. The zero value
// of a field means the Active Directory default ([ADAttributes]).
type Attributes struct {
	Name         string // sAMAccountName
	UID          string // uidNumber
	GID          string // gidNumber
	SID          string // objectSid
	PrimaryGroup string // primaryGroupID
	Member       string // member
	Department   string // department
	Description  string // description, which carries the [Tag]
}

// ADAttributes are the attribute names of Active Directory with the
// RFC 2307 schema extension.
var ADAttributes = Attributes{
	Name:         "sAMAccountName",
	UID:          "uidNumber",
	GID:          "gidNumber",
	SID:          "objectSid",
	PrimaryGroup: "primaryGroupID",
	Member:       "member",
	Department:   "department",
	Description:  "description",
}

// withDefaults fills empty names from ADAttributes.
func (a Attributes) withDefaults() Attributes {
	d := ADAttributes
	for _, p := range []struct {
		f   *string
		def string
	}{
		{&a.Name, d.Name}, {&a.UID, d.UID}, {&a.GID, d.GID},
		{&a.SID, d.SID}, {&a.PrimaryGroup, d.PrimaryGroup},
		{&a.Member, d.Member}, {&a.Department, d.Department},
		{&a.Description, d.Description},
	} {
		if *p.f == "" {
			*p.f = p.def
		}
	}
	return a
}

// Default filters, for Active Directory.
const (
	DefaultUserFilter  = "(&(objectCategory=person)(objectClass=user))"
	DefaultGroupFilter = "(objectClass=group)"
)

// Defaults for Config fields left zero.
const (
	// DefaultPageSize is Active Directory's MaxPageSize.
	DefaultPageSize = 1000
	// DefaultIDBase and DefaultIDRange place mapped ids where SSSD's
	// and common idmap_rid setups do, clear of local accounts.
	DefaultIDBase  = 200000
	DefaultIDRange = 1 << 20
	// DefaultTimeout bounds each request, not the whole load.
	DefaultTimeout = 30 * time.Second
)

// Config says how to reach and read a directory. Password is used only
// to bind; it is never logged, cached or put in an error.
type Config struct {
	URL      string // ldap://host:port, ldaps://host:port
	Base     string // search base, and where Populate creates its OU
	BindDN   string // empty for an anonymous bind
	Password string
	CAFile   string // PEM roots for ldaps:// and StartTLS
	StartTLS bool

	UserFilter  string // DefaultUserFilter when empty
	GroupFilter string // DefaultGroupFilter when empty
	Attrs       Attributes

	IDBase  uint32 // first id of the SID mapping; DefaultIDBase when 0
	IDRange uint32 // number of rids mapped; DefaultIDRange when 0

	PageSize int           // DefaultPageSize when 0
	Timeout  time.Duration // per request; DefaultTimeout when 0
}

// withDefaults returns c with zero fields set to their defaults, or an
// error when a required field is missing.
func (c Config) withDefaults() (Config, error) {
	if c.URL == "" {
		return c, errors.Join(ErrConfig, errors.New("directory: no URL"))
	}
	if c.Base == "" {
		return c, errors.Join(ErrConfig, errors.New("directory: no base DN"))
	}
	if c.UserFilter == "" {
		c.UserFilter = DefaultUserFilter
	}
	if c.GroupFilter == "" {
		c.GroupFilter = DefaultGroupFilter
	}
	c.Attrs = c.Attrs.withDefaults()
	if c.IDBase == 0 {
		c.IDBase = DefaultIDBase
	}
	if c.IDRange == 0 {
		c.IDRange = DefaultIDRange
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	return c, nil
}
