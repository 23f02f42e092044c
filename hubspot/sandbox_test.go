package hubspot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// sandbox is a sandbox portal served over HTTP with a token holding every scope.
type sandbox struct {
	*hubspottest.Server
	URL   string
	Token string
}

func newSandbox(t testing.TB, cfg hubspottest.Config) *sandbox {
	t.Helper()
	s := hubspottest.New(cfg)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &sandbox{Server: s, URL: srv.URL, Token: s.IssueToken()}
}

// client talks to the sandbox. Client-side rate limiting is off unless opts
// turn it on, so that tests do not wait for a budget the sandbox does not enforce.
func (sb *sandbox) client(opts ...hubspot.Option) *hubspot.Client {
	all := append([]hubspot.Option{hubspot.WithBaseURL(sb.URL), hubspot.WithAccessToken(sb.Token), hubspot.WithRateBudget(0, 0)}, opts...)
	return hubspot.New(all...)
}

// raw sends a hand-made request, for bodies the client refuses to send.
func (sb *sandbox) raw(t *testing.T, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, sb.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+sb.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestSandboxUsersRolesAndTeams(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	sum := sb.Summary()

	users := collect(t, c.Users(ctx))
	if len(users) != sum.Users {
		t.Errorf("%d users, sandbox has %d", len(users), sum.Users)
	}
	multi := 0
	for _, u := range users {
		if len(u.Roles()) > 1 {
			multi++
		}
	}
	if multi != sum.MultiRoleUsers || multi < 8 {
		t.Errorf("%d multi-role users, sandbox has %d", multi, sum.MultiRoleUsers)
	}
	page, err := c.UsersPage(ctx, "", 7)
	if err != nil || len(page.Results) != 7 || page.NextAfter == "" {
		t.Errorf("UsersPage: %v, %d users, next %q", err, len(page.Results), page.NextAfter)
	}

	fx := sb.Fixtures()
	u, err := c.GetUser(ctx, fx.MultiRoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Roles()) != 3 || u.PrimaryTeamID == "" || len(u.SecondaryTeamIDs) == 0 {
		t.Errorf("multi-role user %+v", u)
	}
	byEmail, err := c.GetUserByEmail(ctx, u.Email)
	if err != nil || byEmail.ID != u.ID {
		t.Errorf("GetUserByEmail(%s): %v %+v", u.Email, err, byEmail)
	}
	if _, err := c.GetUser(ctx, "999999999"); !hubspot.IsNotFound(err) {
		t.Errorf("unknown user: %v", err)
	}
	if _, err := c.GetUserByEmail(ctx, "nobody@nowhere.invalid"); !hubspot.IsNotFound(err) {
		t.Errorf("unknown email: %v", err)
	}

	roles, err := c.Roles(ctx)
	if err != nil || len(roles) != sum.Roles {
		t.Errorf("roles: %v, %d of %d", err, len(roles), sum.Roles)
	}
	teams, err := c.Teams(ctx)
	if err != nil || len(teams) != sum.Teams {
		t.Fatalf("teams: %v, %d of %d", err, len(teams), sum.Teams)
	}
	for _, team := range teams {
		for _, id := range team.UserIDs {
			if su, ok := sb.User(id); !ok || su.PrimaryTeamID != team.ID {
				t.Errorf("team %s lists %s as primary member, user says %q", team.ID, id, su.PrimaryTeamID)
			}
		}
	}
}

// The community report, step 1: a team change by PUT on a multi-role user
// keeps only one role, with a 200, exactly as RolesDroppedBy predicts.
func TestSandboxTeamChangeByPUTKeepsOneRole(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	fx := sb.Fixtures()

	before, err := c.GetUser(ctx, fx.MultiRoleUser)
	if err != nil {
		t.Fatal(err)
	}
	newTeam := otherTeam(fx.Teams, before)
	upd := hubspot.UserUpdate{RoleID: before.RoleID, PrimaryTeamID: newTeam, SecondaryTeamIDs: before.SecondaryTeamIDs}
	predictedLoss := hubspot.RolesDroppedBy(before, upd)
	if len(predictedLoss) != 2 {
		t.Fatalf("predicted loss %v for %v", predictedLoss, before.Roles())
	}

	after, err := c.UpdateUser(ctx, fx.MultiRoleUser, upd)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(after.RoleIDs, hubspot.RolesAfterUpdate(before, upd)) || after.PrimaryTeamID != newTeam {
		t.Errorf("after the PUT: roles %v team %s; want roles %v team %s", after.RoleIDs, after.PrimaryTeamID, hubspot.RolesAfterUpdate(before, upd), newTeam)
	}
	for _, lost := range predictedLoss {
		if slices.Contains(after.Roles(), lost) {
			t.Errorf("role %s survived; HubSpot drops it", lost)
		}
	}
	reread, err := c.GetUser(ctx, fx.MultiRoleUser)
	if err != nil || len(reread.Roles()) != 1 {
		t.Errorf("re-read: %v %v", err, reread.Roles())
	}

	// What went on the wire: the complete state, no roleIds.
	put := lastRequest(t, sb, "PUT")
	var body map[string]any
	if err := json.Unmarshal(put.Body, &body); err != nil {
		t.Fatal(err)
	}
	if _, ok := body["roleIds"]; ok || body["roleId"] != string(before.RoleID) || body["primaryTeamId"] != string(newTeam) || body["secondaryTeamIds"] == nil {
		t.Errorf("PUT body %s", put.Body)
	}

	// Teams and owners follow the user.
	teams, err := c.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, team := range teams {
		if has := slices.Contains(team.UserIDs, fx.MultiRoleUser); has != (team.ID == newTeam) {
			t.Errorf("team %s lists the user as primary: %v", team.ID, has)
		}
	}
	owner, err := c.GetOwnerByUserID(ctx, fx.MultiRoleUser)
	if err != nil {
		t.Fatal(err)
	}
	var primary hubspot.TeamID
	for _, ot := range owner.Teams {
		if ot.Primary {
			primary = ot.ID
		}
	}
	if primary != newTeam {
		t.Errorf("owner's primary team %s, want %s", primary, newTeam)
	}
}

// The community report, step 2: a roleIds array in the PUT body is ignored
// with a 200, and the answer shows the extra roles gone. The client refuses to
// send such a body, so it goes raw.
func TestSandboxRoleIDsArrayIsIgnored(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	roles := before.Roles()
	body := fmt.Sprintf(`{"roleIds":[%q,%q,%q],"primaryTeamId":%q,"secondaryTeamIds":[]}`, roles[0], roles[1], roles[2], before.PrimaryTeamID)
	code, resp := sb.raw(t, "PUT", "/settings/v3/users/"+string(fx.MultiRoleUser), body)
	if code != 200 {
		t.Fatalf("status %d: %s", code, resp)
	}
	var after hubspot.User
	if err := json.Unmarshal(resp, &after); err != nil {
		t.Fatal(err)
	}
	if len(after.RoleIDs) != 1 || after.RoleIDs[0] != before.RoleID {
		t.Errorf("roleIds after %v, want [%s]", after.RoleIDs, before.RoleID)
	}
	if got := hubspot.RolesAfterUpdate(before, hubspot.UserUpdate{PrimaryTeamID: before.PrimaryTeamID}); !slices.Equal(got, after.RoleIDs) {
		t.Errorf("prediction %v, sandbox %v", got, after.RoleIDs)
	}
}

// The community report, step 3: joined role strings are a 400
// ROLE_ID_NOT_NUMERIC. Raw, because the client refuses them before sending.
func TestSandboxJoinedRoleIDsAreRejected(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	fx := sb.Fixtures()
	for _, joined := range []string{"1;2", "1,2"} {
		code, resp := sb.raw(t, "PUT", "/settings/v3/users/"+string(fx.MultiRoleUser), fmt.Sprintf(`{"roleId":%q}`, joined))
		var env struct{ Status, Message, Category, SubCategory, CorrelationID string }
		if err := json.Unmarshal(resp, &env); err != nil {
			t.Fatalf("%s: %v: %s", joined, err, resp)
		}
		if code != 400 || env.Category != "VALIDATION_ERROR" || env.SubCategory != "ValidationErrors.ROLE_ID_NOT_NUMERIC" ||
			env.Message != "Cannot parse roleId "+joined+" to a numerical value." || env.CorrelationID == "" {
			t.Errorf("%s: %d %+v", joined, code, env)
		}
	}
	u, _ := sb.User(fx.MultiRoleUser)
	if len(u.Roles()) != 3 {
		t.Errorf("a rejected PUT changed the roles: %v", u.Roles())
	}

	// The client never sends them.
	c := sb.client()
	n := len(sb.Requests())
	for _, joined := range []hubspot.RoleID{"1;2", "1,2"} {
		if _, err := c.UpdateUser(context.Background(), fx.MultiRoleUser, hubspot.UserUpdate{RoleID: joined, PrimaryTeamID: u.PrimaryTeamID}); err == nil {
			t.Errorf("client sent roleId %q", joined)
		}
	}
	if len(sb.Requests()) != n {
		t.Error("the client sent a request for a joined role ID")
	}
}

// The Settings Teams API moves a user between teams and keeps every role.
func TestSandboxTeamsAPIKeepsRoles(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	newTeam := otherTeam(fx.Teams, before)

	members := collect(t, c.TeamMembers(ctx, before.PrimaryTeamID))
	if !slices.Contains(members, hubspot.TeamMember{UserID: fx.MultiRoleUser, Type: hubspot.MembershipPrimary}) {
		t.Fatalf("team %s members %v lack the user as primary", before.PrimaryTeamID, members)
	}
	if err := c.AddTeamMember(ctx, newTeam, hubspot.TeamMember{UserID: fx.MultiRoleUser, Type: hubspot.MembershipPrimary}); err != nil {
		t.Fatal(err)
	}
	after, err := c.GetUser(ctx, fx.MultiRoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if after.PrimaryTeamID != newTeam {
		t.Errorf("primary team %s, want %s", after.PrimaryTeamID, newTeam)
	}
	if !slices.Equal(after.Roles(), before.Roles()) {
		t.Errorf("roles %v, were %v: the Teams API must not touch roles", after.Roles(), before.Roles())
	}
	newMembers := collect(t, c.TeamMembers(ctx, newTeam))
	if !slices.Contains(newMembers, hubspot.TeamMember{UserID: fx.MultiRoleUser, Type: hubspot.MembershipPrimary}) {
		t.Errorf("new team members %v", newMembers)
	}

	// Secondary membership: add, then remove.
	extra := otherTeam(fx.Teams, after)
	if err := c.AddTeamMember(ctx, extra, hubspot.TeamMember{UserID: fx.MultiRoleUser, Type: hubspot.MembershipSecondary}); err != nil {
		t.Fatal(err)
	}
	if u, _ := sb.User(fx.MultiRoleUser); !slices.Contains(u.SecondaryTeamIDs, extra) {
		t.Errorf("secondary teams %v lack %s", u.SecondaryTeamIDs, extra)
	}
	if err := c.RemoveTeamMember(ctx, extra, hubspot.TeamMember{UserID: fx.MultiRoleUser, Type: hubspot.MembershipSecondary}); err != nil {
		t.Fatal(err)
	}
	u, _ := sb.User(fx.MultiRoleUser)
	if slices.Contains(u.SecondaryTeamIDs, extra) || !slices.Equal(u.Roles(), before.Roles()) {
		t.Errorf("after removal: teams %v roles %v", u.SecondaryTeamIDs, u.Roles())
	}
}

// The owner-ID trap: a user ID written as hubspot_owner_id fails with
// INVALID_OWNER_ID; the owner ID works.
func TestSandboxOwnerIDTrap(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	fx := sb.Fixtures()
	if string(fx.ActiveOwner) == string(fx.ActiveOwnerUser) {
		t.Fatal("fixture: the active owner's ID equals its user ID")
	}
	contact := firstContact(t, c, hubspot.Filter{PropertyName: hubspot.PropOwnerID, Operator: "NEQ", Value: string(fx.ActiveOwner)})

	_, err := c.UpdateContact(ctx, contact.ID, hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwnerUser)})
	if !hubspot.IsInvalidOwner(err) {
		t.Fatalf("writing the user ID: %v", err)
	}
	if !strings.Contains(err.Error(), string(fx.ActiveOwnerUser)+" is not a valid owner id") {
		t.Errorf("message %q", err)
	}
	if got, _ := sb.Contact(contact.ID); got.OwnerID() == hubspot.OwnerID(fx.ActiveOwnerUser) {
		t.Error("the rejected owner was written")
	}

	updated, err := c.UpdateContact(ctx, contact.ID, hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwner)})
	if err != nil {
		t.Fatal(err)
	}
	if updated.OwnerID() != fx.ActiveOwner {
		t.Errorf("owner after PATCH %q", updated.OwnerID())
	}
	if got, _ := sb.Contact(contact.ID); got.OwnerID() != fx.ActiveOwner {
		t.Errorf("sandbox holds owner %q", got.OwnerID())
	}
	if body := lastRequest(t, sb, "PATCH").Body; !bytes.Contains(body, []byte(`"hubspot_owner_id":"`+string(fx.ActiveOwner)+`"`)) {
		t.Errorf("PATCH body %s: owner ID not sent as a string", body)
	}

	// The worse half of the trap: a user ID that happens to be another
	// person's owner ID is accepted, and assigns that other person.
	colliding, err := c.GetOwner(ctx, fx.CollidingOwner)
	if err != nil {
		t.Fatal(err)
	}
	if colliding.AnyUserID() == fx.CollidingUser {
		t.Fatal("fixture: the colliding owner belongs to the colliding user")
	}
	if _, err := c.UpdateContact(ctx, contact.ID, hubspot.Properties{hubspot.PropOwnerID: string(fx.CollidingUser)}); err != nil {
		t.Errorf("a colliding ID is a valid owner ID: %v", err)
	}

	// Non-integers and clearing.
	_, err = c.UpdateContact(ctx, contact.ID, hubspot.Properties{hubspot.PropOwnerID: "abc"})
	var apiErr *hubspot.APIError
	if !errors.As(err, &apiErr) || hubspot.IsInvalidOwner(err) || !strings.Contains(apiErr.Message, "INVALID_INTEGER") {
		t.Errorf("non-integer owner: %v", err)
	}
	cleared, err := c.UpdateContact(ctx, contact.ID, hubspot.Properties{hubspot.PropOwnerID: ""})
	if err != nil || cleared.OwnerID() != "" {
		t.Errorf("clearing: %v %q", err, cleared.OwnerID())
	}
	if _, err := c.UpdateContact(ctx, "999999999999", hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwner)}); !hubspot.IsNotFound(err) {
		t.Errorf("unknown contact: %v", err)
	}
}

