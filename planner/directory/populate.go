package directory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// Changes lists what Populate, Reset or Orphan did, or would do on a
// dry run, by DN.
type Changes struct {
	Added    []string
	Modified []string // members added to an existing group
	Deleted  []string
	// Skipped are objects left alone: an untagged object where the
	// company wants one, or a tagged unit still holding other objects.
	Skipped []string
	Queries int
	DryRun  bool
}

// Empty reports whether nothing was, or would be, changed.
func (c Changes) Empty() bool {
	return len(c.Added)+len(c.Modified)+len(c.Deleted) == 0
}

// String summarizes the counts.
func (c Changes) String() string {
	verb := ""
	if c.DryRun {
		verb = " (dry run)"
	}
	return fmt.Sprintf("%d added, %d modified, %d deleted, %d skipped, "+
		"%d queries%s", len(c.Added), len(c.Modified), len(c.Deleted),
		len(c.Skipped), c.Queries, verb)
}

// existing is an entry found under the company's unit.
type existing struct {
	tagged  bool
	members map[string]bool // dnKey of each member
}

// Populate creates the objects of spec under cfg.Base that are missing
// and adds missing members to groups it created before, so running it
// twice changes nothing the second time. An object at one of the
// company's DNs that lacks the tag is left alone and reported as
// skipped. With dryRun it only reports. The bind DN needs rights to
// create units, users and groups.
func Populate(ctx context.Context, cfg Config, spec Company,
	dryRun bool) (Changes, error) {
	ch, err := populate(ctx, cfg, spec, dryRun)
	return ch, redact(err, cfg.Password)
}

func populate(ctx context.Context, cfg Config, spec Company,
	dryRun bool) (ch Changes, err error) {
	ch.DryRun = dryRun
	cfg, err = cfg.withDefaults()
	if err != nil {
		return ch, err
	}
	c, err := dial(ctx, cfg)
	if err != nil {
		return ch, err
	}
	defer c.Close()
	defer func() { ch.Queries = c.queries }()

	at := cfg.Attrs
	objs := spec.objects(cfg.Base, at)
	have := map[string]existing{}
	err = c.search(ctx, objs[0].dn, "(objectClass=*)",
		[]string{at.Description, at.Member}, func(e *ldap.Entry) error {
			x := existing{
				tagged: strings.HasPrefix(
					e.GetAttributeValue(at.Description), Tag),
				members: map[string]bool{},
			}
			ms, err := c.values(ctx, e, at.Member)
			for _, m := range ms {
				x.members[dnKey(m)] = true
			}
			have[dnKey(e.DN)] = x
			return err
		})
	if err != nil && !ldap.IsErrorWithCode(err,
		ldap.LDAPResultNoSuchObject) {
		return ch, err
	}

	for _, o := range objs {
		if err := ctx.Err(); err != nil {
			return ch, err
		}
		x, ok := have[dnKey(o.dn)]
		switch {
		case !ok:
			ch.Added = append(ch.Added, o.dn)
			if !dryRun {
				if err := c.add(o, at); err != nil {
					return ch, err
				}
			}
		case !x.tagged:
			ch.Skipped = append(ch.Skipped, o.dn)
		default:
			var missing []string
			for _, m := range o.members {
				if !x.members[dnKey(m)] {
					missing = append(missing, m)
				}
			}
			if len(missing) == 0 {
				continue
			}
			ch.Modified = append(ch.Modified, o.dn)
			if !dryRun {
				if err := c.addMembers(o.dn, missing, at); err != nil {
					return ch, err
				}
			}
		}
	}
	return ch, nil
}

