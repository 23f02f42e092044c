package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

const multiStatus = `{"status":"COMPLETE","results":[{"id":"1","properties":{"email":"a@x.io","hubspot_owner_id":"41"}}],
 "numErrors":2,"errors":[
  {"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.","context":{"ids":["998","999"]}},
  {"status":"error","category":"VALIDATION_ERROR","message":"trace","id":"997","context":{"objectWriteTraceId":["t-1"]}}],
 "startedAt":"2024-04-24T19:21:09.694Z","completedAt":"2024-04-24T19:21:09.747Z"}`

func TestBatch207KeepsPerIDFailures(t *testing.T) {
	c, rec, _ := testClient(t, status(207, multiStatus))
	res, err := c.BatchReadContacts(context.Background(), []ContactID{"1", "998", "999", "997"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 1 || res.Results[0].OwnerID() != "41" {
		t.Errorf("results %+v", res.Results)
	}
	if len(res.Errors) != 2 || res.Errors[0].Category != "OBJECT_NOT_FOUND" || !strings.Contains(res.Errors[0].Message, "Could not get") {
		t.Fatalf("errors %+v", res.Errors)
	}
	if got := res.FailedIDs(); !slices.Equal(got, []string{"998", "999", "997"}) {
		t.Errorf("FailedIDs = %v", got)
	}
	if res.Errors[1].Context["objectWriteTraceId"][0] != "t-1" {
		t.Errorf("context lost: %+v", res.Errors[1])
	}
	var body struct {
		Properties []string
		Inputs     []struct{ ID string }
	}
	r := rec.requests()[0]
	if err := json.Unmarshal(r.Body, &body); err != nil || r.Path != "/crm/v3/objects/contacts/batch/read" {
		t.Fatal(err, r.Path)
	}
	if len(body.Inputs) != 4 || body.Inputs[3].ID != "997" || !slices.Equal(body.Properties, DefaultContactProperties) {
		t.Errorf("body %s", r.Body)
	}

	c2, _, _ := testClient(t, status(207, multiStatus))
	upd, err := c2.BatchUpdateContacts(context.Background(), []BatchInput{{ID: "1", Properties: Properties{PropOwnerID: "41"}}, {ID: "998", Properties: Properties{PropOwnerID: "41"}}})
	if err != nil || len(upd.FailedIDs()) != 3 {
		t.Errorf("update: %v %+v", err, upd)
	}
}

func TestBatchSizeIsCheckedBeforeSending(t *testing.T) {
	c, rec, _ := testClient(t, okJSON(`{"results":[]}`))
	ids := make([]ContactID, 101)
	inputs := make([]BatchInput, 101)
	for i := range ids {
		ids[i] = ContactID(fmt.Sprint(i + 1))
		inputs[i] = BatchInput{ID: ids[i], Properties: Properties{PropOwnerID: "1"}}
	}
	if _, err := c.BatchReadContacts(context.Background(), ids, nil); err == nil || !strings.Contains(err.Error(), "at most 100") {
		t.Errorf("read: %v", err)
	}
	if _, err := c.BatchUpdateContacts(context.Background(), inputs); err == nil || !strings.Contains(err.Error(), "at most 100") {
		t.Errorf("update: %v", err)
	}
	if res, err := c.BatchUpdateContacts(context.Background(), nil); err != nil || len(res.Results) != 0 {
		t.Errorf("empty: %v", err)
	}
	if _, err := c.BatchReadContacts(context.Background(), ids[:100], nil); err != nil {
		t.Errorf("100 IDs: %v", err)
	}
	if len(rec.requests()) != 1 {
		t.Errorf("%d requests, want only the batch of 100", len(rec.requests()))
	}
}

func TestWritesSendOwnerIDsAsStrings(t *testing.T) {
	c, rec, _ := testClient(t, okJSON(`{"id":"5","properties":{"hubspot_owner_id":"41629779"}}`))
	ctx := context.Background()
	if _, err := c.UpdateContact(ctx, "5", Properties{PropOwnerID: "41629779"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BatchUpdateContacts(ctx, []BatchInput{{ID: "5", Properties: Properties{PropOwnerID: "41629779"}}}); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if reqs[0].Method != "PATCH" || reqs[0].Path != "/crm/v3/objects/contacts/5" {
		t.Errorf("PATCH went to %s %s", reqs[0].Method, reqs[0].Path)
	}
	if got := strings.TrimSpace(string(reqs[0].Body)); got != `{"properties":{"hubspot_owner_id":"41629779"}}` {
		t.Errorf("PATCH body %s", got)
	}
	if got := strings.TrimSpace(string(reqs[1].Body)); got != `{"inputs":[{"id":"5","properties":{"hubspot_owner_id":"41629779"}}]}` {
		t.Errorf("batch body %s", got)
	}
}
