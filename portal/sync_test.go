package portal

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

func TestOpenLearnsHubIDFromToken(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 10, HubID: 4242}, nil)
	if got := e.p.Info().HubID; got != 4242 {
		t.Fatalf("HubID = %d, want 4242", got)
	}
	if !strings.HasSuffix(e.p.Info().Dir, "hub-4242") {
		t.Fatalf("Dir = %s", e.p.Info().Dir)
	}
}

func TestFullSyncMirrorsTheSandbox(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 2000}, nil)
	ctx := context.Background()
	progress := make(chan SyncProgress, 1000)
	if err := e.p.Sync(ctx, progress); err != nil {
		t.Fatal(err)
	}
	close(progress)

	sum := e.sb.Summary()
	got, err := e.p.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Counts{Users: sum.Users, MultiRoleUsers: sum.MultiRoleUsers, Roles: sum.Roles, Teams: sum.Teams,
		Owners: sum.Owners, ArchivedOwners: sum.ArchivedOwners, QueueOwners: sum.QueueOwners, CRMUsers: sum.CRMUsers, Contacts: sum.Contacts}
	if got != want {
		t.Fatalf("mirror counts %+v\nsandbox summary %+v", got, want)
	}

	var phases []string
	for pr := range progress {
		if pr.Finished {
			phases = append(phases, pr.Phase)
			if pr.Phase == "contacts" && (pr.Done != sum.Contacts || pr.Total != sum.Contacts) {
				t.Errorf("final contacts progress %+v, want %d/%d", pr, sum.Contacts, sum.Contacts)
			}
		}
	}
	for _, phase := range []string{"users", "roles", "teams", "owners", "archived owners", "CRM users", "contacts"} {
		if !slices.Contains(phases, phase) {
			t.Errorf("no finished progress for phase %q (got %v)", phase, phases)
		}
	}

	// Every user, owner and contact as the sandbox has it.
	users, err := e.p.Users(ctx, store.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		want, ok := e.sb.User(u.UserID)
		if !ok {
			t.Fatalf("mirror has user %s the sandbox does not", u.UserID)
		}
		if u.Email != want.Email || u.Name != want.Name() || u.PrimaryRoleID != want.RoleID || u.SuperAdmin != want.SuperAdmin ||
			u.PrimaryTeamID != want.PrimaryTeamID || len(u.RoleIDs) != len(want.Roles()) || len(u.SecondaryTeamIDs) != len(want.SecondaryTeamIDs) {
			t.Errorf("user %s: mirror %+v, sandbox %+v", u.UserID, u, want)
		}
		if len(u.RoleIDs) > 0 && want.RoleID != "" && u.RoleIDs[0] != want.RoleID {
			t.Errorf("user %s: primary role %s not first in %v", u.UserID, want.RoleID, u.RoleIDs)
		}
		if len(u.RoleNames) != len(u.RoleIDs) || slices.Contains(u.RoleNames, "") {
			t.Errorf("user %s: role names %q for %v", u.UserID, u.RoleNames, u.RoleIDs)
		}
	}
	owners, err := e.p.Owners(ctx, store.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range owners {
		want, ok := e.sb.Owner(o.OwnerID)
		if !ok {
			t.Fatalf("mirror has owner %s the sandbox does not", o.OwnerID)
		}
		if o.Email != want.Email || o.Type != want.Type || o.Archived != want.Archived || o.UserID != want.UserID ||
			o.UserIDIncludingInactive != want.UserIDIncludingInactive {
			t.Errorf("owner %s: mirror %+v, sandbox %+v", o.OwnerID, o, want)
		}
	}
	contacts := allContacts(t, e.p)
	if len(contacts) != sum.Contacts {
		t.Fatalf("%d contacts listed, want %d", len(contacts), sum.Contacts)
	}
	perOwner := map[hubspot.OwnerID]int{}
	for _, c := range contacts {
		want, ok := e.sb.Contact(c.ContactID)
		if !ok {
			t.Fatalf("mirror has contact %s the sandbox does not", c.ContactID)
		}
		if c.Email != want.Email() || c.Name != want.Name() || c.OwnerID != want.OwnerID() ||
			!c.LastModified.Equal(store.ContactModified(want)) {
			t.Fatalf("contact %s: mirror %+v, sandbox %+v", c.ContactID, c, want)
		}
		perOwner[c.OwnerID]++
	}
	for _, o := range owners {
		if o.ContactCount != perOwner[o.OwnerID] {
			t.Errorf("owner %s: ContactCount %d, mirror holds %d", o.OwnerID, o.ContactCount, perOwner[o.OwnerID])
		}
	}
	last, err := e.p.LastSync(ctx)
	if err != nil || last.IsZero() {
		t.Fatalf("LastSync = %v, %v", last, err)
	}
}