func TestSandboxOwners(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	fx := sb.Fixtures()
	sum := sb.Summary()

	active := collect(t, c.Owners(ctx, hubspot.OwnerListOptions{Limit: 7}))
	archived := collect(t, c.Owners(ctx, hubspot.OwnerListOptions{Archived: true}))
	if len(active)+len(archived) != sum.Owners || len(archived) != sum.ArchivedOwners {
		t.Errorf("%d active + %d archived owners; sandbox has %d with %d archived", len(active), len(archived), sum.Owners, sum.ArchivedOwners)
	}
	for _, o := range archived {
		if !o.Archived || o.UserID != "" {
			t.Errorf("archived owner %+v", o)
		}
	}
	var sawQueue bool
	for _, o := range active {
		sawQueue = sawQueue || (o.ID == fx.QueueOwner && o.Type == hubspot.OwnerQueue)
	}
	if !sawQueue {
		t.Error("the queue owner is missing from the active list")
	}

	page, err := c.OwnersPage(ctx, hubspot.OwnerListOptions{Limit: 3}, "")
	if err != nil || len(page.Results) != 3 || page.NextAfter == "" {
		t.Errorf("OwnersPage: %v %d %q", err, len(page.Results), page.NextAfter)
	}
	ao, err := c.GetOwner(ctx, fx.ActiveOwner)
	if err != nil || ao.UserID != fx.ActiveOwnerUser {
		t.Errorf("GetOwner: %v %+v", err, ao)
	}
	byEmail, err := c.OwnersPage(ctx, hubspot.OwnerListOptions{Email: ao.Email}, "")
	if err != nil || len(byEmail.Results) != 1 || byEmail.Results[0].ID != fx.ActiveOwner {
		t.Errorf("by email: %v %+v", err, byEmail)
	}
	byUser, err := c.GetOwnerByUserID(ctx, fx.ActiveOwnerUser)
	if err != nil || byUser.ID != fx.ActiveOwner {
		t.Errorf("GetOwnerByUserID: %v %+v", err, byUser)
	}
	arch, err := c.GetOwner(ctx, fx.ArchivedOwner)
	if err != nil || !arch.Archived || arch.UserID != "" || arch.UserIDIncludingInactive == "" {
		t.Errorf("archived GetOwner: %v %+v", err, arch)
	}
	if _, err := c.GetOwnerByUserID(ctx, fx.UserWithoutOwner); !hubspot.IsNotFound(err) {
		t.Errorf("user without owner: %v", err)
	}
	if _, err := c.GetOwner(ctx, "1"); !hubspot.IsNotFound(err) {
		t.Errorf("unknown owner: %v", err)
	}
}

