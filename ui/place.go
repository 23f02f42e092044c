package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// Keeping the place beyond the rows loaded. Users and owners are loaded
// whole, so applyKeep always finds their record; contacts are windowed,
// and a record kept across a cleared filter or a refresh may sit far past
// the first window (row 40,000 of every contact). The console then asks
// the backend where it is, moves the cursor there, and the window follows.

// ContactLocator is optionally implemented by a Backend that can say
// where a contact sits in a query's list; *portal.Portal does. Without it
// a kept contact beyond the loaded rows is not found, and the cursor stays
// at its row number.
type ContactLocator interface {
	ContactPosition(ctx context.Context, q portal.Query, id hubspot.ContactID) (int, error)
}

type positionMsg struct {
	gen   int
	key   string
	at    int // -1 when not in the list
	total int // the list's length, for a count still on its way
	err   error
}

// locateContact finds the kept contact key in the current query.
func (m *model) locateContact(key string) tea.Cmd {
	loc, ok := m.b.(ContactLocator)
	if !ok || key == "" {
		return nil
	}
	p := m.panes[paneContacts]
	gen, ctx, q := p.gen, m.contactsContext(), m.contactsQuery()
	b := m.b
	return func() tea.Msg {
		at, err := loc.ContactPosition(ctx, q, hubspot.ContactID(key))
		if err != nil || at < 0 {
			return positionMsg{gen: gen, key: key, at: -1, err: err}
		}
		total, err := b.CountContacts(ctx, q)
		return positionMsg{gen: gen, key: key, at: at, total: total, err: err}
	}
}

// applyPosition puts the cursor on the located contact and loads the
// window around it; the admin may have moved on meanwhile (a new query, or
// the cursor moved off its row), and then nothing happens.
func (m *model) applyPosition(msg positionMsg) tea.Cmd {
	p := m.panes[paneContacts]
	if msg.gen != p.gen || msg.err != nil || msg.at < 0 {
		return nil
	}
	if p.total < 0 {
		p.total = msg.total // the query's own count is still on its way
	}
	if msg.at >= p.total {
		return nil // the mirror changed between the two; the next refresh settles it
	}
	p.moveTo(msg.at)
	p.top = max(msg.at-p.height/2, 0) // the record in the middle, with context around it
	p.scroll()
	return tea.Batch(m.ensureWindow(), m.selectDetail())
}
