package portal

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// sandboxRecord is one sandbox record, of the type the mirror keys it by,
// with its property values and the owner properties record_owners mirrors
// for it.
type sandboxRecord struct {
	typ    hubspot.ObjectType
	id     string
	values map[string]string
	owners []hubspot.OwnerProperty
}

// sandboxOwned lists every record of the sandbox with the owner properties
// discovered for its type: every type's records, and the contacts with
// their custom owner properties only (hubspot_owner_id is the contacts
// table's).
func sandboxOwned(t *testing.T, e *env) []sandboxRecord {
	t.Helper()
	infos, err := e.p.mirror.ObjectTypes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byType := map[hubspot.ObjectType][]hubspot.OwnerProperty{}
	for _, info := range infos {
		byType[info.Type] = info.OwnerProperties
	}
	byType[hubspot.ObjectContacts] = store.CustomOwnerProperties(byType[hubspot.ObjectContacts])
	var out []sandboxRecord
	seen := map[hubspot.ContactID]bool{}
	for i := 0; ; i++ {
		c, ok := e.sb.ContactAt(i)
		if !ok {
			break
		}
		if seen[c.ID] { // merged away: HubSpot answers with the survivor
			continue
		}
		seen[c.ID] = true
		out = append(out, sandboxRecord{typ: hubspot.ObjectContacts, id: string(c.ID), values: c.Properties, owners: byType[hubspot.ObjectContacts]})
	}
	for name, typ := range sandboxTypes(e.sb) {
		for i := range e.sb.ObjectCount(name) {
			rec, _ := e.sb.ObjectRecordAt(name, i)
			out = append(out, sandboxRecord{typ: typ, id: rec.ID, values: rec.Properties, owners: byType[typ]})
		}
	}
	return out
}

