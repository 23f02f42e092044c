package portal

import (
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// planNames is a small portal's roles and teams.
func planNames() Names {
	return Names{
		Roles: []hubspot.Role{{ID: "1", Name: "Sales rep"}, {ID: "2", Name: "Marketing"}, {ID: "3", Name: "Service"}, {ID: "4", Name: "Admin"}},
		Teams: []store.TeamRef{{ID: "10", Name: "West"}, {ID: "11", Name: "East"}, {ID: "12", Name: "Ops"}},
	}
}

var (
	multiRoleRow = store.UserRow{UserID: "100", Name: "Ann Lee", Email: "ann@example.com", PrimaryRoleID: "1",
		RoleIDs: []hubspot.RoleID{"1", "2", "3"}, PrimaryTeamID: "10", SecondaryTeamIDs: []hubspot.TeamID{"12"}}
	singleRoleRow = store.UserRow{UserID: "200", Name: "Bob Ray", Email: "bob@example.com", PrimaryRoleID: "1",
		RoleIDs: []hubspot.RoleID{"1"}, PrimaryTeamID: "10"}
	// HubSpot reports roles in roleIds without a roleId for some users.
	noRoleIDRow = store.UserRow{UserID: "300", Name: "Cy", Email: "cy@example.com",
		RoleIDs: []hubspot.RoleID{"2", "3"}, PrimaryTeamID: "11"}
)

func lostIDs(c UserChange) []hubspot.RoleID {
	var out []hubspot.RoleID
	for _, r := range c.Lost {
		out = append(out, r.ID)
	}
	return out
}

func TestPlanTeamChangeListsEachUsersLosses(t *testing.T) {
	info := Info{HubID: 7, Scopes: []string{ScopeUsersWrite, ScopeTeamsWrite}}
	pl, err := PlanTeamChange(info, planNames(), []store.UserRow{multiRoleRow, singleRoleRow, noRoleIDRow}, TeamChange{Primary: "11"})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Kind != KindTeamChange || len(pl.Users) != 3 || !pl.Put.OK() || !pl.KeepRoles.OK() {
		t.Fatalf("plan %+v", pl)
	}
	ann, bob, cy := pl.Users[0], pl.Users[1], pl.Users[2]
	if got := lostIDs(ann); !slices.Equal(got, []hubspot.RoleID{"2", "3"}) || ann.Lost[0].Name != "Marketing" {
		t.Errorf("Ann loses %v (%+v), want Marketing and Service", got, ann.Lost)
	}
	if ann.Put.RoleID != "1" || ann.Put.PrimaryTeamID != "11" || !slices.Equal(ann.Put.SecondaryTeamIDs, []hubspot.TeamID{"12"}) {
		t.Errorf("Ann's PUT body is not the complete state: %+v", ann.Put)
	}
	if !ann.Target.SameRoles(ann.Before) || ann.Expected(MethodPut).SameRoles(ann.Before) {
		t.Errorf("keep-roles must keep every role and PUT must not: %+v", ann)
	}
	if len(bob.Lost) != 0 || bob.Unchanged {
		t.Errorf("Bob: %+v", bob)
	}
	if !cy.Unchanged {
		t.Errorf("Cy is already in East: %+v", cy)
	}
	// Cy has no roleId: the PUT keeps the first role rather than none.
	if cy.Put.RoleID != "2" {
		t.Errorf("Cy's PUT role %q", cy.Put.RoleID)
	}
	if pl.LostCount() != 2 || !pl.Lossy() || len(pl.Changing()) != 2 {
		t.Errorf("lost %d, changing %d", pl.LostCount(), len(pl.Changing()))
	}
	text := strings.Join(pl.Lines(), "\n")
	for _, want := range []string{"Ann Lee <ann@example.com> (user 100)", "West → East", "no longer held   dropped by HubSpot: Marketing, Service", "drop 2 roles", "Keeping all roles is possible", "already as asked"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan text lacks %q:\n%s", want, text)
		}
	}
}

