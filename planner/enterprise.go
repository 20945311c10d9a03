package planner

// The built-in enterprise profile: the department share of ORIGINAL.md, a
// company of a few hundred people in fifteen departments.

// office is the mix of a department share without a specialty: office
// documents, PDFs, mail, images, archives and a little media. Shifts are
// in natural-log units of the size model; the planner centres them per
// folder, so they set which types are big, not how big files are.
var office = []Type{
	{Ext: "docx", Weight: 16, Shift: 0.6},
	{Ext: "xlsx", Weight: 12, Shift: 0.4},
	{Ext: "pdf", Weight: 15, Shift: 1.0},
	{Ext: "pptx", Weight: 4, Shift: 1.6},
	{Ext: "msg", Weight: 5, Shift: 0.3},
	{Ext: "txt", Weight: 5, Shift: -1.6},
	{Ext: "csv", Weight: 3, Shift: -0.4},
	{Ext: "jpg", Weight: 9, Shift: 1.2},
	{Ext: "png", Weight: 6, Shift: 0.2},
	{Ext: "zip", Weight: 3, Shift: 1.8},
	{Ext: "doc", Weight: 3, Shift: 0.4},
	{Ext: "xls", Weight: 2, Shift: 0.4},
	{Ext: "rtf", Weight: 1, Shift: -0.2},
	{Ext: "log", Weight: 2, Shift: -0.6},
	{Ext: "xml", Weight: 2, Shift: -1.0},
	{Ext: "html", Weight: 1, Shift: -0.6},
	{Ext: "gif", Weight: 1, Shift: -0.8},
	{Ext: "mp4", Weight: 0.5, Shift: 3.5},
	{Ext: "pst", Weight: 0.2, Shift: 4.5},
	{Ext: "bak", Weight: 0.3, Shift: 3.0},
	{Ext: "7z", Weight: 0.3, Shift: 2.2},
	{Ext: "iso", Weight: 0.03, Shift: 5.0},
}

// with returns the office mix with some types added or reweighted.
func with(extra ...Type) []Type {
	out := append([]Type(nil), office...)
	for _, e := range extra {
		found := false
		for i := range out {
			if out[i].Ext == e.Ext {
				out[i] = e
				found = true
			}
		}
		if !found {
			out = append(out, e)
		}
	}
	return out
}

// department describes one department of the enterprise profile.
type department struct {
	name    string
	weight  float64
	subs    []string
	words   []string
	types   []Type
	service string
	// special is a folder of the department's own (clients, matters,
	// vendors, campaigns, applications), with the words its
	// subfolders are named from.
	special      string
	specialWords []string
	// legacy names a subfolder that has a legacy sibling, and the
	// sibling's suffix.
	legacy, legacySuffix string
}

