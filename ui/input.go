package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// newLineInput builds the bubbles textinput behind `/` and `:`. It uses the
// terminal's real cursor (no virtual cursor, so no blink ticks and frames
// stay deterministic) and its own suggestions for command completion.
func newLineInput() textinput.Model {
	ti := textinput.New()
	ti.SetVirtualCursor(false)
	// ctrl+v would read the local clipboard with an external program, which is
	// wrong over SSH; terminals deliver a paste as tea.PasteMsg anyway.
	ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	return ti
}

// inputKeys are the bindings of the open line, for its help hint.
var inputKeys = struct{ accept, run, cancel, complete, cycle key.Binding }{
	accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keeps")),
	run:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "runs")),
	cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancels")),
	complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "completes")),
	cycle:    key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "other matches")),
}

// openFilter starts editing the focused pane's filter; every keystroke
// re-queries (see inputChanged).
func (m *model) openFilter() tea.Cmd {
	p := m.currentPane()
	m.mode = inputFilter
	m.filterBefore = p.filter
	m.resetInput()
	m.input.Prompt = "/"
	m.input.SetValue(p.filter)
	m.input.CursorEnd()
	m.layout()
	return m.input.Focus()
}

// openCommand starts the `:` line with completion of commands and arguments.
func (m *model) openCommand() tea.Cmd {
	m.mode = inputCommand
	m.resetInput()
	m.input.Prompt = ":"
	m.input.ShowSuggestions = true
	m.input.SetValue("")
	m.input.SetSuggestions(m.completionsFor(""))
	m.layout()
	return m.input.Focus()
}

// resetInput starts each `/` or `:` line from a fresh textinput: one mode's
// matched completions, scroll offset or history must not show in the next
// (textinput keeps its matched suggestions when suggestions are turned off).
func (m *model) resetInput() {
	m.input = newLineInput()
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
				m.keepPlace(p)
				return m.requery(p)
			}
		}
		return nil
	case "enter":
		mode, line := m.mode, m.input.Value()
		m.closeInput()
		if mode == inputCommand {
			return m.runCommand(line)
		}
		return nil
	case "tab":
		if m.mode != inputCommand {
			return nil
		}
	}
	return m.editInput(k)
}

// editInput hands a key or paste to the textinput and reacts to a change.
func (m *model) editInput(msg tea.Msg) tea.Cmd {
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() == before {
		return cmd
	}
	if m.mode == inputCommand {
		m.input.SetSuggestions(m.completionsFor(m.input.Value()))
	}
	return tea.Batch(cmd, m.inputChanged())
}

func (m *model) closeInput() {
	m.mode = inputNone
	m.input.Blur()
	m.layout()
}

// inputChanged runs the filter for every keystroke. The query runs in a Cmd
// tagged with a new generation, so typing never waits and only the newest
// result is shown.
func (m *model) inputChanged() tea.Cmd {
	if m.mode != inputFilter {
		return nil
	}
	p := m.currentPane()
	v := m.input.Value()
	if v == p.filter {
		return nil
	}
	p.filter = v
	if v == "" {
		m.keepPlace(p) // an emptied filter is a cleared one (actBack)
	}
	return m.requery(p)
}

// inputCursor places the real cursor on the input line at row y.
func (m *model) inputCursor(y int) *tea.Cursor {
	c := m.input.Cursor()
	if c == nil {
		return nil
	}
	// textinput counts runes; a wide rune takes two cells.
	v := []rune(m.input.Value())
	x := ansi.StringWidth(m.input.Prompt) + ansi.StringWidth(string(v[:min(m.input.Position(), len(v))]))
	if w := m.input.Width(); w > 0 {
		x = min(x, w+ansi.StringWidth(m.input.Prompt))
	}
	if x >= m.width {
		return nil
	}
	c.Position.X, c.Position.Y = x, y
	return c
}

// renderInput draws the `/` or `:` line with the matching completions or a
// key hint on the right.
func (m *model) renderInput(w int) string {
	// The editor gets at least half the line; the hint gives way, dropping
	// its least needed keys first and never cutting one in half.
	room := max(w/2-1, 0)
	hint := m.fittingHint(room, inputKeys.accept, inputKeys.cancel)
	if m.mode == inputCommand {
		hint = m.fittingHint(room, inputKeys.run, inputKeys.complete, inputKeys.cancel)
		if ms := m.input.MatchedSuggestions(); len(ms) > 1 && m.input.Value() != "" {
			for i := range ms {
				ms[i] = strings.TrimSpace(ms[i])
			}
			hint = m.st.dim.Render(strings.Join(ms, "  "))
		}
	}
	hw := min(ansi.StringWidth(hint), room)
	inputW := max(w-1-hw-1-1, 1)
	if m.input.Width() != inputW {
		m.input.SetWidth(inputW)
		m.input.SetCursor(m.input.Position()) // recomputes the visible slice
	}
	line := m.input.View()
	if hw <= 0 {
		return line
	}
	return spread(line, ansi.Truncate(hint, hw, "…"), w)
}

// fittingHint renders the key hint that fits in room cells, leaving out the
// first bindings (the least needed) until it does; the order shown is the
// order of the input line's help: complete, run or keep, cancel.
func (m *model) fittingHint(room int, byNeed ...key.Binding) string {
	for drop := 0; drop < len(byNeed); drop++ {
		hint := m.helpView.ShortHelpView(inHintOrder(byNeed[drop:]))
		if ansi.StringWidth(hint) <= room {
			return hint
		}
	}
	return ""
}

