package directory

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Tag starts the description of every object [Populate] creates; [Reset]
// deletes exactly the objects whose description starts with it.
const Tag = "filegen-demo"

// Roles written after the tag, as "filegen-demo role=former".
const (
	roleOU       = "ou"
	roleEmployee = "employee"
	roleService  = "service"
	roleFormer   = "former"
	roleGroup    = "group"
)

// roleOf reads a description written by Populate.
func roleOf(desc string) (service, former bool) {
	if !strings.HasPrefix(desc, Tag) {
		return false, false
	}
	return strings.Contains(desc, "role="+roleService),
		strings.Contains(desc, "role="+roleFormer)
}

func tag(role string) string { return Tag + " role=" + role }

// Departments are the fifteen departments of the demo company.
var Departments = []string{
	"Finance", "HR", "Engineering", "Sales", "Legal", "IT", "Ops",
	"Marketing", "R&D", "QA", "Facilities", "Procurement", "Logistics",
	"Training", "Support",
}

// Company describes the demo company [Populate] creates.
type Company struct {
	Seed        uint64
	OU          string   // name of the top organizational unit
	Departments []string // department names
	Users       int      // employees, former ones included
	Services    int      // service accounts
	Former      int      // employees marked former
	Contractors int      // employees also in the contractors group
	// IDBase is the first uidNumber and gidNumber written; 0 writes no
	// RFC 2307 ids and leaves ids to the SID mapping.
	IDBase uint32
}

// Demo returns the company of the toolkit filegen replaces: fifteen
// departments, 360 employees of whom 40 are former, ten service
// accounts, 24 contractors.
func Demo(seed uint64) Company {
	return Company{
		Seed: seed, OU: "Filegen Demo", Departments: Departments,
		Users: 360, Services: 10, Former: 40, Contractors: 24,
		IDBase: 300000,
	}
}

// Global and domain-local security group types of Active Directory.
const (
	groupGlobal = "-2147483646"
	groupLocal  = "-2147483644"
)

// object is one entry the company consists of.
type object struct {
	dn      string
	class   string // organizationalUnit, user or group
	attrs   map[string]string
	members []string // DNs, for groups
	role    string
}

var services = []string{
	"svc-backup", "svc-sql", "svc-web", "svc-scan", "svc-print",
	"svc-crm", "svc-erp", "svc-av", "svc-etl", "svc-sync",
}

