package hubspottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// contactIDs lists the first n contact IDs of a sandbox.
func contactIDs(t *testing.T, sb *sandbox, n int) []string {
	t.Helper()
	m := sb.do(t, "GET", "/crm/v3/objects/contacts?limit="+strconv.Itoa(n), "").json(t)
	var ids []string
	for _, r := range list(m["results"]) {
		ids = append(ids, str(obj(r)["id"]))
	}
	if len(ids) != n {
		t.Fatalf("%d contacts, want %d", len(ids), n)
	}
	return ids
}

func ownerInputs(ids []string, owner string) string {
	var in []string
	for _, id := range ids {
		in = append(in, `{"id":"`+id+`","properties":{"hubspot_owner_id":"`+owner+`"}}`)
	}
	return `{"inputs":[` + strings.Join(in, ",") + `]}`
}

func readInputs(ids []string, props ...string) string {
	var in []string
	for _, id := range ids {
		in = append(in, `{"id":"`+id+`"}`)
	}
	p, _ := json.Marshal(props)
	return `{"properties":` + string(p) + `,"inputs":[` + strings.Join(in, ",") + `]}`
}

func ownerOf(t *testing.T, sb *sandbox, id string) hubspot.OwnerID {
	t.Helper()
	c, ok := sb.Contact(hubspot.ContactID(id))
	if !ok {
		t.Fatalf("contact %s is gone", id)
	}
	return c.OwnerID()
}

// A batch naming a record twice is refused whole, as HubSpot's captured
// answer shows; nothing is written.
func TestBatchRefusesDuplicateIDs(t *testing.T) {
	sb := newSandbox(t, Config{})
	ids := contactIDs(t, sb, 3)
	target := string(sb.Fixtures().QueueOwner)
	before := ownerOf(t, sb, ids[1])
	for _, path := range []string{"/crm/v3/objects/contacts/batch/update", "/crm/v3/objects/contacts/batch/read"} {
		body := ownerInputs([]string{ids[0], ids[1], ids[2], ids[1]}, target)
		if strings.HasSuffix(path, "read") {
			body = readInputs([]string{ids[0], ids[1], ids[2], ids[1]})
		}
		m := expectError(t, sb.do(t, "POST", path, body), http.StatusBadRequest, "VALIDATION_ERROR")
		if want := "Duplicate IDs found in batch input: [" + ids[1] + "]. IDs must be unique"; m["message"] != want {
			t.Errorf("%s: message %q, want %q", path, m["message"], want)
		}
		if got := list(obj(m["context"])["ids"]); len(got) != 1 || got[0] != ids[1] {
			t.Errorf("%s: context %v", path, m["context"])
		}
	}
	if got := ownerOf(t, sb, ids[0]); got == hubspot.OwnerID(target) && before != hubspot.OwnerID(target) {
		t.Errorf("the refused batch was applied")
	}
}