func TestSandboxContacts(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 1234})
	c := sb.client()
	ctx := context.Background()
	fx := sb.Fixtures()

	all := collect(t, c.Contacts(ctx, nil))
	if len(all) != 1234 {
		t.Fatalf("%d contacts", len(all))
	}
	seen := map[hubspot.ContactID]bool{}
	for _, ct := range all {
		if seen[ct.ID] {
			t.Fatalf("contact %s listed twice", ct.ID)
		}
		seen[ct.ID] = true
	}
	page, err := c.ContactsPage(ctx, "", 10, []string{hubspot.PropEmail})
	if err != nil || len(page.Results) != 10 || page.NextAfter == "" || page.Results[0].Email() == "" {
		t.Errorf("ContactsPage: %v %+v", err, page)
	}
	one, err := c.GetContact(ctx, all[5].ID, nil)
	if err != nil || one.ID != all[5].ID || one.Email() != all[5].Email() {
		t.Errorf("GetContact: %v %+v", err, one)
	}
	if _, err := c.GetContact(ctx, "999999999999", nil); !hubspot.IsNotFound(err) {
		t.Errorf("unknown contact: %v", err)
	}

	// Batch read with unknown IDs: 207, failures kept.
	ids := []hubspot.ContactID{all[0].ID, all[1].ID, "999999999998", "999999999999"}
	read, err := c.BatchReadContacts(ctx, ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Results) != 2 || !slices.Equal(sorted(read.FailedIDs()), []string{"999999999998", "999999999999"}) {
		t.Errorf("batch read: %d results, failed %v", len(read.Results), read.FailedIDs())
	}
	if st := lastRequest(t, sb, "POST").Status; st != 207 {
		t.Errorf("batch read status %d, want 207", st)
	}

	// Batch update: valid owner for known IDs, 207 for the unknown one.
	inputs := []hubspot.BatchInput{
		{ID: all[2].ID, Properties: hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwner)}},
		{ID: all[3].ID, Properties: hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwner)}},
		{ID: "999999999999", Properties: hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwner)}},
	}
	upd, err := c.BatchUpdateContacts(ctx, inputs)
	if err != nil {
		t.Fatal(err)
	}
	if len(upd.Results) != 2 || !slices.Equal(upd.FailedIDs(), []string{"999999999999"}) {
		t.Errorf("batch update: %d results, failed %v", len(upd.Results), upd.FailedIDs())
	}
	for _, in := range inputs[:2] {
		if got, _ := sb.Contact(in.ID); got.OwnerID() != fx.ActiveOwner {
			t.Errorf("contact %s owner %q", in.ID, got.OwnerID())
		}
	}
	// A user ID in a batch fails the whole batch.
	_, err = c.BatchUpdateContacts(ctx, []hubspot.BatchInput{{ID: all[4].ID, Properties: hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwnerUser)}}})
	if !hubspot.IsInvalidOwner(err) {
		t.Errorf("batch with a user ID as owner: %v", err)
	}
	// More than 100 inputs never leave the client.
	n := len(sb.Requests())
	big := make([]hubspot.BatchInput, 101)
	for i := range big {
		big[i] = hubspot.BatchInput{ID: all[i].ID, Properties: hubspot.Properties{hubspot.PropOwnerID: string(fx.ActiveOwner)}}
	}
	if _, err := c.BatchUpdateContacts(ctx, big); err == nil || len(sb.Requests()) != n {
		t.Errorf("101 inputs: %v", err)
	}
	// The sandbox agrees: raw, it answers 400.
	raw, _ := json.Marshal(map[string]any{"inputs": big})
	if code, _ := sb.raw(t, "POST", "/crm/v3/objects/contacts/batch/update", string(raw)); code != 400 {
		t.Errorf("raw batch of 101: %d", code)
	}
}

