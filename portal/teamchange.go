package portal

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// A user PUT keeps one role (see hubspot.RolesDroppedBy), so every team or
// role change is planned first: the plan names, for every user, the roles
// HubSpot would drop, and says whether the change can instead go through the
// Settings Teams API, which changes membership without touching roles.

// ChangeKind names a user change; it is the journal's job kind.
type ChangeKind string

const (
	KindTeamChange ChangeKind = "team-change"
	KindRoleChange ChangeKind = "role-change"
)

// Method is how a planned change is sent to HubSpot.
type Method string

const (
	// MethodKeepRoles changes team membership through the Settings Teams
	// API (2026-09-beta) members endpoints; roles are not touched.
	MethodKeepRoles Method = "keep-roles"
	// MethodPut sends one user PUT with the complete primaryTeamId,
	// secondaryTeamIds and roleId; HubSpot drops every other role.
	MethodPut Method = "put"
)

// Scopes the writing paths need.
const (
	ScopeUsersWrite    = "settings.users.write"
	ScopeCRMUsersWrite = "crm.objects.users.write" // accepted by HubSpot instead of ScopeUsersWrite
	ScopeTeamsWrite    = "settings.users.teams.write"
)

// RoleRef is a role with its name.
type RoleRef = store.RoleRef

// TeamChange is what a team change asks for, for every user it applies to.
type TeamChange struct {
	// Primary is the new primary team; "" leaves each user's primary team.
	Primary hubspot.TeamID
	// Secondary replaces each user's secondary teams when SetSecondary
	// (empty then means none); otherwise they are left as they are.
	Secondary    []hubspot.TeamID
	SetSecondary bool
}

// UserState is the part of a user a team or role change touches, as
// recorded in the journal.
type UserState struct {
	RoleID           hubspot.RoleID   `json:"roleId,omitempty"`
	RoleIDs          []hubspot.RoleID `json:"roleIds"`
	PrimaryTeamID    hubspot.TeamID   `json:"primaryTeamId,omitempty"`
	SecondaryTeamIDs []hubspot.TeamID `json:"secondaryTeamIds"`
}

// StateOfUser is u's team and role state; RoleIDs holds every role
// (u.Roles()).
func StateOfUser(u hubspot.User) UserState {
	return UserState{
		RoleID:           u.RoleID,
		RoleIDs:          nonNilIDs(u.Roles()),
		PrimaryTeamID:    u.PrimaryTeamID,
		SecondaryTeamIDs: nonNilIDs(slices.Clone(u.SecondaryTeamIDs)),
	}
}

// stateOfRow is a mirrored user's team and role state.
func stateOfRow(u store.UserRow) UserState {
	return UserState{
		RoleID:           u.PrimaryRoleID,
		RoleIDs:          nonNilIDs(slices.Clone(u.RoleIDs)),
		PrimaryTeamID:    u.PrimaryTeamID,
		SecondaryTeamIDs: nonNilIDs(slices.Clone(u.SecondaryTeamIDs)),
	}
}

// asUser is the hubspot.User whose roles and teams are s.
func (s UserState) asUser(id hubspot.UserID) hubspot.User {
	return hubspot.User{ID: id, RoleID: s.RoleID, RoleIDs: s.RoleIDs, PrimaryTeamID: s.PrimaryTeamID, SecondaryTeamIDs: s.SecondaryTeamIDs}
}

// SameTeams reports whether s and o have the same primary team and the same
// set of secondary teams.
func (s UserState) SameTeams(o UserState) bool {
	return s.PrimaryTeamID == o.PrimaryTeamID && sameIDSet(s.SecondaryTeamIDs, o.SecondaryTeamIDs)
}

// SameRoles reports whether s and o hold the same set of roles.
func (s UserState) SameRoles(o UserState) bool { return sameIDSet(s.RoleIDs, o.RoleIDs) }

