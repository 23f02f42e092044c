package ui

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
	l.wide = w >= wideWidth && m.view == viewMain
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
