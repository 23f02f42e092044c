package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// handleKey routes a key press by the rules in overlay.go: the interrupt
// question, then ctrl+c, then the top overlay, then the input line, then
// the view under them.
func (m *model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.interrupt != nil {
		return m.interruptKey(k)
	}
	if k.String() == "ctrl+c" {
		return m.quit()
	}
	if cmd, ok := m.overlayKey(k); ok {
		return cmd
	}
	if m.mode != inputNone {
		return m.handleInputKey(k)
	}
	if cmd, ok := m.jobsViewKey(k); ok {
		return cmd
	}
	a, bound := m.keys.match(k)
	if !bound {
		if w, hidden := m.keys.hiddenWrite(k); hidden {
			m.msg = fmt.Sprintf("%s: the portal is open read-only", m.keys.spec(w).desc)
		}
		return nil
	}
	if why := m.disabledReason(a); why != "" {
		m.msg = fmt.Sprintf("%s: %s", m.keys.spec(a).desc, why)
		return nil
	}
	return m.do(a)
}

// disabledReason says why action a cannot run now, or "". A reason from
// Options.Disabled (set by the caller, e.g. a missing scope) comes first.
func (m *model) disabledReason(a action) string {
	if why := m.opts.Disabled[string(a)]; why != "" {
		return why
	}
	s := m.keys.spec(a)
	if s == nil || s.disabled == nil {
		return ""
	}
	return s.disabled(m)
}

func (m *model) do(a action) tea.Cmd {
	if cmd, ok := m.holdingKey(a); ok {
		return cmd
	}
	p := m.currentPane()
	switch a {
	case actUp:
		return m.move(p.cursor - 1)
	case actDown:
		return m.move(p.cursor + 1)
	case actPageUp:
		return m.move(p.cursor - max(p.height-1, 1))
	case actPageDown:
		return m.move(p.cursor + max(p.height-1, 1))
	case actHome:
		return m.move(0)
	case actEnd:
		return m.move(p.count() - 1)
	case actNextPane:
		return m.focusPane((m.focus + 1) % 3)
	case actPrevPane:
		return m.focusPane((m.focus + 2) % 3)
	case actUsers:
		return m.focusPane(paneUsers)
	case actOwners:
		return m.focusPane(paneOwners)
	case actContacts:
		return m.focusPane(paneContacts)
	case actNextType:
		return m.cycleType(1)
	case actPrevType:
		return m.cycleType(-1)
	case actFindings:
		m.view = viewFindings
		m.detailZoom = false
		m.resolution = nil
		return tea.Batch(m.loadFindings(), m.selectDetail())
	case actAPILog:
		m.view = viewLog
		m.detailZoom = false
		m.resolution = nil
		return m.loadCalls()
	case actOpen:
		if m.view == viewFindings {
			return m.jump()
		}
		m.detailZoom = true
		m.rec.holdingAt = 0
		return nil
	case actBack:
		return m.back()
	case actFilter:
		return m.openFilter()
	case actSort:
		return m.cycleSort()
	case actCommand:
		return m.openCommand()
	case actHelp:
		m.openHelp()
		return nil
	case actMark:
		r := p.current()
		if r == nil {
			return nil
		}
		p.toggleMark(r, p.cursor)
		return m.move(p.cursor + 1)
	case actMarkRange:
		return m.markRange()
	case actMarkAll:
		return m.markAll()
	case actUnmarkAll:
		n := len(p.marks)
		p.clearMarks()
		m.msg = "cleared " + portal.Plural(n, "mark")
		return nil
	case actCopy:
		r := p.current()
		m.msg = fmt.Sprintf("copied %s %s", r.idKind(), r.id())
		return tea.SetClipboard(r.id())
	case actResolve:
		return m.resolveSelected()
	case actRefresh:
		return m.startSync()
	case actChangeTeam:
		return m.startChange(changePrimary)
	case actChangeSecondary:
		return m.startChange(changeSecondary)
	case actChangeRole:
		return m.startChange(changeRole)
	case actOnboard:
		return m.startOnboard()
	case actReassign:
		return m.startReassign()
	case actOffboard:
		return m.startOffboard("")
	case actJobs:
		return m.openJobs()
	case actExport:
		return m.export("csv")
	case actQuit:
		return m.quit()
	}
	return nil
}