func TestPlanTeamChangeSecondaryTeams(t *testing.T) {
	pl, err := PlanTeamChange(Info{}, planNames(), []store.UserRow{multiRoleRow}, TeamChange{SetSecondary: true, Secondary: []hubspot.TeamID{"11", "10"}})
	if err != nil {
		t.Fatal(err)
	}
	u := pl.Users[0]
	// The primary team is never also a secondary one.
	if u.Target.PrimaryTeamID != "10" || !slices.Equal(u.Target.SecondaryTeamIDs, []hubspot.TeamID{"11"}) {
		t.Fatalf("target %+v", u.Target)
	}
	if got := MembershipSteps(u.Before, u.Target); !slices.Equal(got, []MembershipStep{
		{Team: "12", Type: hubspot.MembershipSecondary},
		{Add: true, Team: "11", Type: hubspot.MembershipSecondary},
	}) {
		t.Fatalf("steps %+v", got)
	}
	// Promoting a secondary team and demoting the primary one.
	pl, err = PlanTeamChange(Info{}, planNames(), []store.UserRow{multiRoleRow}, TeamChange{Primary: "12", SetSecondary: true, Secondary: []hubspot.TeamID{"10"}})
	if err != nil {
		t.Fatal(err)
	}
	u = pl.Users[0]
	if got := MembershipSteps(u.Before, u.Target); !slices.Equal(got, []MembershipStep{
		{Team: "12", Type: hubspot.MembershipSecondary},
		{Add: true, Team: "12", Type: hubspot.MembershipPrimary},
		{Add: true, Team: "10", Type: hubspot.MembershipSecondary},
	}) {
		t.Fatalf("steps %+v", got)
	}
}

func TestPlanRoleChangeCannotKeepRoles(t *testing.T) {
	info := Info{Scopes: []string{ScopeUsersWrite, ScopeTeamsWrite}}
	pl, err := PlanRoleChange(info, planNames(), []store.UserRow{multiRoleRow, singleRoleRow}, "4")
	if err != nil {
		t.Fatal(err)
	}
	if pl.KeepRoles.OK() || !strings.Contains(pl.KeepRoles.Reason, "single role") {
		t.Fatalf("keep-roles must be refused for role changes: %+v", pl.KeepRoles)
	}
	ann, bob := pl.Users[0], pl.Users[1]
	if ann.Replaced != "1" || !slices.Equal(lostIDs(ann), []hubspot.RoleID{"2", "3"}) || ann.Put.RoleID != "4" {
		t.Errorf("Ann: %+v", ann)
	}
	// A single role replaced by another is the change asked for, not a loss.
	if bob.Replaced != "1" || len(bob.Lost) != 0 {
		t.Errorf("Bob: %+v", bob)
	}
	if !slices.Equal(ann.Expected(MethodPut).RoleIDs, []hubspot.RoleID{"4"}) {
		t.Errorf("after the PUT Ann should hold only Admin: %+v", ann.Expected(MethodPut))
	}
	if text := strings.Join(pl.Lines(), "\n"); !strings.Contains(text, "no API can keep the others") || !strings.Contains(text, "Sales rep, Marketing, Service → Admin") {
		t.Errorf("plan text:\n%s", text)
	}
	same, err := PlanRoleChange(info, planNames(), []store.UserRow{singleRoleRow}, "1")
	if err != nil || !same.Users[0].Unchanged || len(same.Changing()) != 0 {
		t.Fatalf("a role the user already has: %+v, %v", same, err)
	}
}

