package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// Reassigner is optionally implemented by a Backend that can give contacts
// a new owner; *portal.Portal does, with exactly these methods. Without it
// the console offers no reassignment. Plans are pure; Run, Resume and the
// Record methods write (to the journal, then HubSpot).
type Reassigner interface {
	AssignableOwners(ctx context.Context, filter string) ([]portal.OwnerRef, error)
	PlanReassign(ctx context.Context, req portal.ReassignRequest) (portal.ReassignPlan, error)
	RecordReassign(ctx context.Context, plan portal.ReassignPlan) (int64, error)
	Run(ctx context.Context, jobID int64, progress chan<- portal.JobProgress) (portal.JobResult, error)
	Resume(ctx context.Context, jobID int64, progress chan<- portal.JobProgress) (portal.JobResult, error)
	PlanUndo(ctx context.Context, jobID int64) (portal.ReassignPlan, error)
	RecordUndo(ctx context.Context, plan portal.ReassignPlan) (int64, error)
}

// JobLog is optionally implemented by a Backend with a journal of jobs;
// *portal.Portal does. The :jobs audit view lists them.
type JobLog interface {
	JobHistory(ctx context.Context) ([]portal.JobSummary, error)
	JobItems(ctx context.Context, jobID int64) ([]portal.JobItem, error)
}

// reassignStage is where a reassignment is: pick an owner → plan → confirm
// → run (with progress) → result.
type reassignStage int

const (
	rsPick     reassignStage = iota // choosing the new owner
	rsReadings                      // the typed number means several people: which?
	rsPlanning
	rsPlan // the plan screen, waiting for confirmation
	rsRunning
	rsDone
)

// reassignFlow is an open reassignment (or undo, or resume). Every backend
// answer names the flow it was asked for and is dropped once the flow is
// closed.
type reassignFlow struct {
	stage reassignStage
	req   portal.ReassignRequest // the selection; To is set by the picker
	who   string                 // "3 marked contacts", "Gus Hale's contacts"

	owners []portal.OwnerRef
	loaded bool
	filter string
	cursor int
	note   string // how a typed ID was read, or why it was refused
	moved  bool   // the admin moved the picker's cursor since typing

	readings []portal.OwnerReading
	ambInput string
	picked   bool // the plan was asked for from the picker

	othersFor int64 // the undo job whose refused contacts the picker places (ui/undo.go); 0 otherwise

	plan portal.ReassignPlan
	top  int

	jobID      int64
	progress   portal.JobProgress
	cancel     context.CancelFunc
	cancelling bool
	result     portal.JobResult
	err        string

	usedMarks bool // the selection was the marked contacts: the job clears them

	// typesKnown: the selection spans the types the mirror holds (an
	// owner's records), so the plan offers its choices; choice is the one
	// under the cursor (records_reassign.go).
	typesKnown bool
	choice     int
	// onPick, when set, takes the picked or typed owner instead of a
	// reassignment plan: another flow (offboarding) uses the picker.
	onPick func(to string) tea.Cmd
}

type reassignOwnersMsg struct {
	flow   *reassignFlow
	owners []portal.OwnerRef
	err    error
}

type reassignPlanMsg struct {
	flow *reassignFlow
	plan portal.ReassignPlan
	err  error
}

type reassignProgressMsg struct {
	flow *reassignFlow
	p    portal.JobProgress
	ch   <-chan portal.JobProgress
}

type reassignDoneMsg struct {
	flow  *reassignFlow
	jobID int64
	res   portal.JobResult
	err   error
}

func (m *model) reassigner() Reassigner {
	r, _ := m.b.(Reassigner)
	return r
}

