package hubspottest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hsadmin/hsadmin/hubspot"
)

func TestGeneratorIsDeterministic(t *testing.T) {
	clock := newTestClock()
	get := func(seed int64) [][]byte {
		s := New(Config{Seed: seed, Contacts: 300, Now: clock.Now})
		ts := httptest.NewServer(s)
		defer ts.Close()
		tok := s.IssueToken()
		var bodies [][]byte
		for _, p := range []string{"/settings/v3/users?limit=100", "/crm/v3/owners?limit=500", "/crm/v3/owners?archived=true",
			"/settings/v3/users/teams", "/crm/v3/objects/users?limit=100&properties=hubspot_owner_id,hs_internal_user_id",
			"/crm/v3/objects/contacts?limit=100&properties=email,firstname,lastname,hubspot_owner_id,lastmodifieddate,createdate"} {
			req, _ := http.NewRequest("GET", ts.URL+p, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			bodies = append(bodies, readAll(t, resp))
			resp.Body.Close()
		}
		return bodies
	}
	a, b := get(42), get(42)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("response %d differs between two portals from seed 42", i)
		}
	}
	if c := get(43); bytes.Equal(a[0], c[0]) {
		t.Fatal("seeds 42 and 43 generate the same users")
	}
	s1, s2 := New(Config{Seed: 42, Now: clock.Now}), New(Config{Seed: 42, Now: clock.Now})
	if !reflect.DeepEqual(s1.Fixtures(), s2.Fixtures()) || s1.Summary() != s2.Summary() {
		t.Fatal("fixtures or summary differ for the same seed")
	}
}

func TestGeneratedPortalInvariants(t *testing.T) {
	for _, users := range []int{60, 15, 400} {
		t.Run("users="+itoa(int64(users)), func(t *testing.T) {
			s := New(Config{Users: users, Now: newTestClock().Now})
			checkInvariants(t, s, users)
		})
	}
}

