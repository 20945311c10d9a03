package acl

// Rule is the permission rule of one folder: one of the five weighted
// patterns, or a fixed rule that a folder's role imposes.
type Rule uint8

// Weighted patterns, drawn with [Pick], then fixed rules.
const (
	Nested          Rule = iota // read-write and read-only resource groups
	DeptDirect                  // the department group itself
	FormerUser                  // a named entry for a former employee
	EveryoneRead                // all employees may read
	ContractorsRead             // contractors denied write: read only
	Sensitive                   // inheritance broken: department only
	Temp                        // everyone may modify
	Public                      // everyone may enter and read, staff write
	Board                       // administrators only
	Archive                     // a pattern plus backup operators
	Home                        // the folder's user
)

// weights of the five patterns in percent, in Rule order.
var weights = [...]int{55, 25, 10, 5, 5}

// Pick maps a uniform draw u in [0, 1) to one of the five weighted
// patterns in the proportions 55, 25, 10, 5 and 5 percent. Values
// outside the interval are clamped.
func Pick(u float64) Rule {
	x := int(u * 100)
	for r, w := range weights {
		if x < w {
			return Rule(r)
		}
		x -= w
	}
	return ContractorsRead
}

// String returns the rule's name.
func (r Rule) String() string {
	names := [...]string{
		"nested", "department", "former-user", "everyone-read",
		"contractors-read", "sensitive", "temp", "public", "board",
		"archive", "home",
	}
	if int(r) < len(names) {
		return names[r]
	}
	return "rule?"
}

// Principals holds the ids a folder's lists refer to. A zero id means
// the principal is absent and its entry is left out.
type Principals struct {
	Dept        uint32 // the department's global group
	ReadWrite   uint32 // the department's read-write resource group
	ReadOnly    uint32 // the department's read-only resource group
	Everyone    uint32 // all employees
	Contractors uint32
	Backup      uint32 // backup operators
	Admins      uint32
	Former      uint32 // a former employee's uid
	User        uint32 // the home folder's user
}

// Folder returns the access list and the default list (identical, so
// new files inherit the folder's entries) for a folder under rule r.
// Archive takes the pattern under it from base; base is ignored for
// other rules. Folder is safe for concurrent use.
func Folder(r Rule, base Rule, p Principals) (access, def ACL) {
	a := folder(r, base, p)
	return a, append(ACL(nil), a...)
}

func folder(r Rule, base Rule, p Principals) ACL {
	own := Entry{Tag: UserObj, Perm: RWX}
	grp := Entry{Tag: GroupObj, Perm: RX}
	none := Entry{Tag: Other}
	switch r {
	case Nested:
		return list(own, grp, none,
			group(p.ReadWrite, RWX), group(p.ReadOnly, RX))
	case DeptDirect:
		return list(own, grp, none, group(p.Dept, RWX))
	case FormerUser:
		return list(own, grp, none,
			group(p.Dept, RWX), user(p.Former, RWX))
	case EveryoneRead:
		return list(own, grp, none,
			group(p.Dept, RWX), group(p.Everyone, RX))
	case ContractorsRead:
		return list(own, grp, none,
			group(p.Dept, RWX), group(p.Contractors, RX))
	case Sensitive:
		return list(own, Entry{Tag: GroupObj}, none,
			group(p.ReadWrite, RWX))
	case Temp:
		return list(own, Entry{Tag: GroupObj, Perm: RWX},
			Entry{Tag: Other, Perm: RWX}, group(p.Everyone, RWX))
	case Public:
		return list(own, grp, Entry{Tag: Other, Perm: RX},
			group(p.Everyone, RWX))
	case Board:
		return list(own, Entry{Tag: GroupObj}, none, group(p.Admins, RWX))
	case Archive:
		if base >= Sensitive {
			base = Nested
		}
		return append(folder(base, Nested, p), group(p.Backup, RX)...)
	case Home:
		return list(own, Entry{Tag: GroupObj}, none, user(p.User, RWX))
	}
	return list(own, grp, none)
}

// list joins entries; named ones come as slices that may be empty.
func list(own, grp, other Entry, named ...ACL) ACL {
	a := ACL{own, grp, other}
	for _, n := range named {
		a = append(a, n...)
	}
	return a
}

// user returns a named user entry, or nothing when id is zero.
func user(id uint32, perm uint16) ACL {
	if id == 0 {
		return nil
	}
	return ACL{{Tag: User, Perm: perm, ID: id}}
}

// group returns a named group entry, or nothing when id is zero.
func group(id uint32, perm uint16) ACL {
	if id == 0 {
		return nil
	}
	return ACL{{Tag: Group, Perm: perm, ID: id}}
}
