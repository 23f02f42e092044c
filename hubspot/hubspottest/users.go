package hubspottest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

const maxUsersPage = 100

// GET /settings/v3/users/
func (c *call) listUsers() {
	limit, ok := c.limit(maxUsersPage, maxUsersPage)
	if !ok {
		return
	}
	start := ""
	if after := c.query.Get("after"); after != "" {
		b, err := base64.URLEncoding.DecodeString(after)
		if err != nil || !hubspot.IsNumeric(string(b)) {
			c.invalid("Invalid after value " + after)
			return
		}
		start = string(b)
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	users := c.s.p.users
	i := 0
	if start != "" {
		i, _ = slices.BinarySearchFunc(users, start, func(u *user, id string) int { return numCompare(string(u.id), id) })
	}
	end := min(i+limit, len(users))
	resp := listResponse[wireUser]{Results: make([]wireUser, 0, end-i)}
	for _, u := range users[i:end] {
		resp.Results = append(resp.Results, toWireUser(u))
	}
	if end < len(users) {
		after := base64.URLEncoding.EncodeToString([]byte(users[end].id))
		resp.Paging = nextPaging(after, c.link(after))
	}
	c.json(http.StatusOK, resp)
}

// GET /settings/v3/users/roles
func (c *call) listRoles() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	resp := listResponse[wireRole]{Results: []wireRole{}}
	for _, r := range c.s.p.roles {
		resp.Results = append(resp.Results, wireRole{ID: string(r.id), Name: r.name, RequiresBillingWrite: r.billing})
	}
	c.json(http.StatusOK, resp)
}

// GET /settings/v3/users/teams
func (c *call) listTeamsV3() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	resp := listResponse[wireTeamV3]{Results: []wireTeamV3{}}
	for _, t := range c.s.p.teams {
		primary, secondary := c.s.p.teamMembers(t.id)
		resp.Results = append(resp.Results, wireTeamV3{ID: string(t.id), Name: t.name, UserIDs: ids(primary), SecondaryUserIDs: ids(secondary)})
	}
	c.json(http.StatusOK, resp)
}

// lookupUser resolves the {userId} path segment per ?idProperty=USER_ID|EMAIL.
// It answers the error itself and returns nil when there is no such user.
func (c *call) lookupUser() *user {
	key := c.param(0)
	switch idp := strings.ToUpper(c.query.Get("idProperty")); idp {
	case "", "USER_ID":
		if u := c.s.p.userByID[hubspot.UserID(key)]; u != nil {
			return u
		}
	case "EMAIL":
		if u := c.s.p.userByEmail(key); u != nil {
			return u
		}
	default:
		c.invalid("Invalid idProperty " + c.query.Get("idProperty") + ": expected USER_ID or EMAIL")
		return nil
	}
	c.notFound()
	return nil
}

// GET /settings/v3/users/{userId}
func (c *call) getUser() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	if u := c.lookupUser(); u != nil {
		c.json(http.StatusOK, toWireUser(u))
	}
}

