package ui

import (
	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// The console needs this much room; below it a notice replaces the panes.
const (
	minWidth  = 40
	minHeight = 10
	// wideWidth is where the three panes fit side by side; below it they are tabs.
	wideWidth = 100
)

type layout struct {
	tooSmall bool
	wide     bool // three panes side by side
	mainH    int  // rows above the input and status lines
	listH    int  // height of the list boxes (with borders)
	detailH  int  // height of the detail box, 0 when there is no room
	tabs     bool // a tab line sits above a single list box
	paneW    [3]int
}

// layout recomputes sizes after a resize or when the input line opens.
func (m *model) layout() {
	w, h := m.width, m.height
	l := layout{tooSmall: w < minWidth || h < minHeight}
	l.mainH = h - 1
	if m.mode != inputNone {
		l.mainH--
	}
	l.wide = w >= wideWidth && m.view == viewMain && m.idsFit(w)
	l.tabs = !l.wide && m.view == viewMain
	avail := l.mainH
	if l.tabs {
		avail--
	}
	if avail >= 16 {
		l.detailH = min(max(avail*2/5, 7), 12)
	}
	l.listH = avail - l.detailH
	l.paneW[0] = w / 3
	l.paneW[1] = w / 3
	l.paneW[2] = w - l.paneW[0] - l.paneW[1]
	m.lay = l
	// A list box has two border lines and a column header.
	rows := max(l.listH-3, 1)
	for _, p := range m.panes {
		p.height = rows
		p.scroll()
	}
}

// idsFit says whether three panes side by side at w columns leave every
// row its whole ID mapping and a name of minName cells. When they do not,
// the layout changes to tabs rather than cut an ID.
func (m *model) idsFit(w int) bool {
	widths := [3]int{w / 3, w / 3, w - 2*(w/3)}
	for i, pw := range widths {
		// a box border on each side, then cursor, mark, flag and a space
		rowW := pw - 2 - 4
		if m.panes[paneKind(i)].idW+1+minName > rowW {
			return false
		}
	}
	return true
}

// idMappingWidth is the width of the right-hand side rowSegments draws for
// r, less a contact's owner name (it may drop), computed without drawing:
// this runs over every row a whole list loads, on each filter keystroke.
// IDs are ASCII digits, so bytes are cells.
func idMappingWidth(r row) int {
	const arrow = 3 // " → "
	switch r := r.(type) {
	case userItem:
		if r.OwnerID == "" {
			return len(r.UserID) + arrow + len("no owner")
		}
		return len(r.UserID) + arrow + len(r.OwnerID)
	case ownerItem:
		switch {
		case r.Archived:
			return len(r.OwnerID) + arrow + len("deactivated")
		case r.Type == hubspot.OwnerQueue:
			return len(r.OwnerID) + arrow + len("queue")
		case r.UserID == "":
			return len(r.OwnerID) + arrow + len("no user")
		}
		return len(r.OwnerID) + arrow + len(r.UserID)
	case contactItem:
		switch r.OwnerState {
		case portal.OwnerNone, "":
			return len("no owner")
		case portal.OwnerUnknown:
			return len("? ") + len(r.OwnerID) + len(" unknown")
		case portal.OwnerArchived:
			return len(r.OwnerID) + len(" deactivated")
		}
		return len(r.OwnerID)
	case recordItem:
		return r.idsWidth()
	}
	return 0
}

// noteIDWidths records the widest ID mapping among p's rows and reports
// whether it grew. A contact's owner name may drop, so only its ID counts.
// The width only grows, so that filtering never flips the layout back and forth.
func (m *model) noteIDWidths(p *pane) bool {
	if p.kind > paneContacts {
		return false
	}
	widest := p.idW
	for _, r := range p.rows {
		widest = max(widest, idMappingWidth(r))
	}
	grew := widest > p.idW
	p.idW = widest
	return grew
}
