package portal

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// smallObjects is a portal with a few records of every type, so that the
// sync tests stay fast.
var smallObjects = hubspottest.Config{Contacts: 60, Users: 12, Companies: 30, Deals: 45, Tickets: 25, CustomRecords: 15}

// sandboxTypes are the sandbox's types beyond contacts, by the name its
// accessors take, with the type the mirror keys them by.
func sandboxTypes(sb *hubspottest.Server) map[string]hubspot.ObjectType {
	return map[string]hubspot.ObjectType{
		"companies": hubspot.ObjectCompanies, "deals": hubspot.ObjectDeals, "tickets": hubspot.ObjectTickets,
		"projects": hubspot.ObjectType(sb.CustomObjectTypeID()),
	}
}

// finishedPhases drains progress and returns the phases that finished.
func finishedPhases(progress chan SyncProgress) []string {
	var phases []string
	for len(progress) > 0 {
		if sp := <-progress; sp.Finished {
			phases = append(phases, sp.Phase)
		}
	}
	return phases
}

// assertMirrorMatchesSandbox checks every record of every type of the
// sandbox against the mirror: its name and the owner IDs of each owner
// property, in order.
func assertMirrorMatchesSandbox(t *testing.T, e *env, types map[string]hubspot.ObjectType) {
	t.Helper()
	ctx := context.Background()
	infos, err := e.p.mirror.ObjectTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byType := map[hubspot.ObjectType]store.ObjectTypeInfo{}
	for _, info := range infos {
		byType[info.Type] = info
	}
	for name, typ := range types {
		info, ok := byType[typ]
		if !ok {
			t.Errorf("%s (%s) was not discovered", name, typ)
			continue
		}
		n := e.sb.ObjectCount(name)
		if got, err := e.p.mirror.CountRecords(ctx, typ, 0); err != nil || got != n {
			t.Errorf("%s: mirror holds %d records (%v), the sandbox %d", name, got, err, n)
		}
		for i := range n {
			want, _ := e.sb.ObjectRecordAt(name, i)
			got, err := e.p.mirror.Record(ctx, typ, hubspot.RecordID(want.ID))
			if err != nil {
				t.Errorf("%s %s: %v", name, want.ID, err)
				continue
			}
			if got.Name != want.Properties[info.DisplayProperty] {
				t.Errorf("%s %s named %q, want %q", name, want.ID, got.Name, want.Properties[info.DisplayProperty])
			}
			for _, op := range info.OwnerProperties {
				wantIDs := store.SplitOwnerIDs(want.Properties[op.Name], op.Multi)
				var gotIDs []hubspot.OwnerID
				for _, o := range got.Owners {
					if o.Property == op.Name {
						gotIDs = append(gotIDs, o.OwnerID)
					}
				}
				if !slices.Equal(gotIDs, wantIDs) {
					t.Errorf("%s %s %s: mirror %v, sandbox %v", name, want.ID, op.Name, gotIDs, wantIDs)
				}
			}
		}
	}
}

// A sync discovers contacts, companies, deals, tickets and the custom
// object, with every owner property (single- and multi-select) labelled,
// and mirrors every record with its owners.
func TestSyncDiscoversEveryTypeAndMirrorsItsOwners(t *testing.T) {
	e := newEnv(t, smallObjects, nil)
	progress := make(chan SyncProgress, 1000)
	if err := e.p.Sync(context.Background(), progress); err != nil {
		t.Fatal(err)
	}
	phases := finishedPhases(progress)
	for _, want := range []string{"companies", "deals", "tickets", "projects", "associations"} {
		if !slices.Contains(phases, want) {
			t.Errorf("no phase %q in %q", want, phases)
		}
	}
	infos, err := e.p.mirror.ObjectTypes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	custom := hubspot.ObjectType(e.sb.CustomObjectTypeID())
	var got []hubspot.ObjectType
	props := map[hubspot.ObjectType][]hubspot.OwnerProperty{}
	for _, info := range infos {
		got = append(got, info.Type)
		props[info.Type] = info.OwnerProperties
	}
	if want := []hubspot.ObjectType{"contacts", "companies", "deals", "tickets", custom}; !slices.Equal(got, want) {
		t.Fatalf("discovered %v, want %v", got, want)
	}
	has := func(typ hubspot.ObjectType, name string, multi bool) {
		t.Helper()
		i := slices.IndexFunc(props[typ], func(p hubspot.OwnerProperty) bool { return p.Name == name })
		if i < 0 {
			t.Errorf("%s: no owner property %s in %+v", typ, name, props[typ])
			return
		}
		if p := props[typ][i]; p.Multi != multi || p.Label == "" {
			t.Errorf("%s.%s: %+v, want multi=%v and a label", typ, name, p, multi)
		}
	}
	has(hubspot.ObjectCompanies, "hubspot_owner_id", false)
	has(hubspot.ObjectCompanies, "account_team", true)
	has(hubspot.ObjectDeals, "secondary_owner", false)
	has(hubspot.ObjectTickets, "hubspot_owner_id", false)
	has(custom, "implementation_lead", false)
	assertMirrorMatchesSandbox(t, e, sandboxTypes(e.sb))

	// Associations: a deal's company as the sandbox links them.
	deal, _ := e.sb.ObjectRecordAt("deals", 3)
	var wantCompanies []hubspot.RecordID
	for a, err := range e.client.Associations(context.Background(), hubspot.ObjectDeals, hubspot.RecordID(deal.ID), hubspot.ObjectCompanies) {
		if err != nil {
			t.Fatal(err)
		}
		wantCompanies = append(wantCompanies, a.ToObjectID)
	}
	gotCompanies, err := e.p.mirror.Associated(context.Background(), hubspot.ObjectDeals, hubspot.RecordID(deal.ID), hubspot.ObjectCompanies)
	if err != nil || !slices.Equal(gotCompanies, wantCompanies) || len(wantCompanies) == 0 {
		t.Errorf("deal %s's companies: mirror %v (%v), HubSpot %v", deal.ID, gotCompanies, err, wantCompanies)
	}
}