func (c *conn) add(o object, at Attributes) error {
	req := ldap.NewAddRequest(o.dn, nil)
	req.Attribute("objectClass", []string{o.class})
	// Active Directory fills in the naming attribute; others want it.
	if d, err := ldap.ParseDN(o.dn); err == nil && len(d.RDNs) > 0 {
		a := d.RDNs[0].Attributes[0]
		req.Attribute(strings.ToLower(a.Type), []string{a.Value})
	}
	req.Attribute(at.Description, []string{tag(o.role)})
	keys := make([]string, 0, len(o.attrs))
	for k := range o.attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		req.Attribute(k, []string{o.attrs[k]})
	}
	if len(o.members) > 0 {
		req.Attribute(at.Member, o.members)
	}
	c.queries++
	if err := c.c.Add(req); err != nil {
		return fmt.Errorf("%w: add %s: %w", ErrWrite, o.dn,
			redact(err, c.cfg.Password))
	}
	return nil
}

func (c *conn) addMembers(dn string, members []string, at Attributes) error {
	req := ldap.NewModifyRequest(dn, nil)
	req.Add(at.Member, members)
	c.queries++
	if err := c.c.Modify(req); err != nil {
		return fmt.Errorf("%w: add members to %s: %w", ErrWrite, dn,
			redact(err, c.cfg.Password))
	}
	return nil
}

// Reset deletes every object under cfg.Base whose description starts
// with [Tag], children before parents, and nothing else. A tagged unit
// that still holds an untagged object is left in place and reported as
// skipped. With dryRun it only reports.
func Reset(ctx context.Context, cfg Config, dryRun bool) (Changes, error) {
	return deleteTagged(ctx, cfg, "("+descAttr(cfg)+"="+
		ldap.EscapeFilter(Tag)+"*)", dryRun)
}

// Orphan deletes the former employees Populate created, so that the ids
// files got from them no longer resolve. It is idempotent.
func Orphan(ctx context.Context, cfg Config) (Changes, error) {
	return deleteTagged(ctx, cfg, "("+descAttr(cfg)+"="+
		ldap.EscapeFilter(tag(roleFormer))+")", false)
}

func descAttr(cfg Config) string {
	return cfg.Attrs.withDefaults().Description
}

func deleteTagged(ctx context.Context, cfg Config, filter string,
	dryRun bool) (Changes, error) {
	ch, err := deleteTaggedIn(ctx, cfg, filter, dryRun)
	return ch, redact(err, cfg.Password)
}

func deleteTaggedIn(ctx context.Context, cfg Config, filter string,
	dryRun bool) (ch Changes, err error) {
	ch.DryRun = dryRun
	cfg, err = cfg.withDefaults()
	if err != nil {
		return ch, err
	}
	c, err := dial(ctx, cfg)
	if err != nil {
		return ch, err
	}
	defer c.Close()
	defer func() { ch.Queries = c.queries }()

	var dns []string
	err = c.search(ctx, cfg.Base, filter, []string{"1.1"},
		func(e *ldap.Entry) error {
			dns = append(dns, e.DN)
			return nil
		})
	if err != nil {
		return ch, err
	}

	// Deepest first, so units are empty when their turn comes.
	depth := func(dn string) int {
		d, err := ldap.ParseDN(dn)
		if err != nil {
			return strings.Count(dn, ",")
		}
		return len(d.RDNs)
	}
	slices.SortFunc(dns, func(a, b string) int {
		return cmp.Or(depth(b)-depth(a), strings.Compare(a, b))
	})
	for _, dn := range dns {
		if err := ctx.Err(); err != nil {
			return ch, err
		}
		if dryRun {
			ch.Deleted = append(ch.Deleted, dn)
			continue
		}
		c.queries++
		err := c.c.Del(ldap.NewDelRequest(dn, nil))
		switch {
		case err == nil:
			ch.Deleted = append(ch.Deleted, dn)
		case ldap.IsErrorWithCode(err, ldap.LDAPResultNotAllowedOnNonLeaf):
			ch.Skipped = append(ch.Skipped, dn)
		case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject):
		default:
			return ch, fmt.Errorf("%w: delete %s: %w", ErrWrite, dn,
				redact(err, c.cfg.Password))
		}
	}
	return ch, nil
}