func TestSandboxSearch(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 3000})
	c := sb.client(hubspot.WithSearchRate(100)) // the sandbox enforces no search limit here
	ctx := context.Background()
	fx := sb.Fixtures()

	req := hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: hubspot.PropOwnerID, Operator: "EQ", Value: string(fx.ActiveOwner)}}}},
		Sorts:        []hubspot.Sort{{PropertyName: hubspot.PropCreateDate, Direction: "ASCENDING"}},
		Limit:        7,
	}
	var got []hubspot.Contact
	total := -1
	for range 1000 {
		page, err := c.SearchContacts(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		total = page.Total
		got = append(got, page.Results...)
		if page.NextAfter == "" {
			break
		}
		req.After = page.NextAfter
	}
	if total <= 0 || len(got) != total {
		t.Fatalf("paged %d of total %d", len(got), total)
	}
	for i, ct := range got {
		if ct.OwnerID() != fx.ActiveOwner {
			t.Fatalf("result %s has owner %q", ct.ID, ct.OwnerID())
		}
		if i > 0 && ct.Properties[hubspot.PropCreateDate] < got[i-1].Properties[hubspot.PropCreateDate] {
			t.Fatalf("not sorted at %d", i)
		}
	}

	// OR across groups, IN, and the archived owner's book.
	archivedBook, err := c.SearchContacts(ctx, hubspot.SearchRequest{FilterGroups: []hubspot.FilterGroup{
		{Filters: []hubspot.Filter{{PropertyName: hubspot.PropOwnerID, Operator: "IN", Values: []string{string(fx.ArchivedOwner)}}}},
	}})
	if err != nil || archivedBook.Total == 0 {
		t.Errorf("archived owner's contacts: %v %d", err, archivedBook.Total)
	}
	either, err := c.SearchContacts(ctx, hubspot.SearchRequest{FilterGroups: []hubspot.FilterGroup{
		{Filters: []hubspot.Filter{{PropertyName: hubspot.PropOwnerID, Operator: "EQ", Value: string(fx.ActiveOwner)}}},
		{Filters: []hubspot.Filter{{PropertyName: hubspot.PropOwnerID, Operator: "EQ", Value: string(fx.ArchivedOwner)}}},
	}})
	if err != nil || either.Total != total+archivedBook.Total {
		t.Errorf("OR of groups: %v %d, want %d", err, either.Total, total+archivedBook.Total)
	}
	if _, err := c.SearchContacts(ctx, hubspot.SearchRequest{After: "10000"}); err == nil {
		t.Error("paging past 10,000 results was allowed")
	}
}

