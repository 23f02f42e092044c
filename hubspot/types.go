package hubspot

import "time"

// User is a Settings (User Provisioning v3) user.
type User struct {
	ID        UserID `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	// RoleID is the single role the write API knows about.
	RoleID RoleID `json:"roleId,omitempty"`
	// RoleIDs lists every role, including those added in HubSpot's UI. It is
	// read-only: a user PUT collapses it to [RoleID].
	RoleIDs          []RoleID `json:"roleIds"`
	PrimaryTeamID    TeamID   `json:"primaryTeamId,omitempty"`
	SecondaryTeamIDs []TeamID `json:"secondaryTeamIds,omitempty"`
	SeatNames        []string `json:"seatNames,omitempty"`
	SuperAdmin       bool     `json:"superAdmin"`
}

// Name is the user's display name, falling back to the email.
func (u User) Name() string { return displayName(u.FirstName, u.LastName, u.Email) }

// Roles returns every role the user holds: RoleIDs, plus RoleID if HubSpot
// reported it only there.
func (u User) Roles() []RoleID {
	roles := append([]RoleID(nil), u.RoleIDs...)
	if u.RoleID != "" && !containsID(roles, u.RoleID) {
		roles = append([]RoleID{u.RoleID}, roles...)
	}
	return roles
}

// UserUpdate is the body of PUT /settings/v3/users/{id}. hsadmin always sends
// the complete desired team and role state, because HubSpot does not document
// what an omitted field means. There is deliberately no RoleIDs field: HubSpot
// ignores it, and sending it would suggest otherwise.
type UserUpdate struct {
	FirstName        string   `json:"firstName,omitempty"`
	LastName         string   `json:"lastName,omitempty"`
	RoleID           RoleID   `json:"roleId,omitempty"`
	PrimaryTeamID    TeamID   `json:"primaryTeamId,omitempty"`
	SecondaryTeamIDs []TeamID `json:"secondaryTeamIds"`
}

// Role is a permission set.
type Role struct {
	ID                   RoleID `json:"id"`
	Name                 string `json:"name"`
	RequiresBillingWrite bool   `json:"requiresBillingWrite"`
}

// Team is a Settings team. UserIDs are the members whose primary team this is;
// SecondaryUserIDs hold it as an extra team.
type Team struct {
	ID               TeamID   `json:"id"`
	Name             string   `json:"name"`
	UserIDs          []UserID `json:"userIds"`
	SecondaryUserIDs []UserID `json:"secondaryUserIds"`
}

// MembershipType is how a user belongs to a team in the Settings Teams API.
type MembershipType string

const (
	MembershipPrimary   MembershipType = "DEFAULT" // the user's primary team
	MembershipSecondary MembershipType = "EXTRA"   // a secondary team
)

// TeamMember is one member in the Settings Teams API (2026-09-beta).
type TeamMember struct {
	UserID UserID         `json:"userId"`
	Type   MembershipType `json:"type"`
}

// OwnerType tells a person from a queue.
type OwnerType string

const (
	OwnerPerson OwnerType = "PERSON"
	OwnerQueue  OwnerType = "QUEUE"
)

// Owner is a CRM owner. Owners of deactivated users are archived: UserID is
// empty and UserIDIncludingInactive keeps the old user ID.
type Owner struct {
	ID                      OwnerID     `json:"id"`
	Email                   string      `json:"email,omitempty"`
	Type                    OwnerType   `json:"type"`
	FirstName               string      `json:"firstName,omitempty"`
	LastName                string      `json:"lastName,omitempty"`
	UserID                  UserID      `json:"userId,omitempty"`
	UserIDIncludingInactive UserID      `json:"userIdIncludingInactive,omitempty"`
	CreatedAt               time.Time   `json:"createdAt"`
	UpdatedAt               time.Time   `json:"updatedAt"`
	Archived                bool        `json:"archived"`
	Teams                   []OwnerTeam `json:"teams,omitempty"`
}

// Name is the owner's display name, falling back to the email.
func (o Owner) Name() string { return displayName(o.FirstName, o.LastName, o.Email) }

// AnyUserID is the owner's user ID whether or not the user is still active.
func (o Owner) AnyUserID() UserID {
	if o.UserID != "" {
		return o.UserID
	}
	return o.UserIDIncludingInactive
}

// OwnerTeam is a team as listed on an owner.
type OwnerTeam struct {
	ID      TeamID `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// Properties are a CRM object's property values. HubSpot sends every value as
// a string or null; null and absent both read as "".
type Properties map[string]string

// UnmarshalJSON drops null values instead of failing on them.
func (p *Properties) UnmarshalJSON(b []byte) error {
	var raw map[string]*string
	if err := jsonUnmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Properties, len(raw))
	for k, v := range raw {
		if v != nil {
			out[k] = *v
		}
	}
	*p = out
	return nil
}

// Property names hsadmin reads and writes.
const (
	PropEmail            = "email"
	PropFirstName        = "firstname"
	PropLastName         = "lastname"
	PropOwnerID          = "hubspot_owner_id"
	PropLastModifiedDate = "lastmodifieddate"
	PropCreateDate       = "createdate"

	PropUserEmail          = "hs_email"
	PropUserGivenName      = "hs_given_name"
	PropUserFamilyName     = "hs_family_name"
	PropUserInternalUserID = "hs_internal_user_id"
	PropUserDeactivated    = "hs_deactivated"
)

// Contact is a CRM contact.
type Contact struct {
	ID         ContactID  `json:"id"`
	Properties Properties `json:"properties"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	Archived   bool       `json:"archived"`
}

func (c Contact) Email() string    { return c.Properties[PropEmail] }
func (c Contact) OwnerID() OwnerID { return OwnerID(c.Properties[PropOwnerID]) }
func (c Contact) Name() string {
	return displayName(c.Properties[PropFirstName], c.Properties[PropLastName], c.Properties[PropEmail])
}

// CRMUser is a record of the CRM users object (0-115): a third ID scheme.
type CRMUser struct {
	ID         CRMUserID  `json:"id"`
	Properties Properties `json:"properties"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	Archived   bool       `json:"archived"`
}

func (u CRMUser) Email() string          { return u.Properties[PropUserEmail] }
func (u CRMUser) InternalUserID() UserID { return UserID(u.Properties[PropUserInternalUserID]) }
func (u CRMUser) OwnerID() OwnerID       { return OwnerID(u.Properties[PropOwnerID]) }
func (u CRMUser) Deactivated() bool      { return u.Properties[PropUserDeactivated] == "true" }

func displayName(first, last, email string) string {
	switch {
	case first != "" && last != "":
		return first + " " + last
	case first != "":
		return first
	case last != "":
		return last
	}
	return email
}

func containsID[T comparable](ids []T, id T) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