// quit closes the console, unless a write is running: then it asks
// first (interrupt.go).
func (m *model) quit() tea.Cmd {
	if what, _ := m.runningWrite(); what != "" {
		m.askInterrupt()
		return nil
	}
	m.stopSync()
	return tea.Quit
}

// move puts the cursor of the current pane on row i and follows the links.
func (m *model) move(i int) tea.Cmd {
	p := m.currentPane()
	before := p.cursor
	p.moveTo(i)
	if p.cursor == before && p.loaded {
		return m.ensureWindowFor(p)
	}
	m.resolution = nil
	return tea.Batch(m.ensureWindowFor(p), m.afterSelect())
}

func (m *model) ensureWindowFor(p *pane) tea.Cmd {
	if p.kind == paneContacts {
		return m.ensureWindow()
	}
	return nil
}

// afterSelect updates what depends on the selection: linked rows in the
// other panes, the contacts scope and the detail card.
func (m *model) afterSelect() tea.Cmd {
	var link tea.Cmd
	if m.view == viewMain {
		link = m.link()
	}
	return tea.Batch(link, m.selectDetail())
}

func (m *model) focusPane(k paneKind) tea.Cmd {
	m.view = viewMain
	m.detailZoom = false
	m.focus = k
	m.resolution = nil
	return m.afterSelect()
}

// link makes the other panes follow the focused users/owners selection:
// a user highlights its owner, an owner its user, and both scope contacts.
func (m *model) link() tea.Cmd {
	switch r := m.panes[m.focus].current().(type) {
	case userItem:
		m.linkedUser, m.linkedOwner = r.UserID, r.OwnerID
		if r.OwnerID != "" {
			m.follow(paneOwners, string(r.OwnerID))
			return m.setScope(contactScope{owner: r.OwnerID, label: r.Name, who: r.Name})
		}
		return m.setScope(contactScope{label: r.Name, empty: fmt.Sprintf("%s (user %s) has no owner, so no contacts", r.Name, r.UserID)})
	case ownerItem:
		m.linkedOwner = r.OwnerID
		m.linkedUser = r.UserID
		if m.linkedUser == "" {
			m.linkedUser = r.UserIDIncludingInactive
		}
		if m.linkedUser != "" {
			m.follow(paneUsers, string(m.linkedUser))
		}
		return m.setScope(contactScope{owner: r.OwnerID, label: r.Name, who: r.Name})
	}
	return nil
}

// follow moves an unfocused pane's cursor onto the linked row, if listed.
func (m *model) follow(k paneKind, key string) {
	p := m.panes[k]
	if i := p.indexOf(key); i >= 0 {
		p.moveTo(i)
	}
}

func (m *model) setScope(s contactScope) tea.Cmd {
	if s == m.scope {
		return nil
	}
	m.scope = s
	return m.reloadContacts()
}

// back closes the innermost thing open: resolution, error, other views,
// the focused pane's filter, then the contacts scope.
func (m *model) back() tea.Cmd {
	p := m.currentPane()
	switch {
	case m.resolution != nil || m.resolving:
		m.resolution, m.resolving = nil, false
		m.resolveSeq++
	case m.detailZoom:
		m.detailZoom = false
	case m.err != "":
		m.err = ""
	case m.view != viewMain:
		m.view = viewMain
		return m.selectDetail()
	case p.filter != "":
		p.filter = ""
		m.keepPlace(p) // the record stays selected in the whole list
		return m.requery(p)
	case m.focus == paneContacts && (m.scope.owner != "" || m.scope.empty != "" || m.scope.finding != ""):
		m.scope = contactScope{}
		m.msg = "showing all " + m.paneLabel(paneContacts)
		return m.reloadContacts()
	}
	return nil
}

