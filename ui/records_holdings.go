package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// A person's ID card counts what their owner ID holds, per object type and
// owner property (contacts, companies, deals, tickets, custom objects).
// With the card open full size (enter), ↑↓ pick a holding and enter opens
// it: the records pane shows that type, narrowed to the person's records
// through that property.

// shownCard is the ID card the detail box shows, when one has loaded.
func (m *model) shownCard() (portal.IDCard, bool) {
	if m.detailKey == "" || m.resolution != nil || m.resolving {
		return portal.IDCard{}, false
	}
	c, ok := m.cards[m.detailKey]
	if !ok || c.err != nil {
		return portal.IDCard{}, false
	}
	return c.card, true
}

// zoomedHoldings are the holdings enter can open: those of the card shown
// full size.
func (m *model) zoomedHoldings() (portal.IDCard, []portal.Holding) {
	if !m.detailZoom {
		return portal.IDCard{}, nil
	}
	c, ok := m.shownCard()
	if !ok || c.OwnerID == "" {
		return c, nil
	}
	return c, c.Holdings
}

// holdingKey moves the holding cursor or opens the holding under it while
// a card with holdings is open full size; ok is false for any other key.
func (m *model) holdingKey(a action) (tea.Cmd, bool) {
	c, hs := m.zoomedHoldings()
	if len(hs) == 0 {
		return nil, false
	}
	switch a {
	case actUp:
		m.rec.holdingAt = max(m.rec.holdingAt-1, 0)
	case actDown:
		m.rec.holdingAt = min(m.rec.holdingAt+1, len(hs)-1)
	case actOpen:
		h := hs[min(m.rec.holdingAt, len(hs)-1)]
		return m.jumpToHolding(c, h), true
	default:
		return nil, false
	}
	return nil, true
}

// holdingLines lists a card's holdings: "3 deals as Deal owner, 1 open".
// Full size, one a line, the cursor on the one enter opens.
func (m *model) holdingLines(c portal.IDCard, w int) []string {
	if len(c.Holdings) == 0 {
		return []string{fmt.Sprintf("owns %s contacts", portal.Thousands(c.ContactCount))}
	}
	if !m.detailZoom {
		// In the box beside the panes, as few lines as fit: "7 contacts
		// (Contact owner) · 2 deals (Secondary owner)".
		tokens := make([]string, len(c.Holdings))
		for i, h := range c.Holdings {
			tokens[i] = holdingWords(h)
		}
		return flow(tokens, " · ", w, "holds ")
	}
	// No total: a record held through two properties would count twice.
	head := "holds, per type and owner property" + m.st.dim.Render(" (↑↓ pick, enter lists them)")
	lines := []string{cutText(head, w)}
	for i, h := range c.Holdings {
		cur := "  "
		if i == m.rec.holdingAt {
			cur = "> "
		}
		line := cur + holdingWords(h)
		if i == m.rec.holdingAt {
			line = m.st.cursor.Render(pad(cutText(line, w), w))
		} else {
			line = cutText(line, w)
		}
		lines = append(lines, line)
	}
	return lines
}

// matchHoldings says what a resolution's owner ID reading holds, per type
// and property, under its line.
func (m *model) matchHoldings(mt portal.Match, w int) []string {
	if mt.Scheme != portal.SchemeOwnerID || len(mt.Card.Holdings) == 0 {
		return nil
	}
	tokens := make([]string, len(mt.Card.Holdings))
	for i, h := range mt.Card.Holdings {
		tokens[i] = holdingWords(h)
	}
	return flow(tokens, " · ", w, "  holds ")
}

// heldAsOwnerID says what records hold a value no owner has as an owner
// ID (a deleted owner, a user ID written by mistake), per type and
// property; contacts are already said by UnknownOwnerContacts.
func (m *model) heldAsOwnerID(res portal.Resolution, w int) []string {
	var tokens []string
	for _, h := range res.HeldAsOwnerID {
		if typeKey(h.Type) == "" && res.UnknownOwnerContacts > 0 {
			continue
		}
		tokens = append(tokens, holdingWords(h))
	}
	if len(tokens) == 0 {
		return nil
	}
	var out []string
	for _, l := range flow(tokens, " · ", w, "records hold "+res.Input+" as an owner ID: ") {
		out = append(out, m.st.warn.Render(l))
	}
	return out
}
