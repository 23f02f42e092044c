package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// Offboarder is optionally implemented by a Backend that can offboard a
// person; *portal.Portal does, with exactly these methods. The pre-flight
// only reads; Record and Run write (to the journal, then HubSpot).
type Offboarder interface {
	AssignableOwners(ctx context.Context, filter string) ([]portal.OwnerRef, error)
	PreflightOffboard(ctx context.Context, req portal.OffboardRequest) (portal.OffboardReport, error)
	RecordOffboard(ctx context.Context, r portal.OffboardReport) (int64, error)
	RunOffboard(ctx context.Context, jobID int64, progress chan<- portal.OffboardProgress) (portal.OffboardResult, error)
}

var _ Offboarder = (*portal.Portal)(nil)

// offboardStage is where an offboarding is: pre-flight report → pick the
// new owner → plan → confirm → run (a line per step) → done.
type offboardStage int

const (
	offLoading  offboardStage = iota // reading the pre-flight report
	offReport                        // the report, before a new owner is picked
	offPick                          // the reassign owner picker
	offPlanning                      // the report again, with the new owner
	offPlan                          // the report and plan, waiting for confirmation
	offRunning
	offDone
)

// offboardFlow is an open offboarding. Backend answers name the flow they
// were asked for and are dropped once it is closed.
type offboardFlow struct {
	stage  offboardStage
	person string // the user ID the flow was opened for
	who    string // their name, for the title

	report portal.OffboardReport
	pick   *reassignFlow // the owner picker, reused from reassignment
	top    int

	jobID      int64
	steps      []portal.OffboardProgress // the latest report of each step, by step
	records    *portal.JobProgress       // the hand-over's progress while it runs
	cancel     context.CancelFunc
	cancelling bool
	result     portal.OffboardResult
	err        string
}

type offboardReportMsg struct {
	flow   *offboardFlow
	report portal.OffboardReport
	err    error
}

type offboardProgressMsg struct {
	flow *offboardFlow
	p    portal.OffboardProgress
	ch   <-chan portal.OffboardProgress
}

type offboardDoneMsg struct {
	flow  *offboardFlow
	jobID int64
	res   portal.OffboardResult
	err   error
}

func (m *model) offboarder() Offboarder {
	o, _ := m.b.(Offboarder)
	return o
}

// needOffboard is the offboard action's disabled reason.
func needOffboard(m *model) string {
	switch {
	case m.offboarder() == nil:
		return "this portal connection cannot offboard people"
	case m.view != viewMain || m.focus != paneUsers:
		return "select a user on the users pane"
	}
	if _, ok := m.panes[paneUsers].current().(userItem); !ok {
		return "select a user on the users pane"
	}
	return ""
}

// startOffboard opens the pre-flight report for the selected user, or for
// the person typed after :offboard.
func (m *model) startOffboard(person string) tea.Cmd {
	who := person
	if person == "" {
		u, ok := m.panes[paneUsers].current().(userItem)
		if !ok {
			m.msg = "select a user on the users pane, or type :offboard USER"
			return nil
		}
		person, who = string(u.UserID), u.Name
	}
	f := &offboardFlow{stage: offLoading, person: person, who: who}
	m.offboard = f
	m.openOverlay(f)
	return m.preflight(f, "")
}

// preflight reads the report for the flow's person and new owner.
func (m *model) preflight(f *offboardFlow, to string) tea.Cmd {
	o, ctx := m.offboarder(), m.ctx
	req := portal.OffboardRequest{Person: f.person, To: to}
	return func() tea.Msg {
		r, err := o.PreflightOffboard(ctx, req)
		return offboardReportMsg{flow: f, report: r, err: err}
	}
}