// requery reloads a pane after its filter changed.
func (m *model) requery(p *pane) tea.Cmd {
	switch p.kind {
	case paneUsers, paneOwners:
		return m.reload(p.kind)
	case paneContacts:
		return m.reloadContacts()
	}
	return nil
}

// jump opens the records a finding points at in the main panes.
func (m *model) jump() tea.Cmd {
	f, ok := m.currentPane().current().(findingItem)
	if !ok {
		return nil
	}
	rec := f.record()
	if f.f.ObjectType != "" {
		return m.jumpToFindingGroup(f.f, rec) // the group's records, in their type's pane
	}
	if rec == nil {
		if len(f.f.Records) == 0 {
			m.msg = "this finding lists no records"
			return nil
		}
		rec = &f.f.Records[0]
	}
	m.view = viewMain
	switch {
	case rec.ContactID != "":
		m.focus = paneContacts
		p := m.panes[paneContacts]
		m.scope = contactScope{}
		p.filter = string(rec.ContactID)
		p.seek = string(rec.ContactID)
		return m.reloadContacts()
	case rec.UserID != "" && (rec.OwnerID == "" || m.panes[paneUsers].indexOf(string(rec.UserID)) >= 0):
		return m.seekIn(paneUsers, string(rec.UserID))
	case rec.OwnerID != "":
		// A deactivated user is not in the users list, but its archived
		// owner is in the owners list.
		return m.seekIn(paneOwners, string(rec.OwnerID))
	case rec.CRMUserID != "":
		return m.resolve(string(rec.CRMUserID))
	}
	return nil
}

// seekIn focuses a whole-list pane on key, clearing a filter that hides it.
func (m *model) seekIn(k paneKind, key string) tea.Cmd {
	m.focus = k
	p := m.panes[k]
	if i := p.indexOf(key); i >= 0 {
		p.moveTo(i)
		return m.afterSelect()
	}
	p.filter = ""
	p.seek = key
	return m.reload(k)
}

// resolveSelected resolves the ID on the selected row in place: for a
// contact that is its owner ID, the number most often mistaken.
func (m *model) resolveSelected() tea.Cmd {
	switch r := m.currentPane().current().(type) {
	case contactItem:
		if r.OwnerID == "" {
			m.msg = "this contact has no owner ID to resolve"
			return nil
		}
		return m.resolve(string(r.OwnerID))
	case recordItem:
		id := r.resolveTarget()
		if id == "" {
			m.msg = "this " + strings.ToLower(r.t.Singular) + " has no owner ID to resolve"
			return nil
		}
		return m.resolve(string(id))
	case nil:
		return nil
	default:
		return m.resolve(r.id())
	}
}

func (m *model) markRange() tea.Cmd {
	p := m.currentPane()
	from, to := min(p.anchor, p.cursor), max(p.anchor, p.cursor)
	n := 0
	for i := from; i <= to; i++ {
		if r := p.at(i); r != nil && !p.marked(r.key()) {
			p.addMark(r)
			n++
		}
	}
	p.anchor = p.cursor
	m.msg = portal.Plural(n, "row") + " added from the last mark"
	return nil
}

// markAllCap bounds mark-all on contacts: marks are meant for bulk work on a
// reviewed set, and a million marks is a filter, not a selection.
const markAllCap = 100_000

type markAllMsg struct {
	kind   paneKind
	rtype  hubspot.ObjectType
	gen    int
	rows   []row
	capped bool
	err    error
}

