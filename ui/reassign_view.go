package ui

import (
	tea "charm.land/bubbletea/v2"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// planSampleRows is how many contacts the plan screen lists.
const planSampleRows = 8

// The reassignment (with its undo and resume) is an overlay; it may sit
// over the jobs view, which it was started from.

func (f *reassignFlow) frame(*model) overlayFrame {
	title, hint := "reassign "+f.who, "esc cancels"
	if f.plan.UndoOf != 0 {
		title = fmt.Sprintf("undo job %d", f.plan.UndoOf)
	}
	switch f.stage {
	case rsRunning:
		hint = ""
	case rsDone:
		hint = "enter closes"
	}
	return overlayFrame{title: title + " ", hint: hint, width: maxDialogWidth}
}

func (f *reassignFlow) key(m *model, k tea.KeyPressMsg) keyResult {
	return used(m.reassignKey(k)) // the flow decides what esc does at each stage
}

func (f *reassignFlow) closed(m *model) {
	if f.cancel != nil {
		f.cancel()
	}
	if m.reassign == f {
		m.reassign = nil
	}
}

// body draws the flow's stage for inner x h cells.
func (f *reassignFlow) body(m *model, inner, h int) []string {
	var head, foot []string
	switch f.stage {
	case rsPick:
		head, foot = m.ownerPickBody(f, inner, h)
	case rsReadings:
		head, foot = m.readingsBody(f, inner)
	case rsPlanning:
		head = wrapLines(m.planningText(), inner)
	case rsPlan:
		head = m.planBody(f, inner)
		foot = m.planFoot(f, inner)
	case rsRunning:
		head = m.progressBody(f, inner)
		foot = []string{"", m.st.dim.Render("esc cancels after the batches in flight; the job stays resumable")}
		if f.cancelling {
			foot = []string{"", m.st.warn.Render("cancelling after the batches in flight…")}
		}
	case rsDone:
		head = m.doneBody(f, inner)
	}
	if f.err != "" && f.stage != rsDone {
		foot = append(foot, m.st.bad.Render(sanitize(f.err)))
	}
	room := max(h-len(foot), 1)
	f.top = min(f.top, max(len(head)-room, 0))
	return m.headAndFoot(head, foot, f.top, h)
}

// ownerLabel is how an owner reads in the picker and the plan:
// "Bo Kim <bo@acme.test> · owner 5002 ↔ user 102", queues and archived
// owners labelled.
func ownerLabel(o portal.OwnerRef) string {
	switch {
	case o.ID == "":
		return "(no owner)"
	case o.Unknown:
		return "owner ID " + string(o.ID) + " (matches no owner)"
	}
	name := sanitize(o.Name)
	if name == "" {
		name = sanitize(o.Email)
	}
	ids := "owner " + string(o.ID)
	if o.UserID != "" {
		ids += " ↔ user " + string(o.UserID)
	}
	var tags []string
	if o.Queue {
		tags = append(tags, "QUEUE")
	}
	if o.Archived {
		tags = append(tags, "ARCHIVED")
	}
	if o.NoUser {
		tags = append(tags, "no HubSpot user")
	}
	s := name + " · " + ids
	if len(tags) > 0 {
		s += " [" + strings.Join(tags, ", ") + "]"
	}
	if o.Email != "" && o.Email != o.Name {
		s += " · " + sanitize(o.Email)
	}
	return s
}

// ownerPickBody lists the matching owners, windowed to keep the cursor in
// the rows rows of the dialog.
func (m *model) ownerPickBody(f *reassignFlow, inner, rows int) (head, foot []string) {
	// On a short screen (a tiny terminal) the picker drops its blank lines
	// and long words, so the owner under the cursor stays in sight.
	tight := rows < 8
	prompt := "new owner (name, email, owner ID or user ID): "
	if tight {
		prompt = "new owner: "
	}
	head = []string{prompt + sanitize(f.filter) + "▏"}
	if f.othersFor != 0 {
		head = []string{fmt.Sprintf("owner for the %s that cannot go back: ", portal.Plural(f.plan.RefusedCount(), "contact")) + sanitize(f.filter) + "▏"}
	}
	if f.note != "" {
		head = append(head, m.st.bad.Render(sanitize(f.note)))
	}
	if !tight {
		head = append(head, "")
	}
	if !f.loaded {
		return append(head, "loading owners…"), nil
	}
	opts := f.options()
	if len(opts) == 0 {
		msg := "no owner matches"
		if strings.TrimSpace(f.filter) != "" {
			msg += "; enter reads it as a user ID, hs_internal_user_id or email"
		}
		head = append(head, m.st.dim.Render(msg))
	}
	foot = []string{"", m.st.dim.Render(portal.Plural(len(opts), "owner") + " · type to filter · ↑↓ move · enter plans · deactivated owners are not offered")}
	if tight {
		foot = []string{m.st.dim.Render(portal.Plural(len(opts), "owner") + " · ↑↓ enter")}
	}
	listH := max(rows-len(head)-len(foot), 1)
	first := max(min(f.cursor-listH/2, len(opts)-listH), 0)
	for i := first; i < len(opts) && i < first+listH; i++ {
		line := ownerLabel(opts[i])
		if i == f.cursor {
			head = append(head, m.st.cursor.Render(pad("▸ "+line, inner)))
			continue
		}
		head = append(head, "  "+line)
	}
	return head, foot
}

func (m *model) readingsBody(f *reassignFlow, inner int) (head, foot []string) {
	head = []string{m.st.warn.Render(sanitize(f.ambInput) + " means different people. Which one gets the contacts?"), ""}
	for i, r := range f.readings {
		line := fmt.Sprintf("%d  as %s: %s", i+1, r.Scheme, ownerLabel(r.Owner))
		if i == f.cursor {
			head = append(head, m.st.cursor.Render(pad("▸ "+line, inner)))
			continue
		}
		head = append(head, "  "+line)
	}
	return head, []string{"", m.st.dim.Render("1/2 or ↑↓ enter · esc back to the list")}
}

// planBody is the plan screen: how many, from whom to whom, notes, and a
// sample of the contacts.
func (m *model) planBody(f *reassignFlow, inner int) []string {
	p := f.plan
	var out []string
	for _, l := range wrapLines(sanitize(p.Summary()), inner) {
		out = append(out, m.st.bold.Render(l))
	}
	notes := p.Notes
	if f.note != "" {
		notes = append([]string{f.note}, notes...)
	}
	for _, n := range notes {
		for _, l := range wrapLines("note: "+sanitize(n), inner) {
			out = append(out, m.st.warn.Render(l))
		}
	}
	out = append(out, "")
	for _, s := range p.Sources {
		out = append(out, fmt.Sprintf("from  %6s  %s", portal.Thousands(s.Count), ownerLabel(s.Owner)))
	}
	for _, t := range p.Targets {
		out = append(out, fmt.Sprintf("to    %6s  %s", portal.Thousands(t.Count), ownerLabel(t.Owner)))
	}
	out = append(out, m.refusedLines(f, inner)...)
	out = append(out, m.perPropertyLines(p)...)
	out = append(out, m.choiceLines(f, inner)...)
	if p.Count() == 0 {
		return out
	}
	head := "contact      name                          owner now → new owner"
	if !planContactsOnly(p) {
		head = "record       name                   property: owner now → new owner"
	}
	out = append(out, "", m.st.dim.Render(head))
	for _, it := range p.Sample(planSampleRows) {
		out = append(out, cutText(sampleLine(it), inner))
	}
	if more := p.Count() - planSampleRows; more > 0 {
		out = append(out, m.st.dim.Render(fmt.Sprintf("… and %s more", portal.Thousands(more))))
	}
	return out
}

func ownerShort(id hubspot.OwnerID) string {
	if id == "" {
		return "(none)"
	}
	return string(id)
}

func (m *model) planFoot(f *reassignFlow, inner int) []string {
	n := f.plan.Count()
	requests := (n + f.plan.BatchSize - 1) / max(f.plan.BatchSize, 1)
	unit := "contact"
	if !planContactsOnly(f.plan) {
		unit = "record" // batches go per type
	}
	how := fmt.Sprintf("%s of up to %s within HubSpot's rate limit · journaled, resumable, undoable",
		portal.Plural(requests, "request"), portal.Plural(f.plan.BatchSize, unit))
	if f.plan.Verify {
		how = "each contact is read back first: one changed by someone else since is left alone and reported"
	}
	ask := "enter or y runs it · n or esc cancels"
	if n > portal.TypedCountAbove {
		ask = fmt.Sprintf("enter asks you to type the number of contacts (%d, digits only) · esc cancels", n)
	}
	if f.refusedUndo() {
		ask = m.undoAsk(f)
	}
	out := []string{""}
	for _, l := range wrapLines(how, inner) {
		out = append(out, m.st.dim.Render(l))
	}
	return append(out, ask)
}

// progressBody is the progress view: done/total, rate, ETA, failures.
func (m *model) progressBody(f *reassignFlow, inner int) []string {
	p := f.progress
	bar := m.bar
	bar.SetWidth(max(inner-8, 10))
	out := []string{}
	if f.plan.Count() > 0 {
		out = append(out, sanitize(f.plan.Summary()), "")
	}
	out = append(out, bar.ViewAs(p.Fraction())+fmt.Sprintf(" %3.0f%%", 100*p.Fraction()), "")
	out = append(out, fmt.Sprintf("done      %s / %s contacts", portal.Thousands(p.Done), portal.Thousands(p.Total)))
	rate, eta := "—", "—"
	if p.PerSecond > 0 {
		rate = fmt.Sprintf("%s contacts/s", portal.Thousands(int(p.PerSecond+0.5)))
	}
	if p.ETA > 0 {
		eta = p.ETA.Round(time.Second).String()
	}
	out = append(out, "rate      "+rate, "ETA       "+eta)
	failures := fmt.Sprintf("failures  %s failed · %s skipped", portal.Thousands(p.Failed), portal.Thousands(p.Skipped))
	if p.Failed+p.Skipped > 0 {
		failures = m.st.warn.Render(failures)
	}
	out = append(out, failures)
	if w := portal.RateWaitText(p.RateWait.Sub(m.now())); w != "" && !p.RateWait.IsZero() {
		out = append(out, m.st.dim.Render("paused: "+w))
	} else if p.Waiting != "" {
		out = append(out, m.st.dim.Render("paused: "+p.Waiting))
	}
	if f.jobID != 0 {
		out = append(out, m.st.dim.Render(fmt.Sprintf("journal job %d", f.jobID)))
	}
	return out
}

func (m *model) doneBody(f *reassignFlow, w int) []string {
	var out []string
	if f.err != "" {
		out = append(out, m.st.bad.Render(sanitize(f.err)))
	}
	res := f.result
	if f.jobID == 0 {
		return out
	}
	state := res.State
	switch res.State {
	case portal.JobDone:
		state = m.st.ok.Render("done")
	case portal.JobCancelled, portal.JobInterrupted:
		state = m.st.warn.Render(res.State)
	}
	out = append(out, fmt.Sprintf("job %d %s", f.jobID, state), "",
		fmt.Sprintf("changed   %s", portal.Thousands(res.Done)),
		fmt.Sprintf("failed    %s", portal.Thousands(res.Failed)),
		fmt.Sprintf("skipped   %s", portal.Thousands(res.Skipped)))
	if res.Left > 0 {
		out = append(out, m.st.warn.Render(fmt.Sprintf("left      %s: :jobs resumes or undoes the job", portal.Thousands(res.Left))))
	}
	if len(res.Problems) > 0 {
		out = append(out, "")
		out = append(out, m.problemLines(res.Problems, w)...)
		out = append(out, m.st.dim.Render(fmt.Sprintf("enter on job %d in :jobs lists every contact with its reason", f.jobID)))
	}
	return out
}

// problemLines shows a run's failures grouped by reason, each reason
// whole and wrapped to w: a batch HubSpot refused gives one reason for
// all its contacts, and a screen of the same cut-off line says nothing.
func (m *model) problemLines(problems []portal.ItemProblem, w int) []string {
	type group struct {
		state, reason string
		contacts      []string
	}
	var groups []*group
	byReason := map[[2]string]*group{}
	for _, pr := range problems {
		k := [2]string{pr.State, pr.Reason}
		g := byReason[k]
		if g == nil {
			g = &group{state: pr.State, reason: pr.Reason}
			byReason[k] = g
			groups = append(groups, g)
		}
		g.contacts = append(g.contacts, string(pr.ContactID))
	}
	var out []string
	for _, g := range groups {
		head := fmt.Sprintf("%s %s: contact %s", portal.Plural(len(g.contacts), "contact"), g.state, strings.Join(g.contacts, ", "))
		head = ansi.Truncate(head, w, "…") // the IDs are in :jobs; the reason below is whole
		if g.state == portal.ItemFailed {
			head = m.st.bad.Render(head)
		} else {
			head = m.st.warn.Render(head)
		}
		out = append(out, head)
		for _, l := range wrapLines(sanitize(g.reason), max(w-2, 1)) {
			out = append(out, "  "+l)
		}
	}
	return out
}