// updateOffboard applies the offboarding's backend answers; ok is false
// for other messages.
func (m *model) updateOffboard(msg tea.Msg) (tea.Cmd, bool) {
	f := m.offboard
	switch msg := msg.(type) {
	case offboardReportMsg:
		if msg.flow != f {
			return nil, true
		}
		switch {
		case msg.err != nil && f.stage == offPlanning:
			f.stage, f.pick.note = offPick, msg.err.Error()
		case msg.err != nil:
			f.stage, f.err = offDone, "cannot read the pre-flight report: "+msg.err.Error()
		case f.stage == offPlanning:
			f.report, f.stage, f.top = msg.report, offPlan, 0
		default:
			f.report, f.stage, f.top = msg.report, offReport, 0
			if msg.report.Person.Name != "" {
				f.who = msg.report.Person.Name
			}
		}
		return nil, true
	case offboardOwnersMsg:
		if msg.flow == f && msg.pick == f.pick {
			f.pick.owners, f.pick.loaded = withoutSource(msg.owners, f.pick.req.From), true
			if msg.err != nil {
				f.pick.err = "cannot list owners: " + msg.err.Error()
			}
		}
		return nil, true
	case offboardProgressMsg:
		next := listenOffboard(msg.flow, msg.ch)
		if msg.flow == f {
			f.jobID = msg.p.JobID
			for len(f.steps) < msg.p.Step {
				f.steps = append(f.steps, portal.OffboardProgress{})
			}
			if msg.p.Step > 0 && !msg.p.Finished {
				f.steps[msg.p.Step-1] = msg.p
			}
			f.records = msg.p.Records
		}
		return next, true
	case offboardDoneMsg:
		if msg.flow != f {
			return nil, true
		}
		f.stage, f.result, f.jobID, f.cancel, f.records = offDone, msg.res, msg.jobID, nil, nil
		if msg.err != nil {
			f.err = msg.err.Error()
		}
		m.msg = offboardResultSummary(msg.jobID, msg.res, msg.err)
		// HubSpot and the mirror changed: redraw everything from it.
		return m.refreshAll(), true
	}
	return nil, false
}

func offboardResultSummary(id int64, res portal.OffboardResult, err error) string {
	switch {
	case id == 0 && err != nil:
		return "offboarding not started: " + err.Error()
	case res.State == portal.JobDone:
		return fmt.Sprintf("offboarding job %d done", id)
	}
	return fmt.Sprintf("offboarding job %d %s: J shows it, and resumes it", id, res.State)
}

// offboardKey handles a key at each stage.
func (m *model) offboardKey(f *offboardFlow, k tea.KeyPressMsg) tea.Cmd {
	ks := k.String()
	switch f.stage {
	case offLoading, offPlanning:
		if ks == "esc" {
			m.closeOffboard("offboarding cancelled; nothing was sent")
		}
	case offReport:
		switch ks {
		case "esc", "n", "q":
			m.closeOffboard("offboarding cancelled; nothing was sent")
		case "enter", "y":
			if blocked := f.hardBlockers(); len(blocked) > 0 {
				return nil // the report says what to do first
			}
			if f.report.HandoverCount() == 0 {
				f.stage, f.top = offPlan, 0 // nothing to hand over: nobody to pick
				return nil
			}
			return m.openOffboardPicker(f)
		default:
			f.scroll(ks)
		}
	case offPick:
		if ks == "esc" && f.pick.filter == "" {
			f.stage, f.pick = offReport, nil
			return nil
		}
		return m.ownerPickKey(f.pick, k)
	case offPlan:
		switch ks {
		case "esc", "n", "q":
			m.closeOffboard("offboarding cancelled; nothing was sent")
		case "enter", "y":
			if f.report.Blocked() {
				return nil
			}
			return m.confirmOffboard(f)
		default:
			f.scroll(ks)
		}
	case offRunning:
		return m.runningJobKey(ks, f.cancel, &f.cancelling)
	case offDone:
		switch ks {
		case "enter", "esc", "q":
			m.closeOffboard("")
		default:
			f.scroll(ks)
		}
	}
	return nil
}

func (f *offboardFlow) scroll(ks string) {
	switch ks {
	case "down", "j", "pgdown":
		f.top++
	case "up", "k", "pgup":
		f.top = max(f.top-1, 0)
	}
}

// hardBlockers are the report's blockers other than the missing new
// owner, which the picker is about to fix.
func (f *offboardFlow) hardBlockers() []portal.Blocker {
	var out []portal.Blocker
	for _, b := range f.report.Blockers {
		if !strings.HasPrefix(b.What, "no new owner") {
			out = append(out, b)
		}
	}
	return out
}

