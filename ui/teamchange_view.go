package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// maxDialogWidth keeps dialogs readable on wide terminals: 86 cells of
// text, a blank column inside each border, and the borders.
const maxDialogWidth = 90

// The team/role change and the :restore checklist are an overlay.

func (f *changeFlow) frame(*model) overlayFrame {
	title, hint := f.title(), "esc cancels"
	switch f.stage {
	case stageApplying:
		hint = ""
	case stageResult:
		hint = "enter closes"
	case stageRestore:
		title, hint = "restore checklist · roles to give back in HubSpot ", "j/k move · x ticks off by hand · esc closes"
	}
	return overlayFrame{title: title, hint: hint, width: maxDialogWidth}
}

func (f *changeFlow) key(m *model, k tea.KeyPressMsg) keyResult {
	return used(m.changeKey(k)) // the flow decides what esc does at each stage
}

func (f *changeFlow) closed(m *model) {
	if m.change == f {
		m.change = nil
	}
}

// body draws the flow's stage for inner x h cells.
func (f *changeFlow) body(m *model, inner, h int) []string {
	var head, foot []string
	cursorLine := -1 // the restore checklist's line under the cursor
	switch f.stage {
	case stagePick:
		head, foot = m.pickBody(f, inner)
	case stagePlanning:
		head = []string{"planning…"}
	case stageConfirm:
		head = m.planLines(f, inner)
		method, _ := f.plan.PlainMethod()
		foot = append([]string{"", m.st.ok.Render(noLossWords(f.plan))},
			m.wrapped("enter or y sends it "+methodWords(method)+" · n or esc cancels", inner, 2, m.st.dim.Render)...)
	case stageWarn, stageTypeN:
		head = m.planLines(f, inner)
		foot = m.warnFoot(f, inner)
	case stageApplying:
		head = m.planLines(f, inner)
		foot = []string{"", "sending to HubSpot…"}
	case stageResult:
		head = m.resultLines(f, inner)
	case stageRestore:
		head, cursorLine = m.restoreLines(f, inner)
	}
	if f.err != "" && f.stage != stageResult {
		foot = append(foot, m.wrapped(f.err, inner, 2, m.st.bad.Render)...)
	}
	// The footer (options, prompts) always shows; the head scrolls, and in
	// the picker it follows the cursor (two lines of filter above the list).
	room := max(h-len(foot), 1)
	top := f.top
	if f.stage == stagePick {
		top = max(f.cursor+2-(room-2), 0)
	}
	if cursorLine >= 0 {
		// The checklist follows its cursor, with a line of room below.
		top = min(max(top, cursorLine+2-room), cursorLine)
	}
	top = min(top, max(len(head)-room, 0))
	return m.headAndFoot(head, foot, top, h)
}

func (f *changeFlow) title() string {
	if f.undoOf != 0 {
		return f.who + " "
	}
	switch f.what {
	case changeSecondary:
		return "secondary teams for " + f.who + " "
	case changeRole:
		return "role for " + f.who + " "
	}
	return "primary team for " + f.who + " "
}

// wrapped breaks plain text into lines of at most width cells, indenting
// continuation lines, and styles each line on its own so that no style
// spans the dialog's borders.
func (m *model) wrapped(text string, width, indent int, style func(...string) string) []string {
	if width <= indent+8 {
		return []string{style(text)}
	}
	lines := strings.Split(ansi.Wrap(text, width, ""), "\n")
	if len(lines) > 1 {
		rest := strings.TrimSpace(strings.Join(lines[1:], " "))
		lines = lines[:1]
		for _, l := range strings.Split(ansi.Wrap(rest, width-indent, ""), "\n") {
			lines = append(lines, strings.Repeat(" ", indent)+l)
		}
	}
	for i, l := range lines {
		lines[i] = style(l)
	}
	return lines
}

func plain(s ...string) string { return strings.Join(s, " ") }

