package portal

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Nothing documents what the Teams API does when a DEFAULT membership is
// added for a user who has one elsewhere: the old one may end (the primary
// team moves), the add may be refused, or both may stay. So the keep-roles
// path does not trust a planned sequence of calls. It reads the user's
// memberships of every team the change touches, sends the one call that
// brings them closest to the plan, reads the touched teams again, and
// repeats: it removes an old DEFAULT that stayed, and when an add is refused
// it removes the old DEFAULT first. The user is never without a primary
// team for longer than one call.

// membership is one user's membership of one team.
type membership struct{ Default, Extra bool }

// memberships are a user's memberships of the teams a change touches.
type memberships map[hubspot.TeamID]membership

// defaults lists the teams the user is a DEFAULT member of, in order.
func (ms memberships) defaults(order []hubspot.TeamID) []hubspot.TeamID {
	var out []hubspot.TeamID
	for _, t := range order {
		if ms[t].Default {
			out = append(out, t)
		}
	}
	return out
}

// involvedTeams are the teams a change from before to target touches, the
// order fixed: before's primary and secondary teams, then target's.
func involvedTeams(before, target UserState) []hubspot.TeamID {
	all := append(append([]hubspot.TeamID{before.PrimaryTeamID}, before.SecondaryTeamIDs...), target.PrimaryTeamID)
	all = append(all, target.SecondaryTeamIDs...)
	return slices.DeleteFunc(distinctIDs(all), func(t hubspot.TeamID) bool { return t == "" })
}

// readMemberships reads user's memberships of teams from their member lists.
func (p *Portal) readMemberships(ctx context.Context, user hubspot.UserID, teams []hubspot.TeamID, into memberships) error {
	for _, team := range teams {
		m := membership{}
		for member, err := range p.client.TeamMembers(ctx, team) {
			if err != nil {
				return fmt.Errorf("reading the members of team %s: %w", team, err)
			}
			if member.UserID != user {
				continue
			}
			switch member.Type {
			case hubspot.MembershipPrimary:
				m.Default = true
			case hubspot.MembershipSecondary:
				m.Extra = true
			}
		}
		into[team] = m
	}
	return nil
}

// nextMembershipStep is the call that brings ms closest to target, in the
// order that keeps every call valid and the user with a primary team:
// secondary memberships that go are removed first (a team becoming primary
// included); then the new DEFAULT is added — or, when HubSpot refused that
// while another DEFAULT exists, the other DEFAULT is removed first; then
// any other DEFAULT that stayed is removed; then new secondary memberships
// are added. ok is false when ms is as planned.
func nextMembershipStep(ms memberships, order []hubspot.TeamID, target UserState, addRefused bool) (MembershipStep, bool) {
	for _, t := range order {
		if ms[t].Extra && !slices.Contains(target.SecondaryTeamIDs, t) {
			return MembershipStep{Team: t, Type: hubspot.MembershipSecondary}, true
		}
	}
	others := slices.DeleteFunc(ms.defaults(order), func(t hubspot.TeamID) bool { return t == target.PrimaryTeamID })
	if target.PrimaryTeamID != "" && !ms[target.PrimaryTeamID].Default {
		if addRefused && len(others) > 0 {
			return MembershipStep{Team: others[0], Type: hubspot.MembershipPrimary}, true
		}
		return MembershipStep{Add: true, Team: target.PrimaryTeamID, Type: hubspot.MembershipPrimary}, true
	}
	if len(others) > 0 {
		return MembershipStep{Team: others[0], Type: hubspot.MembershipPrimary}, true
	}
	for _, t := range target.SecondaryTeamIDs {
		if !ms[t].Extra {
			return MembershipStep{Add: true, Team: t, Type: hubspot.MembershipSecondary}, true
		}
	}
	return MembershipStep{}, false
}