func checkInvariants(t *testing.T, s *Server, nUsers int) {
	t.Helper()
	p, f, sum := s.p, s.Fixtures(), s.Summary()
	if sum.Users != nUsers || sum.Teams != 8 || sum.Roles != 10 || sum.Contacts != defaultContacts {
		t.Fatalf("summary %+v", sum)
	}
	if sum.MultiRoleUsers < 8 || sum.QueueOwners != 1 || sum.ArchivedOwners < 2 {
		t.Fatalf("summary %+v", sum)
	}

	mu, _ := s.User(f.MultiRoleUser)
	if len(mu.RoleIDs) != 3 || mu.RoleID != mu.RoleIDs[0] || mu.PrimaryTeamID == "" || len(mu.SecondaryTeamIDs) == 0 {
		t.Fatalf("MultiRoleUser %+v", mu)
	}
	if p.ownerOfUser(mu.ID, false) == nil {
		t.Fatal("MultiRoleUser has no owner")
	}
	if su, _ := s.User(f.SingleRoleUser); len(su.RoleIDs) != 1 || su.PrimaryTeamID == "" || p.ownerOfUser(su.ID, false) == nil {
		t.Fatalf("SingleRoleUser %+v", su)
	}
	if _, ok := s.User(f.UserWithoutOwner); !ok || p.ownerOfUser(f.UserWithoutOwner, false) != nil {
		t.Fatal("UserWithoutOwner is missing or has an owner")
	}
	ao, _ := s.Owner(f.ActiveOwner)
	if ao.UserID != f.ActiveOwnerUser || string(ao.ID) == string(ao.UserID) || ao.Archived || ao.Type != hubspot.OwnerPerson {
		t.Fatalf("ActiveOwner %+v", ao)
	}
	arch, _ := s.Owner(f.ArchivedOwner)
	if !arch.Archived || arch.UserID != "" || arch.UserIDIncludingInactive == "" {
		t.Fatalf("ArchivedOwner %+v", arch)
	}
	if _, active := s.User(arch.UserIDIncludingInactive); active {
		t.Fatal("an archived owner's user is still an active user")
	}
	if no, _ := s.Owner(f.OwnerWithoutUser); no.Type != hubspot.OwnerPerson || no.Archived || no.UserID != "" || no.UserIDIncludingInactive != "" || len(no.Teams) != 0 || no.Email == "" {
		t.Fatalf("OwnerWithoutUser %+v", no)
	}
	if q, _ := s.Owner(f.QueueOwner); q.Type != hubspot.OwnerQueue || q.UserIDIncludingInactive != "" {
		t.Fatalf("QueueOwner %+v", q)
	}
	co, _ := s.Owner(f.CollidingOwner)
	if string(f.CollidingUser) != string(f.CollidingOwner) || co.UserID == f.CollidingUser || co.UserID == "" {
		t.Fatalf("collision: user %s owner %+v", f.CollidingUser, co)
	}
	if p.ownerOfUser(f.CollidingUser, false) == nil {
		t.Fatal("the colliding user has no owner of its own")
	}

	// Owner IDs differ from their own user IDs; coincidences are only the planted ones.
	collisions := 0
	for _, o := range p.owners {
		if o.userIDIncludingInactive != "" && string(o.id) == string(o.userIDIncludingInactive) {
			t.Fatalf("owner %s equals its own user ID", o.id)
		}
		if _, isUser := p.userByID[hubspot.UserID(o.id)]; isUser {
			collisions++
		}
	}
	if collisions < 2 {
		t.Fatalf("%d owner IDs equal another person's user ID, want at least 2", collisions)
	}

	// Every user and every archived owner has a CRM user record; one or two
	// records disagree with the owner map on purpose.
	byUser := map[hubspot.UserID]*crmUser{}
	for _, cu := range p.crmUsers {
		byUser[hubspot.UserID(cu.props["hs_internal_user_id"])] = cu
		if len(string(cu.id)) < 12 {
			t.Fatalf("CRM user ID %s is not a large record ID", cu.id)
		}
	}
	disagree := 0
	for _, o := range p.owners {
		if o.kind == hubspot.OwnerQueue || o.userIDIncludingInactive == "" {
			continue // queues and owners without users have no user, hence no record
		}
		cu := byUser[o.userIDIncludingInactive]
		if cu == nil {
			t.Fatalf("no CRM record for owner %s's user", o.id)
		}
		if cu.props["hubspot_owner_id"] != string(o.id) {
			disagree++
		}
	}
	for _, u := range p.users {
		if byUser[u.id] == nil {
			t.Fatalf("user %s has no CRM record", u.id)
		}
		if p.ownerOfUser(u.id, false) == nil && byUser[u.id].props["hubspot_owner_id"] != "" {
			disagree++
		}
	}
	if disagree < 1 || disagree > 2 {
		t.Fatalf("%d CRM records disagree with the owner map, want 1 or 2", disagree)
	}

	// Names vary, emails are ASCII and unique.
	emails := map[string]bool{}
	var rtl, emoji bool
	for _, u := range p.users {
		for _, r := range u.email {
			if r > unicode.MaxASCII {
				t.Fatalf("non-ASCII email %q", u.email)
			}
		}
		if emails[u.email] {
			t.Fatalf("duplicate email %s", u.email)
		}
		emails[u.email] = true
		name := u.first + u.last
		rtl = rtl || strings.ContainsFunc(name, func(r rune) bool { return unicode.Is(unicode.Arabic, r) })
		emoji = emoji || strings.ContainsFunc(name, func(r rune) bool { return r >= 0x1F300 })
	}
	if !rtl || !emoji {
		t.Fatalf("rtl %v emoji %v: names lack variety", rtl, emoji)
	}

	// Contacts: archived owners hold a few hundred, some point at no owner,
	// some have none; modification dates are within the last year.
	var byArchived, dangling, none int
	cs := p.contacts
	yearAgo := p.anchor.Add(-366 * 24 * time.Hour).UnixMilli()
	for i := 0; i < cs.n; i++ {
		c := cs.view(i)
		owner, _ := c.value("hubspot_owner_id")
		switch o := p.ownerByID[hubspot.OwnerID(owner)]; {
		case owner == "":
			none++
		case o == nil:
			dangling++
		case o.archived:
			byArchived++
		}
		if m := c.modified(); m < yearAgo || m > p.anchor.UnixMilli() || c.created() > m {
			t.Fatalf("contact %d dates: created %d modified %d", c.id(), c.created(), m)
		}
		if email, _ := c.value("email"); strings.ContainsFunc(email, func(r rune) bool { return r > unicode.MaxASCII }) {
			t.Fatalf("non-ASCII contact email %q", email)
		}
	}
	if byArchived < 100 || byArchived > 500 || dangling < 2 || dangling > 50 || none < 50 {
		t.Fatalf("contacts: %d by archived owners, %d dangling, %d without owner", byArchived, dangling, none)
	}
}