func TestSandboxCRMUsers(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	fx := sb.Fixtures()

	all := collect(t, c.CRMUsers(ctx, nil))
	if len(all) != sb.Summary().CRMUsers {
		t.Errorf("%d CRM users, sandbox has %d", len(all), sb.Summary().CRMUsers)
	}
	page, err := c.CRMUsersPage(ctx, "", 5, nil)
	if err != nil || len(page.Results) != 5 || page.NextAfter == "" {
		t.Errorf("CRMUsersPage: %v %d %q", err, len(page.Results), page.NextAfter)
	}
	rec, err := c.GetCRMUserByInternalID(ctx, fx.ActiveOwnerUser, nil)
	if err != nil || rec.InternalUserID() != fx.ActiveOwnerUser || rec.OwnerID() != fx.ActiveOwner {
		t.Fatalf("GetCRMUserByInternalID: %v %+v", err, rec)
	}
	if string(rec.ID) == string(fx.ActiveOwnerUser) {
		t.Error("the CRM user record ID equals the user ID; it should be a third scheme")
	}
	found, err := c.SearchCRMUsers(ctx, hubspot.SearchRequest{FilterGroups: []hubspot.FilterGroup{
		{Filters: []hubspot.Filter{{PropertyName: hubspot.PropOwnerID, Operator: "EQ", Value: string(fx.ActiveOwner)}}},
	}})
	if err != nil || found.Total != 1 || found.Results[0].InternalUserID() != fx.ActiveOwnerUser {
		t.Errorf("owner → user by search: %v %+v", err, found)
	}
	if _, err := c.GetCRMUserByInternalID(ctx, "999999999", nil); !hubspot.IsNotFound(err) {
		t.Errorf("unknown internal ID: %v", err)
	}
}

