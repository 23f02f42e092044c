package hubspot

import (
	"context"
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
