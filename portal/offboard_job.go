package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hsadmin/hsadmin/store"
)

// KindOffboard is the journal's job kind of offboardings: one job of four
// steps, each an item, each verified before the next starts.
const KindOffboard = "offboard"

// The steps of an offboarding, in order; each is one item of the job with
// this subject.
const (
	StepRecords = "records" // hand over every record (a child reassignment job)
	StepTeams   = "teams"   // take them out of every team (Teams API)
	StepSeats   = "seats"   // free their seats
	StepUser    = "user"    // remove the user, or keep it (KeepUser)
)

// OffboardSteps are the steps in the order they run.
var OffboardSteps = []string{StepRecords, StepTeams, StepSeats, StepUser}

// StepTitle says what a step does, for progress lines and the jobs view.
func StepTitle(step string, keepUser bool) string {
	switch step {
	case StepRecords:
		return "hand over every record"
	case StepTeams:
		return "take them out of every team"
	case StepSeats:
		return "free their seats"
	case StepUser:
		if keepUser {
			return "keep the user (--keep-user)"
		}
		return "remove the user"
	}
	return step
}

// offboardJob is the plan part of an offboarding job in the journal: who,
// to whom, and everything they had, kept as the record for putting them
// back.
type offboardJob struct {
	Person   OffboardPerson `json:"person"`
	To       OwnerRef       `json:"to,omitzero"`
	Objects  []string       `json:"objects,omitempty"`
	KeepUser bool           `json:"keepUser,omitempty"`
	// DropRefused: the hand-over takes deactivated or unknown owner IDs out
	// of the multi-select values it changes.
	DropRefused bool            `json:"dropRefusedOwners,omitempty"`
	Had         OffboardHad     `json:"had"`
	Handover    []store.Holding `json:"handover,omitempty"`
	Checklist   []string        `json:"checklist,omitempty"`
}

// stepOutcome is what a step's item records when it settles (and, for the
// hand-over, as soon as its reassignment job exists).
type stepOutcome struct {
	ReassignJobs []int64    `json:"reassignJobs,omitempty"` // the hand-over's reassignment jobs, oldest first
	Handed       int        `json:"handed,omitempty"`       // records the hand-over changed
	State        *UserState `json:"state,omitempty"`        // the user's teams and roles after the step
	Seats        []string   `json:"seats,omitempty"`        // the seats freed
	Removed      bool       `json:"removed,omitempty"`
	Archived     bool       `json:"ownerArchived,omitempty"` // HubSpot shows their owner deactivated
}

// RecordOffboard writes a pre-flight report to the journal as a job in
// state planned, its four steps pending, and returns the job's ID. Nothing
// is sent: RunOffboard does that. A blocked report is refused.
func (p *Portal) RecordOffboard(ctx context.Context, r OffboardReport) (int64, error) {
	if p.info.ReadOnly {
		return 0, errors.New("this portal is configured read-only: nobody can be offboarded")
	}
	if r.Blocked() {
		parts := make([]string, len(r.Blockers))
		for i, b := range r.Blockers {
			parts[i] = b.String()
		}
		return 0, errors.New("the offboarding is blocked: " + strings.Join(parts, "; "))
	}
	head, err := json.Marshal(offboardJob{Person: r.Person, To: r.To, Objects: r.Objects, KeepUser: r.KeepUser,
		DropRefused: r.DropRefusedOwners, Had: r.Had, Handover: r.Handover, Checklist: r.Checklist})
	if err != nil {
		return 0, err
	}
	items := make([]store.JobItem, len(OffboardSteps))
	for i, step := range OffboardSteps {
		items[i] = store.JobItem{SubjectID: step, Before: stepBefore(r, step)}
	}
	id, err := p.journal.CreateJob(ctx, KindOffboard, r.Summary(), head)
	if err != nil {
		return 0, fmt.Errorf("cannot record the job in the journal: %w", err)
	}
	if err := p.journal.AddItems(ctx, id, items); err != nil {
		_ = p.journal.FinishJob(context.WithoutCancel(ctx), id, store.JobFailed)
		return 0, fmt.Errorf("cannot record the job's steps in the journal: %w", err)
	}
	return id, nil
}

// stepBefore is what the person had that a step changes.
func stepBefore(r OffboardReport, step string) json.RawMessage {
	var v any
	switch step {
	case StepRecords:
		v = r.Handover
	case StepTeams:
		v = r.Had.Teams
	case StepSeats:
		v = r.Had.Seats
	case StepUser:
		v = r.Person
	}
	raw, _ := json.Marshal(v)
	return raw
}

