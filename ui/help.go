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
		right = "j/k pgup/pgdn g/G scroll · " + right
	}
	return m.box("help ", right, w, h, true, body[top:])
}

// helpBottom is the help's last scroll position: its end in sight.
func (m *model) helpBottom() int {
	return max(len(m.helpLines())-(m.lay.mainH-2), 0)
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
		// The action's name is what the config file rebinds (README, [keys]).
		line := fmt.Sprintf("  %-18s %s", keys, h.Desc) + m.st.dim.Render("  ("+string(s.name)+")")
		if why := m.disabledReason(s.name); why != "" {
			// the reason goes on its own line so narrow terminals keep it
			body = append(body, m.st.dim.Render(line+" (disabled now)"), m.st.dim.Render("                     ↳ "+sanitize(why)))
			continue
		}
		body = append(body, line)
	}
	body = append(body, m.st.bold.Render("commands"))
	for _, c := range m.helpCommands() {
		name := ":" + c.name
		if c.arg != "" {
			name += " " + c.arg
		}
		line := fmt.Sprintf("  %-18s %s", name, c.help)
		if why := m.commandUnavailable(c); why != "" {
			body = append(body, m.st.dim.Render(line+" (disabled now)"), m.st.dim.Render("                     ↳ "+why))
			continue
		}
		body = append(body, line)
	}
	if m.readOnly() {
		body = append(body, m.st.dim.Render("Read-only portal: actions that change HubSpot are hidden."))
	}
	body = append(body, m.st.dim.Render("Every key can be rebound in the config file by the action name in brackets, e.g. mark: [x]."))
	return strings.Split(strings.Join(body, "\n"), "\n")
}

// helpCommands lists the commands help shows: every one the portal has,
// :portal included when there is nothing to switch to (it says why).
func (m *model) helpCommands() []command {
	out := make([]command, 0, len(commands))
	for _, c := range commands {
		if c.act != "" && !m.keys.available(c.act) {
			continue // a write command of a read-only portal does not exist
		}
		out = append(out, c)
	}
	return out
}

// commandUnavailable says why a listed command cannot run here, or "".
func (m *model) commandUnavailable(c command) string {
	if c.name == "portal" && (m.opts.SwitchPortal == nil || len(m.opts.Portals) == 0) {
		return "no other portal is configured (hsadmin login adds one)"
	}
	return ""
}