// objects lays out the company under base in creation order: units,
// users, global groups, then domain-local groups that nest them.
func (c Company) objects(base string, at Attributes) []object {
	rng := rand.New(rand.NewPCG(c.Seed, 0x66696c6567656e))
	root := "OU=" + escape(c.OU) + "," + base
	ou := func(name, parent string) object {
		return object{dn: "OU=" + escape(name) + "," + parent,
			class: "organizationalUnit", role: roleOU}
	}
	deptOU := ou("Departments", root)
	svcOU := ou("Service Accounts", root)
	grpOU := ou("Groups", root)
	objs := []object{
		{dn: root, class: "organizationalUnit", role: roleOU},
		deptOU, svcOU, grpOU,
	}
	for _, d := range c.Departments {
		objs = append(objs, ou(d, deptOU.dn))
	}

	id := c.IDBase
	next := func() string {
		if c.IDBase == 0 {
			return ""
		}
		id++
		return fmt.Sprint(id - 1)
	}
	groupID := map[string]string{}
	for _, d := range c.Departments {
		groupID[d] = next()
	}
	for _, n := range []string{"All-Employees", "Contractors",
		"Backup-Operators", "Administrators-Demo"} {
		groupID[n] = next()
	}

	// Employees: names drawn from the seed, unique, spread evenly.
	taken := map[string]bool{}
	deptUsers := map[string][]string{}
	var all, contractors []string
	formerEvery := 0
	if c.Former > 0 {
		formerEvery = c.Users / c.Former
	}
	contractorEvery := 0
	if c.Contractors > 0 {
		contractorEvery = c.Users / c.Contractors
	}
	for i := range c.Users {
		d := c.Departments[i%len(c.Departments)]
		first := firstNames[rng.IntN(len(firstNames))]
		last := lastNames[rng.IntN(len(lastNames))]
		name := account(first, last, taken)
		role := roleEmployee
		if formerEvery > 0 && i%formerEvery == formerEvery-1 &&
			i/formerEvery < c.Former {
			role = roleFormer
		}
		dn := "CN=" + escape(name) + ",OU=" + escape(d) + "," + deptOU.dn
		u := object{dn: dn, class: "user", role: role, attrs: map[string]string{
			at.Name: name, "givenName": first, "sn": last,
			at.Department: d,
		}}
		if uid := next(); uid != "" {
			u.attrs[at.UID] = uid
			u.attrs[at.GID] = groupID[d]
		}
		objs = append(objs, u)
		deptUsers[d] = append(deptUsers[d], dn)
		all = append(all, dn)
		if contractorEvery > 0 && i%contractorEvery == 0 &&
			len(contractors) < c.Contractors {
			contractors = append(contractors, dn)
		}
	}

	var svcDNs []string
	for i := range min(c.Services, len(services)) {
		dn := "CN=" + services[i] + "," + svcOU.dn
		u := object{dn: dn, class: "user", role: roleService,
			attrs: map[string]string{at.Name: services[i]}}
		if uid := next(); uid != "" {
			u.attrs[at.UID] = uid
			u.attrs[at.GID] = groupID["Backup-Operators"]
		}
		objs = append(objs, u)
		svcDNs = append(svcDNs, dn)
	}

	group := func(name, typ string, gid string, members []string) object {
		g := object{dn: "CN=" + escape(name) + "," + grpOU.dn,
			class: "group", role: roleGroup, members: members,
			attrs: map[string]string{at.Name: name, "groupType": typ}}
		if gid != "" {
			g.attrs[at.GID] = gid
		}
		return g
	}
	var locals []object
	for _, d := range c.Departments {
		gg := group("GG-"+short(d), groupGlobal, groupID[d], deptUsers[d])
		objs = append(objs, gg)
		for _, acc := range []string{"RW", "RO"} {
			locals = append(locals, group("DL-"+short(d)+"-"+acc,
				groupLocal, next(), []string{gg.dn}))
		}
	}
	backup := svcDNs[:min(1, len(svcDNs))]
	objs = append(objs,
		group("All-Employees", groupGlobal, groupID["All-Employees"], all),
		group("Contractors", groupGlobal, groupID["Contractors"],
			contractors),
		group("Backup-Operators", groupGlobal,
			groupID["Backup-Operators"], backup),
		group("Administrators-Demo", groupGlobal,
			groupID["Administrators-Demo"], nil),
	)
	return append(objs, locals...)
}

// short makes a department name fit an account name: letters and digits.
func short(d string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, d)
}

// account returns first.last in lower case, at most 20 characters (the
// limit of sAMAccountName), with a number added when taken.
func account(first, last string, taken map[string]bool) string {
	base := strings.ToLower(first + "." + last)
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s%d", base, n)
		}
		if len(name) > 20 {
			suffix := name[len(base):]
			name = base[:20-len(suffix)] + suffix
		}
		if !taken[name] {
			taken[name] = true
			return name
		}
	}
}

// escape escapes a value for use in a DN.
func escape(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `,`, `\,`, `+`, `\+`, `"`, `\"`,
		`<`, `\<`, `>`, `\>`, `;`, `\;`, `=`, `\=`)
	v = r.Replace(v)
	if strings.HasPrefix(v, "#") || strings.HasPrefix(v, " ") {
		v = `\` + v
	}
	return v
}

var firstNames = []string{
	"Adam", "Alice", "Amir", "Anna", "Ben", "Carla", "Chen", "Chloe",
	"Daniel", "Diana", "Elena", "Emma", "Eric", "Fatima", "Felix",
	"Grace", "Hana", "Henry", "Ines", "Ivan", "Jack", "Jana", "Jonas",
	"Julia", "Karl", "Kim", "Laura", "Leo", "Lina", "Lucas", "Maria",
	"Marta", "Max", "Mia", "Nina", "Noah", "Olga", "Omar", "Paul",
	"Petra", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Simon", "Sofia",
	"Tariq", "Tom", "Vera", "Victor", "Yara", "Yusuf", "Zoe",
}

var lastNames = []string{
	"Adams", "Baker", "Berg", "Brown", "Castro", "Clark", "Costa",
	"Davis", "Dubois", "Evans", "Fischer", "Garcia", "Green", "Hall",
	"Hansen", "Ito", "Jensen", "Khan", "Klein", "Kowalski", "Lee",
	"Lopez", "Martin", "Meyer", "Moreau", "Nagy", "Novak", "Olsen",
	"Park", "Patel", "Perez", "Quinn", "Rossi", "Sato", "Schmidt",
	"Silva", "Singh", "Smith", "Tanaka", "Taylor", "Torres", "Vogel",
	"Walker", "Weber", "White", "Wilson", "Young", "Zhang",
}
