package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// Results carry the generation of the request that produced them; Update
// drops any whose generation is no longer current.

type rowsMsg struct {
	kind  paneKind
	rtype hubspot.ObjectType // the records pane's type, "" for contacts
	// portal is the portal generation a records page was read from: a
	// type's pane made after a :portal switch counts its gen from 0 again.
	portal int
	gen    int
	off    int
	rows   []row
	total  int // -1 when the loader did not count
	err    error
}

type countMsg struct {
	gen    int
	rtype  hubspot.ObjectType
	portal int // as rowsMsg.portal
	n      int
	err    error
}

type cardMsg struct {
	key     string
	syncGen int
	card    portal.IDCard
	err     error
}

type resolveMsg struct {
	seq int
	res portal.Resolution
	err error
}

type findingsMsg struct {
	gen      int
	findings []portal.Finding
	err      error
}

type callsMsg struct {
	portal int // the portal generation the calls came from
	calls  []APICall
}
type logTickMsg struct{}

type lastSyncMsg struct {
	portal int // the portal generation asked
	t      time.Time
	err    error
}

// wholeListPage and wholeListCap bound how users and owners are read: in
// pages, up to a cap far above any real portal's seat count.
const (
	wholeListPage = 1000
	wholeListCap  = 200_000
)

// reload re-queries a whole-list pane (users or owners) for its current filter.
func (m *model) reload(k paneKind) tea.Cmd {
	p := m.panes[k]
	p.gen++
	p.loading = true
	p.wantOff, p.wantLimit = 0, wholeListCap
	gen, b, ctx := p.gen, m.b, m.ctx
	q := portal.Query{Filter: p.filter, Sort: p.sort}
	return func() tea.Msg {
		var rows []row
		var err error
		for off := 0; off < wholeListCap; off += wholeListPage {
			q.Offset, q.Limit = off, wholeListPage
			var page []row
			if k == paneUsers {
				var us []portal.UserRow
				us, err = b.Users(ctx, q)
				page = userRows(us)
			} else {
				var os []portal.OwnerRow
				os, err = b.Owners(ctx, q)
				page = ownerRows(os)
			}
			if err != nil {
				break
			}
			rows = append(rows, page...)
			if len(page) < wholeListPage {
				break
			}
		}
		return rowsMsg{kind: k, gen: gen, rows: rows, total: len(rows), err: err}
	}
}

func (m *model) contactsQuery() portal.Query {
	p := m.panes[paneContacts]
	return portal.Query{Filter: p.filter, OwnerID: m.scope.owner, Sort: p.sort}
}

// reloadContacts starts a new contacts query: a count and the first window.
func (m *model) reloadContacts() tea.Cmd {
	p := m.panes[paneContacts]
	p.gen++
	// Unlike users and owners, old contacts belong to another owner or
	// filter; showing them under the new title would mislead.
	p.rows, p.off, p.total = nil, 0, -1
	p.loaded = false
	p.loading = false
	p.cursor, p.top = 0, 0
	p.scopeAt = m.scope
	m.newContactsQuery()
	if m.scope.empty != "" {
		p.rows, p.off, p.total, p.loaded = nil, 0, 0, true
		return nil
	}
	// The count of every match waits for the first rows (applyRows): on a
	// large mirror it costs more than the page, and run beside it, it
	// would hold back the frame the admin is waiting for.
	return m.loadWindow()
}

// countContacts counts every record of the pane's current query, for the title
// and for navigation past the loaded rows.
func (m *model) countContacts() tea.Cmd {
	return m.countRecordsCmd(m.panes[paneContacts])
}

// loadWindow fetches the contacts around the visible rows.
func (m *model) loadWindow() tea.Cmd {
	p := m.panes[paneContacts]
	off := max(p.top-contactsSlack, 0)
	limit := max(p.height, 1) + 2*contactsSlack
	p.loading = true
	p.wantOff, p.wantLimit = off, limit
	if p.rtype != "" {
		return m.loadRecordWindow(p, off, limit)
	}
	gen, b, ctx, q, pg := p.gen, m.b, m.contactsContext(), m.contactsQuery(), m.portalGen
	q.Offset, q.Limit = off, limit
	return func() tea.Msg {
		cs, err := b.Contacts(ctx, q)
		return rowsMsg{kind: paneContacts, portal: pg, gen: gen, off: off, rows: contactRows(cs), total: -1, err: err}
	}
}

// ensureWindow loads contacts when the visible rows are not loaded.
func (m *model) ensureWindow() tea.Cmd {
	p := m.panes[paneContacts]
	if m.scope.empty != "" || !p.needsWindow() {
		return nil
	}
	return m.loadWindow()
}

func (m *model) applyRows(msg rowsMsg) tea.Cmd {
	p := m.panes[msg.kind]
	if msg.gen != p.gen || (msg.kind == paneContacts && (msg.off != p.wantOff || msg.rtype != p.rtype || msg.portal != m.portalGen)) {
		return nil // superseded
	}
	p.loading = false
	if msg.err != nil {
		m.setErr("loading "+m.paneLabel(msg.kind), msg.err)
		return nil
	}
	first := !p.loaded
	p.rows, p.off, p.loaded = msg.rows, msg.off, true
	if m.noteIDWidths(p) {
		m.layout() // wider IDs may no longer fit three panes side by side
	}
	if msg.total >= 0 {
		p.total = msg.total
	}
	if first && msg.kind == paneContacts {
		p.cursor, p.top = 0, 0
	}
	if p.cursor >= p.count() {
		p.moveTo(p.count() - 1)
	}
	p.scroll()
	var cmds []tea.Cmd
	if p.seek != "" {
		if i := p.indexOf(p.seek); i >= 0 {
			p.moveTo(i)
		} else {
			m.msg = m.paneLabel(p.kind) + ": " + p.seek + " is not in this list"
		}
		p.seek = ""
	}
	if missing := p.applyKeep(); missing != "" && msg.kind == paneContacts {
		cmds = append(cmds, m.locateContact(missing))
	}
	switch {
	case msg.kind == paneContacts:
		if first && p.total < 0 {
			cmds = append(cmds, m.countContacts()) // see reloadContacts
		}
		cmds = append(cmds, m.ensureWindow())
	case msg.kind == paneFindings || msg.kind == paneLog:
	case m.view == viewMain && (m.focus == paneUsers || m.focus == paneOwners):
		// A fresh list may now contain the row the selection links to.
		cmds = append(cmds, m.link())
	}
	cmds = append(cmds, m.selectDetail())
	return tea.Batch(cmds...)
}

