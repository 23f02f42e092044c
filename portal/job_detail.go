package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// JobDetail is one job of the journal with every item: what it changed,
// how it ended, and HubSpot's whole reason with the correlation ID where
// HubSpot refused it. The jobs view and `hsadmin jobs show` show it.
type JobDetail struct {
	Job   JobSummary
	Items []JobItemDetail
}

// JobItemDetail is one item of a job as an admin reads it.
type JobItemDetail struct {
	Seq       int
	SubjectID string // a contact ID (reassignments) or a user ID (team and role changes)
	Subject   string // "contact 1000001 Ana Lopez", "user 101 Diego Silva"
	Change    string // "owner 5001 → owner 5002"
	State     string // store.ItemPending … ItemSkipped
	// Reason is HubSpot's message for a failed item, or why an item was
	// skipped, in full.
	Reason        string
	CorrelationID string // HubSpot's correlationId of the failed request; "" when none
	UpdatedAt     time.Time
}

// JobDetail reads job id and its items; store.ErrNoSuchJob when the
// journal does not hold it.
func (p *Portal) JobDetail(ctx context.Context, id int64) (JobDetail, error) {
	all, err := p.JobHistory(ctx)
	if err != nil {
		return JobDetail{}, err
	}
	var d JobDetail
	found := false
	for _, j := range all {
		if j.ID == id {
			d.Job, found = j, true
			break
		}
	}
	if !found {
		return JobDetail{}, fmt.Errorf("job %d: %w", id, store.ErrNoSuchJob)
	}
	raw, err := p.journal.JobItems(ctx, id)
	if err != nil {
		return JobDetail{}, err
	}
	names := p.contactNames(ctx, d.Job.Kind, raw)
	d.Items = make([]JobItemDetail, len(raw))
	for i, r := range raw {
		it := JobItemDetail{Seq: r.Seq, SubjectID: r.SubjectID, State: r.State, Reason: r.Error,
			CorrelationID: r.CorrelationID, UpdatedAt: r.UpdatedAt}
		switch d.Job.Kind {
		case KindReassign:
			it.Subject, it.Change = reassignSubject(r.SubjectID, names), ownerChange(r)
		case KindOffboard:
			it.Subject, it.Change = offboardItemChange(d.Job.Plan, r)
		case KindOnboard:
			it.Subject, it.Change = onboardItemChange(r)
		default:
			it.Subject, it.Change = userItemChange(r)
		}
		d.Items[i] = it
	}
	return d, nil
}

// contactNames names the contacts of a reassignment from the mirror; a
// contact it no longer holds stays nameless.
func (p *Portal) contactNames(ctx context.Context, kind string, items []store.JobItem) map[hubspot.ContactID]string {
	if kind != KindReassign {
		return nil
	}
	ids := make([]hubspot.ContactID, 0, len(items))
	for _, it := range items {
		if t, id, _ := parseSubject(it.SubjectID); t == hubspot.ObjectContacts {
			ids = append(ids, hubspot.ContactID(id))
		}
	}
	rows, _, err := p.mirror.ContactsByID(ctx, ids)
	if err != nil {
		return nil
	}
	out := make(map[hubspot.ContactID]string, len(rows))
	for _, c := range rows {
		out[c.ContactID] = c.Name
	}
	return out
}

func ownerChange(r store.JobItem) string {
	_, _, prop := parseSubject(r.SubjectID)
	before, beforeValue, multi, _ := decodeValue(r.Before)
	after, afterValue, _, _ := decodeValue(r.After)
	if multi {
		return fmt.Sprintf("%s → %s (%s → %s)", ownerText(before), ownerText(after), orNone(beforeValue), orNone(afterValue))
	}
	if prop != hubspot.PropOwnerID {
		return prop + ": " + ownerText(before) + " → " + ownerText(after)
	}
	return ownerText(before) + " → " + ownerText(after)
}

// reassignSubject names a reassignment item's record: "contact 12 Ana
// Lopez", "deal 88", "projects record 5 (implementation_lead)".
func reassignSubject(subject string, names map[hubspot.ContactID]string) string {
	t, id, _ := parseSubject(subject)
	if t == hubspot.ObjectContacts {
		return joinName("contact "+string(id), names[hubspot.ContactID(id)])
	}
	return singularOf(t) + " " + string(id)
}

// userItemChange reads a team or role change's item: who, and the teams and
// primary role asked for.
func userItemChange(r store.JobItem) (subject, change string) {
	var before journalBefore
	var after journalAfter
	_ = json.Unmarshal(r.Before, &before)
	_ = json.Unmarshal(r.After, &after)
	subject = joinName("user "+r.SubjectID, before.Name)
	if after.Expected.PrimaryTeamID != before.PrimaryTeamID {
		change = fmt.Sprintf("team %s → %s", orNone(string(before.PrimaryTeamID)), orNone(string(after.Expected.PrimaryTeamID)))
	}
	if after.Expected.RoleID != before.RoleID {
		if change != "" {
			change += ", "
		}
		change += fmt.Sprintf("role %s → %s", orNone(string(before.RoleID)), orNone(string(after.Expected.RoleID)))
	}
	if change == "" {
		change = "secondary teams"
	}
	if after.Method != "" {
		change += " (" + string(after.Method) + ")"
	}
	return subject, change
}

func joinName(subject, name string) string {
	if name == "" {
		return subject
	}
	return subject + " " + name
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// JobDetailRecord is a job with its items as `hsadmin jobs show --json`
// writes it; its field names are stable for scripts.
type JobDetailRecord struct {
	JobRecord
	Items []JobItemRecord `json:"items"`
}

// JobItemRecord is one item of a JobDetailRecord.
type JobItemRecord struct {
	Seq           int       `json:"seq"`
	SubjectID     string    `json:"subject_id"`
	Subject       string    `json:"subject"`
	Change        string    `json:"change"`
	Outcome       string    `json:"outcome"`
	Reason        string    `json:"reason,omitempty"`
	CorrelationID string    `json:"correlation_id,omitempty"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Record is the detail as a JobDetailRecord.
func (d JobDetail) Record() JobDetailRecord {
	out := JobDetailRecord{JobRecord: d.Job.Record(), Items: make([]JobItemRecord, len(d.Items))}
	for i, it := range d.Items {
		out.Items[i] = JobItemRecord{Seq: it.Seq, SubjectID: it.SubjectID, Subject: it.Subject, Change: it.Change,
			Outcome: it.State, Reason: it.Reason, CorrelationID: it.CorrelationID, UpdatedAt: it.UpdatedAt.UTC()}
	}
	return out
}
