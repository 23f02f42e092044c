package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

func (f *offboardFlow) frame(*model) overlayFrame {
	hint := "esc cancels"
	switch f.stage {
	case offRunning:
		hint = ""
	case offDone:
		hint = "enter closes"
	}
	return overlayFrame{title: "offboard " + sanitize(f.who) + " ", hint: hint, width: maxDialogWidth}
}

func (f *offboardFlow) key(m *model, k tea.KeyPressMsg) keyResult {
	return used(m.offboardKey(f, k)) // the flow decides what esc does at each stage
}

func (f *offboardFlow) closed(m *model) {
	if f.cancel != nil {
		f.cancel()
	}
	if m.offboard == f {
		m.offboard = nil
	}
}

// body draws the flow's stage for inner x h cells.
func (f *offboardFlow) body(m *model, inner, h int) []string {
	var head, foot []string
	switch f.stage {
	case offLoading:
		head = []string{"reading the pre-flight report…"}
	case offReport:
		head = m.offboardReportBody(f, inner)
		foot = []string{"", m.st.dim.Render("enter picks who takes their records · esc cancels")}
		if f.report.HandoverCount() == 0 {
			foot = []string{"", m.st.dim.Render("enter shows the plan · esc cancels")}
		}
		if len(f.hardBlockers()) > 0 {
			foot = []string{"", m.st.warn.Render("blocked: do what the report says first · esc closes")}
		}
	case offPick:
		head, foot = m.ownerPickBody(f.pick, inner, h)
		foot = append(foot, m.st.dim.Render("esc goes back to the report"))
	case offPlanning:
		head = []string{"planning…"}
	case offPlan:
		head = m.offboardReportBody(f, inner)
		head = append(head, m.offboardPlanLines(f)...)
		foot = []string{"", m.st.dim.Render("enter or y offboards · esc cancels, nothing is sent")}
		if f.report.Blocked() {
			foot = []string{"", m.st.warn.Render("blocked: do what the report says first · esc closes")}
		}
	case offRunning:
		head = m.offboardStepLines(f, inner)
		foot = []string{"", m.st.dim.Render("esc cancels between steps (after the hand-over's batches in flight); the job stays resumable")}
		if f.cancelling {
			foot = []string{"", m.st.warn.Render("cancelling…")}
		}
	case offDone:
		head = m.offboardDoneLines(f, inner)
	}
	if f.err != "" && f.stage != offDone {
		foot = append(foot, m.st.bad.Render(sanitize(f.err)))
	}
	room := max(h-len(foot), 1)
	f.top = min(f.top, max(len(head)-room, 0))
	head = head[f.top:]
	if len(head) > room {
		head = head[:room]
	}
	return append(head, foot...)
}

// offboardReportBody is the pre-flight report: who, what they own per
// type and owner property, teams, roles, seats, and what blocks the job.
func (m *model) offboardReportBody(f *offboardFlow, inner int) []string {
	r := f.report
	st := m.st
	out := []string{st.bold.Render(sanitize(r.Person.Label()))}
	if r.Person.SuperAdmin {
		out = append(out, st.warn.Render("super admin"))
	}
	for _, n := range r.Notes {
		out = append(out, wrapLines(st.dim.Render("note: "+sanitize(n)), max(inner, 1))...)
	}
	out = append(out, "")
	if len(r.Had.Holdings) == 0 {
		out = append(out, "owns      nothing")
	}
	for _, h := range r.Had.Holdings {
		out = append(out, fmt.Sprintf("owns      %s through %s", h.Records(), sanitize(h.PropertyLabel)))
	}
	var teams []string
	for _, t := range r.Had.Teams {
		s := sanitize(t.Name)
		if t.Primary {
			s += " (primary)"
		}
		if t.LeftEmpty {
			s += st.warn.Render(" left with no member")
		}
		teams = append(teams, s)
	}
	out = append(out, flow(orNoneList(teams), " · ", inner, "teams     ")...)
	var roles []string
	for _, role := range r.Had.Roles {
		roles = append(roles, sanitize(role.Name))
	}
	out = append(out, flow(orNoneList(roles), " · ", inner, "roles     ")...)
	out = append(out, flow(orNoneList(r.Had.Seats), " · ", inner, "seats     ")...)
	blockers := f.hardBlockers()
	if f.stage == offPlan {
		blockers = r.Blockers
	}
	for _, b := range blockers {
		out = append(out, "")
		out = append(out, wrapLines(st.bad.Render("BLOCKED: "+sanitize(b.What)), max(inner, 1))...)
		out = append(out, wrapLines("what to do: "+sanitize(b.Do), max(inner, 1))...)
	}
	return out
}

