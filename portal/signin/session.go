package signin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Session is what the token says about the sign-in: which portal, who, and
// which scopes, so that actions the scopes do not allow can be disabled with
// the scope they need.
type Session struct {
	HubID     int64
	HubDomain string // the portal's name as HubSpot shows it, e.g. "acme.com"
	UserID    hubspot.UserID
	User      string // the signing-in user's email
	AppID     int64
	Scopes    []string
	// ScopesKnown is false when HubSpot's introspection endpoints do not
	// know the token. Then nothing is disabled up front and HubSpot's 403s
	// tell instead.
	ScopesKnown bool
	ExpiresIn   time.Duration
}

// Introspect asks HubSpot about the access token: OAuth tokens at
// /oauth/v1/access-tokens/{token}, private app tokens and service keys at
// the private-apps endpoint. A token neither endpoint knows gives a Session
// with ScopesKnown false rather than an error; 401s and network failures
// are errors.
func Introspect(ctx context.Context, c *hubspot.Client, accessToken string) (Session, error) {
	info, err := c.TokenInfo(ctx, accessToken)
	if err != nil {
		if hubspot.IsNotFound(err) || isBadRequest(err) {
			return Session{}, nil
		}
		return Session{}, scrub(fmt.Errorf("cannot look up the access token: %w", err), accessToken)
	}
	scopes := slices.Clone(info.Scopes)
	sort.Strings(scopes)
	return Session{
		HubID:       info.HubID,
		HubDomain:   info.HubDomain,
		UserID:      info.UserID,
		User:        info.User,
		AppID:       info.AppID,
		Scopes:      scopes,
		ScopesKnown: true,
		ExpiresIn:   time.Duration(info.ExpiresIn) * time.Second,
	}, nil
}

func isBadRequest(err error) bool {
	var e *hubspot.APIError
	return errors.As(err, &e) && e.StatusCode == 400
}

// HasScope reports whether the token holds scope. With unknown scopes it
// answers true: HubSpot will say if it disagrees.
func (s Session) HasScope(scope string) bool {
	return !s.ScopesKnown || slices.Contains(s.Scopes, scope)
}

// Actions the console offers that need a scope beyond reading.
const (
	ActionSync                = "sync"                   // read users, owners, contacts
	ActionReassign            = "reassign"               // change contacts' owner
	ActionUndoReassign        = "undo-reassign"          // put contacts' owner back
	ActionTeamChange          = "team-change"            // PUT the user (drops extra roles)
	ActionTeamChangeKeepRoles = "team-change-keep-roles" // Teams API 2026-09-beta
	ActionRoleChange          = "role-change"            // PUT the user's roleId
	ActionPaidSeatRoleChange  = "paid-seat-role-change"  // a role that carries a paid seat
)

// requirement is a list of scope groups: every group is needed, and any one
// scope of a group satisfies it (HubSpot accepts several scopes for some
// endpoints). The first scope of a group is the one to ask for.
type requirement [][]string

var actionScopes = map[string]requirement{
	ActionSync: {
		{"settings.users.read", "crm.objects.users.read"},
		{"crm.objects.owners.read"},
		{"crm.objects.contacts.read"},
	},
	ActionReassign:            {{"crm.objects.contacts.write"}},
	ActionUndoReassign:        {{"crm.objects.contacts.write"}},
	ActionTeamChange:          {{"settings.users.write", "crm.objects.users.write"}},
	ActionTeamChangeKeepRoles: {{"settings.users.teams.write"}},
	ActionRoleChange:          {{"settings.users.write", "crm.objects.users.write"}},
	ActionPaidSeatRoleChange:  {{"settings.users.write", "crm.objects.users.write"}, {"settings.billing.write"}},
}

// Actions lists the action names MissingFor knows.
func Actions() []string {
	names := make([]string, 0, len(actionScopes))
	for a := range actionScopes {
		names = append(names, a)
	}
	sort.Strings(names)
	return names
}

// MissingFor lists the scopes the token lacks for action (nil when it may
// go ahead). An action this package does not know is reported as missing
// everything, so a typo disables rather than enables.
func (s Session) MissingFor(action string) []string {
	req, ok := actionScopes[action]
	if !ok {
		return []string{"(unknown action " + action + ")"}
	}
	var missing []string
	for _, group := range req {
		if !slices.ContainsFunc(group, s.HasScope) {
			missing = append(missing, group[0])
		}
	}
	return missing
}

// DisabledReason is the status-line text for an action the token does not
// allow, or "" when it does.
func (s Session) DisabledReason(action string) string {
	missing := s.MissingFor(action)
	if len(missing) == 0 {
		return ""
	}
	if len(missing) == 1 {
		return "needs the scope " + missing[0] + " (add it to the app and run hsadmin login)"
	}
	return "needs the scopes " + strings.Join(missing, ", ") + " (add them to the app and run hsadmin login)"
}