func TestSandboxMissingScopes(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	sb.Token = sb.IssueToken("crm.objects.contacts.read")
	c := sb.client()
	ctx := context.Background()

	_, err := c.OwnersPage(ctx, hubspot.OwnerListOptions{}, "")
	scopes, ok := hubspot.MissingScopes(err)
	if !ok || !slices.Contains(scopes, "crm.objects.owners.read") {
		t.Fatalf("owners without scope: %v (%v)", scopes, err)
	}
	if !strings.Contains(err.Error(), "crm.objects.owners.read") || hubspot.IsAuthError(err) {
		t.Errorf("message %q", err)
	}
	_, err = c.UpdateContact(ctx, "1", hubspot.Properties{hubspot.PropFirstName: "x"})
	if scopes, ok := hubspot.MissingScopes(err); !ok || !slices.Contains(scopes, "crm.objects.contacts.write") {
		t.Errorf("contact write without scope: %v", err)
	}
	if _, err := c.ContactsPage(ctx, "", 1, nil); err != nil {
		t.Errorf("the granted scope should work: %v", err)
	}
}

func TestSandboxInvalidAndExpiredTokens(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	sb := newSandbox(t, hubspottest.Config{Now: clk.now})
	ctx := context.Background()

	revoked := sb.IssueToken()
	sb.RevokeToken(revoked)
	for _, tok := range []string{"pat-na1-00000000-0000-0000-0000-000000000000", revoked} {
		c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithAccessToken(tok))
		_, err := c.Roles(ctx)
		var e *hubspot.APIError
		if !hubspot.IsAuthError(err) || !errors.As(err, &e) || e.Category != "INVALID_AUTHENTICATION" {
			t.Errorf("bad token: %v", err)
		}
		if strings.Contains(err.Error(), tok) {
			t.Errorf("token in error %q", err)
		}
	}

	// An OAuth access token, obtained through the real flow, expires after 30 minutes.
	tok := oauthToken(t, sb, "crm.objects.owners.read")
	c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithAccessToken(tok.AccessToken))
	if _, err := c.OwnersPage(ctx, hubspot.OwnerListOptions{}, ""); err != nil {
		t.Fatalf("fresh OAuth token: %v", err)
	}
	info, err := c.AccessTokenInfo(ctx, tok.AccessToken)
	if err != nil || info.HubID != sb.HubID() || !slices.Contains(info.Scopes, "crm.objects.owners.read") || info.ExpiresIn <= 0 || info.ExpiresIn > 1800 {
		t.Errorf("AccessTokenInfo: %v %+v", err, info)
	}
	clk.advance(31 * time.Minute)
	_, err = c.OwnersPage(ctx, hubspot.OwnerListOptions{}, "")
	var e *hubspot.APIError
	if !hubspot.IsAuthError(err) || !errors.As(err, &e) || e.Category != "EXPIRED_AUTHENTICATION" || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired token: %v", err)
	}
	if strings.Contains(err.Error(), tok.AccessToken) {
		t.Error("token in error")
	}

	// The refresh token gets a working access token, through oauth2 with the
	// client credentials in the form body.
	cfg := hubspot.OAuthConfig("app-1", "secret-1", "http://127.0.0.1:1/callback", []string{"crm.objects.owners.read"}, sb.URL, sb.URL)
	fresh, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil || fresh.AccessToken == "" || fresh.AccessToken == tok.AccessToken {
		t.Fatalf("refresh: %v", err)
	}
	oc := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithHTTPClient(cfg.Client(ctx, fresh)))
	if _, err := oc.OwnersPage(ctx, hubspot.OwnerListOptions{}, ""); err != nil {
		t.Errorf("refreshed token: %v", err)
	}
	if _, err := c.AccessTokenInfo(ctx, "not-a-token-at-all"); err == nil || strings.Contains(err.Error(), "not-a-token-at-all") {
		t.Errorf("unknown token info: %v", err)
	}
}

