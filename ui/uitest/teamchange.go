package uitest

import (
	"context"
	"fmt"
	"slices"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// The fake's team and role changes plan with the real, pure planner over
// the fixture users, and record what would be sent instead of sending it:
// the fixture users never change, so screens stay deterministic.

// fixtureNames are the roles and teams the fixture users refer to.
func fixtureNames() portal.Names {
	return portal.Names{
		Roles: []hubspot.Role{{ID: "14", Name: "Admin"}, {ID: "12", Name: "Marketing"}, {ID: "11", Name: "Sales Rep"}, {ID: "13", Name: "Service"}},
		Teams: []portal.TeamRef{{ID: "3", Name: "Renewals"}, {ID: "1", Name: "Sales"}, {ID: "2", Name: "Support"}},
	}
}

// AppliedChange is one ApplyUserChange call the fake received.
type AppliedChange struct {
	Plan   portal.UserChangePlan
	Method portal.Method
}

// Applied lists the ApplyUserChange calls so far.
func (f *Fake) Applied() []AppliedChange {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.applied)
}

// ChangeNames lists the fixture roles and teams.
func (f *Fake) ChangeNames(ctx context.Context) (portal.Names, error) {
	if err := f.enter(ctx); err != nil {
		return portal.Names{}, err
	}
	return fixtureNames(), nil
}

func (f *Fake) rows(ids []hubspot.UserID) ([]portal.UserRow, error) {
	var rows []portal.UserRow
	for _, id := range ids {
		u, ok := f.user(id)
		if !ok {
			return nil, fmt.Errorf("user %s is not in the local mirror", id)
		}
		rows = append(rows, u)
	}
	return rows, nil
}

// PlanTeamChange plans with portal.PlanTeamChange over the fixtures.
func (f *Fake) PlanTeamChange(ctx context.Context, users []hubspot.UserID, ch portal.TeamChange) (portal.UserChangePlan, error) {
	if err := f.enter(ctx); err != nil {
		return portal.UserChangePlan{}, err
	}
	rows, err := f.rows(users)
	if err != nil {
		return portal.UserChangePlan{}, err
	}
	return portal.PlanTeamChange(f.info, fixtureNames(), rows, ch)
}

// PlanRoleChange plans with portal.PlanRoleChange over the fixtures.
func (f *Fake) PlanRoleChange(ctx context.Context, users []hubspot.UserID, role hubspot.RoleID) (portal.UserChangePlan, error) {
	if err := f.enter(ctx); err != nil {
		return portal.UserChangePlan{}, err
	}
	rows, err := f.rows(users)
	if err != nil {
		return portal.UserChangePlan{}, err
	}
	return portal.PlanRoleChange(f.info, fixtureNames(), rows, role)
}

// ApplyUserChange records the call and answers as HubSpot would: every
// changing user done, and by PUT the predicted roles dropped and put on the
// restore checklist.
func (f *Fake) ApplyUserChange(ctx context.Context, plan portal.UserChangePlan, m portal.Method) (portal.ApplyResult, error) {
	if err := f.enter(ctx); err != nil {
		return portal.ApplyResult{}, err
	}
	if a := plan.Availability(m); !a.OK() {
		return portal.ApplyResult{}, fmt.Errorf("cannot apply the change (%s): %s", m, a.Reason)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = append(f.applied, AppliedChange{Plan: plan, Method: m})
	res := portal.ApplyResult{JobID: int64(len(f.applied)), Method: m}
	for _, u := range plan.Changing() {
		r := portal.UserResult{UserID: u.UserID, Label: u.Label(), State: portal.ItemDone, After: u.Expected(m)}
		if m == portal.MethodPut {
			r.Dropped = u.Lost
			for _, lost := range u.Lost {
				f.restore = append(f.restore, portal.RestoreItem{
					ID: int64(len(f.restore) + 1), JobID: res.JobID, UserID: u.UserID, UserName: u.Name, UserEmail: u.Email,
					RoleID: lost.ID, RoleName: lost.Name, DroppedAt: f.cfg.Now,
					Link: portal.UserSettingsLink(f.info.HubID, f.info.BaseURL, f.info.Sandbox, u.UserID),
				})
			}
		}
		res.Users = append(res.Users, r)
	}
	return res, nil
}

// RestoreList is the checklist the fake's applied changes built.
func (f *Fake) RestoreList(ctx context.Context) ([]portal.RestoreItem, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.restore), nil
}

// TickRestoreItems ticks the fake's checklist items off by hand, as the
// journal does: by "admin", at the fake's clock.
func (f *Fake) TickRestoreItems(ctx context.Context, ids []int64) ([]int64, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var ticked []int64
	for _, id := range ids {
		i := slices.IndexFunc(f.restore, func(it portal.RestoreItem) bool { return it.ID == id })
		if i < 0 {
			return ticked, fmt.Errorf("item %d: %w", id, portal.ErrNoSuchRestoreItem)
		}
		if f.restore[i].Open() {
			f.restore[i].RestoredAt, f.restore[i].RestoredHow, f.restore[i].RestoredBy = f.cfg.Now, portal.RestoredByHand, "admin"
			ticked = append(ticked, id)
		}
	}
	return ticked, nil
}
