package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// renderStatus draws the bottom line: portal, badges, work in progress,
// marks and the last message; an error stays until esc dismisses it.
func (m *model) renderStatus(w int) string {
	st := m.st
	var left []string
	left = append(left, st.bold.Render(m.info.Name)+st.dim.Render(fmt.Sprintf(" hub %d", m.info.HubID)))
	if m.info.Sandbox {
		left = append(left, st.badgeSandbox.Render(" SANDBOX "))
	}
	if m.readOnly() {
		left = append(left, st.badgeRO.Render(" READ-ONLY "))
	}
	if m.busy() {
		left = append(left, spinFrames[m.spinFrame])
	}
	if m.syncing {
		left = append(left, syncText(m))
	}
	if n := m.markCount(); n > 0 {
		left = append(left, st.marked.Render(fmt.Sprintf("%d marked", n)))
	}
	switch {
	case m.err != "":
		left = append(left, st.errLine.Render(" "+m.err+" ")+st.dim.Render(" (esc)"))
	case m.msg != "":
		left = append(left, m.msg)
	}
	var right []string
	if !m.lastSync.IsZero() {
		right = append(right, "synced "+m.lastSync.In(m.loc).Format("2006-01-02 15:04"))
	}
	right = append(right, m.keys.hint(actHelp)+" help")
	l := strings.Join(left, " ")
	r := st.dim.Render(strings.Join(right, " · "))
	if ansi.StringWidth(l)+ansi.StringWidth(r)+1 > w {
		return ansi.Truncate(l, w, "…")
	}
	return l + strings.Repeat(" ", w-ansi.StringWidth(l)-ansi.StringWidth(r)) + r
}

func syncText(m *model) string {
	p := m.syncProgress
	s := "sync " + p.Phase
	if p.Total > 0 {
		s += fmt.Sprintf(" %s/%s", thousands(p.Done), thousands(p.Total))
	} else if p.Done > 0 {
		s += " " + thousands(p.Done)
	}
	if p.ETA > 0 {
		s += fmt.Sprintf(" eta %s", p.ETA.Round(1e9))
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

// renderInput draws the `/` or `:` line with completion candidates.
func (m *model) renderInput(w int) string {
	prompt := "/"
	hint := "enter keeps · esc cancels"
	if m.mode == inputCommand {
		prompt = ":"
		hint = "tab completes · enter runs · esc cancels"
		if len(m.completions) > 0 && m.input.String() != "" {
			hint = strings.Join(m.completions, "  ")
		}
	}
	line := prompt + m.input.String()
	return spread(line, m.st.dim.Render(hint), w)
}
