package ui

import "github.com/hsadmin/hsadmin/hubspot"

// paneKind names the list panes. The first three are the main view.
type paneKind int

const (
	paneUsers paneKind = iota
	paneOwners
	paneContacts
	paneFindings
	paneLog
	paneCount
)

var paneNames = [paneCount]string{"users", "owners", "contacts", "findings", "API log"}

// contactsSlack is how many rows beyond the visible window a contacts query
// fetches on each side, so that scrolling rarely waits on the store.
const contactsSlack = 100

// pane is one list: its query, the window of rows loaded for it, the cursor,
// and marks. Only contacts are windowed; the other lists are loaded whole
// (a portal has thousands of users at most, but up to millions of contacts).
type pane struct {
	kind   paneKind
	filter string
	gen    int   // bumps whenever the query changes; older results are dropped
	rows   []row // loaded window, rows[0] is row number off
	off    int
	total  int // rows matching the query, -1 until counted

	loading   bool
	wantOff   int // offset of the newest window request
	wantLimit int
	loaded    bool // a result for gen has arrived

	sort string // a key of paneSorts, "" for the default (sort.go)

	cursor, top int
	height      int // visible rows, set by layout

	marks     map[string]row
	markOrder []string
	anchor    int // row number of the last mark, -1 when none

	seek string // key to put the cursor on once rows arrive
	keep string // key of the record the cursor was on before a refresh (refresh.go)

	idW int // widest ID mapping its rows have shown; only grows (see idsFit)

	// rtype is the object type the records pane shows, "" for contacts;
	// scopeAt the owner scope its rows were read for (records.go).
	rtype   hubspot.ObjectType
	scopeAt contactScope
}

func newPane(k paneKind) *pane {
	return &pane{kind: k, total: -1, anchor: -1, marks: map[string]row{}}
}

// count is the number of rows navigation may reach.
func (p *pane) count() int {
	n := p.off + len(p.rows)
	if p.total >= 0 {
		return p.total
	}
	return n
}

func (p *pane) at(i int) row {
	if i < p.off || i >= p.off+len(p.rows) {
		return nil
	}
	return p.rows[i-p.off]
}

func (p *pane) current() row { return p.at(p.cursor) }

// indexOf finds a loaded row by key, or -1.
func (p *pane) indexOf(key string) int {
	for i, r := range p.rows {
		if r.key() == key {
			return p.off + i
		}
	}
	return -1
}

// moveTo puts the cursor on row i (clamped) and scrolls it into view.
func (p *pane) moveTo(i int) {
	n := p.count()
	if i >= n {
		i = n - 1
	}
	if i < 0 {
		i = 0
	}
	p.cursor = i
	p.scroll()
}

func (p *pane) scroll() {
	h := max(p.height, 1)
	if p.cursor < p.top {
		p.top = p.cursor
	}
	if p.cursor >= p.top+h {
		p.top = p.cursor - h + 1
	}
	if maxTop := max(p.count()-h, 0); p.top > maxTop {
		p.top = maxTop
	}
	if p.top < 0 {
		p.top = 0
	}
}

// needsWindow reports whether the visible rows are not all loaded.
func (p *pane) needsWindow() bool {
	end := p.top + max(p.height, 1)
	if p.total >= 0 {
		end = min(end, p.total)
	}
	if p.loading && p.wantOff <= p.top && p.wantOff+p.wantLimit >= end {
		return false
	}
	if !p.loaded {
		return !p.loading
	}
	if p.top < p.off {
		return true
	}
	// A short page means the window already reaches the end.
	if len(p.rows) < p.wantLimit && p.wantOff == p.off {
		return false
	}
	return p.off+len(p.rows) < end
}

func (p *pane) toggleMark(r row, at int) {
	k := r.key()
	if _, ok := p.marks[k]; ok {
		delete(p.marks, k)
		for i, o := range p.markOrder {
			if o == k {
				p.markOrder = append(p.markOrder[:i], p.markOrder[i+1:]...)
				break
			}
		}
		return
	}
	p.addMark(r)
	p.anchor = at
}

func (p *pane) addMark(r row) {
	k := r.key()
	if _, ok := p.marks[k]; ok {
		return
	}
	p.marks[k] = r
	p.markOrder = append(p.markOrder, k)
}

func (p *pane) clearMarks() {
	p.marks = map[string]row{}
	p.markOrder = nil
	p.anchor = -1
}

func (p *pane) marked(k string) bool { _, ok := p.marks[k]; return ok }

func (p *pane) markedRows() []row {
	out := make([]row, 0, len(p.markOrder))
	for _, k := range p.markOrder {
		out = append(out, p.marks[k])
	}
	return out
}