func TestIncrementalSyncPicksUpChanges(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 500}, nil)
	ctx := context.Background()
	e.sync(t)
	listsBefore := len(requestsTo(e.sb, "GET", contactsPath))

	f := e.sb.Fixtures()
	var target hubspot.ContactID
	for _, c := range allContacts(t, e.p) {
		if c.OwnerID != f.ActiveOwner {
			target = c.ContactID
			break
		}
	}
	if _, err := e.client.UpdateContact(ctx, target, hubspot.Properties{hubspot.PropOwnerID: string(f.ActiveOwner), hubspot.PropFirstName: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	countBefore, _ := e.p.CountContacts(ctx, store.Query{OwnerID: f.ActiveOwner})

	e.sync(t)
	if n := len(requestsTo(e.sb, "GET", contactsPath)); n != listsBefore {
		t.Fatalf("the second sync listed contacts again (%d list requests, was %d): want an incremental search", n, listsBefore)
	}
	searches := requestsTo(e.sb, "POST", searchPath)
	if len(searches) == 0 || !strings.Contains(string(searches[len(searches)-1].Body), `"lastmodifieddate"`) {
		t.Fatalf("no lastmodifieddate search was sent")
	}
	rows, err := e.p.Contacts(ctx, store.Query{Filter: "renamed"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].ContactID != target || rows[0].OwnerID != f.ActiveOwner || rows[0].OwnerState != store.OwnerActive {
		t.Fatalf("after incremental sync: %+v, want contact %s owned by %s", rows, target, f.ActiveOwner)
	}
	if countAfter, _ := e.p.CountContacts(ctx, store.Query{OwnerID: f.ActiveOwner}); countAfter != countBefore+1 {
		t.Fatalf("owner count %d, want %d", countAfter, countBefore+1)
	}
}

// An interrupted full sync that pages one cursor (search, which would tell
// the ID span, is refused) resumes from its saved cursor and ends complete.
func TestInterruptedFullSyncResumes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var lists atomic.Int32
	cancelAt := int32(8)
	e := newEnv(t, hubspottest.Config{Contacts: 2000}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "GET" && r.URL.Path == contactsPath && lists.Add(1) == cancelAt {
				cancel() // "kill" the sync while it is half-way through the contacts
			}
			denySearch(h).ServeHTTP(w, r)
		})
	})
	if err := e.p.Sync(ctx, nil); err == nil {
		t.Fatal("the cancelled sync reported success")
	}
	st, err := e.p.Mirror().SyncState(context.Background(), store.PhaseContacts)
	if err != nil {
		t.Fatal(err)
	}
	ranges, err := e.p.Mirror().SyncRanges(context.Background(), store.PhaseContacts)
	if err != nil {
		t.Fatal(err)
	}
	if !st.InProgress || len(ranges) != 1 || ranges[0].Cursor == "" || ranges[0].Done {
		t.Fatalf("after the interruption: %+v, ranges %+v, want an unfinished full sync with one cursor", st, ranges)
	}
	cursor := ranges[0].Cursor
	half, _ := e.p.CountContacts(context.Background(), store.Query{})
	if half == 0 || half >= 2000 {
		t.Fatalf("%d contacts mirrored before the interruption", half)
	}

	before := len(requestsTo(e.sb, "GET", contactsPath))
	// Reopen, as a new run of hsadmin would.
	e.p.Close()
	e.p = e.open(t)
	e.sync(t)

	// The sandbox may log the first run's last, cancelled request late, so
	// look for the cursor rather than at the first request.
	lists2 := requestsTo(e.sb, "GET", contactsPath)[before:]
	resumed := false
	for _, r := range lists2 {
		if !strings.Contains(r.RawQuery, "after=") {
			t.Fatalf("the resumed sync started over: %s", r.RawQuery)
		}
		resumed = resumed || strings.Contains(r.RawQuery, "after="+cursor+"&")
	}
	if !resumed {
		t.Fatalf("the resumed sync never asked for the saved cursor %s", cursor)
	}
	// Exactly the pages not yet written, plus perhaps the first run's
	// cancelled request logged late.
	if pages, want := len(lists2), 20-half/100; pages < want || pages > want+1 {
		t.Fatalf("the resumed sync fetched %d pages, want the %d not yet written", pages, want)
	}
	assertFullSyncComplete(t, e, 2000)
}

