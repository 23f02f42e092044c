package hubspottest

import (
	"slices"
	"strconv"

	"github.com/hsadmin/hsadmin/hubspot"
)

// The sandbox's own wire shapes. They deliberately do not reuse the hubspot
// package's JSON tags: HubSpot sends user IDs as strings in Settings and as
// numbers on owners, and the client's normalisation is only tested if the
// sandbox really sends both.

type wireUser struct {
	ID               string   `json:"id"`
	Email            string   `json:"email"`
	FirstName        string   `json:"firstName,omitempty"`
	LastName         string   `json:"lastName,omitempty"`
	RoleID           string   `json:"roleId,omitempty"`
	RoleIDs          []string `json:"roleIds"`
	PrimaryTeamID    string   `json:"primaryTeamId,omitempty"`
	SecondaryTeamIDs []string `json:"secondaryTeamIds"`
	SeatNames        []string `json:"seatNames,omitempty"`
	SendWelcomeEmail bool     `json:"sendWelcomeEmail"`
	SuperAdmin       bool     `json:"superAdmin"`
}

type wireRole struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	RequiresBillingWrite bool   `json:"requiresBillingWrite"`
}

type wireTeamV3 struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	UserIDs          []string `json:"userIds"`
	SecondaryUserIDs []string `json:"secondaryUserIds"`
}

type wireTeamBeta struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ParentTeamID string `json:"parentTeamId,omitempty"`
}

type wireTeamMember struct {
	UserID string `json:"userId"`
	Type   string `json:"type"`
}

type wireOwner struct {
	ID                      string          `json:"id"`
	Email                   string          `json:"email,omitempty"`
	Type                    string          `json:"type"`
	FirstName               string          `json:"firstName"`
	LastName                string          `json:"lastName"`
	UserID                  *int64          `json:"userId"` // a JSON number, null when archived
	UserIDIncludingInactive *int64          `json:"userIdIncludingInactive"`
	CreatedAt               string          `json:"createdAt"`
	UpdatedAt               string          `json:"updatedAt"`
	Archived                bool            `json:"archived"`
	Teams                   []wireOwnerTeam `json:"teams,omitempty"`
}

type wireOwnerTeam struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// wireObject is a CRM object (SimplePublicObject). Property values are
// strings or null.
type wireObject struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"`
	CreatedAt  string             `json:"createdAt"`
	UpdatedAt  string             `json:"updatedAt"`
	Archived   bool               `json:"archived"`
	URL        string             `json:"url,omitempty"`
}

type listResponse[T any] struct {
	Results []T     `json:"results"`
	Paging  *paging `json:"paging,omitempty"`
}

func ids[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, id := range in {
		out[i] = string(id)
	}
	return out
}

func toWireUser(u *user) wireUser {
	return wireUser{
		ID: string(u.id), Email: u.email, FirstName: u.first, LastName: u.last,
		RoleID: string(u.roleID), RoleIDs: ids(u.roleIDs),
		PrimaryTeamID: string(u.primaryTeam), SecondaryTeamIDs: ids(u.secondaryTeams),
		SeatNames: slices.Clone(u.seatNames), SuperAdmin: u.superAdmin,
	}
}

// userIDNumber renders a user ID as the JSON number owners carry.
func userIDNumber(id hubspot.UserID) *int64 {
	if id == "" {
		return nil
	}
	n, err := strconv.ParseInt(string(id), 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

func (p *portal) toWireOwner(o *owner) wireOwner {
	return wireOwner{
		ID: string(o.id), Email: o.email, Type: string(o.kind), FirstName: o.first, LastName: o.last,
		UserID: userIDNumber(o.userID), UserIDIncludingInactive: userIDNumber(o.userIDIncludingInactive),
		CreatedAt: hubTime(o.createdAt), UpdatedAt: hubTime(o.updatedAt), Archived: o.archived,
		Teams: p.ownerTeams(o),
	}
}

// propertyReader is what a CRM object exposes to rendering and search.
type propertyReader interface {
	value(prop string) (string, bool)
}

// selectProperties renders the requested properties: a known property without
// a value is null, an unknown one is left out, as HubSpot does.
func selectProperties(r propertyReader, names []string, known func(string) bool) map[string]*string {
	out := make(map[string]*string, len(names))
	for _, n := range names {
		if !known(n) {
			continue
		}
		if v, ok := r.value(n); ok {
			out[n] = &v
		} else {
			out[n] = nil
		}
	}
	return out
}