func (m *model) markAll() tea.Cmd {
	p := m.currentPane()
	if p.kind != paneContacts {
		return func() tea.Msg { return markAllMsg{kind: p.kind, gen: p.gen, rows: p.rows} }
	}
	m.markingAll = true
	if p.rtype != "" {
		gen, ctx, rtype, read := p.gen, m.ctx, p.rtype, m.allRecords(markAllCap)
		return func() tea.Msg {
			rows, capped, err := read(ctx)
			return markAllMsg{kind: paneContacts, rtype: rtype, gen: gen, rows: rows, capped: capped, err: err}
		}
	}
	gen, b, ctx, q := p.gen, m.b, m.ctx, m.contactsQuery()
	return func() tea.Msg {
		var rows []row
		for off := 0; off < markAllCap; off += wholeListPage {
			q.Offset, q.Limit = off, wholeListPage
			cs, err := b.Contacts(ctx, q)
			if err != nil {
				return markAllMsg{kind: paneContacts, gen: gen, err: err}
			}
			rows = append(rows, contactRows(cs)...)
			if len(cs) < wholeListPage {
				return markAllMsg{kind: paneContacts, gen: gen, rows: rows}
			}
		}
		return markAllMsg{kind: paneContacts, gen: gen, rows: rows, capped: true}
	}
}

func (m *model) applyMarkAll(msg markAllMsg) tea.Cmd {
	if msg.kind == paneContacts {
		m.markingAll = false
	}
	p := m.panes[msg.kind]
	if msg.gen != p.gen || msg.rtype != p.rtype {
		m.msg = "the list changed while marking; mark again"
		return nil
	}
	if msg.err != nil {
		m.setErr("marking", msg.err)
		return nil
	}
	for _, r := range msg.rows {
		p.addMark(r)
	}
	m.msg = "added every filtered row of " + m.paneLabel(p.kind)
	if msg.capped {
		m.msg = fmt.Sprintf("marking stopped at %s rows of %s; narrow the filter", portal.Thousands(markAllCap), m.paneLabel(p.kind))
	}
	return nil
}

// Disabled reasons, shown in help and when the key is pressed.

func needMain(m *model) string {
	if m.view != viewMain {
		return "only in the users, owners and contacts panes"
	}
	return ""
}

func needCallLog(m *model) string {
	if m.calls == nil {
		return "this portal connection keeps no API log"
	}
	return ""
}

func needOpenable(m *model) string {
	if m.view == viewFindings {
		if _, ok := m.currentPane().current().(findingItem); !ok {
			return "no finding selected"
		}
		return ""
	}
	if m.detailZoom {
		if _, hs := m.zoomedHoldings(); len(hs) > 0 {
			return "" // enter opens the holding under the cursor
		}
		return "the ID card is already open; esc closes it"
	}
	if m.currentPane().current() == nil {
		return "nothing selected"
	}
	return ""
}

func needFilterable(m *model) string {
	if m.view != viewMain {
		return "filters apply to users, owners and contacts"
	}
	if m.focus == paneContacts && m.scope.empty != "" {
		return m.scope.empty
	}
	return ""
}

func needIDRow(m *model) string {
	r := m.currentPane().current()
	if r == nil || r.id() == "" {
		return "no row with an ID is selected"
	}
	return ""
}

func needMarkable(m *model) string {
	if m.view != viewMain {
		return "marks apply to users, owners and contacts"
	}
	if m.currentPane().count() == 0 {
		return "nothing to mark"
	}
	return ""
}

func needRangeAnchor(m *model) string {
	if why := needMarkable(m); why != "" {
		return why
	}
	if m.currentPane().anchor < 0 {
		return "mark a row with " + m.keys.hint(actMark) + " first; this marks from there to the cursor"
	}
	return ""
}

func needMarks(m *model) string {
	if len(m.currentPane().marks) == 0 {
		return "nothing is marked in this pane"
	}
	return ""
}

func needIdleSync(m *model) string {
	if m.syncing {
		return "a sync is already running"
	}
	return ""
}

func needExportable(m *model) string {
	if m.exporting {
		return "an export is already running"
	}
	if m.currentPane().count() == 0 {
		return "nothing to export"
	}
	return ""
}