// One input with a property problem fails the whole batch update with one
// 400 that lists the problems of every input, naming no input ID, without
// localizedErrorMessage/portalId, errors[] one shorter (the captured
// answer); a single PATCH keeps the documented localized fields.
func TestBatchPropertyErrorFailsTheWholeBatch(t *testing.T) {
	sb := newSandbox(t, Config{})
	ids := contactIDs(t, sb, 3)
	before := ownerOf(t, sb, ids[0])
	body := `{"inputs":[{"id":"` + ids[0] + `","properties":{"first000name":"A","last000name":"B"}},` +
		`{"id":"` + ids[1] + `","properties":{"first000name":"A","last000name":"B"}},` +
		`{"id":"` + ids[2] + `","properties":{"hubspot_owner_id":"` + string(sb.Fixtures().QueueOwner) + `"}}]}`
	m := expectError(t, sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", body), http.StatusBadRequest, "VALIDATION_ERROR")
	msg := str(m["message"])
	embedded, ok := strings.CutPrefix(msg, "Property values were not valid: ")
	if !ok {
		t.Fatalf("message %q", msg)
	}
	var problems []map[string]any
	if err := json.Unmarshal([]byte(embedded), &problems); err != nil {
		t.Fatalf("embedded problems: %v", err)
	}
	if len(problems) != 4 {
		t.Errorf("%d problems, want every input's (4): %s", len(problems), embedded)
	}
	for _, pr := range problems {
		if _, has := pr["localizedErrorMessage"]; has {
			t.Errorf("batch problem has localizedErrorMessage: %v", pr)
		}
		if _, has := pr["portalId"]; has {
			t.Errorf("batch problem has portalId: %v", pr)
		}
	}
	for _, id := range ids {
		if strings.Contains(msg, id) {
			t.Errorf("the message names input %s", id)
		}
	}
	if n := len(list(m["errors"])); n != 3 {
		t.Errorf("%d errors[], want 3 (one shorter than the message's list)", n)
	}
	if ownerOf(t, sb, ids[2]) != before && ownerOf(t, sb, ids[2]) == sb.Fixtures().QueueOwner {
		t.Errorf("the good input of a refused batch was applied")
	}
	// A single PATCH answers the documented shape.
	p := expectError(t, sb.do(t, "PATCH", "/crm/v3/objects/contacts/"+ids[0], `{"properties":{"first000name":"A"}}`), http.StatusBadRequest, "VALIDATION_ERROR")
	if !strings.Contains(str(p["message"]), `"localizedErrorMessage"`) || !strings.Contains(str(p["message"]), `"portalId"`) {
		t.Errorf("PATCH message %q lacks the documented localized fields", p["message"])
	}
}

// The RejectWrites knob makes chosen records refuse writes: one of them
// fails its whole batch; alone it fails, and the others succeed.
func TestRejectWritesKnob(t *testing.T) {
	sb := newSandbox(t, Config{})
	ids := contactIDs(t, sb, 4)
	if err := sb.SetRejectWrites(hubspot.ContactID(ids[2])); err != nil {
		t.Fatal(err)
	}
	target := string(sb.Fixtures().QueueOwner)
	m := expectError(t, sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", ownerInputs(ids, target)), http.StatusBadRequest, "VALIDATION_ERROR")
	if !strings.HasPrefix(str(m["message"]), "Property values were not valid: [") || strings.Contains(str(m["message"]), ids[2]) {
		t.Errorf("message %q", m["message"])
	}
	for _, id := range ids {
		if ownerOf(t, sb, id) == hubspot.OwnerID(target) {
			t.Fatalf("contact %s changed by a refused batch", id)
		}
	}
	expectError(t, sb.do(t, "PATCH", "/crm/v3/objects/contacts/"+ids[2], `{"properties":{"hubspot_owner_id":"`+target+`"}}`), http.StatusBadRequest, "VALIDATION_ERROR")
	good := []string{ids[0], ids[1], ids[3]}
	expectStatus(t, sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", ownerInputs(good, target)), http.StatusOK)
	for _, id := range good {
		if ownerOf(t, sb, id) != hubspot.OwnerID(target) {
			t.Errorf("contact %s not updated", id)
		}
	}
	if err := sb.SetRejectWrites(); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, sb.do(t, "PATCH", "/crm/v3/objects/contacts/"+ids[2], `{"properties":{"hubspot_owner_id":"`+target+`"}}`), http.StatusOK)
}

// Merged records: reads and writes of a merged-away ID act on the survivor
// and answer under the survivor's ID; the survivor lists the merged ID in
// hs_merged_object_ids. With SetMergedLeftOut the update answer leaves the
// merged input out.
func TestMergedContactsKnob(t *testing.T) {
	sb := newSandbox(t, Config{})
	ids := contactIDs(t, sb, 3)
	away, survivor := ids[0], ids[2]
	if err := sb.MergeContacts(hubspot.ContactID(away), hubspot.ContactID(survivor)); err != nil {
		t.Fatal(err)
	}
	target := string(sb.Fixtures().QueueOwner)
	m := sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", ownerInputs([]string{away, ids[1]}, target))
	expectStatus(t, m, http.StatusOK)
	var got []string
	for _, r := range list(m.json(t)["results"]) {
		got = append(got, str(obj(r)["id"]))
	}
	slices.Sort(got)
	want := []string{ids[1], survivor}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("results %v, want %v (the survivor answers for %s)", got, want, away)
	}
	if ownerOf(t, sb, survivor) != hubspot.OwnerID(target) {
		t.Errorf("the write did not reach the survivor")
	}
	r := sb.do(t, "POST", "/crm/v3/objects/contacts/batch/read", readInputs([]string{away}, "hubspot_owner_id", "hs_merged_object_ids"))
	expectStatus(t, r, http.StatusOK)
	res := list(r.json(t)["results"])
	if len(res) != 1 || str(obj(res[0])["id"]) != survivor || str(obj(obj(res[0])["properties"])["hs_merged_object_ids"]) != away {
		t.Errorf("batch read of the merged ID: %s", r.body)
	}
	g := sb.do(t, "GET", "/crm/v3/objects/contacts/"+away, "")
	if expectStatus(t, g, http.StatusOK); str(g.json(t)["id"]) != survivor {
		t.Errorf("GET of the merged ID answered %s", g.body)
	}
	sb.SetMergedLeftOut(true)
	m = sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", ownerInputs([]string{away, ids[1]}, string(sb.Fixtures().ActiveOwner)))
	expectStatus(t, m, http.StatusOK)
	if res := list(m.json(t)["results"]); len(res) != 1 || str(obj(res[0])["id"]) != ids[1] {
		t.Errorf("left-out answer %s", m.body)
	}
	if ownerOf(t, sb, survivor) != sb.Fixtures().ActiveOwner {
		t.Errorf("a left-out merged input was not applied to the survivor")
	}
}

// Small rows: a non-numeric unknown ID comes back as "" in a 207's
// context.ids; more than 100 inputs get HubSpot's words; a search with
// properties also returns createdate, hs_object_id and lastmodifieddate.
func TestBatchAndSearchSmallShapes(t *testing.T) {
	sb := newSandbox(t, Config{})
	ids := contactIDs(t, sb, 1)
	r := sb.do(t, "POST", "/crm/v3/objects/contacts/batch/read", readInputs([]string{ids[0], "nope", "999999999"}))
	expectStatus(t, r, http.StatusMultiStatus)
	errs := list(r.json(t)["errors"])
	if len(errs) != 1 || fmt.Sprint(list(obj(obj(errs[0])["context"])["ids"])) != "[ 999999999]" {
		t.Errorf("207 errors %v, want ids [\"\", \"999999999\"]", errs)
	}

	many := make([]string, 101)
	for i := range many {
		many[i] = strconv.Itoa(20_000 + i)
	}
	for _, body := range []string{ownerInputs(many, "1"), readInputs(many)} {
		path := "/crm/v3/objects/contacts/batch/update"
		if strings.HasPrefix(body, `{"properties"`) {
			path = "/crm/v3/objects/contacts/batch/read"
		}
		m := expectError(t, sb.do(t, "POST", path, body), http.StatusBadRequest, "VALIDATION_ERROR")
		if m["message"] != "The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again" {
			t.Errorf("%s: %q", path, m["message"])
		}
	}

	s := sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{"properties":["email"],"limit":1}`)
	expectStatus(t, s, http.StatusOK)
	props := obj(obj(list(s.json(t)["results"])[0])["properties"])
	for _, p := range []string{"email", "createdate", "hs_object_id", "lastmodifieddate"} {
		if _, ok := props[p]; !ok {
			t.Errorf("search with properties [email] lacks %s: %v", p, props)
		}
	}
	if _, ok := props["firstname"]; ok {
		t.Errorf("search returned an unrequested firstname: %v", props)
	}
}

// Every object type keeps HubSpot's batch rules, not only contacts: a deal
// named twice is refused whole, more than 100 inputs get HubSpot's text.
func TestObjectBatchesKeepTheBatchRules(t *testing.T) {
	sb := newSandbox(t, Config{})
	target := string(sb.Fixtures().QueueOwner)
	var deals []string
	for _, r := range list(sb.do(t, "GET", "/crm/v3/objects/deals?limit=2", "").json(t)["results"]) {
		deals = append(deals, obj(r)["id"].(string))
	}
	if len(deals) < 2 {
		t.Fatalf("deals %v", deals)
	}
	ids := []string{deals[0], deals[1], deals[0]}
	m := expectError(t, sb.do(t, "POST", "/crm/v3/objects/deals/batch/update", ownerInputs(ids, target)), http.StatusBadRequest, "VALIDATION_ERROR")
	if want := "Duplicate IDs found in batch input: [" + ids[0] + "]. IDs must be unique"; m["message"] != want {
		t.Errorf("message %q, want %q", m["message"], want)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = strconv.Itoa(i + 1)
	}
	m = expectError(t, sb.do(t, "POST", "/crm/v3/objects/companies/batch/read", readInputs(many)), http.StatusBadRequest, "VALIDATION_ERROR")
	if m["message"] != msgTooManyInputs {
		t.Errorf("message %q", m["message"])
	}
}
