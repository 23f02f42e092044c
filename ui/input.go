package ui

import (
	"slices"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
)

// lineInput is the one-line editor behind `/` and `:`. It is deliberately
// small: no blinking cursor (no ticks), so frames stay deterministic.
type lineInput struct {
	value []rune
	pos   int
}

func (l *lineInput) set(s string)   { l.value = []rune(s); l.pos = len(l.value) }
func (l *lineInput) String() string { return string(l.value) }

func (l *lineInput) insert(s string) {
	rs := []rune(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1 // a pasted newline must not end up in a filter
		}
		return r
	}, s))
	l.value = slices.Insert(l.value, l.pos, rs...)
	l.pos += len(rs)
}

// edit applies an editing key; it reports whether the key was one.
func (l *lineInput) edit(k tea.KeyPressMsg) bool {
	switch k.String() {
	case "backspace", "ctrl+h":
		if l.pos > 0 {
			l.value = slices.Delete(l.value, l.pos-1, l.pos)
			l.pos--
		}
	case "delete", "ctrl+d":
		if l.pos < len(l.value) {
			l.value = slices.Delete(l.value, l.pos, l.pos+1)
		}
	case "left", "ctrl+b":
		l.pos = max(l.pos-1, 0)
	case "right", "ctrl+f":
		l.pos = min(l.pos+1, len(l.value))
	case "home", "ctrl+a":
		l.pos = 0
	case "end", "ctrl+e":
		l.pos = len(l.value)
	case "ctrl+u":
		l.value = slices.Delete(l.value, 0, l.pos)
		l.pos = 0
	case "ctrl+w", "alt+backspace":
		i := l.pos
		for i > 0 && l.value[i-1] == ' ' {
			i--
		}
		for i > 0 && l.value[i-1] != ' ' {
			i--
		}
		l.value = slices.Delete(l.value, i, l.pos)
		l.pos = i
	default:
		if k.Text == "" || k.Mod.Contains(tea.ModCtrl) || k.Mod.Contains(tea.ModAlt) {
			return false
		}
		l.insert(k.Text)
	}
	return true
}

func (m *model) handleInputKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		mode := m.mode
		m.closeInput()
		if mode == inputFilter {
			p := m.currentPane()
			if p.filter != m.filterBefore {
				p.filter = m.filterBefore
				return m.requery(p)
			}
		}
		return nil
	case "enter":
		mode, line := m.mode, m.input.String()
		m.closeInput()
		if mode == inputCommand {
			return m.runCommand(line)
		}
		return nil
	case "tab":
		if m.mode == inputCommand {
			m.complete()
		}
		return nil
	}
	if !m.input.edit(k) {
		return nil
	}
	return m.inputChanged()
}

func (m *model) closeInput() {
	m.mode = inputNone
	m.completions = nil
	m.layout()
}

// inputChanged runs the filter for every keystroke. The query runs in a Cmd
// tagged with a new generation, so typing never waits and only the newest
// result is shown.
func (m *model) inputChanged() tea.Cmd {
	if m.mode == inputCommand {
		m.completions = m.candidates(m.input.String())
		return nil
	}
	p := m.currentPane()
	v := m.input.String()
	if v == p.filter {
		return nil
	}
	p.filter = v
	return m.requery(p)
}

// command is one `:` command; args completes its argument.
type command struct {
	name string
	args []string
	help string
}

var commands = []command{
	{name: "users", help: "focus the users pane"},
	{name: "owners", help: "focus the owners pane"},
	{name: "contacts", help: "all contacts"},
	{name: "findings", help: "what is wrong in this portal"},
	{name: "id", args: nil, help: "resolve an ID or email: :id 5003"},
	{name: "sync", help: "refresh from HubSpot"},
	{name: "export", args: []string{"csv", "json"}, help: "write the view to a file"},
	{name: "log", help: "API log"},
	{name: "help", help: "keys"},
	{name: "q", help: "quit"},
}

// candidates lists completions for the current command line.
func (m *model) candidates(line string) []string {
	name, arg, hasArg := strings.Cut(strings.TrimLeft(line, " "), " ")
	var out []string
	if !hasArg {
		for _, c := range commands {
			if strings.HasPrefix(c.name, name) {
				out = append(out, c.name)
			}
		}
		return out
	}
	for _, c := range commands {
		if c.name == name {
			for _, a := range c.args {
				if strings.HasPrefix(a, strings.TrimSpace(arg)) {
					out = append(out, c.name+" "+a)
				}
			}
		}
	}
	return out
}

// complete extends the line to the longest common prefix of the candidates;
// a single command that takes an argument also gets its space.
func (m *model) complete() {
	cs := m.candidates(m.input.String())
	m.completions = cs
	if len(cs) == 0 {
		return
	}
	prefix := cs[0]
	for _, c := range cs[1:] {
		for !strings.HasPrefix(c, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if len(cs) == 1 && !strings.Contains(prefix, " ") {
		for _, c := range commands {
			if c.name == prefix && (c.name == "id" || len(c.args) > 0) {
				prefix += " "
			}
		}
	}
	if len(prefix) >= len(m.input.String()) {
		m.input.set(prefix)
	}
	m.completions = m.candidates(m.input.String())
}

func (m *model) runCommand(line string) tea.Cmd {
	name, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	refuse := func(a action) bool {
		if why := m.disabledReason(a); why != "" {
			m.msg = ":" + name + ": " + why
			return true
		}
		return false
	}
	switch name {
	case "":
		return nil
	case "users":
		return m.focusPane(paneUsers)
	case "owners":
		return m.focusPane(paneOwners)
	case "contacts":
		m.focus, m.view = paneContacts, viewMain
		m.resolution = nil
		if m.scope != (contactScope{}) {
			m.scope = contactScope{}
			return tea.Batch(m.reloadContacts(), m.selectDetail())
		}
		return m.selectDetail()
	case "findings":
		return m.do(actFindings)
	case "log":
		if refuse(actAPILog) {
			return nil
		}
		return m.do(actAPILog)
	case "help":
		return m.do(actHelp)
	case "id":
		if arg == "" {
			m.err = "usage: :id VALUE (an owner ID, user ID, CRM user record ID or email)"
			return nil
		}
		return m.resolve(arg)
	case "sync":
		if refuse(actRefresh) {
			return nil
		}
		return m.startSync()
	case "export":
		if arg == "" {
			arg = "csv"
		}
		if arg != "csv" && arg != "json" {
			m.err = "usage: :export csv|json"
			return nil
		}
		if refuse(actExport) {
			return nil
		}
		return m.export(arg)
	case "q", "quit":
		return m.quit()
	}
	m.err = "unknown command :" + name + " (tab completes commands)"
	return nil
}