// UserChange is one user's part of a plan.
type UserChange struct {
	UserID hubspot.UserID `json:"userId"`
	Name   string         `json:"name"`
	Email  string         `json:"email"`
	Before UserState      `json:"before"`
	// Target is the state asked for. For a team change its roles are
	// Before's: what the keep-roles path leaves.
	Target UserState `json:"target"`
	// Put is the complete body a user PUT sends.
	Put hubspot.UserUpdate `json:"put"`
	// RolesAfterPut is what HubSpot leaves in roleIds after Put.
	RolesAfterPut []hubspot.RoleID `json:"rolesAfterPut"`
	// Lost lists the roles a PUT drops that the change does not mean to
	// remove: the ones an admin has to give back in HubSpot's UI.
	Lost []RoleRef `json:"lost,omitempty"`
	// Replaced is the role a role change replaces (meant to go); "" for
	// team changes.
	Replaced hubspot.RoleID `json:"replaced,omitempty"`
	// Unchanged users are already as asked: nothing is sent for them.
	Unchanged bool `json:"unchanged,omitempty"`
}

// Label names the user for a person: "Ann Lee <ann@example.com>".
func (c UserChange) Label() string {
	switch {
	case c.Name != "" && c.Email != "" && c.Name != c.Email:
		return c.Name + " <" + c.Email + ">"
	case c.Name != "":
		return c.Name
	case c.Email != "":
		return c.Email
	}
	return "user " + string(c.UserID)
}

// Expected is the state HubSpot should report after the change is sent
// by method m.
func (c UserChange) Expected(m Method) UserState {
	s := c.Target
	if m == MethodPut {
		s.RoleID = c.Put.RoleID
		s.RoleIDs = nonNilIDs(slices.Clone(c.RolesAfterPut))
	}
	return s
}

// Availability says whether a method can be used; Reason says why not.
type Availability struct {
	Reason string `json:"reason,omitempty"`
}

// OK reports whether the method can be used.
func (a Availability) OK() bool { return a.Reason == "" }

// UserChangePlan is a planned team or role change of one or more users.
type UserChangePlan struct {
	Kind    ChangeKind   `json:"kind"`
	Summary string       `json:"summary"`
	Users   []UserChange `json:"users"`
	// Put and KeepRoles say whether each method can be used.
	Put       Availability `json:"put"`
	KeepRoles Availability `json:"keepRoles"`
	// Where the portal's users live in HubSpot's settings, for the restore
	// checklist's links.
	HubID   int64  `json:"hubId"`
	BaseURL string `json:"baseUrl,omitempty"`
	Sandbox bool   `json:"sandbox,omitempty"`
	// RoleNames and TeamNames name every role and team the plan mentions.
	RoleNames map[hubspot.RoleID]string `json:"roleNames"`
	TeamNames map[hubspot.TeamID]string `json:"teamNames"`
	// UndoOf is the job this change undoes (PlanUserChangeUndo); 0 when
	// none.
	UndoOf int64 `json:"undoOf,omitempty"`
	// UndoRefused are the users of job UndoOf the undo leaves alone, with
	// the reason: the journal keeps why they were not put back.
	UndoRefused []UndoRefusal `json:"undoRefused,omitempty"`
	// Notes say how the plan was checked against HubSpot just before the
	// confirm (RereadUsers), and what had changed since the last sync.
	Notes []string `json:"notes,omitempty"`
}

// Changing lists the users something is sent for.
func (pl UserChangePlan) Changing() []UserChange {
	var out []UserChange
	for _, u := range pl.Users {
		if !u.Unchanged {
			out = append(out, u)
		}
	}
	return out
}

// Lossy reports whether a user PUT would drop roles from anyone.
func (pl UserChangePlan) Lossy() bool { return pl.LostCount() > 0 }

// LostCount is how many roles user PUTs would drop, over all users.
func (pl UserChangePlan) LostCount() int {
	n := 0
	for _, u := range pl.Changing() {
		n += len(u.Lost)
	}
	return n
}

// Availability of method m for this plan.
func (pl UserChangePlan) Availability(m Method) Availability {
	switch m {
	case MethodPut:
		return pl.Put
	case MethodKeepRoles:
		return pl.KeepRoles
	}
	return Availability{Reason: fmt.Sprintf("%q is not a way to send a change (use %s or %s)", m, MethodKeepRoles, MethodPut)}
}

