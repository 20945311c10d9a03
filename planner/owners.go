package planner

import (
	"sort"
	"strings"

	"filegen/planner/acl"
	"filegen/planner/directory"
)

// Identities are the numeric ids a plan gives owners and permission
// entries. They are resolved once, from a directory or the local
// databases, and stored with the plan, so that a resume never needs the
// directory. A zero id means the principal is absent.
type Identities struct {
	Source string `json:"source"`

	// Departments maps a top-level folder's name to its ids.
	Departments map[string]*DeptIDs `json:"departments"`

	Admins      uint32 `json:"admins"` // group
	Everyone    uint32 `json:"everyone"`
	Contractors uint32 `json:"contractors"`
	Backup      uint32 `json:"backup"`

	// Services maps service account names to uids.
	Services map[string]uint32 `json:"services,omitempty"`

	// Former are the uids of former employees: after the run, they
	// stop resolving.
	Former []uint32 `json:"former,omitempty"`

	// Users are the members of no department, for departments without
	// members of their own.
	Users []Member `json:"users,omitempty"`
}

// DeptIDs are a department's groups and members.
type DeptIDs struct {
	Group     uint32   `json:"group"`
	ReadWrite uint32   `json:"read_write,omitempty"`
	ReadOnly  uint32   `json:"read_only,omitempty"`
	Members   []Member `json:"members,omitempty"`
}

// Member is a user who can own files and have a home folder.
type Member struct {
	Name string `json:"name"`
	UID  uint32 `json:"uid"`
	GID  uint32 `json:"gid"`
}

// shortDept is how the demo company names a department in group names.
func shortDept(d string) string {
	return strings.Map(func(r rune) rune {
		if r == '&' || r == ' ' {
			return -1
		}
		return r
	}, d)
}

// IdentitiesFrom picks a plan's identities out of a directory snapshot.
// Departments are matched by the users' department attribute, and by the
// demo company's group names (GG-Dept, DL-Dept-RW, DL-Dept-RO,
// All-Employees, Contractors, Backup-Operators, Administrators-Demo) when
// the directory has them. Users of no known department serve the
// departments that have none, in turn.
func IdentitiesFrom(s *directory.Snapshot, departments []string) *Identities {
	ids := &Identities{Source: s.Source, Departments: make(map[string]*DeptIDs)}
	gid := func(name string) uint32 {
		if g, ok := s.Group(name); ok {
			return g.GID
		}
		return 0
	}
	for _, d := range departments {
		sd := shortDept(d)
		ids.Departments[d] = &DeptIDs{
			Group: gid("GG-" + sd), ReadWrite: gid("DL-" + sd + "-RW"), ReadOnly: gid("DL-" + sd + "-RO"),
		}
	}
	ids.Admins = gid("Administrators-Demo")
	ids.Everyone = gid("All-Employees")
	ids.Contractors = gid("Contractors")
	ids.Backup = gid("Backup-Operators")

	users := append([]directory.User(nil), s.Users...)
	sort.Slice(users, func(i, j int) bool { return users[i].Name < users[j].Name })
	for _, u := range users {
		m := Member{Name: u.Name, UID: u.UID, GID: u.GID}
		switch {
		case u.Service:
			if ids.Services == nil {
				ids.Services = make(map[string]uint32)
			}
			ids.Services[u.Name] = u.UID
		case u.Former:
			ids.Former = append(ids.Former, u.UID)
		case ids.Departments[u.Department] != nil:
			d := ids.Departments[u.Department]
			d.Members = append(d.Members, m)
		default:
			ids.Users = append(ids.Users, m)
		}
	}

	// Departments with nobody borrow users of no department, in turn,
	// and take the primary group of their first member as their group.
	next := 0
	for _, name := range departments {
		d := ids.Departments[name]
		for len(d.Members) < 3 && len(ids.Users) > 0 && next < len(ids.Users)*len(departments) {
			d.Members = append(d.Members, ids.Users[next%len(ids.Users)])
			next++
		}
		if d.Group == 0 && len(d.Members) > 0 {
			d.Group = d.Members[0].GID
		}
	}
	return ids
}

// owner draws the owner and group of a file by the profile's mix, for a
// file under department d in a folder whose service account is service.
func (ids *Identities) owner(r *Rand, mix OwnerMix, d *DeptIDs, service string) (uid, gid uint32) {
	if d == nil {
		return NoID, NoID
	}
	x := r.Float64() * 100
	uid, gid = 0, d.Group
	switch {
	case x < mix.Group:
		// The department's group owns it; the owner is root.
	case x < mix.Group+mix.User && len(d.Members) > 0:
		m := d.Members[r.Intn(len(d.Members))]
		uid = m.UID
	case x < mix.Group+mix.User+mix.Service && ids.Services[service] != 0:
		uid = ids.Services[service]
	case x < mix.Group+mix.User+mix.Service+mix.Former && len(ids.Former) > 0:
		uid = ids.Former[r.Intn(len(ids.Former))]
	case x >= 100-mix.Admins && ids.Admins != 0:
		gid = ids.Admins
	}
	if gid == 0 {
		gid = NoID
	}
	return uid, gid
}

// principals returns the ids a folder's permission entries name.
func (ids *Identities) principals(r *Rand, d *DeptIDs, home uint32) acl.Principals {
	p := acl.Principals{
		Everyone: ids.Everyone, Contractors: ids.Contractors,
		Backup: ids.Backup, Admins: ids.Admins, User: home,
	}
	if d != nil {
		p.Dept, p.ReadWrite, p.ReadOnly = d.Group, d.ReadWrite, d.ReadOnly
	}
	if len(ids.Former) > 0 {
		p.Former = ids.Former[r.Intn(len(ids.Former))]
	}
	return p
}
