package hubspot

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// Settings User Provisioning v3.
const (
	usersPath = "/settings/v3/users/"
	rolesPath = "/settings/v3/users/roles"
	teamsPath = "/settings/v3/users/teams"

	maxUsersPage = 100
)

// UsersPage returns one page of Settings users (at most 100; limit <= 0 means 100).
func (c *Client) UsersPage(ctx context.Context, after string, limit int) (Page[User], error) {
	q := url.Values{"limit": {strconv.Itoa(clampLimit(limit, maxUsersPage, maxUsersPage))}}
	if after != "" {
		q.Set("after", after)
	}
	w, _, err := call[wirePage[User]](ctx, c, request{method: "GET", path: usersPath, query: q, replaySafe: true})
	return w.page(), err
}

// Users iterates over every Settings user.
func (c *Client) Users(ctx context.Context) iter.Seq2[User, error] {
	return paginate(ctx, func(ctx context.Context, after string) (Page[User], error) {
		return c.UsersPage(ctx, after, maxUsersPage)
	})
}

// GetUser reads one user by user ID.
func (c *Client) GetUser(ctx context.Context, id UserID) (User, error) {
	if err := checkID("user ID", string(id)); err != nil {
		return User{}, err
	}
	u, _, err := call[User](ctx, c, request{method: "GET", path: usersPath + url.PathEscape(string(id)), replaySafe: true})
	return u, err
}

// GetUserByEmail reads one user by email address.
func (c *Client) GetUserByEmail(ctx context.Context, email string) (User, error) {
	email = strings.TrimSpace(email)
	if !strings.Contains(email, "@") {
		return User{}, fmt.Errorf("hubspot: %q is not an email address", email)
	}
	u, _, err := call[User](ctx, c, request{method: "GET", path: usersPath + url.PathEscape(email),
		query: url.Values{"idProperty": {"EMAIL"}}, replaySafe: true})
	return u, err
}

// userUpdateBody is the PUT body as sent: secondaryTeamIds always present
// ([] for none) so that HubSpot receives the complete team state, and no
// roleIds field, which HubSpot would ignore.
type userUpdateBody struct {
	FirstName        string   `json:"firstName,omitempty"`
	LastName         string   `json:"lastName,omitempty"`
	RoleID           RoleID   `json:"roleId,omitempty"`
	PrimaryTeamID    TeamID   `json:"primaryTeamId,omitempty"`
	SecondaryTeamIDs []TeamID `json:"secondaryTeamIds"`
}

// UpdateUser sends PUT /settings/v3/users/{id} with upd's complete role and
// team state, and returns the user as HubSpot reports it afterwards.
//
// HubSpot keeps only the single roleId on any user PUT: roles beyond it are
// dropped (see RolesDroppedBy). The client never sends roleIds and never a
// joined role string; a RoleID that is not a number is refused before sending.
func (c *Client) UpdateUser(ctx context.Context, id UserID, upd UserUpdate) (User, error) {
	if err := checkID("user ID", string(id)); err != nil {
		return User{}, err
	}
	if upd.RoleID != "" && !IsNumeric(string(upd.RoleID)) {
		return User{}, fmt.Errorf("hubspot: role ID %q is not a single numeric role ID; HubSpot accepts exactly one role per user update (extra roles can only be kept through HubSpot's UI)", upd.RoleID)
	}
	if upd.PrimaryTeamID != "" && !IsNumeric(string(upd.PrimaryTeamID)) {
		return User{}, fmt.Errorf("hubspot: primary team ID %q is not numeric", upd.PrimaryTeamID)
	}
	secondary := make([]TeamID, 0, len(upd.SecondaryTeamIDs))
	for _, t := range upd.SecondaryTeamIDs {
		if !IsNumeric(string(t)) {
			return User{}, fmt.Errorf("hubspot: secondary team ID %q is not numeric", t)
		}
		secondary = append(secondary, t)
	}
	body := userUpdateBody{
		FirstName:        upd.FirstName,
		LastName:         upd.LastName,
		RoleID:           upd.RoleID,
		PrimaryTeamID:    upd.PrimaryTeamID,
		SecondaryTeamIDs: secondary,
	}
	// Replay-safe: the body is the complete desired state, so a second PUT
	// leaves the user exactly as the first did.
	u, _, err := call[User](ctx, c, request{method: "PUT", path: usersPath + url.PathEscape(string(id)), body: body, replaySafe: true})
	return u, err
}

// Roles lists the portal's roles (permission sets).
func (c *Client) Roles(ctx context.Context) ([]Role, error) {
	w, _, err := call[wirePage[Role]](ctx, c, request{method: "GET", path: rolesPath, replaySafe: true})
	return w.Results, err
}

// Teams lists the portal's teams with their primary and secondary members.
func (c *Client) Teams(ctx context.Context) ([]Team, error) {
	w, _, err := call[wirePage[Team]](ctx, c, request{method: "GET", path: teamsPath, replaySafe: true})
	return w.Results, err
}

// checkID refuses an ID that cannot be one of HubSpot's numeric IDs before it
// ends up in a URL path.
func checkID(kind, id string) error {
	if !IsNumeric(id) {
		return fmt.Errorf("hubspot: %s %q is not a number", kind, id)
	}
	return nil
}

// clampLimit maps a caller's page size into HubSpot's range: def when <= 0,
// max when above.
func clampLimit(limit, def, ceiling int) int {
	switch {
	case limit <= 0:
		return def
	case limit > ceiling:
		return ceiling
	}
	return limit
}