func orNoneList(xs []string) []string {
	if len(xs) == 0 {
		return []string{"none"}
	}
	return xs
}

// offboardPlanLines are the four steps as the job will run them.
func (m *model) offboardPlanLines(f *offboardFlow) []string {
	r := f.report
	out := []string{"", m.st.bold.Render("plan")}
	for i, step := range portal.OffboardSteps {
		line := fmt.Sprintf("%d. %s", i+1, portal.StepTitle(step, r.KeepUser))
		switch step {
		case portal.StepRecords:
			if r.HandoverCount() == 0 {
				line += ": nothing to hand over"
				break
			}
			line += fmt.Sprintf(": %s to %s", portal.Plural(r.HandoverCount(), "record"), sanitize(r.To.Label()))
		case portal.StepTeams:
			line += ": " + portal.Plural(len(r.Had.Teams), "team")
		case portal.StepSeats:
			if len(r.Had.Seats) == 0 {
				line += ": no seat"
				break
			}
			line += ": " + sanitize(strings.Join(r.Had.Seats, ", "))
		}
		out = append(out, line)
	}
	for _, c := range r.Checklist {
		out = append(out, m.st.warn.Render("checklist: "+sanitize(c)))
	}
	return out
}

// offboardStepLines shows each step as it runs.
func (m *model) offboardStepLines(f *offboardFlow, inner int) []string {
	out := []string{}
	if f.jobID != 0 {
		out = append(out, m.st.dim.Render(fmt.Sprintf("journal job %d", f.jobID)), "")
	}
	for i, step := range portal.OffboardSteps {
		state := "waiting"
		var msg string
		if i < len(f.steps) && f.steps[i].Step != 0 {
			state, msg = stepWord(f.steps[i].State), f.steps[i].Message
		}
		line := fmt.Sprintf("%d. %-30s %s", i+1, portal.StepTitle(step, f.report.KeepUser), m.stepState(state))
		out = append(out, line)
		if step == portal.StepRecords && f.records != nil && state == "running" {
			bar := m.bar
			bar.SetWidth(max(inner-16, 10))
			p := *f.records
			out = append(out, "   "+bar.ViewAs(p.Fraction())+fmt.Sprintf(" %s / %s", portal.Thousands(p.Done), portal.Thousands(p.Total)))
		}
		if msg != "" {
			out = append(out, wrapLines("   "+sanitize(msg), max(inner, 1))...)
		}
	}
	return out
}

func stepWord(state string) string {
	if state == portal.ItemSent {
		return "running"
	}
	return state
}

func (m *model) stepState(state string) string {
	switch state {
	case portal.ItemDone:
		return m.st.ok.Render("done")
	case portal.ItemFailed:
		return m.st.bad.Render("failed")
	case "running":
		return m.st.warn.Render("running")
	}
	return m.st.dim.Render(state)
}

// offboardDoneLines are the result: every step as the journal holds it.
func (m *model) offboardDoneLines(f *offboardFlow, inner int) []string {
	var out []string
	if f.err != "" {
		out = append(out, wrapLines(m.st.bad.Render(sanitize(f.err)), max(inner, 1))...)
	}
	if f.jobID == 0 {
		return out
	}
	state := f.result.State
	if state == portal.JobDone {
		state = m.st.ok.Render("done")
	} else {
		state = m.st.warn.Render(state)
	}
	out = append(out, fmt.Sprintf("job %d %s", f.jobID, state), "")
	for i, s := range f.result.Steps {
		out = append(out, fmt.Sprintf("%d. %-30s %s", i+1, s.Title, m.stepState(s.State)))
		if s.Message != "" {
			out = append(out, wrapLines("   "+sanitize(s.Message), max(inner, 1))...)
		}
	}
	if f.result.State != portal.JobDone {
		out = append(out, "", m.st.dim.Render("J lists the job; resume it from there once the cause is fixed"))
	}
	return out
}