func TestSandboxObserverAndRateHeaders(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{RateLimit: true})
	var mu sync.Mutex
	var calls []hubspot.Call
	c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithAccessToken(sb.Token), hubspot.WithObserver(func(cl hubspot.Call) {
		mu.Lock()
		calls = append(calls, cl)
		mu.Unlock()
	}))
	ctx := context.Background()
	for range 3 {
		if _, err := c.OwnersPage(ctx, hubspot.OwnerListOptions{Email: "x@y.z"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.SearchContacts(ctx, hubspot.SearchRequest{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 4 {
		t.Fatalf("%d calls", len(calls))
	}
	for i, cl := range calls[:3] {
		if cl.Method != "GET" || cl.Path != "/crm/v3/owners" || cl.Status != 200 || cl.Attempt != 1 || cl.RateRemaining < 0 {
			t.Errorf("call %d %+v", i, cl)
		}
	}
	if calls[2].RateRemaining >= calls[0].RateRemaining {
		t.Errorf("remaining budget did not fall: %d then %d", calls[0].RateRemaining, calls[2].RateRemaining)
	}
	if s := calls[3]; s.Method != "POST" || s.Path != "/crm/v3/objects/contacts/search" || s.RateRemaining != -1 {
		t.Errorf("search call %+v", s)
	}
	for _, cl := range calls {
		if strings.Contains(fmt.Sprintf("%+v", cl), sb.Token) {
			t.Error("token in a Call")
		}
	}
}

// Faults: every kind the sandbox injects is retried for reads, and a full
// listing still comes back complete and without duplicates.
func TestSandboxRetriesInjectedFaults(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 600, Faults: hubspottest.Faults{
		Seed: 7, ServerErrors: 0.1, Resets: 0.1, Truncated: 0.1, HTML: 0.1,
	}})
	c := sb.client(hubspot.WithRetry(8))
	all := collect(t, c.Contacts(context.Background(), nil))
	if len(all) != 600 {
		t.Errorf("%d contacts", len(all))
	}
	failed := 0
	for _, r := range sb.Requests() {
		if r.Status != 200 {
			failed++
		}
	}
	if failed == 0 {
		t.Error("no fault was injected; the test proves nothing")
	}
}

func TestSandboxDailyLimitFailsFast(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Faults: hubspottest.Faults{Seed: 1, RateLimited: 1, RateLimitPolicy: "DAILY"}})
	c := sb.client()
	_, err := c.Roles(context.Background())
	if policy, ok := hubspot.IsRateLimited(err); !ok || policy != "DAILY" {
		t.Fatalf("err = %v", err)
	}
	if n := len(sb.Requests()); n != 1 {
		t.Errorf("%d requests; a DAILY limit must not be retried", n)
	}
}

