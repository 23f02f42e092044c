package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// Reassigning records of every type: `o` on marked (or the selected)
// records of any type, on an owner (everything they hold), or on one owner
// of a per-type findings group. The plan counts per type and property and
// offers choices, each re-planned when toggled: the object types, the owner
// properties, "with related records" and "skip closed deals".

// recordsSelection is what `o` acts on in the records pane showing a type
// beyond contacts: the marked records, else the selected one.
func recordsSelection(p *pane) (portal.ReassignRequest, string, string) {
	var refs []portal.RecordRef
	var singular, plural string
	for _, key := range p.markOrder {
		if r, ok := p.marks[key].(recordItem); ok {
			refs = append(refs, portal.RecordRef{Type: r.Type, ID: r.ID})
			singular, plural = strings.ToLower(r.t.Singular), strings.ToLower(r.t.Plural)
		}
	}
	if len(refs) == 1 {
		return portal.ReassignRequest{Records: refs}, "1 marked " + singular, ""
	}
	if len(refs) > 0 {
		return portal.ReassignRequest{Records: refs}, portal.Thousands(len(refs)) + " marked " + plural, ""
	}
	r, ok := p.current().(recordItem)
	if !ok {
		return portal.ReassignRequest{}, "", "no record selected"
	}
	who := r.Name
	if who == "" {
		who = r.idKind() + " " + string(r.ID)
	}
	return portal.ReassignRequest{Records: []portal.RecordRef{{Type: r.Type, ID: r.ID}}}, who, ""
}

// ownerSelection is what `o` acts on for an owner: everything they hold,
// every type and property (the plan's choices narrow it). An owner whose
// card says they hold nothing is refused.
func (m *model) ownerSelection(o ownerItem) (portal.ReassignRequest, string, string) {
	req := portal.ReassignRequest{From: "owner:" + string(o.OwnerID)}
	if _, ok := m.recordReader(); !ok || len(m.rec.types) == 0 {
		if o.ContactCount == 0 {
			return portal.ReassignRequest{}, "", sanitize(o.Name) + " holds no contacts"
		}
		return req, sanitize(o.Name) + "'s contacts", ""
	}
	if c, ok := m.cards["o:"+string(o.OwnerID)]; ok && c.err == nil && len(c.card.Holdings) == 0 && o.ContactCount == 0 {
		return portal.ReassignRequest{}, "", sanitize(o.Name) + " holds no records"
	}
	return req, sanitize(o.Name) + "'s records", ""
}

// reassignScope is the write scope `o` needs where the cursor is: the
// records pane's type, a findings group's type, else contacts'. An owner's
// records span types: the plan leaves out those the token cannot write and
// says so, so none is asked for up front.
func (m *model) reassignScope() string {
	switch {
	case m.view == viewMain && m.focus == paneContacts && m.panes[paneContacts].rtype != "":
		return portal.WriteScope(m.panes[paneContacts].rtype)
	case m.view == viewMain && m.focus == paneOwners && len(m.rec.types) > 0:
		return ""
	case m.view == viewFindings:
		if f, ok := m.currentPane().current().(findingItem); ok && f.f.ObjectType != "" {
			return portal.WriteScope(f.f.ObjectType)
		}
	}
	return "crm.objects.contacts.write"
}

// findingGroupSelection is what `o` acts on in a per-type findings group:
// one owner ID's records of the group's type through its property. The
// group's header holds many owners; their records are listed by enter.
func findingGroupSelection(f findingItem) (portal.ReassignRequest, string, string) {
	rec := f.record()
	if rec == nil || rec.OwnerID == "" {
		return portal.ReassignRequest{}, "", "pick one owner ID of the group (enter lists the group's records to mark)"
	}
	req := portal.ReassignRequest{From: "owner:" + string(rec.OwnerID), Objects: []hubspot.ObjectType{f.f.ObjectType},
		Properties: []string{f.f.Property}}
	return req, fmt.Sprintf("%s of owner ID %s", strings.ToLower(sanitize(f.f.Title)), rec.OwnerID), ""
}

// planChoice is one toggle of the plan screen.
type planChoice struct {
	label string
	on    bool
	flip  func(req *portal.ReassignRequest, on bool)
}

