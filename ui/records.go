package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// The records pane (key 3) shows one object type at a time: contacts, or
// any type the mirror holds beyond them (companies, deals, tickets, custom
// objects). `]` and `[` step through the types, `:records TYPE` picks one.
// Each type keeps its own pane, so its filter, sort, marks and place stay
// while another type is shown; the owner scope (the users or owners
// selection, a findings group, a holding) is shared and follows the switch.
// Contacts keep their own queries (windowed over a million rows); the other
// types page through Backend.Records the same way.

// recordsState is what the console knows about the types beyond contacts.
type recordsState struct {
	types []portal.RecordType
	// panes holds one pane per type shown so far, "" for contacts; the one
	// shown is also m.panes[paneContacts].
	panes map[hubspot.ObjectType]*pane
	// holdingAt is the holding under the cursor of a card open full size
	// (records_holdings.go).
	holdingAt int
}

type recordTypesMsg struct {
	portal int // the portal generation asked
	types  []portal.RecordType
	err    error
}

// resetRecords starts over with contacts shown and no types known (a new
// model or another portal).
func (m *model) resetRecords() {
	m.rec = recordsState{panes: map[hubspot.ObjectType]*pane{"": m.panes[paneContacts]}}
}

func (m *model) recordReader() (RecordReader, bool) {
	rr, ok := m.b.(RecordReader)
	return rr, ok
}

// loadRecordTypes reads which types the mirror holds; at start and after
// each sync or job.
func (m *model) loadRecordTypes() tea.Cmd {
	rr, ok := m.recordReader()
	if !ok {
		return nil
	}
	ctx, gen := m.ctx, m.portalGen
	return func() tea.Msg {
		types, err := rr.RecordTypes(ctx)
		return recordTypesMsg{portal: gen, types: types, err: err}
	}
}

func (m *model) applyRecordTypes(msg recordTypesMsg) tea.Cmd {
	if msg.portal != m.portalGen {
		return nil
	}
	if msg.err != nil {
		m.setErr("reading the object types", msg.err)
		return nil
	}
	m.rec.types = msg.types
	cur := m.panes[paneContacts].rtype
	if cur != "" && m.recordType(cur) == nil {
		m.msg = "the mirror no longer holds " + m.typeLabel(cur) + "; showing contacts"
		return m.switchType("")
	}
	return nil
}

// recordType is the type t as the mirror describes it, nil for contacts
// and for a type it does not hold.
func (m *model) recordType(t hubspot.ObjectType) *portal.RecordType {
	for i := range m.rec.types {
		if m.rec.types[i].Type == t {
			return &m.rec.types[i]
		}
	}
	return nil
}

// typeName is how `:records` names a type: its plural label in lower case,
// spaces as dashes ("contacts", "deals", "support-cases").
func typeName(rt portal.RecordType) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(sanitize(rt.Plural))), " ", "-")
}

// typeLabel is a type's plural in prose: "contacts", "deals", "projects".
func (m *model) typeLabel(t hubspot.ObjectType) string {
	if t == "" || t == hubspot.ObjectContacts {
		return "contacts"
	}
	if rt := m.recordType(t); rt != nil {
		return strings.ToLower(sanitize(rt.Plural))
	}
	return sanitize(string(t))
}

// paneLabel names a pane in titles, tabs and messages: the records pane by
// the type it shows.
func (m *model) paneLabel(k paneKind) string {
	if k == paneContacts {
		return m.typeLabel(m.panes[paneContacts].rtype)
	}
	return paneNames[k]
}

// typeOrder is every type the records pane can show: contacts first.
func (m *model) typeOrder() []hubspot.ObjectType {
	out := []hubspot.ObjectType{""}
	for _, t := range m.rec.types {
		out = append(out, t.Type)
	}
	return out
}

// cycleType shows the next (step 1) or previous (-1) type.
func (m *model) cycleType(step int) tea.Cmd {
	order := m.typeOrder()
	if len(order) == 1 {
		m.msg = "the mirror holds contacts only; a sync adds the companies, deals, tickets and custom objects the token can read"
		return m.focusRecords()
	}
	i := slices.Index(order, m.panes[paneContacts].rtype)
	next := order[(i+step+len(order))%len(order)]
	return m.switchType(next)
}

// focusRecords focuses the records pane as it is.
func (m *model) focusRecords() tea.Cmd {
	if m.view == viewMain && m.focus == paneContacts {
		return nil
	}
	return m.focusPane(paneContacts)
}