func (m *model) applyCount(msg countMsg) tea.Cmd {
	p := m.panes[paneContacts]
	if msg.gen != p.gen || msg.rtype != p.rtype || msg.portal != m.portalGen {
		return nil
	}
	if msg.err != nil {
		m.setErr("counting "+m.paneLabel(paneContacts), msg.err)
		return nil
	}
	p.total = msg.n
	if p.cursor >= p.count() {
		p.moveTo(p.count() - 1) // a refresh found fewer contacts
	}
	p.scroll()
	return m.ensureWindow()
}

// selectDetail points the detail pane at the current row and loads its ID
// card unless cached.
func (m *model) selectDetail() tea.Cmd {
	key := ""
	var load func(ctx context.Context) (portal.IDCard, error)
	b := m.b
	userCard := func(id hubspot.UserID) {
		key = "u:" + string(id)
		load = func(ctx context.Context) (portal.IDCard, error) { return b.IDCardForUser(ctx, id) }
	}
	ownerCard := func(id hubspot.OwnerID) {
		key = "o:" + string(id)
		load = func(ctx context.Context) (portal.IDCard, error) { return b.IDCardForOwner(ctx, id) }
	}
	switch r := m.currentPane().current().(type) {
	case userItem:
		userCard(r.UserID)
	case ownerItem:
		ownerCard(r.OwnerID)
	case contactItem:
		if r.OwnerState == portal.OwnerActive || r.OwnerState == portal.OwnerArchived {
			ownerCard(r.OwnerID)
		}
	case recordItem:
		if o := r.cardOwner(); o != "" {
			ownerCard(o)
		}
	case findingItem:
		if rec := r.record(); rec != nil {
			ownerOnly := rec.OwnerID != "" && rec.ContactID == ""
			switch {
			case rec.UserID != "" && (!ownerOnly || m.panes[paneUsers].indexOf(string(rec.UserID)) >= 0):
				userCard(rec.UserID)
			case ownerOnly:
				// a deactivated user has no card of its own; its owner does
				ownerCard(rec.OwnerID)
			case rec.UserID != "":
				userCard(rec.UserID)
			}
		}
	}
	m.detailKey = key
	if key == "" {
		return nil
	}
	if _, ok := m.cards[key]; ok {
		return nil
	}
	ctx, syncGen := m.ctx, m.syncGen
	return func() tea.Msg {
		card, err := load(ctx)
		return cardMsg{key: key, syncGen: syncGen, card: card, err: err}
	}
}

func (m *model) resolve(input string) tea.Cmd {
	m.resolveSeq++
	m.resolving = true
	m.resolution = nil
	seq, b, ctx := m.resolveSeq, m.b, m.ctx
	return func() tea.Msg {
		res, err := b.Resolve(ctx, input)
		if res.Input == "" {
			res.Input = input
		}
		return resolveMsg{seq: seq, res: res, err: err}
	}
}

func (m *model) loadFindings() tea.Cmd {
	p := m.panes[paneFindings]
	p.gen++
	p.loading = true
	m.findingsGen = p.gen
	gen, b, ctx := p.gen, m.b, m.ctx
	return func() tea.Msg {
		fs, err := b.Findings(ctx)
		return findingsMsg{gen: gen, findings: fs, err: err}
	}
}

func (m *model) applyFindings(msg findingsMsg) tea.Cmd {
	p := m.panes[paneFindings]
	if msg.gen != p.gen {
		return nil
	}
	return m.applyRows(rowsMsg{kind: paneFindings, gen: msg.gen, rows: findingRows(msg.findings), total: -1, err: msg.err})
}

// loadCalls reads the API log; the read is cheap but still kept out of Update.
func (m *model) loadCalls() tea.Cmd {
	if m.calls == nil {
		return nil
	}
	cl, gen := m.calls, m.portalGen
	load := func() tea.Msg { return callsMsg{portal: gen, calls: cl.Calls()} }
	return load
}

func (m *model) applyCalls(msg callsMsg) tea.Cmd {
	if msg.portal != m.portalGen {
		return nil // the log of a portal no longer shown
	}
	p := m.panes[paneLog]
	p.gen++
	cmd := m.applyRows(rowsMsg{kind: paneLog, gen: p.gen, rows: callRows(msg.calls), total: -1})
	p.total = len(p.rows)
	if m.view == viewLog && !m.logTicking {
		// refresh while the log is on screen, and only then
		m.logTicking = true
		cmd = tea.Batch(cmd, m.tick(time.Second, func(time.Time) tea.Msg { return logTickMsg{} }))
	}
	return cmd
}

func (m *model) loadLastSync() tea.Cmd {
	b, ctx, gen := m.b, m.ctx, m.portalGen
	return func() tea.Msg {
		t, err := b.LastSync(ctx)
		return lastSyncMsg{portal: gen, t: t, err: err}
	}
}