// multiType says whether the flow plans across types and properties (the
// choices apply), rather than over contacts alone as before.
func (f *reassignFlow) multiType() bool {
	return f.plan.UndoOf == 0 && (len(f.req.Records) > 0 || len(f.req.Objects) > 0 || f.typesKnown)
}

// planChoices lists the toggles for the flow's plan: each type the mirror
// holds, each owner property of the chosen types, then the two options.
// A type or property is on when the request names it, or, when it names
// none, when the plan changes it.
func (m *model) planChoices(f *reassignFlow) []planChoice {
	var out []planChoice
	types := m.reassignTypes(f)
	inPlanType := func(t hubspot.ObjectType) bool {
		return slices.ContainsFunc(f.plan.PerType, func(c portal.TypeCount) bool { return typeKey(c.Type) == typeKey(t) })
	}
	for _, t := range types {
		on := inPlanType(t)
		if f.req.Objects != nil {
			on = slices.ContainsFunc(f.req.Objects, func(o hubspot.ObjectType) bool { return typeKey(o) == typeKey(t) })
		}
		out = append(out, planChoice{label: m.typeLabel(t), on: on, flip: func(req *portal.ReassignRequest, on bool) {
			req.Objects = toggled(explicitTypes(req.Objects, f, types, inPlanType), t, on)
		}})
	}
	props := m.reassignProperties(f, types)
	inPlanProp := func(name string) bool {
		return slices.ContainsFunc(f.plan.PerProperty, func(c portal.PropertyCount) bool { return c.Property == name })
	}
	for _, p := range props {
		on := inPlanProp(p.name)
		if f.req.Properties != nil {
			on = slices.Contains(f.req.Properties, p.name)
		}
		name := p.name
		out = append(out, planChoice{label: p.label, on: on, flip: func(req *portal.ReassignRequest, on bool) {
			if req.Properties == nil {
				for _, q := range props {
					if inPlanProp(q.name) {
						req.Properties = append(req.Properties, q.name)
					}
				}
			}
			req.Properties = toggled(req.Properties, name, on)
		}})
	}
	out = append(out,
		planChoice{label: "with related records", on: f.req.WithRelated, flip: func(req *portal.ReassignRequest, on bool) { req.WithRelated = on }},
		planChoice{label: "skip closed deals", on: f.req.SkipClosedDeals, flip: func(req *portal.ReassignRequest, on bool) { req.SkipClosedDeals = on }})
	return out
}

// explicitTypes is the request's types, or, when it names none, those the
// plan changes.
func explicitTypes(objects []hubspot.ObjectType, f *reassignFlow, types []hubspot.ObjectType, inPlan func(hubspot.ObjectType) bool) []hubspot.ObjectType {
	if objects != nil {
		return objects
	}
	out := []hubspot.ObjectType{}
	for _, t := range types {
		if inPlan(t) {
			out = append(out, t)
		}
	}
	return out
}

func toggled[T comparable](list []T, v T, on bool) []T {
	list = slices.DeleteFunc(slices.Clone(list), func(x T) bool { return x == v })
	if on {
		list = append(list, v)
	}
	if list == nil {
		list = []T{} // nothing chosen is a choice, not the default
	}
	return list
}

// reassignTypes are the types a flow may choose from: those of its marked
// records, else every type the mirror holds, contacts first.
func (m *model) reassignTypes(f *reassignFlow) []hubspot.ObjectType {
	if len(f.req.Records) > 0 {
		var out []hubspot.ObjectType
		for _, r := range f.req.Records {
			if !slices.Contains(out, r.Type) {
				out = append(out, r.Type)
			}
		}
		return out
	}
	out := []hubspot.ObjectType{hubspot.ObjectContacts}
	for _, t := range m.rec.types {
		out = append(out, t.Type)
	}
	return out
}

type propChoice struct{ name, label string }