// openOffboardPicker opens the reassignment's owner picker inside the
// flow; a pick reads the report again with that owner.
func (m *model) openOffboardPicker(f *offboardFlow) tea.Cmd {
	pick := &reassignFlow{stage: rsPick, who: f.who}
	if id := f.report.Person.OwnerID; id != "" {
		pick.req.From = "owner:" + string(id)
	}
	pick.onPick = func(to string) tea.Cmd {
		f.stage = offPlanning
		return m.preflight(f, to)
	}
	f.pick, f.stage = pick, offPick
	o, ctx := m.offboarder(), m.ctx
	return func() tea.Msg {
		owners, err := o.AssignableOwners(ctx, "")
		return offboardOwnersMsg{flow: f, pick: pick, owners: owners, err: err}
	}
}

type offboardOwnersMsg struct {
	flow   *offboardFlow
	pick   *reassignFlow
	owners []portal.OwnerRef
	err    error
}

// confirmOffboard asks for the typed number of records above
// portal.TypedCountAbove (and for the portal's name on a large production
// job), as reassignment does, then starts the job.
func (m *model) confirmOffboard(f *offboardFlow) tea.Cmd {
	if m.readOnly() {
		f.stage, f.err = offDone, "the portal is open read-only; nothing was sent"
		return nil
	}
	n := f.report.HandoverCount()
	what := "offboard " + f.report.Person.Label()
	start := func() tea.Cmd {
		return m.guardLargeJob(what, n, func() tea.Cmd { return m.startOffboardJob(f) })
	}
	if n <= portal.TypedCountAbove {
		return start()
	}
	m.askTyped(newTypedConfirm(what, fmt.Sprintf("This hands over %s records.", portal.Thousands(n)), strconv.Itoa(n)), start)
	return nil
}

// startOffboardJob records the report as a job and runs it, in Cmds.
func (m *model) startOffboardJob(f *offboardFlow) tea.Cmd {
	if m.offboard != f {
		return nil // closed while a confirmation was open
	}
	f.stage = offRunning
	ctx, cancel := context.WithCancel(m.ctx)
	f.cancel = cancel
	ch := make(chan portal.OffboardProgress, 64)
	o, report := m.offboarder(), f.report
	run := func() tea.Msg {
		defer close(ch)
		id, err := o.RecordOffboard(ctx, report)
		if err != nil {
			return offboardDoneMsg{flow: f, err: err}
		}
		res, err := o.RunOffboard(ctx, id, ch)
		return offboardDoneMsg{flow: f, jobID: id, res: res, err: err}
	}
	return tea.Batch(run, listenOffboard(f, ch))
}

// resumeOffboard goes on with an offboarding from the step it reached,
// with the steps' progress.
func (m *model) resumeOffboard(job portal.JobSummary) tea.Cmd {
	if m.offboarder() == nil {
		m.msg = "resume: this portal connection cannot offboard people"
		return nil
	}
	f := &offboardFlow{stage: offRunning, who: fmt.Sprintf("(resume of job %d)", job.ID), jobID: job.ID}
	m.offboard = f
	m.openOverlay(f)
	ctx, cancel := context.WithCancel(m.ctx)
	f.cancel = cancel
	ch := make(chan portal.OffboardProgress, 64)
	o := m.offboarder()
	run := func() tea.Msg {
		defer close(ch)
		res, err := o.RunOffboard(ctx, job.ID, ch)
		return offboardDoneMsg{flow: f, jobID: job.ID, res: res, err: err}
	}
	return tea.Batch(run, listenOffboard(f, ch))
}

func listenOffboard(f *offboardFlow, ch <-chan portal.OffboardProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return offboardProgressMsg{flow: f, p: p, ch: ch}
	}
}

// closeOffboard closes the open offboarding and says msg, if any.
func (m *model) closeOffboard(msg string) {
	if f := m.offboard; f != nil {
		m.closeOverlay(f)
	}
	if msg != "" {
		m.msg = msg
	}
}
