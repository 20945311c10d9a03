package planner

// enterprise is the default profile: the department share of a company of
// a few hundred people.
func enterprise() *Profile {
	office := []Type{
		{Ext: "docx", Weight: 16, Shift: 0.9},
		{Ext: "xlsx", Weight: 12, Shift: 0.8},
		{Ext: "pdf", Weight: 16, Shift: 1.3},
		{Ext: "pptx", Weight: 5, Shift: 2.2},
		{Ext: "msg", Weight: 5, Shift: 0.6},
		{Ext: "txt", Weight: 5, Shift: -1.8},
		{Ext: "csv", Weight: 4, Shift: -0.4},
		{Ext: "jpg", Weight: 9, Shift: 1.9},
		{Ext: "png", Weight: 6, Shift: 0.7},
		{Ext: "zip", Weight: 3, Shift: 2.8},
		{Ext: "doc", Weight: 3, Shift: 0.8},
		{Ext: "xls", Weight: 2, Shift: 0.8},
		{Ext: "log", Weight: 2, Shift: -0.5},
		{Ext: "xml", Weight: 2, Shift: -1.0},
		{Ext: "html", Weight: 1, Shift: -0.6},
		{Ext: "mp4", Weight: 0.6, Shift: 5.5},
		{Ext: "pst", Weight: 0.2, Shift: 7.0},
		{Ext: "bak", Weight: 0.3, Shift: 4.5},
		{Ext: "iso", Weight: 0.05, Shift: 8.0},
	}
	dept := func(name string, w float64, subs []string, words []string) Folder {
		f := Folder{Name: name, Weight: w, Words: words}
		for _, s := range subs {
			f.Children = append(f.Children, Folder{Name: s, Weight: 10})
		}
		f.Children = append(f.Children,
			Folder{Name: "Archive", Weight: 12, Kind: "archive", Grow: "years", Empty: true},
			Folder{Name: "Projects", Weight: 8, Kind: "project", Grow: "projects", Empty: true},
			Folder{Name: "Users", Weight: 8, Kind: "home", Grow: "users", Empty: true},
			Folder{Name: "Temp", Weight: 2, Kind: "temp"},
			Folder{Name: "Sensitive", Weight: 2, Kind: "sensitive"},
		)
		return f
	}
	return &Profile{
		Name:         "enterprise",
		Description:  "the department share of a company of a few hundred people",
		Fanout:       6,
		SubtreeFiles: 60,
		ReadOnly:     5,
		Hidden:       2,
		Zone:         15,
		Types:        office,
		Words: []string{"Report", "Summary", "Notes", "Plan", "Review",
			"Minutes", "Proposal", "Draft", "Overview", "Checklist",
			"Schedule", "Agenda", "Presentation", "Analysis", "Memo",
			"Template", "Forecast", "Status", "Tracker", "Guidelines"},
		People: []string{"Anna", "Brian", "Carla", "David", "Elena",
			"Frank", "Grace", "Hiro", "Irene", "James", "Karen", "Luis",
			"Maria", "Nils", "Olga", "Peter", "Quinn", "Rosa", "Sam",
			"Tara", "Smith", "Jones", "Garcia", "Miller", "Chen", "Kim",
			"Patel", "Novak", "Silva", "Weber"},
		Folders: []Folder{
			dept("Finance", 12, []string{"Budgets", "Payables", "Receivables", "Tax", "Audit", "Vendors"},
				[]string{"Budget", "Invoice", "Forecast", "Ledger", "Expenses", "Payroll", "Audit", "Statement"}),
			dept("HR", 7, []string{"Hiring", "Policies", "Training", "Benefits", "Reviews"},
				[]string{"Offer", "Policy", "Onboarding", "Benefits", "Review", "Handbook", "Candidate"}),
			dept("Engineering", 14, []string{"Designs", "Specs", "Builds", "Releases", "Tools", "Docs"},
				[]string{"Spec", "Design", "Drawing", "Release", "Build", "Test", "Architecture"}),
			dept("Sales", 10, []string{"Clients", "Quotes", "Contracts", "Pipeline", "Territories"},
				[]string{"Quote", "Proposal", "Forecast", "Pipeline", "Account", "Deal", "Pricing"}),
			dept("Legal", 5, []string{"Contracts", "Matters", "Compliance", "Templates"},
				[]string{"Contract", "Agreement", "NDA", "Matter", "Opinion", "Filing"}),
			dept("IT", 8, []string{"Applications", "Infrastructure", "Scripts", "Licenses", "Backups"},
				[]string{"Config", "Inventory", "Runbook", "License", "Network", "Backup"}),
			dept("Ops", 6, []string{"Procedures", "Reports", "Schedules", "Safety"},
				[]string{"Procedure", "Shift", "Incident", "Schedule", "Capacity"}),
			dept("Marketing", 8, []string{"Campaigns", "Brand", "Events", "Assets", "Web"},
				[]string{"Campaign", "Brief", "Logo", "Banner", "Brochure", "Newsletter"}),
			dept("R&D", 7, []string{"Research", "Experiments", "Prototypes", "Papers"},
				[]string{"Experiment", "Results", "Prototype", "Paper", "Dataset", "Lab"}),
			dept("QA", 4, []string{"TestPlans", "Results", "Defects", "Automation"},
				[]string{"TestPlan", "TestRun", "Defect", "Coverage", "Regression"}),
			dept("Facilities", 3, []string{"Buildings", "Maintenance", "Floorplans", "Leases"},
				[]string{"Floorplan", "Lease", "WorkOrder", "Inspection", "Maintenance"}),
			dept("Procurement", 4, []string{"Vendors", "Orders", "RFPs", "Contracts"},
				[]string{"PurchaseOrder", "RFP", "Bid", "Vendor", "Quote"}),
			dept("Logistics", 4, []string{"Shipping", "Inventory", "Carriers", "Customs"},
				[]string{"Shipment", "Manifest", "Inventory", "Carrier", "Customs"}),
			dept("Training", 3, []string{"Courses", "Materials", "Recordings", "Certifications"},
				[]string{"Course", "Module", "Quiz", "Certificate", "Slides"}),
			dept("Support", 5, []string{"Tickets", "KnowledgeBase", "Escalations", "Scripts"},
				[]string{"Ticket", "Article", "Escalation", "Script", "FAQ"}),
			{Name: "Shared", Weight: 3},
			{Name: "Public", Weight: 1},
			{Name: "Board", Weight: 0.5},
			{Name: "Users", Weight: 2, Kind: "home", Grow: "users", Empty: true},
		},
	}
}
