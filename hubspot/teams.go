package hubspot

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
)

// Settings Teams API (2026-09-beta): changes team membership without a user
// PUT, and so without dropping a multi-role user's extra roles. Needs the
// settings.users.teams.read / .write scopes.
const (
	teamsBetaPath      = "/settings/teams/2026-09-beta/"
	maxTeamMembersPage = 100
)

func teamMembersPath(team TeamID) string {
	return teamsBetaPath + url.PathEscape(string(team)) + "/members"
}

// TeamMembers iterates over a team's members with their membership type.
func (c *Client) TeamMembers(ctx context.Context, team TeamID) iter.Seq2[TeamMember, error] {
	return paginate(ctx, func(ctx context.Context, after string) (Page[TeamMember], error) {
		if err := checkID("team ID", string(team)); err != nil {
			return Page[TeamMember]{}, err
		}
		q := url.Values{"limit": {strconv.Itoa(maxTeamMembersPage)}}
		if after != "" {
			q.Set("after", after)
		}
		w, _, err := call[wirePage[TeamMember]](ctx, c, request{method: "GET", path: teamMembersPath(team), query: q, replaySafe: true})
		return w.page(), err
	})
}

// AddTeamMember makes m.UserID a member of team: its primary team for
// MembershipPrimary, a secondary team for MembershipSecondary.
func (c *Client) AddTeamMember(ctx context.Context, team TeamID, m TeamMember) error {
	if err := checkMember(team, m); err != nil {
		return err
	}
	// Replay-safe: adding a member twice leaves the same membership.
	_, _, err := call[struct{}](ctx, c, request{method: "POST", path: teamMembersPath(team), body: m, replaySafe: true})
	if replayedStatus(err, 409) {
		return nil // an earlier attempt whose answer was lost already added it
	}
	return err
}

// RemoveTeamMember ends m.UserID's membership of the given type in team.
func (c *Client) RemoveTeamMember(ctx context.Context, team TeamID, m TeamMember) error {
	if err := checkMember(team, m); err != nil {
		return err
	}
	_, _, err := call[struct{}](ctx, c, request{method: "DELETE",
		path:  teamMembersPath(team) + "/" + url.PathEscape(string(m.UserID)),
		query: url.Values{"type": {string(m.Type)}}, replaySafe: true})
	if replayedStatus(err, 404) {
		return nil // an earlier attempt whose answer was lost already removed it
	}
	return err
}

func checkMember(team TeamID, m TeamMember) error {
	if err := checkID("team ID", string(team)); err != nil {
		return err
	}
	if err := checkID("user ID", string(m.UserID)); err != nil {
		return err
	}
	if m.Type != MembershipPrimary && m.Type != MembershipSecondary {
		return fmt.Errorf("hubspot: team membership type %q is neither %s (primary) nor %s (secondary)", m.Type, MembershipPrimary, MembershipSecondary)
	}
	return nil
}

// replayedStatus reports an error with the given status on a retry: the sign
// that an earlier attempt, whose answer was lost, already did the work.
func replayedStatus(err error, status int) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == status && e.Attempts > 1
}
