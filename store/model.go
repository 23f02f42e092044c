package store

import (
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// The row types below are what the console draws and what the ID map and
// findings are made of. They are plain values read from the mirror.

// UserRow is one Settings user with the IDs that belong to the same person.
type UserRow struct {
	UserID           hubspot.UserID
	Email            string
	Name             string
	SuperAdmin       bool
	PrimaryRoleID    hubspot.RoleID   // the single roleId the write API keeps
	RoleIDs          []hubspot.RoleID // every role, PrimaryRoleID first when present
	RoleNames        []string         // names of RoleIDs, same order
	PrimaryTeamID    hubspot.TeamID
	PrimaryTeamName  string
	SecondaryTeamIDs []hubspot.TeamID
	OwnerID          hubspot.OwnerID   // "" when the user has no owner
	CRMUserID        hubspot.CRMUserID // "" when no CRM user record was found
	ContactCount     int               // contacts owned through OwnerID
	SeatNames        []string          // the paid seats the user holds
}

// MultiRole reports whether a user PUT would drop roles from this user.
func (u UserRow) MultiRole() bool { return len(u.RoleIDs) > 1 }

// OwnerRow is one owner, active or archived.
type OwnerRow struct {
	OwnerID                 hubspot.OwnerID
	Email                   string
	Name                    string
	Type                    hubspot.OwnerType
	UserID                  hubspot.UserID // "" when archived, a queue, or not a HubSpot user
	UserIDIncludingInactive hubspot.UserID
	Archived                bool
	PrimaryTeamName         string
	ContactCount            int
}

// OwnerState says what a contact's hubspot_owner_id points at.
type OwnerState string

const (
	OwnerActive   OwnerState = "active"   // an active owner
	OwnerArchived OwnerState = "archived" // an archived owner (deactivated user)
	OwnerUnknown  OwnerState = "unknown"  // a value that matches no owner at all
	OwnerNone     OwnerState = "none"     // no owner set
)

// ContactRow is one contact with its owner resolved.
type ContactRow struct {
	ContactID    hubspot.ContactID
	Name         string
	Email        string
	OwnerID      hubspot.OwnerID
	OwnerName    string
	OwnerState   OwnerState
	LastModified time.Time
}

// Query selects rows for a pane. Zero values mean "no restriction".
type Query struct {
	Filter  string          // case-insensitive substring over names, emails and IDs
	OwnerID hubspot.OwnerID // contacts: only this owner's
	UserID  hubspot.UserID  // owners: only this user's owner
	Sort    string          // a Sort key of the list (sort.go); "" for its default
	Offset  int
	Limit   int // 0 means a sensible default
}

// IDCard is everything known about one person across the three ID schemes.
type IDCard struct {
	Name           string
	Email          string
	UserID         hubspot.UserID // "" when there is no Settings user
	OwnerID        hubspot.OwnerID
	CRMUserID      hubspot.CRMUserID
	InternalUserID hubspot.UserID  // hs_internal_user_id on the CRM user record
	CRMOwnerID     hubspot.OwnerID // hubspot_owner_id on the CRM user record
	Active         bool
	OwnerType      hubspot.OwnerType
	OwnerArchived  bool
	// NoUser marks an active person owner with no HubSpot user behind it,
	// e.g. one synced from Salesforce: not deactivated, records can be
	// assigned to it.
	NoUser         bool
	SuperAdmin     bool
	PrimaryTeam    string
	SecondaryTeams []string
	PrimaryRoleID  hubspot.RoleID
	Roles          []RoleRef
	Seats          []string // the paid seats the user holds
	ContactCount   int
	// Holdings is what the owner ID holds, per object type and owner
	// property, contacts included (see Mirror.OwnerHoldings).
	Holdings   []Holding
	Mismatches []string // each a sentence an admin can act on
	// Departure is when and by which job hsadmin offboarded the person;
	// nil when it never did.
	Departure *Departure
}

// RoleRef is a role with its name; Primary marks the one a user PUT keeps.
type RoleRef struct {
	ID      hubspot.RoleID
	Name    string
	Primary bool
}