// switchType shows type t ("" for contacts) in the records pane and focuses
// it. Its pane is re-read: kept in place when it was read for the same
// scope, from the top when the scope moved on meanwhile.
func (m *model) switchType(t hubspot.ObjectType) tea.Cmd {
	if t == hubspot.ObjectContacts {
		t = ""
	}
	m.view, m.focus = viewMain, paneContacts
	m.detailZoom, m.resolution = false, nil
	if m.mode == inputFilter {
		m.closeInput() // the filter line edits one type's pane
	}
	if m.scope.of != "" && m.scope.of != typeKey(t) {
		m.scope = m.scope.ownerOnly()
	}
	old := m.panes[paneContacts]
	p := m.rec.panes[t]
	if p == nil {
		p = newPane(paneContacts)
		p.rtype = t
		m.rec.panes[t] = p
	}
	p.height = old.height
	m.panes[paneContacts] = p
	m.layout()
	var load tea.Cmd
	if p.loaded && p.scopeAt == m.scope {
		load = m.refreshContacts()
	} else {
		load = m.reloadContacts()
	}
	return tea.Batch(load, m.selectDetail())
}

// ownerOnly is s without what belongs to one type (a property, a findings
// group): what another type is shown with.
func (s contactScope) ownerOnly() contactScope {
	if s.finding != "" {
		return contactScope{} // a group's owners are of its type only
	}
	return contactScope{owner: s.owner, label: s.who}
}

// recordsQuery is the query of the records pane when it shows a type
// beyond contacts.
func (m *model) recordsQuery() portal.RecordQuery {
	p := m.panes[paneContacts]
	return portal.RecordQuery{Type: p.rtype, Filter: p.filter, OwnerID: m.scope.owner, Property: m.scope.property,
		Finding: m.scope.finding, Sort: p.sort}
}

// countRecordsCmd counts the records pane's rows (contacts or another type).
func (m *model) countRecordsCmd(p *pane) tea.Cmd {
	gen, b, ctx, rtype, pg := p.gen, m.b, m.contactsContext(), p.rtype, m.portalGen
	if rtype == "" {
		q := m.contactsQuery()
		return func() tea.Msg {
			n, err := b.CountContacts(ctx, q)
			return countMsg{gen: gen, portal: pg, n: n, err: err}
		}
	}
	rr, _ := m.recordReader()
	q := m.recordsQuery()
	return func() tea.Msg {
		n, err := rr.CountRecords(ctx, q)
		return countMsg{gen: gen, rtype: rtype, portal: pg, n: n, err: err}
	}
}

// loadRecordWindow is loadWindow for a type beyond contacts.
func (m *model) loadRecordWindow(p *pane, off, limit int) tea.Cmd {
	rr, ok := m.recordReader()
	if !ok {
		return nil
	}
	gen, ctx, q, pg := p.gen, m.ctx, m.recordsQuery(), m.portalGen
	q.Offset, q.Limit = off, limit
	rt := m.typeFor(p.rtype)
	return func() tea.Msg {
		rs, err := rr.Records(ctx, q)
		return rowsMsg{kind: paneContacts, rtype: rt.Type, portal: pg, gen: gen, off: off, rows: recordRows(rs, rt), total: -1, err: err}
	}
}

// typeFor is the description of t for its rows: the mirror's, or a bare one
// naming the type when the mirror's list has not arrived (a findings jump).
func (m *model) typeFor(t hubspot.ObjectType) *portal.RecordType {
	if rt := m.recordType(t); rt != nil {
		c := *rt
		return &c
	}
	return &portal.RecordType{Type: t, Singular: string(t), Plural: string(t)}
}

// allRecords reads every record of the pane's query, up to limit, for
// mark-all and export. capped says the limit stopped it.
func (m *model) allRecords(limit int) func(ctx context.Context) ([]row, bool, error) {
	rr, _ := m.recordReader()
	q := m.recordsQuery()
	rt := m.typeFor(q.Type)
	return func(ctx context.Context) ([]row, bool, error) {
		var rows []row
		for off := 0; off < limit; off += wholeListPage {
			q.Offset, q.Limit = off, wholeListPage
			rs, err := rr.Records(ctx, q)
			if err != nil {
				return nil, false, err
			}
			rows = append(rows, recordRows(rs, rt)...)
			if len(rs) < wholeListPage {
				return rows, false, nil
			}
		}
		return rows, true, nil
	}
}

// recordsCommand runs `:records TYPE`; no type lists them.
func (m *model) recordsCommand(arg string) tea.Cmd {
	if arg == "" {
		names := []string{"contacts"}
		for _, t := range m.rec.types {
			names = append(names, typeName(t))
		}
		m.msg = "records of: " + strings.Join(names, ", ") + " (] and [ step through them)"
		return m.focusRecords()
	}
	want := strings.ToLower(strings.TrimSpace(arg))
	if want == "contacts" || want == "contact" {
		return m.switchType("")
	}
	for _, t := range m.rec.types {
		if want == typeName(t) || want == strings.ToLower(string(t.Type)) || want == strings.ToLower(sanitize(t.Singular)) {
			return m.switchType(t.Type)
		}
	}
	m.err = ":records " + sanitize(arg) + ": the mirror holds no such type; tab completes the types it holds"
	return nil
}