var departments = []department{
	{name: "Finance", weight: 12, service: "svc-erp",
		subs:    []string{"Budgets", "Payables", "Receivables", "Tax", "Audit", "Payroll"},
		words:   []string{"Budget", "Invoice", "Forecast", "Ledger", "Expenses", "Payroll", "Audit", "Statement", "Reconciliation", "Accruals"},
		types:   with(Type{Ext: "xlsx", Weight: 24, Shift: 0.4}, Type{Ext: "pdf", Weight: 20, Shift: 0.8}),
		special: "Vendors", specialWords: []string{"Acme Supply", "Northwind", "Contoso", "Globex", "Initech", "Umbrella Services", "Stark Industrial"},
		legacy: "Budgets", legacySuffix: "_OLD"},
	{name: "HR", weight: 7, service: "svc-sync",
		subs:   []string{"Hiring", "Policies", "Training", "Benefits", "Reviews"},
		words:  []string{"Offer", "Policy", "Onboarding", "Benefits", "Review", "Handbook", "Candidate", "Resume", "Contract"},
		types:  with(Type{Ext: "docx", Weight: 24, Shift: 0.5}),
		legacy: "Policies", legacySuffix: "_v2"},
	{name: "Engineering", weight: 14, service: "svc-etl",
		subs:  []string{"Designs", "Specs", "Builds", "Releases", "Tools", "Docs", "Drawings"},
		words: []string{"Spec", "Design", "Drawing", "Release", "Build", "Test", "Architecture", "Schematic", "BOM", "Assembly"},
		types: with(Type{Ext: "dwg", Weight: 6, Shift: 1.6}, Type{Ext: "step", Weight: 3, Shift: 1.9},
			Type{Ext: "log", Weight: 4, Shift: -0.4}, Type{Ext: "zip", Weight: 5, Shift: 2.0},
			Type{Ext: "c", Weight: 2, Shift: -1.2}, Type{Ext: "h", Weight: 2, Shift: -1.6}),
		legacy: "Specs", legacySuffix: "_OLD"},
	{name: "Sales", weight: 10, service: "svc-crm",
		subs:    []string{"Quotes", "Contracts", "Pipeline", "Territories", "Presentations"},
		words:   []string{"Quote", "Proposal", "Forecast", "Pipeline", "Account", "Deal", "Pricing", "Presentation"},
		types:   with(Type{Ext: "pptx", Weight: 10, Shift: 1.6}),
		special: "Clients", specialWords: []string{"Adventure Works", "Fabrikam", "Tailspin Toys", "Wide World Importers", "Litware", "Proseware", "Lucerne Publishing", "Margie Travel"}},
	{name: "Legal", weight: 5, service: "svc-scan",
		subs:    []string{"Contracts", "Compliance", "Templates", "Filings"},
		words:   []string{"Contract", "Agreement", "NDA", "Matter", "Opinion", "Filing", "Amendment", "Memorandum"},
		types:   with(Type{Ext: "pdf", Weight: 25, Shift: 1.0}, Type{Ext: "docx", Weight: 25, Shift: 0.5}),
		special: "Matters", specialWords: []string{"Matter 2019-014", "Matter 2020-031", "Matter 2021-007", "Matter 2022-019", "Matter 2023-002", "Matter 2024-026"}},
	{name: "IT", weight: 8, service: "svc-backup",
		subs:  []string{"Infrastructure", "Scripts", "Licenses", "Backups", "Logs", "Install"},
		words: []string{"Config", "Inventory", "Runbook", "License", "Network", "Backup", "Firewall", "Patch", "Server"},
		types: with(Type{Ext: "ps1", Weight: 4, Shift: -1.4}, Type{Ext: "log", Weight: 10, Shift: 0},
			Type{Ext: "cfg", Weight: 3, Shift: -1.4}, Type{Ext: "msi", Weight: 1, Shift: 3.0},
			Type{Ext: "exe", Weight: 1, Shift: 2.8}, Type{Ext: "vhdx", Weight: 0.05, Shift: 6.0}),
		special: "Applications", specialWords: []string{"SAP", "Exchange", "SharePoint", "Jira", "Salesforce", "Workday", "ServiceNow"},
		legacy: "Scripts", legacySuffix: "_OLD"},
	{name: "Ops", weight: 6, service: "svc-etl",
		subs:  []string{"Procedures", "Reports", "Schedules", "Safety"},
		words: []string{"Procedure", "Shift", "Incident", "Schedule", "Capacity", "Report", "Checklist"},
		types: office},
	{name: "Marketing", weight: 8, service: "svc-web",
		subs:  []string{"Brand", "Events", "Assets", "Web", "Social"},
		words: []string{"Campaign", "Brief", "Logo", "Banner", "Brochure", "Newsletter", "Press Release", "Webinar"},
		types: with(Type{Ext: "psd", Weight: 4, Shift: 3.0}, Type{Ext: "ai", Weight: 2, Shift: 2.0},
			Type{Ext: "jpg", Weight: 16, Shift: 1.4}, Type{Ext: "png", Weight: 10, Shift: 0.6},
			Type{Ext: "mp4", Weight: 2, Shift: 3.8}),
		special: "Campaigns", specialWords: []string{"Spring Launch", "Summer Sale", "Back to School", "Holiday", "Product Tour", "Partner Week"},
		legacy: "Brand", legacySuffix: "_v2"},
	{name: "R&D", weight: 7, service: "svc-etl",
		subs:  []string{"Research", "Experiments", "Prototypes", "Papers"},
		words: []string{"Experiment", "Results", "Prototype", "Paper", "Dataset", "Lab", "Measurement", "Sample"},
		types: with(Type{Ext: "csv", Weight: 10, Shift: 0.6}, Type{Ext: "dat", Weight: 3, Shift: 2.0},
			Type{Ext: "py", Weight: 3, Shift: -1.4}, Type{Ext: "json", Weight: 2, Shift: -0.8})},
	{name: "QA", weight: 4, service: "svc-etl",
		subs:  []string{"TestPlans", "Results", "Defects", "Automation"},
		words: []string{"TestPlan", "TestRun", "Defect", "Coverage", "Regression", "Report"},
		types: with(Type{Ext: "log", Weight: 10, Shift: 0}, Type{Ext: "xml", Weight: 6, Shift: -0.8})},
	{name: "Facilities", weight: 3, service: "svc-print",
		subs:  []string{"Buildings", "Maintenance", "Floorplans", "Leases"},
		words: []string{"Floorplan", "Lease", "WorkOrder", "Inspection", "Maintenance", "Badge"},
		types: with(Type{Ext: "dwg", Weight: 3, Shift: 1.6})},
	{name: "Procurement", weight: 4, service: "svc-erp",
		subs:    []string{"Orders", "RFPs", "Contracts"},
		words:   []string{"PurchaseOrder", "RFP", "Bid", "Vendor", "Quote", "Requisition"},
		types:   office,
		special: "Vendors", specialWords: []string{"Acme Supply", "Northwind", "Contoso", "Globex", "Initech", "Vandelay"}},
	{name: "Logistics", weight: 4, service: "svc-erp",
		subs:  []string{"Shipping", "Inventory", "Carriers", "Customs"},
		words: []string{"Shipment", "Manifest", "Inventory", "Carrier", "Customs", "Waybill"},
		types: office},
	{name: "Training", weight: 3, service: "svc-web",
		subs:  []string{"Courses", "Materials", "Recordings", "Certifications"},
		words: []string{"Course", "Module", "Quiz", "Certificate", "Slides", "Workbook"},
		types: with(Type{Ext: "pptx", Weight: 12, Shift: 1.6}, Type{Ext: "mp4", Weight: 3, Shift: 3.8})},
	{name: "Support", weight: 5, service: "svc-crm",
		subs:  []string{"Tickets", "KnowledgeBase", "Escalations", "Scripts"},
		words: []string{"Ticket", "Article", "Escalation", "Script", "FAQ", "Case"},
		types: with(Type{Ext: "log", Weight: 8, Shift: 0}, Type{Ext: "msg", Weight: 10, Shift: 0.3})},
}

