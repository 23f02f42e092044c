package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/portal"
)

// confirmDialog is a typed confirmation: the admin must type want exactly
// (for a production portal, the portal's name) and press enter; esc cancels.
// Typing a word, unlike pressing y, cannot happen by reflex or type-ahead.
//
// It is a value component in the Bubble Tea style:
//
//	d := newTypedConfirm("Reassign 2,400 contacts", "This changes production.", "acme-prod")
//	d, cmd = d.Update(msg)  // feed it tea.KeyPressMsg and tea.PasteMsg
//	if d.Confirmed() { ... } else if d.Cancelled() { ... }
//	lines := d.View(width, m.st) // a bordered box exactly width cells wide
//
// Most callers want the root model to own it instead: m.guardLargeJob runs a
// job at once or behind this dialog, and m.askTyped shows any dialog modally
// and runs a callback when it is confirmed.
type confirmDialog struct {
	title, prompt, want string
	input               textinput.Model
	state               confirmState
	mismatch            bool // enter was pressed on the wrong text
}

type confirmState int

const (
	confirmOpen confirmState = iota
	confirmOK
	confirmCancelled
)

var confirmKeys = struct{ ok, cancel key.Binding }{
	ok:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirms")),
	cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancels")),
}

// newTypedConfirm opens a dialog titled title that explains prompt and
// confirms only once want has been typed exactly.
func newTypedConfirm(title, prompt, want string) confirmDialog {
	ti := newLineInput()
	ti.Prompt = "> "
	ti.Focus()
	return confirmDialog{title: title, prompt: prompt, want: want, input: ti}
}

// Confirmed reports whether the admin typed the word and pressed enter.
func (d confirmDialog) Confirmed() bool { return d.state == confirmOK }

// Cancelled reports whether the admin closed the dialog with esc.
func (d confirmDialog) Cancelled() bool { return d.state == confirmCancelled }

// Update applies a key press or paste. Once confirmed or cancelled the
// dialog ignores further input.
func (d confirmDialog) Update(msg tea.Msg) (confirmDialog, tea.Cmd) {
	if d.state != confirmOpen {
		return d, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, confirmKeys.cancel):
			d.state = confirmCancelled
			d.input.Blur()
			return d, nil
		case key.Matches(k, confirmKeys.ok):
			if d.input.Value() == d.want {
				d.state = confirmOK
				d.input.Blur()
			} else {
				d.mismatch = true
			}
			return d, nil
		}
	}
	var cmd tea.Cmd
	before := d.input.Value()
	d.input, cmd = d.input.Update(msg)
	if d.input.Value() != before {
		d.mismatch = false
	}
	return d, cmd
}

func (d confirmDialog) promptLines(w int) []string {
	return wrapLines(sanitize(d.prompt), w)
}

func (d confirmDialog) typeLines(w int) []string {
	return wrapLines("Type "+sanitize(d.want)+" to confirm:", w)
}

// bodyLines draws the dialog's content for an area of w x h cells, and
// says on which of its lines the input is. When h is short the
// explanation goes first: what to type, the input and the keys must show.
func (d confirmDialog) bodyLines(w, h int, st styles) (lines []string, inputRow int) {
	prompt := d.promptLines(w)
	if room := h - 3 - len(d.typeLines(w)); len(prompt) > room {
		prompt = nil
	}
	lines = append(lines, prompt...)
	lines = append(lines, d.typeLines(w)...)
	inputRow = len(lines)
	d.input.SetWidth(max(w-ansi.StringWidth(d.input.Prompt)-1, 1))
	lines = append(lines, d.input.View())
	switch {
	case d.mismatch:
		lines = append(lines, st.bad.Render("that is not "+sanitize(d.want)))
	case h >= len(lines)+2:
		lines = append(lines, "")
	}
	hints := []string{}
	for _, b := range []key.Binding{confirmKeys.ok, confirmKeys.cancel} {
		hints = append(hints, b.Help().Key+" "+b.Help().Desc)
	}
	return append(lines, st.dim.Render(strings.Join(hints, " · "))), inputRow
}

