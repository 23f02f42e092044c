package ui

import (
	"fmt"
	"strings"
)

// renderHelp lists every action from the keymap, so rebound keys show up as
// rebound, and says why an action is disabled right now.
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
	group := ""
	for _, s := range m.keys.specs {
		if s.group != group {
			group = s.group
			body = append(body, m.st.bold.Render(group))
		}
		keys := strings.Join(s.keys, " ")
		if keys == "" {
			keys = "(unbound)"
		}
		line := fmt.Sprintf("  %-18s %s", keys, s.desc)
		if s.disabled != nil {
			if why := s.disabled(m); why != "" {
				// the reason goes on its own line so narrow terminals keep it
				body = append(body, m.st.dim.Render(line+" (disabled now)"), m.st.dim.Render("                     ↳ "+why))
				continue
			}
		}
		body = append(body, line)
	}
	body = append(body, m.st.bold.Render("commands"))
	for _, c := range commands {
		name := ":" + c.name
		if len(c.args) > 0 {
			name += " " + strings.Join(c.args, "|")
		}
		if c.name == "id" {
			name += " VALUE"
		}
		body = append(body, fmt.Sprintf("  %-18s %s", name, c.help))
	}
	body = append(body, m.st.dim.Render("Every key can be rebound in the config file by action name, e.g. mark: [x]."))
	return body
}
