package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// ChangeNames lists the portal's roles and teams from the mirror, for
// pickers and for naming them in plans.
func (p *Portal) ChangeNames(ctx context.Context) (Names, error) {
	roles, err := p.mirror.RoleList(ctx)
	if err != nil {
		return Names{}, err
	}
	teams, err := p.mirror.TeamList(ctx)
	if err != nil {
		return Names{}, err
	}
	return Names{Roles: roles, Teams: teams}, nil
}

// PlanTeamChange plans ch for the users with the given IDs, from the mirror.
func (p *Portal) PlanTeamChange(ctx context.Context, users []hubspot.UserID, ch TeamChange) (UserChangePlan, error) {
	names, rows, err := p.changeInputs(ctx, users)
	if err != nil {
		return UserChangePlan{}, err
	}
	return PlanTeamChange(p.info, names, rows, ch)
}

// PlanRoleChange plans giving role to the users with the given IDs, from
// the mirror.
func (p *Portal) PlanRoleChange(ctx context.Context, users []hubspot.UserID, role hubspot.RoleID) (UserChangePlan, error) {
	names, rows, err := p.changeInputs(ctx, users)
	if err != nil {
		return UserChangePlan{}, err
	}
	return PlanRoleChange(p.info, names, rows, role)
}

func (p *Portal) changeInputs(ctx context.Context, ids []hubspot.UserID) (Names, []store.UserRow, error) {
	names, err := p.ChangeNames(ctx)
	if err != nil {
		return Names{}, nil, err
	}
	var rows []store.UserRow
	for _, id := range distinctIDs(ids) {
		got, err := p.mirror.Users(ctx, store.Query{UserID: id, Limit: 1})
		if err != nil {
			return Names{}, nil, err
		}
		if len(got) == 0 {
			return Names{}, nil, fmt.Errorf("user %s is not in the local mirror (sync if the user is new)", id)
		}
		rows = append(rows, got[0])
	}
	return names, rows, nil
}

// FindUser finds one Settings user in the mirror by user ID or email.
func (p *Portal) FindUser(ctx context.Context, idOrEmail string) (store.UserRow, error) {
	want := strings.TrimSpace(idOrEmail)
	if want == "" {
		return store.UserRow{}, errors.New("no user given")
	}
	if hubspot.IsNumeric(want) {
		got, err := p.mirror.Users(ctx, store.Query{UserID: hubspot.UserID(want), Limit: 1})
		if err != nil || len(got) == 1 {
			return firstRow(got), err
		}
		return store.UserRow{}, fmt.Errorf("there is no user with user ID %s in the local mirror (an owner ID or CRM user record ID is a different number)", want)
	}
	got, err := p.mirror.Users(ctx, store.Query{Filter: want, Limit: store.DefaultLimit})
	if err != nil {
		return store.UserRow{}, err
	}
	for _, u := range got {
		if strings.EqualFold(u.Email, want) {
			return u, nil
		}
	}
	return store.UserRow{}, fmt.Errorf("there is no user with email %s in the local mirror", want)
}

func firstRow(rows []store.UserRow) store.UserRow {
	if len(rows) == 0 {
		return store.UserRow{}
	}
	return rows[0]
}

// RestoreList is the restore checklist: roles HubSpot dropped during
// changes made here, open ones first. Items whose role the mirror shows back
// are ticked off first.
func (p *Portal) RestoreList(ctx context.Context) ([]store.RestoreItem, error) {
	if err := p.tickRestoredRoles(ctx); err != nil {
		return nil, err
	}
	return p.journal.RestoreItems(ctx, true)
}

// tickRestoredRoles ticks off checklist items whose user the mirror shows
// holding the role again. Sync calls it after each directory sync.
func (p *Portal) tickRestoredRoles(ctx context.Context) error {
	var lookupErr error
	_, err := p.journal.TickRestored(ctx, time.Now(), func(u hubspot.UserID, r hubspot.RoleID) bool {
		held, err := p.mirror.HoldsRole(ctx, u, r)
		lookupErr = errors.Join(lookupErr, err)
		return held
	})
	return errors.Join(err, lookupErr)
}

// Recovered is a user change found unfinished by VerifyUnfinishedChanges
// and what was found out about it.
type Recovered struct {
	JobID   int64
	Seq     int
	UserID  hubspot.UserID
	State   string // the item's state now
	Message string
}