// reassignProperties are the owner properties of the types, by name, in
// the types' order; hubspot_owner_id once.
func (m *model) reassignProperties(f *reassignFlow, types []hubspot.ObjectType) []propChoice {
	var out []propChoice
	add := func(name, label string) {
		if !slices.ContainsFunc(out, func(p propChoice) bool { return p.name == name }) {
			out = append(out, propChoice{name, label})
		}
	}
	add(hubspot.PropOwnerID, hubspot.PropOwnerID)
	for _, t := range types {
		if rt := m.recordType(t); rt != nil {
			for _, p := range rt.OwnerProperties {
				add(p.Name, sanitize(p.Label)+" ("+sanitize(p.Name)+")")
			}
		}
	}
	for _, c := range f.plan.PerProperty { // a property the plan has that the types' list lacks
		add(c.Property, sanitize(c.Label)+" ("+sanitize(c.Property)+")")
	}
	return out
}

// planChoiceKey handles the plan screen's choice keys: tab and shift+tab
// move between the choices, space toggles the one under the cursor and
// plans again. ok is false for other keys or plans without choices.
func (m *model) planChoiceKey(f *reassignFlow, ks string) (tea.Cmd, bool) {
	if !f.multiType() {
		return nil, false
	}
	choices := m.planChoices(f)
	switch ks {
	case "tab":
		f.choice = (f.choice + 1) % len(choices)
	case "shift+tab":
		f.choice = (f.choice + len(choices) - 1) % len(choices)
	case "space":
		c := choices[min(f.choice, len(choices)-1)]
		req := f.req
		c.flip(&req, !c.on)
		f.req.Objects, f.req.Properties, f.req.WithRelated, f.req.SkipClosedDeals = req.Objects, req.Properties, req.WithRelated, req.SkipClosedDeals
		return m.planWith(f, f.req.To), true
	default:
		return nil, false
	}
	return nil, true
}

// choiceLines draws the plan's choices, the one under the cursor marked.
func (m *model) choiceLines(f *reassignFlow, inner int) []string {
	if !f.multiType() {
		return nil
	}
	out := []string{"", m.st.dim.Render("choices (tab moves, space toggles and plans again):")}
	var tokens []string
	for i, c := range m.planChoices(f) {
		box := "[ ] "
		if c.on {
			box = "[x] "
		}
		t := box + c.label
		if i == f.choice {
			t = m.st.cursor.Render(t)
		}
		tokens = append(tokens, t)
	}
	return append(out, flow(tokens, "  ", inner)...)
}

// perPropertyLines are the plan's counts per type and owner property.
func (m *model) perPropertyLines(p portal.ReassignPlan) []string {
	if len(p.PerProperty) == 0 || (len(p.PerProperty) == 1 && typeKey(p.PerProperty[0].Type) == "" && p.PerProperty[0].Property == hubspot.PropOwnerID) {
		return nil // contacts' owner alone: the lines above say it all
	}
	out := []string{""}
	for _, c := range p.PerProperty {
		out = append(out, fmt.Sprintf("%8s  %s · %s (%s)", portal.Thousands(c.Count), sanitize(c.TypeLabel), sanitize(c.Label), sanitize(c.Property)))
	}
	return out
}

// planContactsOnly says whether a plan changes contacts' owners alone, as
// every plan did before other types.
func planContactsOnly(p portal.ReassignPlan) bool {
	return !slices.ContainsFunc(p.Items, func(it portal.ReassignItem) bool { return !contactOwnerItem(it) })
}

func contactOwnerItem(it portal.ReassignItem) bool {
	return typeKey(it.Type) == "" && (it.Property == "" || it.Property == hubspot.PropOwnerID)
}

// sampleLine is one item of the plan's sample: contacts as before, other
// records with their type and the property that changes.
func sampleLine(it portal.ReassignItem) string {
	name := sanitize(it.Name)
	if name == "" {
		name = sanitize(it.Email)
	}
	if contactOwnerItem(it) {
		return fmt.Sprintf("%-12s %s %s → %s", it.ContactID, pad(name, 29), ownerShort(it.From), ownerShort(it.To))
	}
	what := string(it.Type) + " " + string(it.RecordID)
	s := fmt.Sprintf("%-12s %s %s: %s → %s", what, pad(name, 22), sanitize(it.Property), ownerShort(it.From), ownerShort(it.To))
	if it.Multi && it.Before != "" {
		s += fmt.Sprintf(" (%s → %s)", sanitize(it.Before), sanitize(it.After))
	}
	return s
}