// View draws the dialog as a box exactly w cells wide.
func (d confirmDialog) View(w int, st styles) []string {
	body, _ := d.bodyLines(max(w-4, 1), 1<<10, st)
	return boxLines(st, sanitize(d.title)+" ", w, body)
}

// boxLines draws a focused rounded box of exactly w cells around body, with
// a one-cell margin inside the borders.
func boxLines(st styles, title string, w int, body []string) []string {
	if w < 6 {
		return nil
	}
	inner := w - 2
	title = ansi.Truncate(title, max(w-5, 0), "…")
	top := st.borderFocus.Render("╭─ ") + st.titleFocus.Render(title) +
		st.borderFocus.Render(strings.Repeat("─", max(w-4-ansi.StringWidth(title), 0))+"╮")
	out := []string{top}
	side := st.borderFocus.Render("│")
	for _, l := range body {
		out = append(out, side+" "+pad(l, inner-2)+" "+side)
	}
	return append(out, st.borderFocus.Render("╰"+strings.Repeat("─", inner)+"╯"))
}

// pendingConfirm is a typed confirmation shown as an overlay.
type pendingConfirm struct {
	d        confirmDialog
	onOK     func() tea.Cmd
	inputRow int // the body line of the input, as last drawn
}

// askTyped shows d over the console; every key goes to it until the admin
// confirms (then onOK's Cmd runs) or cancels (then nothing happens).
func (m *model) askTyped(d confirmDialog, onOK func() tea.Cmd) {
	c := &pendingConfirm{d: d, onOK: onOK}
	m.confirm = c
	m.openOverlay(c)
}

func (c *pendingConfirm) frame(*model) overlayFrame {
	return overlayFrame{title: sanitize(c.d.title) + " ", width: 72}
}

func (c *pendingConfirm) body(m *model, w, h int) []string {
	var lines []string
	lines, c.inputRow = c.d.bodyLines(w, h, m.st)
	return lines
}

func (c *pendingConfirm) key(m *model, k tea.KeyPressMsg) keyResult {
	return c.update(m, k)
}

func (c *pendingConfirm) paste(m *model, msg tea.PasteMsg) tea.Cmd {
	return c.update(m, msg).cmd
}

func (c *pendingConfirm) update(m *model, msg tea.Msg) keyResult {
	var cmd tea.Cmd
	c.d, cmd = c.d.Update(msg)
	switch {
	case c.d.Confirmed():
		return closing(tea.Batch(cmd, c.onOK()))
	case c.d.Cancelled():
		m.msg = "cancelled: " + c.d.title
		return closing(cmd)
	}
	return used(cmd)
}

func (c *pendingConfirm) closed(m *model) {
	if m.confirm == c {
		m.confirm = nil
	}
}

// cursor is the input's cursor, after the prompt and the typed text.
func (c *pendingConfirm) cursor(_ *model, _ int) *tea.Cursor {
	cur := c.d.input.Cursor()
	if cur == nil {
		return nil
	}
	v := []rune(c.d.input.Value())
	cur.Position.X = ansi.StringWidth(c.d.input.Prompt) + ansi.StringWidth(string(v[:min(c.d.input.Position(), len(v))]))
	cur.Position.Y = c.inputRow
	return cur
}

// needsTypedConfirm reports whether a job of this many changes must be
// confirmed by typing the portal's name: production portals, over 100.
func (m *model) needsTypedConfirm(changes int) bool {
	return m.opts.Production && changes > portal.ProductionConfirmAbove
}

// guardLargeJob is what write features call before starting a job. On a
// production portal a job of more than 100 changes first asks the admin to
// type the portal's name; otherwise start runs at once. what describes the
// job for the dialog ("reassign 2,400 contacts to Bo Kim").
func (m *model) guardLargeJob(what string, changes int, start func() tea.Cmd) tea.Cmd {
	if !m.needsTypedConfirm(changes) {
		return start()
	}
	name := m.portalName()
	m.askTyped(newTypedConfirm(
		"production: "+what,
		fmt.Sprintf("%s makes %s changes in the production portal %s.", what, portal.Thousands(changes), name),
		name), start)
	return nil
}