// reassignSelection is what the reassign key acts on where the cursor is:
// the marked contacts or the selected one, all of the selected owner's
// contacts, or the contacts of the selected finding.
func (m *model) reassignSelection() (portal.ReassignRequest, string, string) {
	switch {
	case m.view == viewFindings:
		f, ok := m.currentPane().current().(findingItem)
		if !ok {
			return portal.ReassignRequest{}, "", "no finding selected"
		}
		switch f.f.Kind {
		case portal.FindingContactsArchivedOwner:
			return portal.ReassignRequest{Finding: f.f.Kind}, "contacts held by deactivated owners", ""
		case portal.FindingContactsUnknownOwner:
			return portal.ReassignRequest{Finding: f.f.Kind}, "contacts whose owner matches no owner", ""
		}
		if f.f.ObjectType != "" {
			return findingGroupSelection(f)
		}
		return portal.ReassignRequest{}, "", "this finding is not about who owns records"
	case m.view != viewMain:
		return portal.ReassignRequest{}, "", "only on the records or owners pane, or a finding about owners"
	case m.focus == paneOwners:
		o, ok := m.panes[paneOwners].current().(ownerItem)
		if !ok {
			return portal.ReassignRequest{}, "", "no owner selected"
		}
		return m.ownerSelection(o)
	case m.focus == paneContacts:
		p := m.panes[paneContacts]
		if p.rtype != "" {
			return recordsSelection(p)
		}
		var ids []hubspot.ContactID
		for _, key := range p.markOrder {
			if c, ok := p.marks[key].(contactItem); ok {
				ids = append(ids, c.ContactID)
			}
		}
		if len(ids) > 0 {
			return portal.ReassignRequest{Contacts: ids}, fmt.Sprintf("%s marked contacts", portal.Thousands(len(ids))), ""
		}
		if c, ok := p.current().(contactItem); ok {
			who := sanitize(c.Name)
			if who == "" {
				who = "contact " + string(c.ContactID)
			}
			return portal.ReassignRequest{Contacts: []hubspot.ContactID{c.ContactID}}, who, ""
		}
		return portal.ReassignRequest{}, "", "no contact selected"
	}
	return portal.ReassignRequest{}, "", "only on the records or owners pane, or a finding about owners"
}

// needReassign is the reassign action's disabled reason.
func needReassign(m *model) string {
	if m.reassigner() == nil {
		return "this portal connection cannot reassign contacts"
	}
	if m.readOnly() {
		return "the portal is open read-only"
	}
	if scope := m.reassignScope(); scope != "" {
		if why := m.info.MissingScope(scope); why != "" {
			return why
		}
	}
	_, _, why := m.reassignSelection()
	return why
}

// needJobLog is the jobs action's disabled reason.
func needJobLog(m *model) string {
	if m.jobLog() == nil {
		return "this portal connection keeps no journal"
	}
	return ""
}

// startReassign opens the owner picker for the current selection.
func (m *model) startReassign() tea.Cmd {
	req, who, why := m.reassignSelection()
	if why != "" {
		m.msg = why
		return nil
	}
	f := &reassignFlow{stage: rsPick, req: req, who: who}
	f.usedMarks = m.view == viewMain && m.focus == paneContacts && len(req.Contacts)+len(req.Records) > 0 && len(m.panes[paneContacts].marks) > 0
	f.typesKnown = req.From != "" && req.Finding == "" && len(m.rec.types) > 0
	m.openReassign(f)
	r, ctx := m.reassigner(), m.ctx
	return func() tea.Msg {
		owners, err := r.AssignableOwners(ctx, "")
		return reassignOwnersMsg{flow: f, owners: owners, err: err}
	}
}

// startUndo plans the undo of a job and opens its plan screen.
func (m *model) startUndo(jobID int64) tea.Cmd {
	f := &reassignFlow{stage: rsPlanning, who: fmt.Sprintf("undo of job %d", jobID)}
	m.openReassign(f)
	r, ctx := m.reassigner(), m.ctx
	return func() tea.Msg {
		plan, err := r.PlanUndo(ctx, jobID)
		return reassignPlanMsg{flow: f, plan: plan, err: err}
	}
}

// startResume resumes an unfinished job with the progress view.
func (m *model) startResume(job portal.JobSummary) tea.Cmd {
	f := &reassignFlow{stage: rsRunning, who: fmt.Sprintf("resume of job %d", job.ID), jobID: job.ID}
	f.progress = portal.JobProgress{JobID: job.ID, Total: job.Items.Total, Done: job.Items.Done + job.Items.Failed + job.Items.Skipped}
	m.openReassign(f)
	return m.runJob(f, func(ctx context.Context, r Reassigner, ch chan<- portal.JobProgress) (int64, portal.JobResult, error) {
		res, err := r.Resume(ctx, job.ID, ch)
		return job.ID, res, err
	})
}