// recordsCompletions are the `:records` arguments: the types by name.
func recordsCompletions(m *model) []string {
	out := []string{"contacts"}
	for _, t := range m.rec.types {
		out = append(out, typeName(t))
	}
	return out
}

func needRecordTypes(m *model) string {
	if _, ok := m.recordReader(); !ok {
		return "this portal connection lists contacts only"
	}
	return ""
}

// scopeLabel describes an owner scope for the pane title: who, and through
// which property when it is not the owner property itself.
func (m *model) propertyLabel(t hubspot.ObjectType, prop string) string {
	if rt := m.recordType(t); rt != nil {
		for _, p := range rt.OwnerProperties {
			if p.Name == prop {
				return sanitize(p.Label)
			}
		}
	}
	return sanitize(prop)
}

// findingScopeLabel names a findings group in the pane title.
func findingScopeLabel(kind string) string {
	switch kind {
	case portal.FindingRecordsDeactivatedOwner:
		return "deactivated owners"
	case portal.FindingRecordsUnknownOwner:
		return "unknown owner IDs"
	case portal.FindingRecordsUserIDAsOwner:
		return "user IDs as owner IDs"
	}
	return kind
}

// jumpToFindingGroup opens a per-type findings group in the records pane:
// its header lists every record of the group, one of its rows the records
// that owner ID holds through the group's property.
func (m *model) jumpToFindingGroup(f *portal.Finding, rec *portal.FindingRecord) tea.Cmd {
	prop := m.propertyLabelFor(f.ObjectType, f.Property)
	s := contactScope{of: typeKey(f.ObjectType), finding: f.Kind, property: f.Property, label: findingScopeLabel(f.Kind) + " in " + prop}
	if rec != nil {
		s.owner = rec.OwnerID
		s.label = prop
	}
	m.scope = s
	m.panes[paneContacts].filter = ""
	if p := m.rec.panes[f.ObjectType]; p != nil {
		p.filter = ""
	}
	return m.switchType(f.ObjectType)
}

// propertyLabelFor is propertyLabel for any type, contacts included.
func (m *model) propertyLabelFor(t hubspot.ObjectType, prop string) string {
	if t == hubspot.ObjectContacts && prop == hubspot.PropOwnerID {
		return "Contact owner"
	}
	return m.propertyLabel(t, prop)
}

// jumpToHolding opens what the person on the card holds of one type
// through one property.
func (m *model) jumpToHolding(c portal.IDCard, h portal.Holding) tea.Cmd {
	if h.Type == hubspot.ObjectContacts && h.Property != hubspot.PropOwnerID {
		// The contacts pane lists contacts by their owner (hubspot_owner_id)
		// only: say so rather than show the wrong contacts.
		m.msg = sanitize(c.Name) + " holds " + holdingWords(h) + ": the contacts pane lists contacts by Contact owner only (hsadmin resolve " + string(c.OwnerID) + " counts these)"
		return nil
	}
	s := contactScope{owner: c.OwnerID, label: sanitize(c.Name), who: sanitize(c.Name)}
	if h.Type != hubspot.ObjectContacts {
		s.of, s.property = h.Type, h.Property
		if h.Property != hubspot.PropOwnerID {
			s.label += " as " + sanitize(h.PropertyLabel)
		}
	}
	m.scope = s
	if p := m.rec.panes[typeKey(h.Type)]; p != nil {
		p.filter = ""
	}
	m.msg = sanitize(c.Name) + " holds " + holdingWords(h)
	return m.switchType(h.Type)
}

// typeKey is the pane key of a type: "" for contacts.
func typeKey(t hubspot.ObjectType) hubspot.ObjectType {
	if t == hubspot.ObjectContacts {
		return ""
	}
	return t
}

// holdingWords is "3 deals as Secondary owner, 1 open", "1 company as
// Company owner", "7 contacts".
func holdingWords(h portal.Holding) string {
	s := "1 " + strings.ToLower(sanitize(h.TypeSingular))
	if h.Count != 1 {
		s = portal.Thousands(h.Count) + " " + strings.ToLower(sanitize(h.TypeLabel))
	}
	if h.Type != hubspot.ObjectContacts || h.Property != hubspot.PropOwnerID {
		s += " as " + sanitize(h.PropertyLabel)
	}
	if h.Open != h.Count {
		s += fmt.Sprintf(", %s open", portal.Thousands(h.Open))
	}
	return s
}