// PUT /settings/v3/users/{userId}, with HubSpot's quirks: the body schema has
// no roleIds (one sent is ignored), roleId must be a single number, and any
// successful PUT leaves the user with exactly one role: roleIds becomes
// [roleId], dropping the extra roles granted in HubSpot's UI.
func (c *call) putUser() {
	var body map[string]json.RawMessage
	if !c.decode(&body) {
		return
	}
	upd, msg := parseUserUpdate(body)
	if msg != "" {
		c.invalid(msg)
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	p := c.s.p
	u := c.lookupUser()
	if u == nil {
		return
	}
	if upd.roleIDSet {
		r := c.roleOf(p, upd.roleID)
		if r == nil {
			return
		}
		old := p.roleByID[u.roleID]
		changes := r.id != u.roleID
		if changes && (r.billing || (old != nil && old.billing)) && !c.hasScope(scopeBillingWrite) {
			// Paid-seat roles need the billing scope; HubSpot says only this.
			c.invalid("Error validating request.")
			return
		}
	}
	if msg := p.checkTeams(upd); msg != "" {
		c.invalid(msg)
		return
	}
	if upd.seatsSet && !sameSeats(u.seatNames, upd.seats) {
		// Seats are billed: giving or freeing one needs the billing scope.
		if !c.hasScope(scopeBillingWrite) {
			c.invalid("Error validating request.")
			return
		}
		seats, msg := p.checkSeats(u.seatNames, upd.seats)
		if msg != "" {
			c.invalid(msg)
			return
		}
		upd.seats = seats
	} else if upd.seatsSet {
		upd.seats = u.seatNames
	}

	if upd.firstSet {
		u.first = upd.first
	}
	if upd.lastSet {
		u.last = upd.last
	}
	if upd.roleIDSet {
		u.roleID = hubspot.RoleID(upd.roleID)
	}
	u.roleIDs = []hubspot.RoleID{}
	if u.roleID != "" {
		u.roleIDs = []hubspot.RoleID{u.roleID}
	}
	if upd.primarySet {
		// A PUT sets the one primary team: no second DEFAULT survives it.
		u.primaryTeam, u.extraDefaults = hubspot.TeamID(upd.primary), nil
	}
	if upd.secondarySet {
		u.secondaryTeams = nil
		for _, t := range upd.secondary {
			if id := hubspot.TeamID(t); !slices.Contains(u.secondaryTeams, id) {
				u.secondaryTeams = append(u.secondaryTeams, id)
			}
		}
	}
	u.secondaryTeams = slices.DeleteFunc(u.secondaryTeams, func(t hubspot.TeamID) bool { return t == u.primaryTeam })
	if upd.seatsSet {
		u.seatNames = upd.seats
	}
	// Owners mirror their user's name; that is a change to the owner record.
	if o := p.ownerOfUser(u.id, false); o != nil && (upd.firstSet || upd.lastSet) {
		o.first, o.last, o.updatedAt = u.first, u.last, c.s.now()
	}
	c.json(http.StatusOK, toWireUser(u))
}

// userUpdate is the recognised part of a PublicUserUpdate body; anything
// else (roleIds above all) is ignored, as HubSpot does.
type userUpdate struct {
	first, last, roleID, primary       string
	secondary, seats                   []string
	firstSet, lastSet, roleIDSet       bool
	primarySet, secondarySet, seatsSet bool
}

func parseUserUpdate(body map[string]json.RawMessage) (userUpdate, string) {
	var u userUpdate
	var ok bool
	str := func(field string, dst *string, set *bool) bool {
		raw, present := body[field]
		if !present || string(raw) == "null" {
			return true
		}
		*dst, ok = flexString(raw)
		*set = true
		return ok
	}
	list := func(field string, dst *[]string, set *bool) bool {
		raw, present := body[field]
		if !present || string(raw) == "null" {
			return true
		}
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return false
		}
		*dst = []string{}
		for _, it := range items {
			s, ok := flexString(it)
			if !ok {
				return false
			}
			*dst = append(*dst, s)
		}
		*set = true
		return true
	}
	switch {
	case !str("firstName", &u.first, &u.firstSet):
		return u, "Invalid input JSON: firstName must be a string"
	case !str("lastName", &u.last, &u.lastSet):
		return u, "Invalid input JSON: lastName must be a string"
	case !str("roleId", &u.roleID, &u.roleIDSet):
		return u, "Invalid input JSON: roleId must be a string"
	case !str("primaryTeamId", &u.primary, &u.primarySet):
		return u, "Invalid input JSON: primaryTeamId must be a string"
	case !list("secondaryTeamIds", &u.secondary, &u.secondarySet):
		return u, "Invalid input JSON: secondaryTeamIds must be an array of strings"
	case !list("seatNames", &u.seats, &u.seatsSet):
		return u, "Invalid input JSON: seatNames must be an array of strings"
	}
	return u, ""
}

