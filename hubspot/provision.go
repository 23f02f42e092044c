package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// seatsPath is the seats list of the 2026-09-beta user provisioning API; it
// needs the settings.billing.write scope.
const seatsPath = "/settings/users/2026-09-beta/seats"

// ScopeBillingWrite is the scope that seats, and roles carrying a paid seat
// (Role.RequiresBillingWrite), need.
const ScopeBillingWrite = "settings.billing.write"

// Seat is a kind of paid seat and how many of it the portal has left.
type Seat struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Remaining   int    `json:"remainingSeats"`
}

// Seats lists the portal's seats with what is left of each.
func (c *Client) Seats(ctx context.Context) ([]Seat, error) {
	w, _, err := call[wirePage[Seat]](ctx, c, request{method: "GET", path: seatsPath, replaySafe: true})
	return w.Results, err
}

// UserProvision is the body of POST /settings/v3/users/: a new user. HubSpot
// takes a single RoleID; a user without one gets minimal permissions.
type UserProvision struct {
	Email            string   `json:"email"`
	FirstName        string   `json:"firstName,omitempty"`
	LastName         string   `json:"lastName,omitempty"`
	RoleID           RoleID   `json:"roleId,omitempty"`
	PrimaryTeamID    TeamID   `json:"primaryTeamId,omitempty"`
	SecondaryTeamIDs []TeamID `json:"secondaryTeamIds,omitempty"`
	SeatNames        []string `json:"seatNames,omitempty"`
	SendWelcomeEmail bool     `json:"sendWelcomeEmail"`
}

// CreateUser adds a user and returns them as HubSpot reports them. It is
// sent once: a create is never replayed, since a lost answer may hide a
// user that was made (look them up by email before trying again).
//
// Refusals worth telling apart: IsDuplicateUser (the email has a user),
// IsNoSeatLeft (a seat asked for is used up), IsBillingRefusal (a seat or a
// paid-seat role without the settings.billing.write scope).
func (c *Client) CreateUser(ctx context.Context, in UserProvision) (User, error) {
	in.Email = strings.TrimSpace(in.Email)
	if !strings.Contains(in.Email, "@") {
		return User{}, fmt.Errorf("hubspot: %q is not an email address", in.Email)
	}
	if in.RoleID != "" && !IsNumeric(string(in.RoleID)) {
		return User{}, fmt.Errorf("hubspot: role ID %q is not a single numeric role ID; HubSpot sets exactly one role on a new user (add others in HubSpot's settings)", in.RoleID)
	}
	if in.PrimaryTeamID != "" && !IsNumeric(string(in.PrimaryTeamID)) {
		return User{}, fmt.Errorf("hubspot: primary team ID %q is not numeric", in.PrimaryTeamID)
	}
	for _, t := range in.SecondaryTeamIDs {
		if !IsNumeric(string(t)) {
			return User{}, fmt.Errorf("hubspot: secondary team ID %q is not numeric", t)
		}
	}
	u, _, err := call[User](ctx, c, request{method: "POST", path: usersPath, body: in})
	return u, err
}

// SetUserSeats gives the user exactly seats (none frees every seat they
// hold) by a user PUT carrying only seatNames. Like every user PUT, it
// leaves the user with their single roleId: roles added in HubSpot's UI
// are dropped (see RolesDroppedBy). Seats need the settings.billing.write
// scope; a seat freed goes back to the portal's remaining seats. Free seats
// before removing a user: HubSpot frees a seat only from an active user.
func (c *Client) SetUserSeats(ctx context.Context, id UserID, seats []string) (User, error) {
	if err := checkID("user ID", string(id)); err != nil {
		return User{}, err
	}
	body := struct {
		SeatNames []string `json:"seatNames"`
	}{SeatNames: append([]string{}, seats...)}
	// Replay-safe: the list is the complete desired state.
	u, _, err := call[User](ctx, c, request{method: "PUT", path: usersPath + url.PathEscape(string(id)), body: body, replaySafe: true})
	return u, err
}

// IsDuplicateUser reports a create refused because the email already has a
// user: 409 CONFLICT, or a 400 saying the user already exists.
func IsDuplicateUser(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	msg := strings.ToLower(e.Message)
	return e.StatusCode == 409 || (e.StatusCode == 400 && strings.Contains(msg, "already exists"))
}

// IsNoSeatLeft reports a write refused because a seat it asks for is used up.
func IsNoSeatLeft(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != 400 {
		return false
	}
	msg := strings.ToLower(e.Message)
	return strings.Contains(msg, "seat") && (strings.Contains(msg, "remaining") || strings.Contains(msg, "available") || strings.Contains(msg, "no more"))
}

// IsBillingRefusal reports HubSpot's answer to a seat or paid-seat role
// sent without the settings.billing.write scope: a bare 400 "Error
// validating request." (it names neither the scope nor the field).
func IsBillingRefusal(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == 400 && strings.TrimSpace(e.Message) == "Error validating request."
}