// updateReassign applies the reassignment's and the jobs view's backend
// answers; ok is false for other messages.
func (m *model) updateReassign(msg tea.Msg) (tea.Cmd, bool) {
	f := m.reassign
	switch msg := msg.(type) {
	case reassignOwnersMsg:
		if msg.flow == f {
			f.owners, f.loaded = withoutSource(msg.owners, f.req.From), true
			if msg.err != nil {
				f.err = "cannot list owners: " + msg.err.Error()
			}
		}
		return nil, true
	case reassignPlanMsg:
		if msg.flow != f {
			return nil, true
		}
		var amb *portal.AmbiguousOwnerError
		switch {
		case errors.As(msg.err, &amb):
			f.stage, f.readings, f.ambInput, f.cursor = rsReadings, amb.Readings, amb.Input, 0
		case msg.err != nil && f.picked:
			// An owner the portal does not accept: say so in the picker.
			f.stage, f.note = rsPick, msg.err.Error()
		case msg.err != nil:
			f.stage, f.err = rsDone, "cannot plan: "+msg.err.Error()
		case msg.plan.Count() == 0 && msg.plan.RefusedCount() == 0 && !f.multiType():
			f.plan, f.stage, f.err = msg.plan, rsDone, nothingLeft(msg.plan)
		default:
			f.plan, f.stage, f.top = msg.plan, rsPlan, 0
		}
		return nil, true
	case reassignProgressMsg:
		next := listenJob(msg.flow, msg.ch)
		if msg.flow == f {
			f.progress = msg.p
			if msg.p.JobID != 0 {
				f.jobID = msg.p.JobID
			}
		}
		return next, true
	case reassignDoneMsg:
		if msg.flow != f {
			return nil, true
		}
		f.stage, f.result, f.jobID, f.cancel = rsDone, msg.res, msg.jobID, nil
		if msg.err != nil {
			f.err = msg.err.Error()
		}
		m.msg = jobResultSummary(msg.jobID, msg.res, msg.err)
		if msg.jobID != 0 && f.usedMarks {
			m.clearUsedMarks(paneContacts)
		}
		// The mirror changed: redraw everything from it.
		return m.refreshAll(), true
	case jobsMsg:
		return m.applyJobs(msg), true
	case unfinishedMsg:
		m.applyUnfinished(msg)
		return nil, true
	case jobsExportMsg:
		if msg.err != nil {
			m.setErr("export failed", msg.err)
		} else {
			m.msg = fmt.Sprintf("exported %s to %s", portal.Plural(msg.n, "job"), msg.path)
		}
		return nil, true
	}
	return nil, false
}

func jobResultSummary(id int64, res portal.JobResult, err error) string {
	if id == 0 {
		return "nothing was sent: " + err.Error()
	}
	s := fmt.Sprintf("job %d %s: %s changed", id, res.State, portal.Thousands(res.Done))
	if res.Failed > 0 {
		s += fmt.Sprintf(", %s failed", portal.Thousands(res.Failed))
	}
	if res.Skipped > 0 {
		s += fmt.Sprintf(", %s skipped", portal.Thousands(res.Skipped))
	}
	if res.Left > 0 {
		s += fmt.Sprintf(", %s left: c in :jobs resumes it", portal.Thousands(res.Left))
	}
	return s
}

// jobsViewKey routes keys to the jobs view or a job opened from it, the
// full-screen views that replace the panes; ok is false when neither is
// open.
func (m *model) jobsViewKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case m.jobDetail != nil:
		return m.jobDetailKey(k), true
	case m.jobs != nil:
		return m.jobsKey(k), true
	}
	return nil, false
}