// flexString reads a JSON string or number as text, as HubSpot's ID fields
// accept both.
func flexString(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// ---- Settings Teams API (2026-09-beta) ----

const (
	membershipDefault = "DEFAULT"
	membershipExtra   = "EXTRA"
)

// offsetCursor pages by position; the cursor is opaque to clients.
func offsetCursor(c *call) (int, bool) {
	after := c.query.Get("after")
	if after == "" {
		return 0, true
	}
	n, err := strconv.Atoi(after)
	if err != nil || n < 0 {
		c.invalid("Invalid after value " + after)
		return 0, false
	}
	return n, true
}

// GET /settings/teams/2026-09-beta
func (c *call) listTeamsBeta() {
	limit, ok := c.limit(100, 100)
	if !ok {
		return
	}
	start, ok := offsetCursor(c)
	if !ok {
		return
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	teams := c.s.p.teams
	start = min(start, len(teams))
	end := min(start+limit, len(teams))
	resp := listResponse[wireTeamBeta]{Results: []wireTeamBeta{}}
	for _, t := range teams[start:end] {
		resp.Results = append(resp.Results, wireTeamBeta{ID: string(t.id), Name: t.name, ParentTeamID: string(t.parentID)})
	}
	if end < len(teams) {
		resp.Paging = nextPaging(strconv.Itoa(end), c.link(strconv.Itoa(end)))
	}
	c.json(http.StatusOK, resp)
}

// GET /settings/teams/2026-09-beta/{teamId}
func (c *call) getTeamBeta() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	t := c.s.p.teamByID[hubspot.TeamID(c.param(0))]
	if t == nil {
		c.notFound()
		return
	}
	c.json(http.StatusOK, wireTeamBeta{ID: string(t.id), Name: t.name, ParentTeamID: string(t.parentID)})
}

// GET /settings/teams/2026-09-beta/{teamId}/members
func (c *call) listTeamMembers() {
	limit, ok := c.limit(100, 100)
	if !ok {
		return
	}
	start, ok := offsetCursor(c)
	if !ok {
		return
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	t := c.s.p.teamByID[hubspot.TeamID(c.param(0))]
	if t == nil {
		c.notFound()
		return
	}
	primary, secondary := c.s.p.teamMembers(t.id)
	var members []wireTeamMember
	for _, id := range primary {
		members = append(members, wireTeamMember{UserID: string(id), Type: membershipDefault})
	}
	for _, id := range secondary {
		members = append(members, wireTeamMember{UserID: string(id), Type: membershipExtra})
	}
	start = min(start, len(members))
	end := min(start+limit, len(members))
	resp := listResponse[wireTeamMember]{Results: append([]wireTeamMember{}, members[start:end]...)}
	if end < len(members) {
		resp.Paging = nextPaging(strconv.Itoa(end), c.link(strconv.Itoa(end)))
	}
	c.json(http.StatusOK, resp)
}

// POST /settings/teams/2026-09-beta/{teamId}/members adds a membership. It
// never touches roles. What a DEFAULT membership does to one the user has
// elsewhere is Config.TeamsBeta.AddDefault.
func (c *call) addTeamMember() {
	var in struct {
		UserID json.RawMessage `json:"userId"`
		Type   string          `json:"type"`
	}
	if !c.decode(&in) {
		return
	}
	uid, _ := flexString(in.UserID)
	if uid == "" {
		c.invalid("userId is required")
		return
	}
	if in.Type != membershipDefault && in.Type != membershipExtra {
		c.invalid("type must be DEFAULT or EXTRA, not " + strconv.Quote(in.Type))
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	p := c.s.p
	t := p.teamByID[hubspot.TeamID(c.param(0))]
	if t == nil {
		c.notFound()
		return
	}
	u := p.userByID[hubspot.UserID(uid)]
	if u == nil {
		c.invalid("User " + uid + " does not exist.")
		return
	}
	switch in.Type {
	case membershipDefault:
		if refusal := u.addDefault(t.id, c.s.cfg.TeamsBeta.AddDefault); refusal != "" {
			c.invalid(refusal)
			return
		}
	case membershipExtra:
		if u.hasDefault(t.id) {
			c.invalid("User " + uid + " already has team " + string(t.id) + " as their DEFAULT team.")
			return
		}
		if !slices.Contains(u.secondaryTeams, t.id) {
			u.secondaryTeams = append(u.secondaryTeams, t.id)
		}
	}
	c.w.Header().Set("Location", "/"+teamsBeta+"/"+string(t.id)+"/members/"+uid)
	c.json(http.StatusCreated, wireTeamMember{UserID: uid, Type: in.Type})
}

// DELETE /settings/teams/2026-09-beta/{teamId}/members/{userId}?type=DEFAULT|EXTRA
// Without type: Config.TeamsBeta.DeleteUntyped.
func (c *call) removeTeamMember() {
	typ := strings.ToUpper(c.query.Get("type"))
	if typ != "" && typ != membershipDefault && typ != membershipExtra {
		c.invalid("type must be DEFAULT or EXTRA, not " + strconv.Quote(c.query.Get("type")))
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	p := c.s.p
	t := p.teamByID[hubspot.TeamID(c.param(0))]
	u := p.userByID[hubspot.UserID(c.param(1))]
	if t == nil || u == nil {
		c.notFound()
		return
	}
	both := typ == "" && c.s.cfg.TeamsBeta.DeleteUntyped == DeleteUntypedBoth
	removed := false
	if typ == "" || typ == membershipDefault {
		removed = u.removeDefault(t.id)
	}
	if both || typ == membershipExtra {
		before := len(u.secondaryTeams)
		u.secondaryTeams = slices.DeleteFunc(u.secondaryTeams, func(id hubspot.TeamID) bool { return id == t.id })
		removed = removed || len(u.secondaryTeams) < before
	}
	if !removed {
		c.notFound()
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// roleOf is the role a user write names, or nil after answering HubSpot's
// error for an ID that is not a number or names no role.
func (c *call) roleOf(p *portal, id string) *role {
	if !hubspot.IsNumeric(id) {
		c.fail(http.StatusBadRequest, apiError{
			Category:    "VALIDATION_ERROR",
			SubCategory: "ValidationErrors.ROLE_ID_NOT_NUMERIC",
			Message:     "Cannot parse roleId " + id + " to a numerical value.",
		})
		return nil
	}
	r := p.roleByID[hubspot.RoleID(id)]
	if r == nil {
		c.invalid("Role " + id + " does not exist.")
	}
	return r
}