func methodWords(m portal.Method) string {
	if m == portal.MethodKeepRoles {
		return "through the Teams API"
	}
	return "as a user update"
}

func (m *model) pickBody(f *changeFlow, inner int) (head, foot []string) {
	what := "teams"
	if f.what == changeRole {
		what = "roles"
	}
	head = []string{"filter " + what + ": " + f.filter + "▏", ""}
	if !f.loaded {
		return append(head, "loading "+what+"…"), nil
	}
	opts := f.options()
	if len(opts) == 0 {
		head = append(head, m.st.dim.Render("no "+what+" match"))
	}
	for i, o := range opts {
		box := ""
		if f.what == changeSecondary {
			box = "[ ] "
			if slices.Contains(f.selected, hubspot.TeamID(o.id)) {
				box = "[x] "
			}
		}
		held := ""
		if h := f.holds[o.id]; h != "" {
			held = "  (" + h + ")"
		}
		if i == f.cursor {
			head = append(head, m.st.cursor.Render(pad("▸ "+box+o.label+"  "+o.id+held, inner)))
			continue
		}
		head = append(head, "  "+box+o.label+m.st.dim.Render("  "+o.id)+held)
	}
	hint := "type to filter · ↑↓ move · enter chooses"
	if f.what == changeSecondary {
		hint = fmt.Sprintf("space toggles (%d chosen) · enter plans", len(f.selected))
	}
	return head, []string{"", m.st.dim.Render(hint)}
}

// planLines are the plan's per-user lines, wrapped, with lost roles
// highlighted.
func (m *model) planLines(f *changeFlow, width int) []string {
	var out []string
	for _, l := range f.planText() {
		style, indent := plain, 2
		if strings.HasPrefix(l, "    ") {
			indent = 21 // under the value column of "    label            value"
		}
		if strings.Contains(l, portal.GoneRowLabel) {
			style = m.st.warn.Render
		}
		out = append(out, m.wrapped(l, width, indent, style)...)
	}
	return out
}

func (m *model) warnFoot(f *changeFlow, width int) []string {
	n := f.plan.GoneCount()
	roles := portal.Plural(n, "role")
	foot := []string{""}
	warning := fmt.Sprintf("⚠ A user update drops %s: HubSpot keeps one role per user.", roles)
	if f.plan.Kind == portal.KindRoleChange {
		warning = fmt.Sprintf("⚠ %s will be lost: HubSpot keeps one role per user, and no API can keep the others.", f.plan.GoneText())
	}
	foot = append(foot, m.wrapped(warning, width, 2, m.st.warn.Render)...)
	if f.stage == stageTypeN {
		foot = append(foot, "", fmt.Sprintf("Type %d to drop %s: %s▏", n, roles, f.typed))
		if f.note != "" {
			foot = append(foot, m.wrapped(f.note, width, 2, m.st.bad.Render)...)
		}
		return append(foot, m.st.dim.Render("enter confirms · esc cancels"))
	}
	option := func(i int, text, disabled string) []string {
		line := fmt.Sprintf("%d  %s", i+1, text)
		if disabled != "" {
			line += " (unavailable: " + disabled + ")"
		}
		mark, style := " ", plain
		switch {
		case i == f.choice:
			mark, style = "▸", func(s ...string) string { return m.st.cursor.Render(pad(plain(s...), width)) }
		case disabled != "":
			style = m.st.dim.Render
		}
		return m.wrapped(mark+" "+line, width, 5, style)
	}
	keep := "Keep all roles (change membership through the Teams API)"
	if f.plan.Kind == portal.KindRoleChange {
		keep = "Keep the other roles"
	}
	foot = append(foot, option(optKeepRoles, keep, f.plan.KeepRoles.Reason)...)
	foot = append(foot, option(optDropRoles, "Proceed and drop "+roles, f.plan.Put.Reason)...)
	foot = append(foot, option(optCancel, "Cancel", "")...)
	if f.note != "" {
		foot = append(foot, m.wrapped(f.note, width, 2, m.st.bad.Render)...)
	}
	return append(foot, m.st.dim.Render("1/2/3 or ↑↓ enter · esc cancels"))
}