// PlainMethod is how a change that loses nothing is sent: a user PUT when
// allowed, else the Teams API. ok is false when neither can be used.
func (pl UserChangePlan) PlainMethod() (m Method, ok bool) {
	if pl.Put.OK() {
		return MethodPut, true
	}
	if pl.KeepRoles.OK() {
		return MethodKeepRoles, true
	}
	return "", false
}

// RoleName names a role, falling back to its ID.
func (pl UserChangePlan) RoleName(id hubspot.RoleID) string {
	if n := pl.RoleNames[id]; n != "" {
		return n
	}
	return "role " + string(id)
}

// TeamName names a team, falling back to its ID; "none" for no team.
func (pl UserChangePlan) TeamName(id hubspot.TeamID) string {
	if id == "" {
		return "none"
	}
	if n := pl.TeamNames[id]; n != "" {
		return n
	}
	return "team " + string(id)
}

// Names are the portal's roles and teams, from the mirror.
type Names struct {
	Roles []hubspot.Role
	Teams []store.TeamRef
}

// FindTeam finds a team by name (case-insensitive) or ID.
func (n Names) FindTeam(nameOrID string) (hubspot.TeamID, error) {
	return findByNameOrID(n.Teams, "team", nameOrID, func(t store.TeamRef) (string, hubspot.TeamID) { return t.Name, t.ID })
}

// FindRole finds a role by name (case-insensitive) or ID.
func (n Names) FindRole(nameOrID string) (hubspot.RoleID, error) {
	return findByNameOrID(n.Roles, "role", nameOrID, func(r hubspot.Role) (string, hubspot.RoleID) { return r.Name, r.ID })
}

// findByNameOrID finds the one item called nameOrID (case-insensitive), or
// else the one whose ID it is: names win, since an admin types names, and
// a name that reads like another item's ID must not pick that item.
func findByNameOrID[T any, ID ~string](items []T, noun, nameOrID string, key func(T) (name string, id ID)) (ID, error) {
	want := strings.TrimSpace(nameOrID)
	var hits []ID
	for _, it := range items {
		if name, id := key(it); strings.EqualFold(name, want) {
			hits = append(hits, id)
		}
	}
	if len(hits) == 0 {
		for _, it := range items {
			if _, id := key(it); string(id) == want {
				hits = append(hits, id)
			}
		}
	}
	switch len(hits) {
	case 0:
		return "", fmt.Errorf("there is no %s %q in the local mirror (sync if it is new)", noun, want)
	case 1:
		return hits[0], nil
	}
	return "", fmt.Errorf("%d %ss are called %q; give the %s ID instead", len(hits), noun, want, noun)
}

func (n Names) hasTeam(id hubspot.TeamID) bool {
	return slices.ContainsFunc(n.Teams, func(t store.TeamRef) bool { return t.ID == id })
}

func (n Names) hasRole(id hubspot.RoleID) bool {
	return slices.ContainsFunc(n.Roles, func(r hubspot.Role) bool { return r.ID == id })
}