// departmentFolder builds a department's folder: its named subfolders, a
// legacy sibling, its specialty, then the folders every department has.
func departmentFolder(d department) Folder {
	f := Folder{Name: d.name, Weight: d.weight, Words: d.words, Types: d.types, Service: d.service}
	for _, s := range d.subs {
		f.Children = append(f.Children, Folder{Name: s, Weight: 10})
		if s == d.legacy {
			f.Children = append(f.Children, Folder{Name: s + d.legacySuffix, Weight: 3, Kind: "archive"})
		}
	}
	if d.special != "" {
		f.Children = append(f.Children, Folder{Name: d.special, Weight: 12, Empty: true,
			Children: named(d.specialWords)})
	}
	f.Children = append(f.Children,
		Folder{Name: "Archive", Weight: 14, Kind: "archive", Grow: "years", Empty: true},
		Folder{Name: "Projects", Weight: 10, Kind: "project", Grow: "projects", Empty: true},
		Folder{Name: "Users", Weight: 8, Kind: "home", Grow: "users", Empty: true},
		Folder{Name: "Temp", Weight: 2, Kind: "temp"},
		Folder{Name: "Sensitive", Weight: 2, Kind: "sensitive"},
	)
	return f
}

func named(names []string) []Folder {
	out := make([]Folder, len(names))
	for i, n := range names {
		out[i] = Folder{Name: n, Weight: 1}
	}
	return out
}

