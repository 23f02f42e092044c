package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// helpOverlay lists every action from the keymap, so rebound keys show up
// as rebound, and says why an action is disabled right now. Write actions
// of a read-only portal are not listed at all: they do not exist there.
type helpOverlay struct {
	top  int // the first line shown
	rows int // how many lines the body had room for, as last drawn
}

func (m *model) openHelp() {
	m.openOverlay(&helpOverlay{rows: max(m.lay.mainH-4, 1)})
}

func (o *helpOverlay) frame(m *model) overlayFrame {
	hint := "esc closes"
	if len(m.helpLines()) > o.rows {
		hint = "j/k pgup/pgdn g/G scroll · " + hint
	}
	return overlayFrame{title: "help ", hint: hint, width: 100}
}

func (o *helpOverlay) body(m *model, _, h int) []string {
	o.rows = h
	lines := m.helpLines()
	o.top = min(o.top, o.bottom(len(lines)))
	return lines[o.top:]
}

// bottom is the last scroll position: the end of the help in sight.
func (o *helpOverlay) bottom(lines int) int { return max(lines-o.rows, 0) }

func (o *helpOverlay) key(m *model, k tea.KeyPressMsg) keyResult {
	a, _ := m.keys.match(k)
	end := o.bottom(len(m.helpLines()))
	switch a {
	case actUp:
		o.top = max(o.top-1, 0)
	case actDown:
		o.top = min(o.top+1, end)
	case actPageUp:
		o.top = max(o.top-max(o.rows-1, 1), 0)
	case actPageDown:
		o.top = min(o.top+max(o.rows-1, 1), end)
	case actHome:
		o.top = 0
	case actEnd:
		o.top = end
	case actQuit, actBack, actHelp:
		return closing(nil)
	default:
		return keyResult{} // esc closes it; other keys do nothing here
	}
	return used(nil)
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

// closeHelp closes help if it is open.
func (m *model) closeHelp() {
	for _, o := range m.overlays {
		if h, ok := o.(*helpOverlay); ok {
			m.closeOverlay(h)
			return
		}
	}
}
