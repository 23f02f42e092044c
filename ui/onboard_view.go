package ui

import (
	"fmt"
	"strings"

	"github.com/hsadmin/hsadmin/portal"
)

// The N form is an overlay over the users pane.

func (f *onboardForm) frame(*model) overlayFrame {
	hint := "tab next field · enter plans · esc cancels"
	switch f.stage {
	case obPlanning, obCreating:
		hint = ""
	case obPlan:
		hint = "enter creates · e edits · esc cancels"
	case obResult:
		hint = "enter closes"
	}
	return overlayFrame{title: "new user ", hint: hint, width: maxDialogWidth}
}

// body draws the form's stage for inner x h cells.
func (f *onboardForm) body(m *model, inner, h int) []string {
	var lines []string
	switch f.stage {
	case obFill:
		lines = f.fillLines(m, inner)
	case obPlanning:
		lines = append(f.summaryLines(m, inner), "", "planning: checking the names and HubSpot's seats…")
	case obPlan:
		lines = f.planLines(m, inner)
	case obCreating:
		lines = append(f.summaryLines(m, inner), "", "creating the user, then reading them back…")
	case obResult:
		lines = f.resultLines(m, inner)
	}
	if f.err != "" {
		lines = append(lines, "")
		lines = append(lines, m.wrapped(f.err, inner, 2, m.st.bad.Render)...)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return lines
}

const formLabelWidth = 14

// fillLines are the fields, the one being edited marked, each with its
// problem under it.
func (f *onboardForm) fillLines(m *model, inner int) []string {
	st := m.st
	problems := f.problems()
	var lines []string
	for i, fl := range f.fields {
		mark := "  "
		if i == f.at {
			mark = "▸ "
		}
		value := fl.value
		switch {
		case fl.key == fieldWelcome:
			value = map[string]string{"yes": "[x] send HubSpot's invitation to set a password", "no": "[ ] no welcome email"}[fl.value] + "  (space toggles)"
		case i == f.at:
			value += "▏"
		}
		if fl.value == "" && fl.hint != "" && i == f.at {
			value += " " + st.dim.Render(fl.hint)
		}
		line := cutText(fmt.Sprintf("%s%-*s %s", mark, formLabelWidth, fl.label, value), inner)
		if i == f.at {
			line = st.bold.Render(line)
		}
		lines = append(lines, line)
		if p := problems[fl.key]; p != "" {
			lines = append(lines, m.wrapped(strings.Repeat(" ", formLabelWidth+3)+"✗ "+p, inner, formLabelWidth+5, st.bad.Render)...)
		}
	}
	if !f.loaded {
		lines = append(lines, "", st.dim.Render("loading roles and teams…"))
	} else if f.tried && len(problems) > 0 {
		lines = append(lines, "", st.warn.Render("fix the fields marked ✗, then enter"))
	}
	return lines
}

// summaryLines say who is being created, while the form waits.
func (f *onboardForm) summaryLines(m *model, inner int) []string {
	p := f.person()
	return m.wrapped(fmt.Sprintf("%s %s <%s>", p.First, p.Last, p.Email), inner, 2, m.st.bold.Render)
}

// planLines are the plan: who gets what, or why nothing can be sent.
func (f *onboardForm) planLines(m *model, inner int) []string {
	st := m.st
	var lines []string
	for _, l := range f.plan.Lines() {
		style := st.dim.Render
		switch {
		case strings.HasPrefix(strings.TrimSpace(l), "✗"):
			style = st.bad.Render
		case strings.HasPrefix(strings.TrimSpace(l), "+"):
			style = st.ok.Render
		}
		lines = append(lines, m.wrapped(l, inner, 6, style)...)
	}
	lines = append(lines, "")
	if len(f.plan.Sendable()) == 0 {
		lines = append(lines, m.wrapped("Nothing can be sent: e edits the form, esc cancels.", inner, 2, st.warn.Render)...)
	} else {
		lines = append(lines, m.wrapped("enter or y creates the user as one journaled job · e edits · n or esc cancels", inner, 2, st.dim.Render)...)
	}
	return lines
}

// resultLines say what the job did to the person.
func (f *onboardForm) resultLines(m *model, inner int) []string {
	st := m.st
	var lines []string
	for _, r := range f.result.Rows {
		switch r.State {
		case portal.ItemDone:
			lines = append(lines, st.ok.Render(cutText(fmt.Sprintf("%s <%s>: created", r.Name, r.Email), inner)))
			lines = append(lines, cutText(fmt.Sprintf("user ID %s · owner ID %s", r.UserID, orNone(string(r.OwnerID))), inner))
			lines = append(lines, m.wrapped("in HubSpot: "+r.Link, inner, 2, st.dim.Render)...)
			if len(r.ChecklistRoles) > 0 {
				var names []string
				for _, ro := range r.ChecklistRoles {
					names = append(names, ro.Name)
				}
				lines = append(lines, m.wrapped("Add in HubSpot's settings (on the :restore checklist): "+strings.Join(names, ", "), inner, 2, st.warn.Render)...)
			}
			if r.Message != "" {
				lines = append(lines, m.wrapped(r.Message, inner, 2, st.dim.Render)...)
			}
		default:
			lines = append(lines, m.wrapped(fmt.Sprintf("%s: %s: %s", r.Email, r.State, r.Message), inner, 2, st.bad.Render)...)
		}
	}
	if f.result.JobID != 0 {
		lines = append(lines, "", st.dim.Render(fmt.Sprintf("journal job %d (%s)", f.result.JobID, f.result.State)))
	}
	return lines
}