// A type the token cannot read (tickets), custom objects without the
// schemas scope, and a type whose properties are refused are each skipped
// and said once; the rest is mirrored.
func TestSyncSkipsTypesAndPropertiesTheTokenCannotRead(t *testing.T) {
	// HubSpot may refuse the Properties API while the records are readable
	// (it asks for crm.schemas.deals.read); the sandbox grants it with the
	// records' scope, so the refusal is HubSpot's answer put in front.
	refuseDealProperties := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/crm/v3/properties/deals") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				w.Write([]byte(`{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.schemas.deals.read"]}}]}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	e := newEnv(t, smallObjects, refuseDealProperties)
	granted := slices.DeleteFunc(slices.Clone(hubspottest.AllScopes), func(s string) bool {
		return s == "tickets" || s == "crm.schemas.custom.read"
	})
	e.token = e.sb.IssueToken(granted...)
	e.client = hubspot.New(hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(e.token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	e.p = e.open(t)

	progress := make(chan SyncProgress, 1000)
	if err := e.p.Sync(context.Background(), progress); err != nil {
		t.Fatalf("sync with a narrower token: %v", err)
	}
	phases := finishedPhases(progress)
	for _, want := range []string{
		"tickets skipped: the token lacks tickets",
		"custom objects skipped: the token lacks crm.schemas.custom.read",
		"deals owner properties skipped: the token lacks crm.schemas.deals.read",
	} {
		if n := countOf(phases, want); n != 1 {
			t.Errorf("phase %q reported %d times in %q, want once", want, n, phases)
		}
	}
	infos, err := e.p.mirror.ObjectTypes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []hubspot.ObjectType
	for _, info := range infos {
		got = append(got, info.Type)
		if info.Type == hubspot.ObjectDeals && (len(info.OwnerProperties) != 1 || info.OwnerProperties[0].Name != hubspot.PropOwnerID) {
			t.Errorf("deals without their properties keep %+v, want hubspot_owner_id alone", info.OwnerProperties)
		}
	}
	if want := []hubspot.ObjectType{"contacts", "companies", "deals"}; !slices.Equal(got, want) {
		t.Errorf("discovered %v, want %v", got, want)
	}
	if n, _ := e.p.mirror.CountRecords(context.Background(), hubspot.ObjectTickets, 0); n != 0 {
		t.Errorf("%d tickets mirrored without the scope", n)
	}
	assertMirrorMatchesSandbox(t, e, map[string]hubspot.ObjectType{"companies": hubspot.ObjectCompanies})
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

// An incremental sync brings every type's changed records, found by
// hs_lastmodifieddate, without listing the types again.
func TestIncrementalSyncBringsChangedRecordsOfEveryType(t *testing.T) {
	e := newEnv(t, smallObjects, nil)
	e.sync(t)
	ctx := context.Background()
	owners := activeOwners(t, e, 2)
	owner := owners[0]
	types := sandboxTypes(e.sb)
	for name, typ := range types {
		rec, _ := e.sb.ObjectRecordAt(name, 2)
		props := hubspot.Properties{hubspot.PropOwnerID: string(owner)}
		if name == "companies" {
			props["account_team"] = string(owners[1]) + ";" + string(owner)
		}
		if _, err := e.client.BatchUpdateRecords(ctx, typ, []hubspot.RecordInput{{ID: hubspot.RecordID(rec.ID), Properties: props}}); err != nil {
			t.Fatalf("changing %s %s: %v", name, rec.ID, err)
		}
	}
	listsBefore := len(companyListings(e.sb))
	progress := make(chan SyncProgress, 1000)
	if err := e.p.Sync(ctx, progress); err != nil {
		t.Fatal(err)
	}
	if n := len(companyListings(e.sb)) - listsBefore; n != 0 {
		t.Errorf("the incremental sync listed companies %d times", n)
	}
	if phases := finishedPhases(progress); !slices.Contains(phases, "companies changes") || !slices.Contains(phases, "projects changes") {
		t.Errorf("phases %q lack the changes of each type", phases)
	}
	assertMirrorMatchesSandbox(t, e, types)
	rec, _ := e.sb.ObjectRecordAt("deals", 2)
	got, err := e.p.mirror.Record(ctx, hubspot.ObjectDeals, hubspot.RecordID(rec.ID))
	if err != nil || !slices.ContainsFunc(got.Owners, func(o store.RecordOwner) bool { return o.Property == hubspot.PropOwnerID && o.OwnerID == owner }) {
		t.Errorf("deal %s in the mirror %+v (%v), want owner %s", rec.ID, got, err, owner)
	}
}

// activeOwners are n active owners of the sandbox with a user.
func activeOwners(t *testing.T, e *env, n int) []hubspot.OwnerID {
	t.Helper()
	var out []hubspot.OwnerID
	for o, err := range e.client.Owners(context.Background(), hubspot.OwnerListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if o.UserID != "" && len(out) < n {
			out = append(out, o.ID)
		}
	}
	if len(out) < n {
		t.Fatalf("the sandbox has %d active owners, want %d", len(out), n)
	}
	return out
}

// companyListings are the queries of the sandbox's company list pages
// (not the one-record probes of discovery).
func companyListings(sb *hubspottest.Server) []string {
	var out []string
	for _, r := range requestsTo(sb, "GET", "/crm/v3/objects/companies") {
		if !strings.HasPrefix(r.RawQuery, "limit=1&") {
			out = append(out, r.RawQuery)
		}
	}
	return out
}

// waitForCursor waits until a page of typ's full sync is written, so that
// a cancel comes after it.
func waitForCursor(t *testing.T, e *env, typ hubspot.ObjectType) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if st, err := e.p.mirror.SyncState(context.Background(), store.RecordsPhase(typ)); err == nil && st.Cursor != "" {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Error("no page of " + string(typ) + " was written")
}

// A full sync cancelled half-way through a type's list resumes from the
// saved cursor: the pages written are not asked for again, and the mirror
// ends up complete.
func TestRecordsSyncResumesAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var lists atomic.Int32
	cfg := smallObjects
	cfg.Companies = 350 // four pages
	var e *env
	e = newEnv(t, cfg, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "GET" && r.URL.Path == "/crm/v3/objects/companies" && r.URL.Query().Get("limit") != "1" && lists.Add(1) == 3 {
				waitForCursor(t, e, hubspot.ObjectCompanies)
				cancel() // "kill" the sync while it is half-way through the companies
			}
			h.ServeHTTP(w, r)
		})
	})
	if err := e.p.Sync(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sync: %v", err)
	}
	st, err := e.p.mirror.SyncState(context.Background(), store.RecordsPhase(hubspot.ObjectCompanies))
	if err != nil || !st.InProgress || st.Cursor == "" {
		t.Fatalf("companies state after the cancel %+v (%v), want a saved cursor", st, err)
	}
	before := len(companyListings(e.sb))
	e.sync(t)
	resumed := companyListings(e.sb)[before:]
	if !slices.ContainsFunc(resumed, func(q string) bool { return strings.HasPrefix(q, "after="+st.Cursor+"&") }) {
		t.Errorf("the resumed sync listed companies with %q, want it to go on after=%s", resumed, st.Cursor)
	}
	if slices.ContainsFunc(resumed, func(q string) bool { return !strings.Contains(q, "after=") }) {
		t.Errorf("the resumed sync listed companies from the start again: %q", resumed)
	}
	assertMirrorMatchesSandbox(t, e, sandboxTypes(e.sb))
}