// inHintOrder puts tab before enter before esc, whatever the need order.
func inHintOrder(bs []key.Binding) []key.Binding {
	order := map[string]int{"tab": 0, "enter": 1, "esc": 2}
	out := append([]key.Binding(nil), bs...)
	slices.SortStableFunc(out, func(a, b key.Binding) int { return order[a.Help().Key] - order[b.Help().Key] })
	return out
}

// command is one `:` command; args completes its argument.
type command struct {
	name string
	args func(m *model) []string
	arg  string // how help writes the argument
	help string
	act  action // the key action it mirrors: hidden when that is (read-only)
}

var commands = []command{
	{name: "users", help: "focus the users pane"},
	{name: "owners", help: "focus the owners pane"},
	{name: "contacts", help: "all contacts"},
	{name: "records", arg: "TYPE", args: recordsCompletions, help: "the records pane shows TYPE: contacts, companies, deals, tickets or a custom object"},
	{name: "findings", help: "what is wrong in this portal"},
	{name: "id", arg: "VALUE", help: "resolve an ID or email: :id 5003"},
	{name: "sync", help: "refresh from HubSpot", act: actRefresh},
	{name: "export", arg: "csv|json", args: func(*model) []string { return []string{"csv", "json"} }, help: "write the view to a file", act: actExport},
	{name: "portal", arg: "NAME", args: func(m *model) []string { return m.opts.Portals }, help: "switch to another configured portal"},
	{name: "sort", arg: "KEY", args: sortCompletions, help: "sort the focused pane: " + sortHelp()},
	{name: "log", help: "API log", act: actAPILog},
	{name: "restore", help: "roles dropped by team/role changes, to give back in HubSpot; x ticks one off by hand"},
	{name: "jobs", help: "every job of the journal: undo, resume, export"},
	{name: "offboard", arg: "[USER]", help: "offboard the selected user, or USER (user ID, owner ID or email)", act: actOffboard},
	{name: "help", help: "keys"},
	{name: "q", help: "quit"},
}

// completionsFor is what tab may complete the `:` line to: command names
// while the name is being typed, then that command's arguments (`:export ⇥`
// gives csv and json, `:portal ⇥` the portal names, `:sort ⇥` the focused
// pane's keys). A bare "name " is left out once typed, so that tab goes on
// to the first argument instead of completing to what is already there.
func (m *model) completionsFor(value string) []string {
	name, _, typingArg := strings.Cut(strings.TrimLeft(value, " "), " ")
	if !typingArg {
		return m.allCompletions()
	}
	var out []string
	for _, c := range m.availableCommands() {
		if c.name != name || c.args == nil {
			continue
		}
		for _, a := range c.args(m) {
			out = append(out, c.name+" "+sanitize(a))
		}
	}
	return out
}

// allCompletions lists every command line the `:` input can suggest: the
// command names, then each command with each of its arguments.
func (m *model) allCompletions() []string {
	var out []string
	for _, c := range m.availableCommands() {
		name := c.name
		if c.arg != "" {
			name += " "
		}
		out = append(out, name)
	}
	for _, c := range m.availableCommands() {
		if c.args == nil {
			continue
		}
		for _, a := range c.args(m) {
			out = append(out, c.name+" "+sanitize(a))
		}
	}
	return out
}

// availableCommands leaves out :portal when there is nothing to switch to,
// and commands whose action is hidden (a write action on a read-only portal).
func (m *model) availableCommands() []command {
	out := make([]command, 0, len(commands))
	for _, c := range commands {
		if c.name == "portal" && (m.opts.SwitchPortal == nil || len(m.opts.Portals) == 0) {
			continue
		}
		if c.act != "" && !m.keys.available(c.act) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func (m *model) runCommand(line string) tea.Cmd {
	name, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	refuse := func(a action) bool {
		if !m.keys.available(a) {
			m.msg = ":" + name + ": the portal is open read-only"
			return true
		}
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
		if m.panes[paneContacts].rtype != "" {
			m.scope = contactScope{}
			return m.switchType("")
		}
		m.focus, m.view = paneContacts, viewMain
		m.resolution = nil
		if m.scope != (contactScope{}) {
			m.scope = contactScope{}
			return tea.Batch(m.reloadContacts(), m.selectDetail())
		}
		return m.selectDetail()
	case "records":
		if why := needRecordTypes(m); why != "" && arg != "" && arg != "contacts" {
			m.msg = ":records: " + why
			return nil
		}
		return m.recordsCommand(arg)
	case "findings":
		return m.do(actFindings)
	case "restore":
		if why := needRestoreList(m); why != "" {
			m.msg = ":restore: " + why
			return nil
		}
		return m.openRestore()
	case "log":
		if refuse(actAPILog) {
			return nil
		}
		return m.do(actAPILog)
	case "offboard":
		if !m.keys.available(actOffboard) {
			m.msg = ":offboard: the portal is open read-only"
			return nil
		}
		if m.offboarder() == nil {
			m.msg = ":offboard: this portal connection cannot offboard people"
			return nil
		}
		if arg == "" {
			if why := needOffboard(m); why != "" {
				m.msg = ":offboard: " + why + ", or type :offboard USER"
				return nil
			}
		}
		return m.startOffboard(arg)
	case "jobs":
		return m.openJobs()
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
	case "portal":
		return m.switchPortal(arg)
	case "sort":
		return m.sortCommand(arg)
	case "q", "quit":
		return m.quit()
	}
	m.err = "unknown command :" + sanitize(name) + " (tab completes commands)"
	return nil
}