// assertContactOwnersEqualSandbox checks the custom owner properties of
// every contact against the sandbox: the mirror holds each owner ID of each
// value, in order, and no row besides (none of a contact gone or a value
// cleared).
func assertContactOwnersEqualSandbox(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	infos, err := e.p.mirror.ObjectTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var props []hubspot.OwnerProperty
	for _, info := range infos {
		if info.Type == hubspot.ObjectContacts {
			props = store.CustomOwnerProperties(info.OwnerProperties)
		}
	}
	rows := 0
	for _, row := range allContacts(t, e.p) {
		c, _ := e.sb.Contact(row.ContactID)
		got, err := e.p.mirror.ContactOwners(ctx, row.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		rows += len(got)
		for _, op := range props {
			want := store.SplitOwnerIDs(c.Properties[op.Name], op.Multi)
			var ids []hubspot.OwnerID
			for _, o := range got {
				if o.Property == op.Name {
					if o.Position != len(ids) {
						t.Fatalf("contact %s %s: owner %s at position %d, want %d", row.ContactID, op.Name, o.OwnerID, o.Position, len(ids))
					}
					ids = append(ids, o.OwnerID)
				}
			}
			if !slices.Equal(ids, want) {
				t.Fatalf("contact %s %s: mirror %v, sandbox %v", row.ContactID, op.Name, ids, want)
			}
		}
	}
	if n, err := e.p.mirror.CountRecordOwners(ctx, hubspot.ObjectContacts); err != nil || n != rows {
		t.Fatalf("record_owners holds %d contact rows (%v), the sandbox's contacts %d", n, err, rows)
	}
}

// The sandbox's custom owner properties of contacts.
const (
	csmProperty     = "customer_success_manager"
	supportProperty = "support_team"
)

// A sync mirrors contacts' custom owner properties (a multi-select holding
// two owners as two rows in order); an incremental sync, which lists no
// contacts, brings a value changed, a multi-select given two new owners
// and values cleared; holdings and findings count them per property.
func TestContactsCustomOwnerPropertiesSyncAndIncrementalSync(t *testing.T) {
	e := newEnv(t, smallObjects, nil)
	e.sync(t)
	ctx := context.Background()
	assertContactOwnersEqualSandbox(t, e)
	c0, _ := e.sb.ContactAt(0)
	got, err := e.p.mirror.ContactOwners(ctx, c0.ID)
	if err != nil || len(got) < 2 {
		t.Fatalf("contact %s (support team %q): %v, %v", c0.ID, c0.Properties[supportProperty], got, err)
	}

	owners := activeOwners(t, e, 2)
	var withCSM hubspot.Contact
	for i := 1; ; i++ {
		c, ok := e.sb.ContactAt(i)
		if !ok {
			t.Fatal("no contact has a customer success manager")
		}
		if c.Properties[csmProperty] != "" {
			withCSM = c
			break
		}
	}
	changes := []hubspot.BatchInput{
		{ID: c0.ID, Properties: hubspot.Properties{supportProperty: string(owners[1]) + ";" + string(owners[0]), csmProperty: string(owners[1])}},
		{ID: withCSM.ID, Properties: hubspot.Properties{csmProperty: "", supportProperty: ""}},
	}
	if _, err := e.client.BatchUpdateContacts(ctx, changes); err != nil {
		t.Fatal(err)
	}
	lists := len(requestsTo(e.sb, "GET", contactsPath))
	e.sync(t)
	if n := len(requestsTo(e.sb, "GET", contactsPath)) - lists; n != 0 {
		t.Errorf("the incremental sync listed contacts %d times", n)
	}
	assertContactOwnersEqualSandbox(t, e)
	got, _ = e.p.mirror.ContactOwners(ctx, c0.ID)
	want := []store.RecordOwner{{Property: csmProperty, OwnerID: owners[1]}, {Property: supportProperty, OwnerID: owners[1]}, {Property: supportProperty, OwnerID: owners[0], Position: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("contact %s after the change: %v, want %v", c0.ID, got, want)
	}
	if got, _ := e.p.mirror.ContactOwners(ctx, withCSM.ID); len(got) != 0 {
		t.Errorf("contact %s, its values cleared, still holds %v", withCSM.ID, got)
	}

	holdings, err := e.p.mirror.OwnerHoldings(ctx, owners[1])
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]int{}
	for _, h := range holdings {
		held[string(h.Type)+" "+h.Property] = h.Count
	}
	for _, p := range []string{csmProperty, supportProperty} {
		if held["contacts "+p] == 0 {
			t.Errorf("owner %s holds %v: no contacts through %s", owners[1], held, p)
		}
	}
	findings, err := e.p.Findings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{csmProperty, supportProperty} {
		if !slices.ContainsFunc(findings, func(f store.Finding) bool {
			return f.ObjectType == hubspot.ObjectContacts && f.Property == p && f.Kind == store.FindingRecordsDeactivatedOwner
		}) {
			t.Errorf("no finding of contacts held by deactivated owners through %s", p)
		}
	}
}

// A full sync cancelled half-way through the contacts (listed over
// parallel ranges) resumes from its cursors, and the contacts' custom owner
// rows come out whole, none twice.
func TestContactsCustomOwnerPropertiesSurviveAnInterruptedFullSync(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// From the 16th page on (of 30), list requests wait until the pages
	// fetched so far hold 1,000 contacts written, then the sync is
	// stopped, as a kill would.
	var e *env
	var lists atomic.Int32
	e = newEnv(t, hubspottest.Config{Contacts: 3000}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "GET" && r.URL.Path == contactsPath && lists.Add(1) >= 16 {
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
					if n, _ := e.p.CountContacts(context.Background(), store.Query{}); n >= 1000 {
						break
					}
				}
				cancel()
			}
			h.ServeHTTP(w, r)
		})
	})
	if err := e.p.Sync(ctx, nil); err == nil {
		t.Fatal("the cancelled sync reported success")
	}
	if st, _ := e.p.Mirror().SyncState(context.Background(), store.PhaseContacts); !st.InProgress {
		t.Fatalf("after the interruption: %+v, want an unfinished full sync", st)
	}
	if n, _ := e.p.mirror.CountRecordOwners(context.Background(), hubspot.ObjectContacts); n == 0 {
		t.Fatal("no contact owner rows written before the interruption: the test proves nothing")
	}
	e.p.Close()
	e.p = e.open(t)
	e.sync(t)
	assertFullSyncComplete(t, e, 3000)
	assertContactOwnersEqualSandbox(t, e)
}