// VerifyUnfinishedChanges explains team and role changes an earlier run
// left unfinished (it crashed or lost the connection): an item never sent is
// marked skipped; an item sent with an unknown outcome is checked against
// HubSpot, completed as done or failed, and any role it dropped goes on the
// restore checklist. Call it when a portal opens; it sends no writes.
func (p *Portal) VerifyUnfinishedChanges(ctx context.Context) ([]Recovered, error) {
	jobs, err := p.journal.Jobs(ctx)
	if err != nil {
		return nil, err
	}
	var out []Recovered
	for _, job := range jobs {
		if (job.Kind != string(KindTeamChange) && job.Kind != string(KindRoleChange)) ||
			(job.State != store.JobPlanned && job.State != store.JobRunning && job.State != store.JobInterrupted) {
			continue
		}
		got, err := p.verifyJob(ctx, job)
		out = append(out, got...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func (p *Portal) verifyJob(ctx context.Context, job store.Job) ([]Recovered, error) {
	var plan UserChangePlan
	if err := json.Unmarshal(job.Plan, &plan); err != nil {
		return nil, fmt.Errorf("journal job %d: unreadable plan: %w", job.ID, err)
	}
	items, err := p.journal.JobItems(ctx, job.ID)
	if err != nil {
		return nil, err
	}
	var out []Recovered
	unknown := false
	for _, it := range items {
		rec := Recovered{JobID: job.ID, Seq: it.Seq, UserID: hubspot.UserID(it.SubjectID)}
		switch it.State {
		case store.ItemPending:
			rec.State, rec.Message = store.ItemSkipped, "never sent: hsadmin stopped before sending it"
			if err := p.journal.MarkItem(ctx, job.ID, it.Seq, rec.State, rec.Message); err != nil {
				return out, err
			}
		case store.ItemSent:
			if rec.State, rec.Message, err = p.verifyItem(ctx, plan, job.ID, it); err != nil {
				return out, err
			}
			unknown = unknown || rec.State == store.ItemSent
		default:
			continue
		}
		out = append(out, rec)
	}
	if unknown {
		return out, nil // still unknown: try again at the next start
	}
	items, err = p.journal.JobItems(ctx, job.ID)
	if err != nil {
		return out, err
	}
	state := store.JobDone
	switch {
	case len(items) == 0:
		// Stopped between creating the job and listing its users: nothing
		// was sent.
		state = store.JobCancelled
	case slices.ContainsFunc(items, func(it store.JobItem) bool { return it.State != store.ItemDone }):
		state = store.JobFailed
	}
	return out, p.journal.FinishJob(ctx, job.ID, state)
}

// verifyItem reads the user of a sent item and completes the item.
func (p *Portal) verifyItem(ctx context.Context, plan UserChangePlan, jobID int64, it store.JobItem) (state, msg string, err error) {
	var before journalBefore
	var after journalAfter
	if err := json.Unmarshal(it.Before, &before); err != nil {
		return "", "", fmt.Errorf("journal job %d item %d: %w", jobID, it.Seq, err)
	}
	if err := json.Unmarshal(it.After, &after); err != nil {
		return "", "", fmt.Errorf("journal job %d item %d: %w", jobID, it.Seq, err)
	}
	id := hubspot.UserID(it.SubjectID)
	back, err := p.client.GetUser(ctx, id)
	if err != nil {
		msg := "sent before an interruption; still cannot read the user back: " + err.Error()
		return store.ItemSent, msg, p.journal.MarkItem(ctx, jobID, it.Seq, store.ItemSent, msg)
	}
	actual := StateOfUser(back)
	p.refreshMirrorUser(ctx, back)
	u := UserChange{UserID: id, Name: before.Name, Email: before.Email, Before: before.UserState, Replaced: after.Replaced}
	if _, err := p.recordDropped(ctx, plan, jobID, u, actual); err != nil {
		return "", "", err
	}
	var diff error
	if !actual.SameTeams(after.Expected) || !actual.SameRoles(after.Expected) {
		diff = errors.New("the outcome was lost in an interruption")
	}
	state, msg = compareOutcome(plan, before.UserState, after.Expected, actual, diff)
	switch n, ok := StepsLanded(before.UserState, after.Steps, actual); {
	case state == store.ItemDone:
		msg = "verified after an interruption: HubSpot reports the planned state"
	case after.Method != MethodKeepRoles || !actual.SameRoles(before.UserState):
	case ok && n > 0:
		// A sequence of Teams API calls cut short: say how far it got, and
		// that planning the same change again sends only the rest.
		msg = fmt.Sprintf("interrupted after %d of %d Teams API calls (%s); plan the same change again to finish it", n, len(after.Steps), msg)
	default:
		msg = p.explainPartWay(ctx, plan, id, before.UserState, after.Expected, actual, msg)
	}
	raw, err := json.Marshal(actual)
	if err != nil {
		return "", "", err
	}
	return state, msg, p.journal.CompleteItem(ctx, jobID, it.Seq, state, msg, raw)
}

// explainPartWay says what an interrupted keep-roles change left when the
// planned calls do not explain it: HubSpot refused an add and the old
// DEFAULT was removed first, or kept a second DEFAULT the users API does
// not show. The member lists of the teams involved tell.
func (p *Portal) explainPartWay(ctx context.Context, plan UserChangePlan, id hubspot.UserID, before, target, actual UserState, msg string) string {
	order := involvedTeams(before, target)
	ms := memberships{}
	if err := p.readMemberships(ctx, id, order, ms); err != nil {
		return msg
	}
	if actual.SameTeams(before) && len(ms.hiddenDefaults(order, actual)) == 0 {
		return msg // nothing landed
	}
	return fmt.Sprintf("interrupted part-way through the Teams API calls (HubSpot now holds %s); plan the same change again to finish it", ms.describe(order, plan.TeamName))
}