// loadOffboard reads an offboarding job and its step items.
func (p *Portal) loadOffboard(ctx context.Context, jobID int64) (store.Job, offboardJob, []store.JobItem, error) {
	jb, err := p.journal.Job(ctx, jobID)
	if err != nil {
		return store.Job{}, offboardJob{}, nil, err
	}
	if jb.Kind != KindOffboard {
		return store.Job{}, offboardJob{}, nil, fmt.Errorf("job %d is a %s, not an offboarding", jobID, jb.Kind)
	}
	var head offboardJob
	if err := json.Unmarshal(jb.Plan, &head); err != nil {
		return store.Job{}, offboardJob{}, nil, fmt.Errorf("job %d: the journal's plan is unreadable: %w", jobID, err)
	}
	items, err := p.journal.JobItems(ctx, jobID)
	if err != nil {
		return store.Job{}, offboardJob{}, nil, err
	}
	if len(items) != len(OffboardSteps) {
		return store.Job{}, offboardJob{}, nil, fmt.Errorf("job %d: the journal holds %d of its %d steps", jobID, len(items), len(OffboardSteps))
	}
	return jb, head, items, nil
}

// OffboardRecord is what the journal keeps of an offboarding: who left,
// what they had, and the reassignment jobs that took their records, for
// putting them back.
type OffboardRecord struct {
	JobID        int64
	Person       OffboardPerson
	To           OwnerRef
	KeepUser     bool
	Had          OffboardHad
	Checklist    []string
	ReassignJobs []int64
}

// OffboardRecordOf reads what offboarding job id kept.
func (p *Portal) OffboardRecordOf(ctx context.Context, id int64) (OffboardRecord, error) {
	_, head, items, err := p.loadOffboard(ctx, id)
	if err != nil {
		return OffboardRecord{}, err
	}
	rec := OffboardRecord{JobID: id, Person: head.Person, To: head.To, KeepUser: head.KeepUser, Had: head.Had, Checklist: head.Checklist}
	rec.ReassignJobs = stepOutcomeOf(items[0]).ReassignJobs
	return rec, nil
}

func stepOutcomeOf(it store.JobItem) stepOutcome {
	var o stepOutcome
	_ = json.Unmarshal(it.Outcome, &o) // JSON null: nothing recorded yet
	return o
}

// offboardStatus is an offboarding's status worked out from its steps:
// done when every step is, failed when one failed (and nothing runs), else
// the stored state of its last run.
func (j JobSummary) offboardStatus() string {
	settled := j.Items.Done + j.Items.Skipped
	switch {
	case j.State == store.JobRunning:
		return store.JobRunning
	case j.Items.Total > 0 && settled == j.Items.Total:
		return store.JobDone
	case j.Items.Failed > 0:
		return store.JobFailed
	}
	return j.State
}

// offboardOutcome is e.g. "done: 4 of 4 steps" or "failed: 1 of 4 steps
// done, 1 failed, 2 left".
func (j JobSummary) offboardOutcome() string {
	s := fmt.Sprintf("%s: %d of %d steps done", j.Status(), j.Items.Done+j.Items.Skipped, j.Items.Total)
	if j.Items.Failed > 0 {
		s += fmt.Sprintf(", %d failed", j.Items.Failed)
	}
	if left := j.Items.Pending + j.Items.Sent; left > 0 {
		s += fmt.Sprintf(", %d left", left)
	}
	return s
}

// offboardItemChange reads an offboarding's step for the jobs view: "step
// 2 take them out of every team", "Sales (primary), Support → none".
func offboardItemChange(plan json.RawMessage, r store.JobItem) (subject, change string) {
	var head offboardJob
	_ = json.Unmarshal(plan, &head)
	subject = fmt.Sprintf("step %d %s", r.Seq, StepTitle(r.SubjectID, head.KeepUser))
	switch r.SubjectID {
	case StepRecords:
		n := 0
		for _, h := range head.Handover {
			n += h.Count
		}
		change = fmt.Sprintf("%s → %s", Plural(n, "record"), head.To.Label())
		if jobs := stepOutcomeOf(r).ReassignJobs; len(jobs) > 0 {
			change += fmt.Sprintf(" (reassignment job %d)", jobs[len(jobs)-1])
		}
	case StepTeams:
		names := make([]string, len(head.Had.Teams))
		for i, t := range head.Had.Teams {
			names[i] = t.Name
			if t.Primary {
				names[i] += " (primary)"
			}
		}
		change = orNone(strings.Join(names, ", ")) + " → none"
	case StepSeats:
		change = orNone(strings.Join(head.Had.Seats, ", ")) + " → none"
	case StepUser:
		change = head.Person.Label() + " → removed"
		if head.KeepUser {
			change = head.Person.Label() + " → kept"
		}
	}
	return subject, change
}

// Departure is when and by which job a person was offboarded.
type Departure = store.Departure

// DepartureText is a card's line about an offboarding, e.g. "Left on
// 2026-12-01 15:30 UTC: offboarded by job 12 (hsadmin jobs show 12)".
func DepartureText(d Departure) string {
	s := fmt.Sprintf("Left on %s: offboarded by job %d", d.At.UTC().Format("2006-01-02 15:04 UTC"), d.JobID)
	if d.KeptUser {
		s += ", user kept"
	}
	return s + fmt.Sprintf(" (hsadmin jobs show %d)", d.JobID)
}
