package hubspot_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// The last page of a capped search is shortened to end at the 10,000th
// result, whatever the page size: the client never asks for one past it.
func TestSearchNeverAsksPastTheCap(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 10_300})
	c := sb.client()
	ctx := context.Background()
	for _, tc := range []struct{ after, size int }{{9900, 150}, {9996, 7}, {9800, 200}, {9999, 33}, {9950, 0}} {
		sp, err := c.SearchContacts(ctx, hubspot.SearchRequest{Properties: []string{"hs_object_id"}, Limit: tc.size, After: strconv.Itoa(tc.after)})
		if err != nil {
			t.Fatalf("after %d, page size %d: %v", tc.after, tc.size, err)
		}
		if got := tc.after + len(sp.Results); got != 10_000 {
			t.Errorf("after %d, page size %d: ends at result %d, want 10000", tc.after, tc.size, got)
		}
	}
	for _, r := range sb.Requests() {
		if !strings.HasSuffix(r.Path, "/search") {
			continue
		}
		var body struct {
			Limit int    `json:"limit"`
			After string `json:"after"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		after, _ := strconv.Atoi(body.After)
		if after+body.Limit > 10_000 {
			t.Errorf("search asked after=%d limit=%d: results past the 10,000th", after, body.Limit)
		}
	}
}

// No path of the client sends a batch naming a contact twice: an update
// is refused before sending, a read asks for each ID once.
func TestBatchesNeverNameAContactTwice(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 20})
	c := sb.client()
	ctx := context.Background()
	pg, err := c.ContactsPage(ctx, "", 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := pg.Results[0].ID, pg.Results[1].ID
	owner := hubspot.Properties{hubspot.PropOwnerID: string(sb.Fixtures().QueueOwner)}
	_, err = c.BatchUpdateContacts(ctx, []hubspot.BatchInput{{ID: a, Properties: owner}, {ID: b, Properties: owner}, {ID: a, Properties: owner}})
	if err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("update naming %s twice: %v, want a refusal", a, err)
	}
	if n := len(sb.WriteRequests()); n != 0 {
		t.Fatalf("%d writes sent for a refused batch", n)
	}
	res, err := c.BatchReadContacts(ctx, []hubspot.ContactID{a, b, a, b}, nil)
	if err != nil || len(res.Results) != 2 {
		t.Fatalf("read of duplicates: %v, %d results", err, len(res.Results))
	}
}

// HubSpot's one 400 for a batch with bad inputs: the client reads the
// whole list from the message (errors[] is shorter), says each distinct
// problem once, and tells a batch whose every input failed alike.
func TestPropertyProblemsOfABatch(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 20})
	c := sb.client()
	ctx := context.Background()
	pg, _ := c.ContactsPage(ctx, "", 3, nil)
	var in []hubspot.BatchInput
	for _, ct := range pg.Results {
		in = append(in, hubspot.BatchInput{ID: ct.ID, Properties: hubspot.Properties{hubspot.PropOwnerID: string(sb.Fixtures().ArchivedOwner)}})
	}
	_, err := c.BatchUpdateContacts(ctx, in)
	problems, ok := hubspot.PropertyProblems(err)
	if !ok || len(problems) != 3 {
		t.Fatalf("problems %v (%v) of %v, want 3", problems, ok, err)
	}
	if !hubspot.ProblemsOfEveryInput(problems, 3) || hubspot.ProblemsOfEveryInput(problems, 4) {
		t.Errorf("a deactivated target for all 3 inputs is a problem of every input")
	}
	if !hubspot.IsInvalidOwner(err) || strings.Count(err.Error(), "is not a valid owner id") != 1 {
		t.Errorf("error text %q: want the owner problem once", err)
	}
	if err := sb.SetRejectWrites(pg.Results[1].ID); err != nil {
		t.Fatal(err)
	}
	for i := range in {
		in[i].Properties = hubspot.Properties{hubspot.PropOwnerID: string(sb.Fixtures().QueueOwner)}
	}
	_, err = c.BatchUpdateContacts(ctx, in)
	problems, ok = hubspot.PropertyProblems(err)
	if !ok || len(problems) != 1 || hubspot.ProblemsOfEveryInput(problems, 3) {
		t.Fatalf("one rejecting record of 3: problems %v (%v)", problems, ok)
	}
	if left := hubspot.WithoutProblems(problems, problems); len(left) != 0 {
		t.Errorf("WithoutProblems left %v", left)
	}
}
