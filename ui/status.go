package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/hsadmin/hsadmin/portal"
)

// renderStatus draws the bottom line: portal, badges, work in progress,
// marks and the last message; an error stays until esc dismisses it. When
// the line is too narrow the right side goes first, then the left is cut.
func (m *model) renderStatus(w int) string {
	st := m.st
	var left []string
	name := st.portal.Render(sanitize(m.portalName()))
	if m.opts.PortalName != "" && m.info.Name != "" && m.info.Name != m.opts.PortalName {
		name += st.dim.Render(" " + sanitize(m.info.Name))
	}
	left = append(left, name+st.dim.Render(fmt.Sprintf(" hub %d", m.info.HubID)))
	if m.opts.Production {
		left = append(left, st.badgeProd.Render(" PRODUCTION "))
	}
	if m.info.Sandbox {
		left = append(left, st.badgeSandbox.Render(" SANDBOX "))
	}
	if m.readOnly() {
		left = append(left, st.badgeRO.Render(" READ-ONLY "))
	}
	if m.busy() {
		left = append(left, m.spin.View())
	}
	if m.switching != "" {
		left = append(left, "opening portal "+sanitize(m.switching)+"…")
	}
	if m.syncing {
		left = append(left, m.syncText(w))
	}
	if n := m.markCount(); n > 0 {
		left = append(left, st.marked.Render(portal.Thousands(n)+" marked"))
	}
	switch {
	case m.err != "":
		left = append(left, st.errLine.Render(" "+sanitize(m.err)+" ")+st.dim.Render(" (esc)"))
	case m.msg != "":
		left = append(left, sanitize(m.msg))
	}
	var right []string
	if age := m.syncedAge(); age != "" {
		right = append(right, age)
	}
	l := strings.Join(left, " ")
	r := st.dim.Render(strings.Join(right, " · "))
	if len(right) > 0 {
		r += st.dim.Render(" · ")
	}
	helpKey := m.keys.binding(actHelp)
	helpKey.SetHelp(m.keys.hint(actHelp), "help")
	r += m.helpView.ShortHelpView([]key.Binding{helpKey})
	if cellWidth(l)+cellWidth(r)+1 > w {
		return cutText(l, w)
	}
	return l + strings.Repeat(" ", w-cellWidth(l)-cellWidth(r)) + r
}

// syncText is the sync phase with a progress bar when the total is known.
func (m *model) syncText(w int) string {
	p := m.syncProgress
	s := "sync " + p.Phase
	waiting := portal.RateWaitText(p.RateWait.Sub(m.now()))
	switch {
	case p.Total > 0:
		// the bar takes a slice of the line, never most of it; while the
		// rate limit holds the sync it stands still, and the wait says more
		if bw := min(max(w/8, 6), 20); w >= 60 && waiting == "" {
			m.bar.SetWidth(bw)
			s += " " + m.bar.ViewAs(min(float64(p.Done)/float64(p.Total), 1))
		}
		s += fmt.Sprintf(" %s/%s", portal.Thousands(p.Done), portal.Thousands(p.Total))
	case p.Done > 0:
		s += " " + portal.Thousands(p.Done)
	}
	if waiting != "" {
		s += " " + waiting
	}
	// Between reports (a rate-limit wait sends none) the ETA counts down.
	if eta := p.ETA - m.now().Sub(m.syncReported); p.ETA > 0 && eta > 0 {
		s += fmt.Sprintf(" eta %s", eta.Round(1e9))
	}
	return s
}

func (m *model) markCount() int {
	n := 0
	for _, p := range m.panes {
		n += len(p.marks)
	}
	return n
}