func TestPlanAvailability(t *testing.T) {
	rows := []store.UserRow{multiRoleRow}
	cases := []struct {
		name            string
		info            Info
		put, keep, team string // reasons, "" when available
	}{
		{"unknown scopes", Info{}, "", "", ""},
		{"all scopes", Info{Scopes: []string{ScopeUsersWrite, ScopeTeamsWrite}}, "", "", ""},
		{"no teams write", Info{Scopes: []string{ScopeUsersWrite}}, "", "the token lacks the settings.users.teams.write scope", ""},
		{"CRM users write instead", Info{Scopes: []string{ScopeCRMUsersWrite}}, "", "the token lacks the settings.users.teams.write scope", ""},
		{"only teams write", Info{Scopes: []string{ScopeTeamsWrite}}, "the token lacks the settings.users.write scope", "", ""},
		{"nothing", Info{Scopes: []string{"oauth"}}, "the token lacks the settings.users.write scope", "the token lacks the settings.users.teams.write scope",
			"the token lacks the settings.users.write scope and the settings.users.teams.write scope"},
		{"read-only", Info{ReadOnly: true}, "the portal is open read-only", "the portal is open read-only", "the portal is open read-only"},
	}
	for _, c := range cases {
		pl, err := PlanTeamChange(c.info, planNames(), rows, TeamChange{Primary: "11"})
		if err != nil {
			t.Fatal(err)
		}
		if pl.Put.Reason != c.put || pl.KeepRoles.Reason != c.keep || c.info.TeamChangeRefusal() != c.team {
			t.Errorf("%s: put %q, keep %q, refusal %q", c.name, pl.Put.Reason, pl.KeepRoles.Reason, c.info.TeamChangeRefusal())
		}
	}
	if r := (Info{ReadOnly: true}).RoleChangeRefusal(); r == "" {
		t.Error("read-only portals must refuse role changes")
	}
}

func TestPlanRefusesBadInput(t *testing.T) {
	n := planNames()
	for name, err := range map[string]error{
		"no users":     second(PlanTeamChange(Info{}, n, nil, TeamChange{Primary: "10"})),
		"no change":    second(PlanTeamChange(Info{}, n, []store.UserRow{singleRoleRow}, TeamChange{})),
		"unknown team": second(PlanTeamChange(Info{}, n, []store.UserRow{singleRoleRow}, TeamChange{Primary: "99"})),
		"both":         second(PlanTeamChange(Info{}, n, []store.UserRow{singleRoleRow}, TeamChange{Primary: "10", SetSecondary: true, Secondary: []hubspot.TeamID{"10"}})),
		"unknown role": second(PlanRoleChange(Info{}, n, []store.UserRow{singleRoleRow}, "99")),
	} {
		if err == nil {
			t.Errorf("%s: planned anyway", name)
		}
	}
	if id, err := n.FindTeam("east"); err != nil || id != "11" {
		t.Errorf("FindTeam by name: %q %v", id, err)
	}
	if id, err := n.FindRole("4"); err != nil || id != "4" {
		t.Errorf("FindRole by ID: %q %v", id, err)
	}
	if _, err := n.FindRole("Nobody"); err == nil {
		t.Error("FindRole found a role that does not exist")
	}
}

func second[T any](_ T, err error) error { return err }

// A job's summary names the people it changes: the first few, then how
// many more (issue 17: "Give 1 user primary team Marketing" named nobody).
func TestSummariesNameThePeople(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"Diego Silva"}, "Diego Silva"},
		{[]string{"Diego Silva", "Ana Li"}, "2 users (Diego Silva and Ana Li)"},
		{[]string{"A", "B", "C"}, "3 users (A, B and C)"},
		{[]string{"A", "B", "C", "D", "E"}, "5 users (A, B, C and 2 more)"},
	} {
		if got := namedCount(tc.names, "user"); got != tc.want {
			t.Errorf("namedCount(%v) = %q, want %q", tc.names, got, tc.want)
		}
	}
	rows := []store.UserRow{{UserID: "1", Name: "Diego Silva"}, {UserID: "2", Email: "ana@example.com"}, {UserID: "3"}}
	if got := strings.Join(userNames(rows), "|"); got != "Diego Silva|ana@example.com|user 3" {
		t.Errorf("userNames = %q", got)
	}
}