func (m *model) reassignKey(k tea.KeyPressMsg) tea.Cmd {
	f := m.reassign
	ks := k.String()
	switch f.stage {
	case rsPick:
		if m.othersPickKey(f, ks) {
			return nil
		}
		return m.ownerPickKey(f, k)
	case rsReadings:
		switch ks {
		case "esc":
			f.stage, f.readings = rsPick, nil
		case "up", "k":
			f.cursor = max(f.cursor-1, 0)
		case "down", "j":
			f.cursor = min(f.cursor+1, len(f.readings)-1)
		case "enter":
			return m.planWith(f, f.readings[f.cursor].Input(f.ambInput))
		default:
			if n, err := strconv.Atoi(ks); err == nil && n >= 1 && n <= len(f.readings) {
				return m.planWith(f, f.readings[n-1].Input(f.ambInput))
			}
		}
	case rsPlanning:
		if ks == "esc" {
			m.closeReassign("reassignment cancelled; nothing was sent")
		}
	case rsPlan:
		if cmd, ok := m.undoPlanKey(f, ks); ok {
			return cmd
		}
		if cmd, ok := m.planChoiceKey(f, ks); ok {
			return cmd
		}
		switch ks {
		case "esc", "n", "q":
			m.closeReassign("reassignment cancelled; nothing was sent")
		case "enter", "y":
			return m.confirmReassign(f)
		case "down", "j", "pgdown":
			f.top++
		case "up", "k", "pgup":
			f.top = max(f.top-1, 0)
		}
	case rsRunning:
		return m.runningJobKey(ks, f.cancel, &f.cancelling)
	case rsDone:
		switch ks {
		case "enter", "esc", "q":
			m.closeReassign("")
		case "down", "j", "pgdown":
			f.top++
		case "up", "k", "pgup":
			f.top = max(f.top-1, 0)
		}
	}
	return nil
}

// openReassign shows f as an overlay; m.reassign finds it for its messages.
func (m *model) openReassign(f *reassignFlow) {
	m.reassign = f
	m.openOverlay(f)
}

// closeReassign closes the open reassignment (its closed hook stops what
// it still runs) and says msg, if any.
func (m *model) closeReassign(msg string) {
	if f := m.reassign; f != nil {
		m.closeOverlay(f)
	}
	if msg != "" {
		m.msg = msg
	}
}

// ownerPickKey edits the picker's filter and moves in its list.
func (m *model) ownerPickKey(f *reassignFlow, k tea.KeyPressMsg) tea.Cmd {
	opts := f.options()
	switch ks := k.String(); ks {
	case "esc":
		if f.filter != "" {
			f.filter, f.cursor, f.note = "", 0, ""
			return nil
		}
		m.closeReassign("reassignment cancelled; nothing was sent")
	case "up", "ctrl+p":
		f.cursor, f.moved = max(f.cursor-1, 0), true
	case "down", "ctrl+n":
		f.cursor, f.moved = min(f.cursor+1, max(len(opts)-1, 0)), true
	case "backspace":
		if r := []rune(f.filter); len(r) > 0 {
			f.filter, f.cursor, f.note, f.moved = string(r[:len(r)-1]), 0, "", false
		}
	case "enter":
		typed := strings.TrimSpace(f.filter)
		if hubspot.IsNumeric(typed) && !f.moved {
			// A typed number is an ID, not a filter: the portal reads it in
			// every scheme, so a number that is one person's owner ID and
			// another's user ID asks which is meant instead of taking
			// whichever row sorts first.
			return m.planWith(f, typed)
		}
		if f.cursor < len(opts) {
			o := opts[f.cursor]
			if typed != "" && typed == string(o.UserID) && typed != string(o.ID) {
				f.note = fmt.Sprintf("%s is the user ID of %s: using owner ID %s", typed, sanitize(o.Name), o.ID)
			}
			return m.planWith(f, "owner:"+string(o.ID))
		}
		if typed == "" {
			return nil
		}
		// Nothing listed matches: let the portal read what was typed (a
		// user ID, hs_internal_user_id, a CRM user record ID, an email).
		return m.planWith(f, typed)
	default:
		if k.Text != "" && !k.Mod.Contains(tea.ModCtrl) && !k.Mod.Contains(tea.ModAlt) && !strings.ContainsFunc(k.Text, unicode.IsControl) {
			f.filter, f.cursor, f.note, f.moved = f.filter+k.Text, 0, "", false
		}
	}
	return nil
}

// withoutSource drops the owner whose contacts are being moved from the
// picker: moving them to that same owner would change nothing.
func withoutSource(owners []portal.OwnerRef, from string) []portal.OwnerRef {
	id, ok := strings.CutPrefix(from, "owner:")
	if !ok {
		return owners
	}
	return slices.DeleteFunc(slices.Clone(owners), func(o portal.OwnerRef) bool { return string(o.ID) == id })
}