// assertFullSyncComplete checks that the mirror holds want contacts and
// that the full sync is recorded as finished, its ranges forgotten.
func assertFullSyncComplete(t *testing.T, e *env, want int) {
	t.Helper()
	ctx := context.Background()
	if n, _ := e.p.CountContacts(ctx, store.Query{}); n != want {
		t.Fatalf("%d contacts after the full sync, want %d", n, want)
	}
	st, _ := e.p.Mirror().SyncState(ctx, store.PhaseContacts)
	if st.InProgress || st.LastFullSync.IsZero() {
		t.Fatalf("after the full sync: %+v, want a finished full sync", st)
	}
	if ranges, err := e.p.Mirror().SyncRanges(ctx, store.PhaseContacts); err != nil || len(ranges) != 0 {
		t.Fatalf("ranges left after the full sync: %+v, %v", ranges, err)
	}
}

// The incremental walk crosses the 10,000-result search cap, including a
// timestamp shared by more than 10,000 contacts.
func TestIncrementalSyncWalksPastTheSearchCap(t *testing.T) {
	if testing.Short() {
		t.Skip("12,000-contact sandbox")
	}
	fixed := time.Now().UTC().Truncate(time.Second)
	e := newEnv(t, hubspottest.Config{Contacts: 12_000, Users: 20, Now: func() time.Time { return fixed }}, nil)
	ctx := context.Background()

	// 10,050 contacts modified at the same millisecond: more than a search
	// can page through.
	ids := make([]hubspot.ContactID, 0, 10_050)
	for after := ""; len(ids) < 10_050; {
		pg, err := e.client.ContactsPage(ctx, after, 100, []string{"email"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range pg.Results {
			if len(ids) < 10_050 {
				ids = append(ids, c.ID)
			}
		}
		after = pg.NextAfter
	}
	for start := 0; start < len(ids); start += 100 {
		var in []hubspot.BatchInput
		for _, id := range ids[start:min(start+100, len(ids))] {
			in = append(in, hubspot.BatchInput{ID: id, Properties: hubspot.Properties{"jobtitle": "Tied"}})
		}
		if _, err := e.client.BatchUpdateContacts(ctx, in); err != nil {
			t.Fatal(err)
		}
	}

	// A mirror that believes it was fully synced long ago and holds nothing:
	// every contact must come through the incremental walk.
	if err := e.p.Mirror().SaveSyncState(ctx, store.SyncState{Phase: store.PhaseContacts, Generation: 1,
		LastFullSync: fixed.Add(-400 * 24 * time.Hour), LastSync: fixed.Add(-400 * 24 * time.Hour), HighWater: time.UnixMilli(1)}); err != nil {
		t.Fatal(err)
	}
	e.sync(t)
	if n, _ := e.p.CountContacts(ctx, store.Query{}); n != 12_000 {
		t.Fatalf("%d contacts after the walk, want 12000", n)
	}
	if n := len(requestsTo(e.sb, "GET", contactsPath)); n != 101 {
		t.Fatalf("%d contact list requests: the incremental sync should only search (101 came from the test)", n)
	}
	var sawTieWalk, sawSecondWindow bool
	for _, r := range requestsTo(e.sb, "POST", searchPath) {
		if r.Status != 200 {
			t.Fatalf("search answered %d: %s", r.Status, r.Body)
		}
		var body hubspot.SearchRequest
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		for _, g := range body.FilterGroups {
			for _, f := range g.Filters {
				if f.PropertyName == "hs_object_id" {
					sawTieWalk = true
				}
				if f.Operator == "GTE" && f.Value == strconv.FormatInt(fixed.UnixMilli(), 10) {
					sawSecondWindow = true
				}
			}
		}
	}
	if !sawSecondWindow || !sawTieWalk {
		t.Fatalf("second window %v, tie walk %v: want both", sawSecondWindow, sawTieWalk)
	}
	st, _ := e.p.Mirror().SyncState(ctx, store.PhaseContacts)
	if !st.HighWater.After(time.UnixMilli(1)) {
		t.Fatalf("high-water mark did not move: %v", st.HighWater)
	}
}