func TestCRMUsersObject(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	all := pageAll(t, sb, "/crm/v3/objects/users?limit=7&properties=hs_internal_user_id,hubspot_owner_id,hs_deactivated", 30)
	if len(all) != sb.Summary().CRMUsers {
		t.Fatalf("listed %d CRM users, want %d", len(all), sb.Summary().CRMUsers)
	}
	r := sb.do(t, "GET", "/crm/v3/objects/users/"+string(f.ActiveOwnerUser)+"?idProperty=hs_internal_user_id&properties=hubspot_owner_id,hs_internal_user_id", "")
	expectStatus(t, r, 200)
	m := r.json(t)
	props := obj(m["properties"])
	if props["hs_internal_user_id"] != string(f.ActiveOwnerUser) || props["hubspot_owner_id"] != string(f.ActiveOwner) || str(m["id"]) == string(f.ActiveOwnerUser) {
		t.Fatalf("CRM user %s", r.body)
	}
	expectError(t, sb.do(t, "GET", "/crm/v3/objects/users/"+string(f.ActiveOwnerUser), ""), 404, "OBJECT_NOT_FOUND")

	r = sb.do(t, "POST", "/crm/v3/objects/users/search", `{"filterGroups":[{"filters":[{"propertyName":"hubspot_owner_id","operator":"EQ","value":"`+string(f.ActiveOwner)+`"}]}],"properties":["hs_internal_user_id"]}`)
	expectStatus(t, r, 200)
	m = r.json(t)
	if m["total"] != 1.0 || obj(obj(list(m["results"])[0])["properties"])["hs_internal_user_id"] != string(f.ActiveOwnerUser) {
		t.Fatalf("search by owner: %s", r.body)
	}
	r = sb.do(t, "POST", "/crm/v3/objects/users/search", `{"filterGroups":[{"filters":[{"propertyName":"hs_deactivated","operator":"EQ","value":"true"}]}]}`)
	if m := r.json(t); int(m["total"].(float64)) != sb.Summary().ArchivedOwners {
		t.Fatalf("deactivated CRM users %v, want %d", m["total"], sb.Summary().ArchivedOwners)
	}
}

func BenchmarkGenerate1M(b *testing.B) {
	for b.Loop() {
		s := New(Config{Contacts: 1_000_000})
		ts := httptest.NewRecorder()
		tok := s.IssueToken()
		for _, after := range []string{"", "2000000", "3000000"} {
			req := httptest.NewRequest("GET", "/crm/v3/objects/contacts?limit=100&after="+after, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			s.ServeHTTP(ts, req)
			if ts.Code != 200 {
				b.Fatalf("status %d", ts.Code)
			}
		}
	}
}

func BenchmarkListContacts100k(b *testing.B) {
	s := New(Config{Contacts: 100_000})
	tok := s.IssueToken()
	for b.Loop() {
		after, pages := "", 0
		for {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/crm/v3/objects/contacts?limit=100&after="+after, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			s.ServeHTTP(rec, req)
			pages++
			i := bytes.Index(rec.Body.Bytes(), []byte(`"after":"`))
			if i < 0 {
				break
			}
			rest := rec.Body.Bytes()[i+9:]
			after = string(rest[:bytes.IndexByte(rest, '"')])
		}
		if pages != 1000 {
			b.Fatalf("%d pages", pages)
		}
	}
}

func BenchmarkSearch1MSortedDeepPage(b *testing.B) {
	s := New(Config{Contacts: 1_000_000})
	tok := s.IssueToken()
	body := `{"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":"0"}]}],"sorts":["-lastmodifieddate"],"limit":200,"after":"9000"}`
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/crm/v3/objects/contacts/search", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