// options are the assignable owners matching the filter by name, email,
// owner ID or user ID.
func (f *reassignFlow) options() []portal.OwnerRef {
	needle := strings.ToLower(strings.TrimSpace(f.filter))
	if needle == "" {
		return f.owners
	}
	var out []portal.OwnerRef
	for _, o := range f.owners {
		if strings.Contains(strings.ToLower(o.Name), needle) || strings.Contains(strings.ToLower(o.Email), needle) ||
			strings.Contains(string(o.ID), needle) || strings.Contains(string(o.UserID), needle) {
			out = append(out, o)
		}
	}
	return out
}

// planWith plans the flow's selection for the typed or picked owner.
func (m *model) planWith(f *reassignFlow, to string) tea.Cmd {
	if f.onPick != nil {
		return f.onPick(to)
	}
	if f.othersFor != 0 {
		return m.planUndoOthers(f, to)
	}
	f.req.To, f.stage, f.picked = to, rsPlanning, true
	r, ctx, req, b := m.reassigner(), m.ctx, f.req, m.b
	return func() tea.Msg {
		plan, err := r.PlanReassign(ctx, req)
		if err == nil {
			plan, err = recheckPlan(ctx, b, plan)
		}
		return reassignPlanMsg{flow: f, plan: plan, err: err}
	}
}

// confirmReassign asks for the typed count above portal.TypedCountAbove (and for
// the portal's name on a large production job), then starts the job.
func (m *model) confirmReassign(f *reassignFlow) tea.Cmd {
	if m.readOnly() {
		f.stage, f.err = rsDone, "the portal is open read-only; nothing was sent"
		return nil
	}
	n := f.plan.Count()
	if n == 0 {
		f.err = "nothing to change with these choices: every record already has that owner, or none is chosen"
		return nil
	}
	what := strings.ToLower(f.plan.Summary()[:1]) + f.plan.Summary()[1:]
	start := func() tea.Cmd { return m.guardLargeJob(what, n, func() tea.Cmd { return m.startJob(f) }) }
	if n <= portal.TypedCountAbove {
		return start()
	}
	want := strconv.Itoa(n)
	changes := fmt.Sprintf("This changes the owner of %s contacts.", portal.Thousands(n))
	if !planContactsOnly(f.plan) {
		changes = fmt.Sprintf("This makes %s of owner properties.", portal.Plural(n, "change"))
	}
	m.askTyped(newTypedConfirm(what, changes, want), start)
	return nil
}

// startJob records the plan in the journal and runs it, all in Cmds.
func (m *model) startJob(f *reassignFlow) tea.Cmd {
	if m.reassign != f {
		return nil // the flow was closed while a confirmation was open
	}
	f.stage = rsRunning
	f.progress = portal.JobProgress{Total: f.plan.Count()}
	plan := f.plan
	return m.runJob(f, func(ctx context.Context, r Reassigner, ch chan<- portal.JobProgress) (int64, portal.JobResult, error) {
		var id int64
		var err error
		if plan.UndoOf != 0 {
			id, err = r.RecordUndo(ctx, plan)
		} else {
			id, err = r.RecordReassign(ctx, plan)
		}
		if err != nil {
			return 0, portal.JobResult{}, err
		}
		res, err := r.Run(ctx, id, ch)
		return id, res, err
	})
}

// runJob runs work in a Cmd with a cancellable context (esc cancels after
// the batches in flight) and listens to its progress in another.
func (m *model) runJob(f *reassignFlow, work func(context.Context, Reassigner, chan<- portal.JobProgress) (int64, portal.JobResult, error)) tea.Cmd {
	ctx, cancel := context.WithCancel(m.ctx)
	f.cancel = cancel
	ch := make(chan portal.JobProgress, 16)
	r := m.reassigner()
	run := func() tea.Msg {
		id, res, err := work(ctx, r, ch)
		close(ch)
		return reassignDoneMsg{flow: f, jobID: id, res: res, err: err}
	}
	return tea.Batch(run, listenJob(f, ch))
}

func listenJob(f *reassignFlow, ch <-chan portal.JobProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return reassignProgressMsg{flow: f, p: p, ch: ch}
	}
}

// *portal.Portal offers reassignments and the journal to the console.
var (
	_ Reassigner = (*portal.Portal)(nil)
	_ JobLog     = (*portal.Portal)(nil)
)