// noLossWords is the confirmation's line when HubSpot drops nothing: a
// role change still says which role the choice replaces.
func noLossWords(pl portal.UserChangePlan) string {
	if n := pl.GoneCount(); n > 0 {
		return fmt.Sprintf("%s goes; no other role is lost.", pl.GoneText())
	}
	return "No role is lost."
}

func (m *model) resultLines(f *changeFlow, width int) []string {
	var out []string
	if f.err != "" {
		out = append(out, m.wrapped(f.err, width, 2, m.st.bad.Render)...)
	}
	for _, u := range f.result.Users {
		state := u.State
		switch u.State {
		case portal.ItemDone:
			state = m.st.ok.Render("done")
		case portal.ItemFailed:
			state = m.st.bad.Render("failed")
		}
		out = append(out, u.Label+": "+state)
		if u.Message != "" {
			out = append(out, m.wrapped("  "+u.Message, width, 2, plain)...)
		}
		if len(u.Replaced) > 0 {
			out = append(out, m.wrapped("  replaced by your choice: "+u.Replaced[0].Name, width, 4, plain)...)
		}
		if len(u.Dropped) > 0 {
			names := make([]string, len(u.Dropped))
			for i, r := range u.Dropped {
				names[i] = r.Name
			}
			out = append(out, m.wrapped("  dropped: "+strings.Join(names, ", ")+" (on the :restore checklist)", width, 4, m.st.warn.Render)...)
		}
	}
	if f.result.JobID != 0 {
		out = append(out, m.st.dim.Render(fmt.Sprintf("journal job %d", f.result.JobID)))
	}
	return out
}

// restoredWords says how and when a checklist item was ticked off.
func (m *model) restoredWords(it portal.RestoreItem) string {
	when := it.RestoredAt.In(m.loc).Format("2006-01-02 15:04")
	if it.RestoredHow == portal.RestoredByHand {
		by := ""
		if it.RestoredBy != "" {
			by = " by " + it.RestoredBy
		}
		return "ticked by hand" + by + " " + when
	}
	return "seen restored at sync " + when
}

// restoreLines are the checklist grouped by user, and the line of the item
// under the cursor (-1 when there is none).
func (m *model) restoreLines(f *changeFlow, width int) (out []string, cursorLine int) {
	cursorLine = -1
	if !f.loaded {
		return []string{"loading…"}, cursorLine
	}
	if len(f.restore) == 0 {
		return []string{"Nothing to restore: no role dropped by a change made here is missing."}, cursorLine
	}
	lastUser := hubspot.UserID("")
	for i, it := range f.restore {
		if it.UserID != lastUser {
			lastUser = it.UserID
			label := it.UserName
			if it.UserEmail != "" && it.UserEmail != label {
				label += " <" + it.UserEmail + ">"
			}
			out = append(out, m.st.bold.Render(fmt.Sprintf("%s (user %s)", label, it.UserID)))
			out = append(out, m.wrapped("  "+it.Link, width, 2, m.st.dim.Render)...)
		}
		when := it.DroppedAt.In(m.loc).Format("2006-01-02 15:04")
		line := fmt.Sprintf("  [ ] re-add %s · dropped %s", it.RoleName, when)
		style := plain
		if !it.Open() {
			line, style = "  [x] "+it.RoleName+" · "+m.restoredWords(it), m.st.dim.Render
		}
		if i == f.cursor {
			style = func(s ...string) string { return m.st.cursor.Render(pad(plain(s...), width)) }
			cursorLine = len(out)
		}
		out = append(out, style(line))
	}
	return out, cursorLine
}