// PlanTeamChange plans ch for users. It is pure: users, names and info come
// from the mirror and the open portal.
func PlanTeamChange(info Info, names Names, users []store.UserRow, ch TeamChange) (UserChangePlan, error) {
	if len(users) == 0 {
		return UserChangePlan{}, errors.New("no users to change")
	}
	if ch.Primary == "" && !ch.SetSecondary {
		return UserChangePlan{}, errors.New("the change names neither a primary team nor secondary teams")
	}
	for _, t := range append([]hubspot.TeamID{ch.Primary}, ch.Secondary...) {
		if t != "" && !names.hasTeam(t) {
			return UserChangePlan{}, fmt.Errorf("there is no team %s in the local mirror (sync if it is new)", t)
		}
	}
	if ch.Primary != "" && slices.Contains(ch.Secondary, ch.Primary) {
		return UserChangePlan{}, errors.New("a team cannot be both a user's primary and a secondary team")
	}
	pl := newPlan(info, names, KindTeamChange)
	pl.Summary = pl.teamSummary(ch, userNames(users))
	for _, u := range users {
		before := stateOfRow(u)
		target := before
		if ch.Primary != "" {
			target.PrimaryTeamID = ch.Primary
		}
		if ch.SetSecondary {
			target.SecondaryTeamIDs = nonNilIDs(distinctIDs(ch.Secondary))
		}
		// A user's primary team is never also one of their secondary teams.
		target.SecondaryTeamIDs = slices.DeleteFunc(slices.Clone(target.SecondaryTeamIDs), func(t hubspot.TeamID) bool { return t == target.PrimaryTeamID })
		// Send the role HubSpot already treats as the user's one role; a user
		// reported with roles but no roleId keeps the first of them.
		keep := before.RoleID
		if keep == "" && len(before.RoleIDs) > 0 {
			keep = before.RoleIDs[0]
		}
		c := userChange(u, before, target, keep)
		c.Lost = pl.roleRefs(hubspot.RolesDroppedBy(before.asUser(u.UserID), c.Put))
		c.Unchanged = target.SameTeams(before)
		pl.Users = append(pl.Users, c)
	}
	pl.KeepRoles = keepRolesAvailability(info)
	return pl, nil
}

// PlanRoleChange plans giving users role. HubSpot keeps one role per user
// on any update, so the role replaces the user's role and every other role
// they hold is lost: no API can keep them.
func PlanRoleChange(info Info, names Names, users []store.UserRow, role hubspot.RoleID) (UserChangePlan, error) {
	if len(users) == 0 {
		return UserChangePlan{}, errors.New("no users to change")
	}
	if role == "" || !names.hasRole(role) {
		return UserChangePlan{}, fmt.Errorf("there is no role %q in the local mirror (sync if it is new)", role)
	}
	pl := newPlan(info, names, KindRoleChange)
	pl.Summary = fmt.Sprintf("Give %s the role %s", namedCount(userNames(users), "user"), pl.RoleName(role))
	for _, u := range users {
		before := stateOfRow(u)
		target := before
		c := userChange(u, before, target, role)
		c.Target.RoleID, c.Target.RoleIDs = role, c.RolesAfterPut
		// The role being replaced is meant to go: the user's roleId, or their
		// only role when HubSpot reports none as roleId.
		switch {
		case before.RoleID != "":
			c.Replaced = before.RoleID
		case len(before.RoleIDs) == 1:
			c.Replaced = before.RoleIDs[0]
		}
		if c.Replaced == role {
			c.Replaced = ""
		}
		dropped := hubspot.RolesDroppedBy(before.asUser(u.UserID), c.Put)
		c.Lost = pl.roleRefs(slices.DeleteFunc(dropped, func(r hubspot.RoleID) bool { return r == c.Replaced }))
		c.Unchanged = before.RoleID == role || (before.RoleID == "" && len(before.RoleIDs) == 1 && before.RoleIDs[0] == role)
		pl.Users = append(pl.Users, c)
	}
	pl.KeepRoles = Availability{Reason: "HubSpot keeps a single role on every user update: no API can change a role and keep the user's other roles"}
	if r := info.writeRefusal(); r != "" {
		pl.KeepRoles.Reason = r
	}
	return pl, nil
}

func newPlan(info Info, names Names, kind ChangeKind) UserChangePlan {
	pl := UserChangePlan{
		Kind: kind, HubID: info.HubID, BaseURL: info.BaseURL, Sandbox: info.Sandbox,
		RoleNames: map[hubspot.RoleID]string{}, TeamNames: map[hubspot.TeamID]string{},
		Put: putAvailability(info),
	}
	for _, r := range names.Roles {
		pl.RoleNames[r.ID] = r.Name
	}
	for _, t := range names.Teams {
		pl.TeamNames[t.ID] = t.Name
	}
	return pl
}

