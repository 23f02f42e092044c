package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// reassignScope is what a request covers: the object types, the owner
// properties of each, and the source owner whose ID is replaced.
type reassignScope struct {
	known  []store.ObjectTypeInfo // every type the mirror knows, in its order
	types  []store.ObjectTypeInfo // the chosen ones
	props  []string               // the properties named; nil for the default
	source hubspot.OwnerID        // "" when the request names no previous owner
}

// writeScopes are the scopes HubSpot asks for writing each type's records.
var writeScopes = map[hubspot.ObjectType]string{
	hubspot.ObjectContacts:  "crm.objects.contacts.write",
	hubspot.ObjectCompanies: "crm.objects.companies.write",
	hubspot.ObjectDeals:     "crm.objects.deals.write",
	hubspot.ObjectTickets:   "tickets",
}

// writeScope is the scope writing type t's records needs.
func writeScope(t hubspot.ObjectType) string {
	if s, ok := writeScopes[t]; ok {
		return s
	}
	return "crm.objects.custom.write"
}

// knownTypes are the mirror's object types; contacts alone for a mirror
// synced before other types were discovered.
func (p *Portal) knownTypes(ctx context.Context) ([]store.ObjectTypeInfo, error) {
	known, err := p.mirror.ObjectTypes(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(known, func(t store.ObjectTypeInfo) bool { return t.Type == hubspot.ObjectContacts }) {
		contacts := standardTypes[0]
		contacts.OwnerProperties = []hubspot.OwnerProperty{{Name: hubspot.PropOwnerID, Label: "Contact owner", HubSpotDefined: true}}
		known = append([]store.ObjectTypeInfo{contacts}, known...)
	}
	return known, nil
}

// scopeOf works out the types and properties a request covers. Named types
// and properties must exist (with a suggestion when one is misspelt); by
// default every type the token can write, or with records given alone,
// their types; a contacts finding or filter alone covers contacts.
func (p *Portal) scopeOf(ctx context.Context, req ReassignRequest, plan *ReassignPlan) (reassignScope, error) {
	known, err := p.knownTypes(ctx)
	if err != nil {
		return reassignScope{}, err
	}
	sc := reassignScope{known: known, props: req.Properties}
	switch {
	case len(req.Objects) > 0:
		for _, name := range req.Objects {
			info, err := findType(known, string(name))
			if err != nil {
				return reassignScope{}, err
			}
			if why := p.info.MissingScope(writeScope(info.Type)); why != "" {
				return reassignScope{}, fmt.Errorf("cannot hand over %s: %s", strings.ToLower(info.Plural), why)
			}
			if !slices.ContainsFunc(sc.types, func(t store.ObjectTypeInfo) bool { return t.Type == info.Type }) {
				sc.types = append(sc.types, info)
			}
		}
	case req.From == "" && (len(req.Contacts) > 0 || len(req.Records) > 0):
		for _, info := range known {
			marked := slices.ContainsFunc(req.Records, func(r RecordRef) bool { return sameType(info, r.Type) })
			if marked || info.Type == hubspot.ObjectContacts && len(req.Contacts) > 0 {
				sc.types = append(sc.types, info)
			}
		}
	case req.From == "":
		sc.types = known[:1] // a finding or a filter of contacts
	default:
		for _, info := range known {
			if why := p.info.MissingScope(writeScope(info.Type)); why != "" {
				plan.Notes = append(plan.Notes, fmt.Sprintf("%s left out: %s", info.Plural, why))
				continue
			}
			sc.types = append(sc.types, info)
		}
	}
	for _, r := range req.Records {
		if !slices.ContainsFunc(sc.types, func(t store.ObjectTypeInfo) bool { return sameType(t, r.Type) }) {
			if _, err := findType(known, string(r.Type)); err != nil {
				return reassignScope{}, err
			}
		}
	}
	return sc, sc.checkProperties()
}

// checkProperties refuses a named property no chosen type has, or one
// HubSpot does not let anyone write.
func (sc reassignScope) checkProperties() error {
	for _, name := range sc.props {
		var names []string
		found := false
		for _, t := range sc.types {
			for _, op := range t.OwnerProperties {
				names = append(names, op.Name)
				if op.Name != name {
					continue
				}
				if op.ReadOnly {
					return fmt.Errorf("%s of %s is read-only in HubSpot: it cannot be handed over", name, strings.ToLower(t.Plural))
				}
				found = true
			}
		}
		if !found {
			msg := fmt.Sprintf("no owner property %q on %s", name, typeList(sc.types))
			if near := nearest(name, names); near != "" {
				msg += "; did you mean " + near + "?"
			}
			return fmt.Errorf("%s (owner properties: %s)", msg, strings.Join(dedupe(names), ", "))
		}
	}
	return nil
}

// propertiesOf are the owner properties of type t a plan looks at: those
// named, or by default every writable one (each then changes only where it
// holds the source owner); with no source owner, hubspot_owner_id alone.
func (sc reassignScope) propertiesOf(t store.ObjectTypeInfo) []hubspot.OwnerProperty {
	var out []hubspot.OwnerProperty
	for _, op := range t.OwnerProperties {
		switch {
		case op.ReadOnly:
		case len(sc.props) > 0:
			if slices.Contains(sc.props, op.Name) {
				out = append(out, op)
			}
		case sc.source != "" || op.Name == hubspot.PropOwnerID:
			out = append(out, op)
		}
	}
	return out
}

// info is the mirror's description of type t.
func (sc reassignScope) info(t hubspot.ObjectType) (store.ObjectTypeInfo, bool) {
	for _, k := range sc.known {
		if sameType(k, t) {
			return k, true
		}
	}
	return store.ObjectTypeInfo{}, false
}

// sameType reports whether name (a type name, ID or label) names info.
func sameType(info store.ObjectTypeInfo, name hubspot.ObjectType) bool {
	n := strings.ToLower(strings.TrimSpace(string(name)))
	switch {
	case n == strings.ToLower(string(info.Type)), n == strings.ToLower(info.Plural), n == strings.ToLower(info.Singular):
		return true
	}
	ids := map[hubspot.ObjectType]string{hubspot.ObjectContacts: "0-1", hubspot.ObjectCompanies: "0-2", hubspot.ObjectDeals: "0-3", hubspot.ObjectTickets: "0-5"}
	return ids[info.Type] == n
}

// findType reads a typed object type: its name, ID (0-3, 2-123) or label.
func findType(known []store.ObjectTypeInfo, name string) (store.ObjectTypeInfo, error) {
	for _, k := range known {
		if sameType(k, hubspot.ObjectType(name)) {
			return k, nil
		}
	}
	var names []string
	for _, k := range known {
		names = append(names, strings.ToLower(k.Plural))
	}
	msg := fmt.Sprintf("unknown object type %q", name)
	if near := nearest(strings.ToLower(name), names); near != "" {
		msg += "; did you mean " + near + "?"
	}
	return store.ObjectTypeInfo{}, fmt.Errorf("%s (the mirror knows %s; sync if the type is new)", msg, strings.Join(names, ", "))
}

func typeList(types []store.ObjectTypeInfo) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = strings.ToLower(t.Plural)
	}
	return joinStrings(names)
}

// nearest is the candidate closest to word, when it is close enough to be
// a slip of the keyboard.
func nearest(word string, candidates []string) string {
	best, bestD := "", len(word)/2+1
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