// moveMemberships makes u's team memberships those of u.Target through the
// Teams API, reading them back after every call.
func (p *Portal) moveMemberships(ctx context.Context, u UserChange) error {
	order := involvedTeams(u.Before, u.Target)
	ms := memberships{}
	if err := p.readMemberships(ctx, u.UserID, order, ms); err != nil {
		return err
	}
	addRefused := false
	var cleared hubspot.TeamID // the old DEFAULT removed because an add was refused
	// Each call settles one membership; a few more allow for a refused add
	// and an old DEFAULT that stayed.
	for range 2*len(order) + 4 {
		st, ok := nextMembershipStep(ms, order, u.Target, addRefused)
		if !ok {
			return nil
		}
		err := p.sendStep(ctx, u.UserID, st)
		if refusedSecondDefault(err, st, ms, order) && !addRefused {
			addRefused = true
			continue
		}
		if err != nil && cleared != "" && st.Add && st.Type == hubspot.MembershipPrimary {
			return p.restorePrimary(ctx, u.UserID, cleared, err)
		}
		if err != nil {
			return err
		}
		if addRefused && !st.Add && st.Type == hubspot.MembershipPrimary && cleared == "" {
			cleared = st.Team
		}
		// An added DEFAULT may have ended (or kept) the old one: read every
		// team holding one again, with the team just changed.
		reread := []hubspot.TeamID{st.Team}
		if st.Add && st.Type == hubspot.MembershipPrimary {
			reread = append(reread, ms.defaults(order)...)
		}
		if err := p.readMemberships(ctx, u.UserID, distinctIDs(reread), ms); err != nil {
			return err
		}
	}
	return errors.New("the Teams API calls did not bring the memberships to the plan; HubSpot reports " + ms.describe(order, func(t hubspot.TeamID) string { return "team " + string(t) }))
}

// restorePrimary gives the user back the primary team removed to make room
// for a DEFAULT membership HubSpot then refused anyway: the refusal had
// another reason, and a user must not be left without a primary team.
func (p *Portal) restorePrimary(ctx context.Context, user hubspot.UserID, team hubspot.TeamID, refused error) error {
	back := p.sendStep(ctx, user, MembershipStep{Add: true, Team: team, Type: hubspot.MembershipPrimary})
	if back != nil {
		return fmt.Errorf("%w; the old primary team %s, removed to make room, could not be given back either (%v): the user has no primary team now", refused, team, back)
	}
	return fmt.Errorf("%w; the old primary team %s, removed to make room, was given back", refused, team)
}

func (p *Portal) sendStep(ctx context.Context, user hubspot.UserID, st MembershipStep) error {
	member := hubspot.TeamMember{UserID: user, Type: st.Type}
	if st.Add {
		return p.client.AddTeamMember(ctx, st.Team, member)
	}
	return p.client.RemoveTeamMember(ctx, st.Team, member)
}

// refusedSecondDefault reports whether err is HubSpot refusing to add a
// DEFAULT membership while the user holds another one.
func refusedSecondDefault(err error, st MembershipStep, ms memberships, order []hubspot.TeamID) bool {
	var e *hubspot.APIError
	if !errors.As(err, &e) || e.StatusCode != 400 || !st.Add || st.Type != hubspot.MembershipPrimary {
		return false
	}
	return len(slices.DeleteFunc(ms.defaults(order), func(t hubspot.TeamID) bool { return t == st.Team })) > 0
}

// describe lists the memberships for a message: "DEFAULT of Sales, EXTRA
// of Support", naming teams by name.
func (ms memberships) describe(order []hubspot.TeamID, name func(hubspot.TeamID) string) string {
	var parts []string
	for _, t := range order {
		if ms[t].Default {
			parts = append(parts, "DEFAULT of "+name(t))
		}
		if ms[t].Extra {
			parts = append(parts, "EXTRA of "+name(t))
		}
	}
	if len(parts) == 0 {
		return "no membership of the teams involved"
	}
	return strings.Join(parts, ", ")
}

// hiddenDefaults are the DEFAULT memberships the users API does not show:
// a second DEFAULT HubSpot kept beside the primary team it reports.
func (ms memberships) hiddenDefaults(order []hubspot.TeamID, reported UserState) []hubspot.TeamID {
	return slices.DeleteFunc(ms.defaults(order), func(t hubspot.TeamID) bool { return t == reported.PrimaryTeamID })
}