func userChange(u store.UserRow, before, target UserState, role hubspot.RoleID) UserChange {
	put := hubspot.UserUpdate{
		RoleID:           role,
		PrimaryTeamID:    target.PrimaryTeamID,
		SecondaryTeamIDs: nonNilIDs(slices.Clone(target.SecondaryTeamIDs)),
	}
	return UserChange{
		UserID: u.UserID, Name: u.Name, Email: u.Email,
		Before: before, Target: target, Put: put,
		RolesAfterPut: nonNilIDs(hubspot.RolesAfterUpdate(before.asUser(u.UserID), put)),
	}
}

func (pl UserChangePlan) roleRefs(ids []hubspot.RoleID) []RoleRef {
	var out []RoleRef
	for _, id := range ids {
		out = append(out, RoleRef{ID: id, Name: pl.RoleName(id)})
	}
	return out
}

// writeRefusal says why nothing may be written to the portal at all.
func (i Info) writeRefusal() string {
	if i.ReadOnly {
		return "the portal is open read-only"
	}
	return ""
}

// TeamChangeRefusal says why team changes cannot be made at all, "" when at
// least one way of making them is open.
func (i Info) TeamChangeRefusal() string {
	if r := i.writeRefusal(); r != "" {
		return r
	}
	if r := putAvailability(i).Reason; r != "" && !keepRolesAvailability(i).OK() {
		return r + " and the " + ScopeTeamsWrite + " scope"
	}
	return ""
}

// RoleChangeRefusal says why role changes cannot be made, "" when they can.
func (i Info) RoleChangeRefusal() string { return putAvailability(i).Reason }

func putAvailability(i Info) Availability {
	if r := i.writeRefusal(); r != "" {
		return Availability{Reason: r}
	}
	if r := i.MissingScope(ScopeUsersWrite); r != "" && i.MissingScope(ScopeCRMUsersWrite) != "" {
		return Availability{Reason: r}
	}
	return Availability{}
}

func keepRolesAvailability(i Info) Availability {
	if r := i.writeRefusal(); r != "" {
		return Availability{Reason: r}
	}
	return Availability{Reason: i.MissingScope(ScopeTeamsWrite)}
}

func (pl UserChangePlan) teamSummary(ch TeamChange, names []string) string {
	var parts []string
	if ch.Primary != "" {
		parts = append(parts, "primary team "+pl.TeamName(ch.Primary))
	}
	if ch.SetSecondary {
		parts = append(parts, "secondary teams "+pl.teamList(ch.Secondary))
	}
	return fmt.Sprintf("Give %s %s", namedCount(names, "user"), strings.Join(parts, " and "))
}

func (pl UserChangePlan) teamList(ids []hubspot.TeamID) string {
	if len(ids) == 0 {
		return "none"
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = pl.TeamName(id)
	}
	return strings.Join(names, ", ")
}

func (pl UserChangePlan) roleList(ids []hubspot.RoleID) string {
	if len(ids) == 0 {
		return "none"
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = pl.RoleName(id)
	}
	return strings.Join(names, ", ")
}

// summaryNames is how many people a job's summary names before "and N
// more": enough to recognise a change in the jobs list, short enough for
// one line.
const summaryNames = 3

// namedCount names the people a summary is about: "Diego Silva", or "4
// users (Diego Silva, Ana Li, Bo Kim and 1 more)".
func namedCount(names []string, what string) string {
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) <= summaryNames:
		return fmt.Sprintf("%s (%s)", Plural(len(names), what), joinAnd(names))
	}
	shown := append(slices.Clone(names[:summaryNames]), Thousands(len(names)-summaryNames)+" more")
	return fmt.Sprintf("%s (%s)", Plural(len(names), what), joinAnd(shown))
}

// joinAnd joins with commas and a last "and".
func joinAnd(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// userNames are the users' names, or their emails or user IDs when nameless.
func userNames(users []store.UserRow) []string {
	out := make([]string, len(users))
	for i, u := range users {
		switch {
		case u.Name != "":
			out[i] = u.Name
		case u.Email != "":
			out[i] = u.Email
		default:
			out[i] = "user " + string(u.UserID)
		}
	}
	return out
}

func sameIDSet[T comparable](a, b []T) bool {
	if len(distinctIDs(a)) != len(distinctIDs(b)) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func distinctIDs[T comparable](xs []T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func nonNilIDs[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
