package hubspottest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// POST /settings/v3/users/ with a UserProvisionRequest: email and
// sendWelcomeEmail required; one roleId at most (roleIds is not in the
// schema and is ignored, as on a PUT). The answer is 201 with the
// PublicUser and a Location header. Each new user gets an owner of their
// own, with an owner ID of the owner range (never the user ID), and a CRM
// user record, as HubSpot creates both with the user.
func (c *call) createUser() {
	var body map[string]json.RawMessage
	if !c.decode(&body) {
		return
	}
	email, welcome, msg := parseProvisionHead(body)
	if msg == "" {
		var upd userUpdate
		upd, msg = parseUserUpdate(body)
		if msg == "" {
			c.provision(email, welcome, upd)
			return
		}
	}
	c.invalid(msg)
}

// parseProvisionHead reads the two required fields.
func parseProvisionHead(body map[string]json.RawMessage) (email string, welcome bool, msg string) {
	raw, ok := body["email"]
	if !ok || string(raw) == "null" {
		return "", false, "Invalid input JSON: email is required"
	}
	if json.Unmarshal(raw, &email) != nil {
		return "", false, "Invalid input JSON: email must be a string"
	}
	email = strings.TrimSpace(email)
	if !plausibleEmail(email) {
		return "", false, "Invalid email address: " + email
	}
	raw, ok = body["sendWelcomeEmail"]
	if !ok || string(raw) == "null" {
		return "", false, "Invalid input JSON: sendWelcomeEmail is required"
	}
	if json.Unmarshal(raw, &welcome) != nil {
		return "", false, "Invalid input JSON: sendWelcomeEmail must be a boolean"
	}
	return email, welcome, ""
}

// plausibleEmail is a local part, an @ and a dotted domain, no spaces.
func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.ContainsAny(s, " \t\r\n,;<>") && !strings.Contains(domain, "@")
}

func (c *call) provision(email string, welcome bool, upd userUpdate) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	p := c.s.p
	if existing := p.userByEmail(email); existing != nil {
		// HubSpot's create endpoints answer a taken key with 409 CONFLICT
		// naming the existing record (captured for contacts); the users API
		// is assumed to do the same. FIDELITY.md row 16.
		c.fail(http.StatusConflict, apiError{Category: "CONFLICT",
			Message: "A user with email " + existing.email + " already exists. Existing ID: " + string(existing.id)})
		return
	}
	roleID := ""
	if upd.roleIDSet && upd.roleID != "" {
		r := c.roleOf(p, upd.roleID)
		if r == nil {
			return
		}
		if r.billing && !c.hasScope(scopeBillingWrite) {
			c.invalid("Error validating request.")
			return
		}
		roleID = upd.roleID
	}
	if msg := p.checkTeams(upd); msg != "" {
		c.invalid(msg)
		return
	}
	var seats []string
	if len(upd.seats) > 0 {
		if !c.hasScope(scopeBillingWrite) {
			c.invalid("Error validating request.")
			return
		}
		var msg string
		if seats, msg = p.checkSeats(nil, upd.seats); msg != "" {
			c.invalid(msg)
			return
		}
	}
	u := p.addUser(email, upd, hubspot.RoleID(roleID), seats, c.s.now())
	c.w.Header().Set("Location", strings.TrimRight(c.r.URL.Path, "/")+"/"+string(u.id))
	w := toWireUser(u)
	w.SendWelcomeEmail = welcome
	c.json(http.StatusCreated, w)
}

// checkTeams says which team of upd does not exist, or "".
func (p *portal) checkTeams(upd userUpdate) string {
	if upd.primarySet && upd.primary != "" && p.teamByID[hubspot.TeamID(upd.primary)] == nil {
		return "Team " + upd.primary + " does not exist."
	}
	for _, t := range upd.secondary {
		if p.teamByID[hubspot.TeamID(t)] == nil {
			return "Team " + t + " does not exist."
		}
	}
	return ""
}

// addUser creates the user, their owner and their CRM user record.
func (p *portal) addUser(email string, upd userUpdate, roleID hubspot.RoleID, seats []string, now time.Time) *user {
	u := &user{
		id: p.nextUserID(), email: email, first: upd.first, last: upd.last,
		roleID: roleID, roleIDs: []hubspot.RoleID{},
		primaryTeam: hubspot.TeamID(upd.primary), seatNames: seats,
	}
	if roleID != "" {
		u.roleIDs = []hubspot.RoleID{roleID}
	}
	for _, t := range upd.secondary {
		if id := hubspot.TeamID(t); id != u.primaryTeam && !containsTeam(u.secondaryTeams, id) {
			u.secondaryTeams = append(u.secondaryTeams, id)
		}
	}
	p.users = append(p.users, u) // the new ID is the highest: order kept
	p.userByID[u.id] = u

	o := &owner{
		id: p.nextOwnerID(u.id), kind: hubspot.OwnerPerson, email: email, first: upd.first, last: upd.last,
		userID: u.id, userIDIncludingInactive: u.id, createdAt: now, updatedAt: now,
	}
	p.owners = append(p.owners, o)
	p.ownerByID[o.id] = o

	cuID := p.nextCRMUserID()
	cu := &crmUser{id: cuID, createdAt: now, updatedAt: now, props: map[string]string{
		"hs_object_id": string(cuID), "hs_createdate": hubTime(now), "hs_lastmodifieddate": hubTime(now),
		"hs_email": email, "hs_given_name": upd.first, "hs_family_name": upd.last,
		"hs_searchable_calculated_name": strings.TrimSpace(upd.first + " " + upd.last),
		"hs_internal_user_id":           string(u.id), "hs_deactivated": "false",
		"hubspot_owner_id": string(o.id),
	}}
	p.crmUsers = append(p.crmUsers, cu)
	p.crmUsersBy[cuID] = cu
	return u
}

func containsTeam(ts []hubspot.TeamID, id hubspot.TeamID) bool {
	for _, t := range ts {
		if t == id {
			return true
		}
	}
	return false
}

// nextUserID is past every user ID given out, removed users' included
// (their owners keep userIdIncludingInactive).
func (p *portal) nextUserID() hubspot.UserID {
	last := int64(userIDBase)
	for _, u := range p.users {
		last = max(last, atoi(string(u.id)))
	}
	for _, o := range p.owners {
		last = max(last, atoi(string(o.userIDIncludingInactive)))
	}
	return hubspot.UserID(itoa(last + userIDStride))
}

// nextOwnerID is past every owner ID, and never equal to the new user's ID.
func (p *portal) nextOwnerID(not hubspot.UserID) hubspot.OwnerID {
	last := int64(ownerIDBase)
	for _, o := range p.owners {
		last = max(last, atoi(string(o.id)))
	}
	next := last + ownerIDStride
	if itoa(next) == string(not) {
		next++
	}
	return hubspot.OwnerID(itoa(next))
}

func (p *portal) nextCRMUserID() hubspot.CRMUserID {
	last := int64(crmUserIDBase)
	for _, cu := range p.crmUsers {
		last = max(last, atoi(string(cu.id)))
	}
	return hubspot.CRMUserID(itoa(last + 1_117))
}

func atoi(s string) int64 {
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int64(r-'0')
	}
	return n
}
