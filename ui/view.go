package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/portal"
)

// View is called after every message, so the frame is cached and rebuilt
// only when Update changed something or the size changed.
func (m *model) View() tea.View {
	f := &m.frame
	if !f.valid || f.version != m.version || f.w != m.width || f.h != m.height {
		f.content = m.render()
		f.version, f.w, f.h, f.valid = m.version, m.width, m.height, true
	}
	v := tea.NewView(f.content)
	v.AltScreen = true
	v.WindowTitle = "hsadmin · " + sanitize(m.portalName())
	switch {
	case m.keyOverlay() != nil:
		v.Cursor = m.overlayCursorPos()
	case m.lay.tooSmall:
	case m.mode != inputNone:
		v.Cursor = m.inputCursor(m.height - 2)
	}
	return v
}

func (m *model) render() string {
	w, h := m.width, m.height
	if m.lay.tooSmall {
		if o := m.keyOverlay(); o != nil {
			return fit(m.renderTinyOverlay(o, w, h), w, h)
		}
		return fit([]string{
			"terminal too small",
			fmt.Sprintf("need %dx%d", minWidth, minHeight),
			fmt.Sprintf("have %dx%d", w, h),
			"q quits",
		}, w, h)
	}
	var lines []string
	switch {
	case m.jobDetail != nil:
		lines = m.renderJobDetail(w, m.lay.mainH)
	case m.jobs != nil:
		lines = m.renderJobs(w, m.lay.mainH)
	case m.detailZoom || (m.lay.detailH == 0 && (m.resolution != nil || m.resolving)):
		// Zoomed, or no room for a detail box under the list: the detail
		// takes the list's place until esc closes it.
		lines = m.renderDetail(w, m.lay.mainH)
	case m.view == viewMain && m.lay.wide:
		cols := make([][]string, 3)
		for i := range 3 {
			k := paneKind(i)
			cols[i] = m.renderPane(m.panes[k], m.lay.paneW[i], m.lay.listH, m.focus == k)
		}
		lines = joinColumns(cols)
		lines = append(lines, m.renderDetail(w, m.lay.detailH)...)
	case m.view == viewMain:
		lines = append(lines, m.renderTabs(w))
		lines = append(lines, m.renderPane(m.panes[m.focus], w, m.lay.listH, true)...)
		lines = append(lines, m.renderDetail(w, m.lay.detailH)...)
	default:
		lines = append(lines, m.renderPane(m.currentPane(), w, m.lay.listH, true)...)
		lines = append(lines, m.renderDetail(w, m.lay.detailH)...)
	}
	lines = m.composeOverlays(padLines(lines, m.lay.mainH), w, m.lay.mainH)
	if m.mode != inputNone {
		lines = append(lines, m.renderInput(w))
	}
	lines = append(lines, m.renderStatus(w))
	return fit(lines, w, h)
}

// fit makes exactly h lines, none wider than w.
func fit(lines []string, w, h int) string {
	lines = padLines(lines, h)
	for i, l := range lines {
		if cellWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

func padLines(lines []string, h int) []string {
	if len(lines) > h {
		return lines[:max(h, 0)]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

func joinColumns(cols [][]string) []string {
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	out := make([]string, n)
	for i := range n {
		var b strings.Builder
		for _, c := range cols {
			if i < len(c) {
				b.WriteString(c[i])
			}
		}
		out[i] = b.String()
	}
	return out
}

// pad fills s with spaces to exactly w cells, truncating with an ellipsis.
func pad(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := cellWidth(s)
	if sw > w {
		// cutText may stop short of w to keep an ID whole: pad after it
		s = cutText(s, w)
		sw = cellWidth(s)
	}
	return s + strings.Repeat(" ", max(w-sw, 0))
}

// box draws a titled rounded box of exactly w x h cells around body.
func (m *model) box(title, right string, w, h int, focused bool, body []string) []string {
	if w < 4 || h < 2 {
		return padLines(nil, max(h, 0))
	}
	bs, ts := m.st.border, m.st.title
	if focused {
		bs, ts = m.st.borderFocus, m.st.titleFocus
	}
	inner := w - 2
	// "╭─ title ─── right ╮": the title keeps at least one dash after it.
	title = cutText(title, max(w-5, 0))
	tw, rw := cellWidth(title), cellWidth(right)
	if right != "" && w-6-tw-rw < 1 && w-7-rw >= 8 {
		// the position on the right is worth more than the end of the title
		title = cutText(title, w-7-rw)
		tw = cellWidth(title)
	}
	dashes := w - 6 - tw - rw
	if right == "" || dashes < 1 {
		right, dashes = "", w-4-tw
	}
	top := bs.Render("╭─ ") + ts.Render(title) + bs.Render(strings.Repeat("─", max(dashes, 0)))
	if right != "" {
		top += bs.Render(" ") + ts.Render(right) + bs.Render(" ")
	}
	top += bs.Render("╮")
	side := bs.Render("│")
	out := make([]string, 0, h)
	out = append(out, top)
	for i := range h - 2 {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		out = append(out, side+pad(line, inner)+side)
	}
	out = append(out, bs.Render("╰"+strings.Repeat("─", inner)+"╯"))
	return out
}

func (m *model) renderTabs(w int) string {
	// Counts go first when the line is narrow: every tab must stay visible.
	withCounts := 0
	for i := range 3 {
		withCounts += len(paneNames[i]) + len(countLabel(m.panes[i])) + 5 + 1
	}
	var parts []string
	for i := range 3 {
		k := paneKind(i)
		label := fmt.Sprintf(" %d %s %s ", i+1, paneNames[k], countLabel(m.panes[k]))
		if withCounts > w {
			label = fmt.Sprintf(" %d %s ", i+1, paneNames[k])
		}
		if k == m.focus {
			parts = append(parts, m.st.tabActive.Render(label))
		} else {
			parts = append(parts, m.st.tab.Render(label))
		}
	}
	return ansi.Truncate(strings.Join(parts, m.st.dim.Render("│")), w, "")
}

func countLabel(p *pane) string {
	switch {
	case p.total >= 0:
		return fmt.Sprintf("(%s)", portal.Thousands(p.total))
	case p.loaded:
		return fmt.Sprintf("(%s)", portal.Thousands(p.count()))
	}
	return "(…)"
}
