package hubspot

import (
	"context"
	"fmt"
	"net/url"
)

// DeleteUser removes a Settings user: DELETE /settings/v3/users/{id}, 204.
// HubSpot archives the user's owner (userId null, userIdIncludingInactive
// kept) and leaves their records pointing at it; the users API then answers
// 404 for them. HubSpot refuses to remove a super admin.
func (c *Client) DeleteUser(ctx context.Context, id UserID) error {
	if err := checkID("user ID", string(id)); err != nil {
		return err
	}
	// Replay-safe: removing a removed user changes nothing more.
	_, _, err := call[struct{}](ctx, c, request{method: "DELETE", path: usersPath + url.PathEscape(string(id)), replaySafe: true})
	if replayedStatus(err, 404) {
		return nil // an earlier attempt whose answer was lost already removed the user
	}
	return err
}

// userSeatsBody is a user PUT that also sets the user's seats; seatNames
// is always sent ([] frees every seat).
type userSeatsBody struct {
	userUpdateBody
	SeatNames []string `json:"seatNames"`
}

// SetUserSeats sends PUT /settings/v3/users/{id} with upd's complete role
// and team state and exactly seats as the user's seats ([] or nil frees
// them all). HubSpot needs the settings.billing.write scope for it, and
// keeps only upd's one role, as on every user PUT (see RolesDroppedBy).
func (c *Client) SetUserSeats(ctx context.Context, id UserID, upd UserUpdate, seats []string) (User, error) {
	if err := checkID("user ID", string(id)); err != nil {
		return User{}, err
	}
	if upd.RoleID != "" && !IsNumeric(string(upd.RoleID)) {
		return User{}, fmt.Errorf("hubspot: role ID %q is not a single numeric role ID", upd.RoleID)
	}
	for _, t := range append([]TeamID{upd.PrimaryTeamID}, upd.SecondaryTeamIDs...) {
		if t != "" && !IsNumeric(string(t)) {
			return User{}, fmt.Errorf("hubspot: team ID %q is not numeric", t)
		}
	}
	body := userSeatsBody{
		userUpdateBody: userUpdateBody{
			FirstName: upd.FirstName, LastName: upd.LastName, RoleID: upd.RoleID,
			PrimaryTeamID: upd.PrimaryTeamID, SecondaryTeamIDs: append([]TeamID{}, upd.SecondaryTeamIDs...),
		},
		SeatNames: append([]string{}, seats...),
	}
	// Replay-safe: the body is the complete desired state.
	u, _, err := call[User](ctx, c, request{method: "PUT", path: usersPath + url.PathEscape(string(id)), body: body, replaySafe: true})
	return u, err
}