// --- helpers ---

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// oauthToken runs the authorization-code flow against the sandbox.
func oauthToken(t *testing.T, sb *sandbox, scopes ...string) *oauth2.Token {
	t.Helper()
	const redirect = "http://127.0.0.1:1/callback"
	sb.RegisterOAuthApp("app-1", "secret-1", redirect)
	cfg := hubspot.OAuthConfig("app-1", "secret-1", redirect, scopes, sb.URL, sb.URL)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(cfg.AuthCodeURL("state-1"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("state") != "state-1" || loc.Query().Get("code") == "" {
		t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	tok, err := cfg.Exchange(context.Background(), loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func otherTeam(teams []hubspot.TeamID, u hubspot.User) hubspot.TeamID {
	for _, id := range teams {
		if id != u.PrimaryTeamID && !slices.Contains(u.SecondaryTeamIDs, id) {
			return id
		}
	}
	panic("fixture: no team the user is not in")
}

func firstContact(t *testing.T, c *hubspot.Client, f hubspot.Filter) hubspot.Contact {
	t.Helper()
	page, err := c.SearchContacts(context.Background(), hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{f}}}, Limit: 1})
	if err != nil || len(page.Results) == 0 {
		t.Fatalf("no contact matching %+v: %v", f, err)
	}
	return page.Results[0]
}

func lastRequest(t *testing.T, sb *sandbox, method string) hubspottest.Request {
	t.Helper()
	reqs := sb.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method {
			return reqs[i]
		}
	}
	t.Fatalf("no %s request", method)
	return hubspottest.Request{}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