// enterprise returns the default profile.
func enterprise() *Profile {
	p := &Profile{
		Name:        "enterprise",
		Description: "the department share of a company of a few hundred people",
		Sizes:       "impressions",
		Fanout:      6,
		Types:       office,
		Words: []string{"Report", "Summary", "Notes", "Plan", "Review",
			"Minutes", "Proposal", "Draft", "Overview", "Checklist",
			"Schedule", "Agenda", "Presentation", "Analysis", "Memo",
			"Template", "Forecast", "Status", "Tracker", "Guidelines"},
		First: []string{"Anna", "Brian", "Carla", "David", "Elena", "Frank",
			"Grace", "Hiro", "Irene", "James", "Karen", "Luis", "Maria",
			"Nils", "Olga", "Peter", "Quinn", "Rosa", "Sam", "Tara"},
		Last: []string{"Smith", "Jones", "Garcia", "Miller", "Chen", "Kim",
			"Patel", "Novak", "Silva", "Weber", "Okafor", "Rossi",
			"Larsen", "Dubois", "Tanaka", "Haddad"},
		Names: []string{
			"{word}_{year}_Q{quarter}",
			"{word} {date}",
			"{word}_v{version}",
			"{first}_{word}",
			"{word} {number}",
			"{word} {mon} {year}",
			"{word}_FINAL",
			"{word}_FINAL_v{version}",
			"{word} - {last}",
			"{year}-{month} {word}",
			"Copy of {word}",
			"{word}_{hash}",
			"{word} ({first} {last})",
			"{word}_draft",
		},
		ReadOnly: 5,
		Hidden:   2,
		Zone:     15,
		FileACLs: 3,
		Clutter:  Clutter{DesktopINI: 3, ThumbsDB: 4, LockFiles: 0.4, TempFiles: 0.6},
		Owners:   OwnerMix{Group: 55, User: 25, Service: 5, Former: 10, Admins: 5},
	}
	for _, d := range departments {
		p.Folders = append(p.Folders, departmentFolder(d))
	}
	p.Folders = append(p.Folders,
		Folder{Name: "Shared", Weight: 4},
		Folder{Name: "Public", Weight: 1, Kind: "public"},
		Folder{Name: "Inter-Department", Weight: 2},
		Folder{Name: "Board", Weight: 0.5, Kind: "board",
			Words: []string{"Board Minutes", "Resolution", "Strategy", "Board Pack", "Compensation"}},
		Folder{Name: "Vendors", Weight: 1, Children: named([]string{"Contoso", "Northwind", "Fabrikam", "Globex"})},
		Folder{Name: "Archive", Weight: 3, Kind: "archive", Grow: "years", Empty: true},
		Folder{Name: "Legacy", Weight: 1, Kind: "archive"},
		Folder{Name: "Install", Weight: 0.5, Service: "svc-backup",
			Types: []Type{{Ext: "exe", Weight: 5, Shift: 2.5}, {Ext: "msi", Weight: 5, Shift: 2.8},
				{Ext: "iso", Weight: 1, Shift: 5.5}, {Ext: "zip", Weight: 4, Shift: 2.2}, {Ext: "txt", Weight: 2, Shift: -1.5}},
			Words: []string{"Setup", "Installer", "Driver", "Update", "Client", "Agent"}},
		Folder{Name: "Users", Weight: 2, Kind: "home", Grow: "users", Empty: true},
		Folder{Name: "OLD_Finance", Weight: 1, Kind: "archive", Words: departments[0].words, Types: departments[0].types},
		Folder{Name: "OLD_Sales", Weight: 0.7, Kind: "archive", Words: departments[3].words, Types: departments[3].types},
		Folder{Name: "OLD_Engineering", Weight: 0.7, Kind: "archive", Words: departments[2].words, Types: departments[2].types},
		Folder{Name: "Acquired", Weight: 1, Optional: true,
			Children: named([]string{"Finance", "Sales", "Engineering", "HR", "IT"})},
	)
	return p
}

// DepartmentNames lists the departments of the enterprise profile, which
// are the demo company's.
func DepartmentNames() []string {
	out := make([]string, len(departments))
	for i, d := range departments {
		out[i] = d.name
	}
	return out
}
