package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
)

// renderHelp lists every action from the keymap, so rebound keys show up as
// rebound, and says why an action is disabled right now. Write actions of a
// read-only portal are not listed at all: they do not exist there.
func (m *model) renderHelp(w, h int) []string {
	body := m.helpLines()
	top := min(m.helpTop, max(len(body)-(h-2), 0))
	right := "esc closes"
	if len(body)-top > h-2 {
		right = "j/k scroll · " + right
	}
	return m.box("help ", right, w, h, true, body[top:])
}

func (m *model) helpLines() []string {
	var body []string
	// The most used keys first, as one line drawn by the bubbles help view.
	var short []key.Binding
	for _, a := range []action{actFilter, actCommand, actMark, actResolve, actFindings, actQuit} {
		if m.keys.available(a) && m.disabledReason(a) == "" {
			b := m.keys.binding(a)
			b.SetHelp(m.keys.hint(a), string(a))
			short = append(short, b)
		}
	}
	if line := m.helpView.ShortHelpView(short); line != "" {
		body = append(body, line, "")
	}
	group := ""
	for _, s := range m.keys.specs {
		if !m.keys.available(s.name) {
			continue
		}
		if s.group != group {
			group = s.group
			body = append(body, m.st.bold.Render(group))
		}
		h := m.keys.binding(s.name).Help()
		keys := h.Key
		if keys == "" {
			keys = "(unbound)"
		}
		line := fmt.Sprintf("  %-18s %s", keys, h.Desc)
		if why := m.disabledReason(s.name); why != "" {
			// the reason goes on its own line so narrow terminals keep it
			body = append(body, m.st.dim.Render(line+" (disabled now)"), m.st.dim.Render("                     ↳ "+sanitize(why)))
			continue
		}
		body = append(body, line)
	}
	body = append(body, m.st.bold.Render("commands"))
	for _, c := range m.availableCommands() {
		name := ":" + c.name
		if c.arg != "" {
			name += " " + c.arg
		}
		body = append(body, fmt.Sprintf("  %-18s %s", name, c.help))
	}
	if m.readOnly() {
		body = append(body, m.st.dim.Render("Read-only portal: actions that change HubSpot are hidden."))
	}
	body = append(body, m.st.dim.Render("Every key can be rebound in the config file by action name, e.g. mark: [x]."))
	return strings.Split(strings.Join(body, "\n"), "\n")
}
