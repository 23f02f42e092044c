package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

// pagedUsers serves users in pages of two; next maps an after cursor to the
// cursor the page hands out ("" for the last page).
func pagedUsers(next map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		after := r.URL.Query().Get("after")
		body := fmt.Sprintf(`{"results":[{"id":"%s1","email":"a","roleIds":[],"superAdmin":false},{"id":"%s2","email":"b","roleIds":[],"superAdmin":false}]`, after, after)
		if n := next[after]; n != "" {
			body += fmt.Sprintf(`,"paging":{"next":{"after":%q,"link":"?after=%s"}}`, n, n)
		}
		okJSON(body+"}")(w, r)
	}
}

func TestIteratorWalksEveryPage(t *testing.T) {
	c, rec, _ := testClient(t, pagedUsers(map[string]string{"": "5", "5": "9"}))
	var ids []UserID
	for u, err := range c.Users(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	want := []UserID{"1", "2", "51", "52", "91", "92"}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", ids, want)
	}
	reqs := rec.requests()
	if len(reqs) != 3 || reqs[0].RawQuery != "limit=100" || reqs[1].RawQuery != "after=5&limit=100" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestIteratorStopsOnARepeatedCursor(t *testing.T) {
	c, rec, _ := testClient(t, pagedUsers(map[string]string{"": "5", "5": "9", "9": "5"}))
	var n int
	var last error
	for _, err := range c.Users(context.Background()) {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	if !errors.Is(last, ErrRepeatedCursor) {
		t.Fatalf("err = %v", last)
	}
	if n != 6 || len(rec.requests()) != 3 {
		t.Errorf("%d users from %d requests", n, len(rec.requests()))
	}
}

func TestIteratorStopsWhenTheCallerDoes(t *testing.T) {
	c, rec, _ := testClient(t, pagedUsers(map[string]string{"": "5", "5": "9"}))
	for range c.Users(context.Background()) {
		break
	}
	if len(rec.requests()) != 1 {
		t.Errorf("%d requests after an early break", len(rec.requests()))
	}
}

func TestIteratorStopsOnCancellation(t *testing.T) {
	c, rec, _ := testClient(t, pagedUsers(map[string]string{"": "5", "5": "9"}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got int
	var last error
	for _, err := range c.Users(ctx) {
		if err != nil {
			last = err
			break
		}
		got++
		cancel()
	}
	if !errors.Is(last, context.Canceled) || got != 1 || len(rec.requests()) != 1 {
		t.Errorf("err %v after %d users and %d requests", last, got, len(rec.requests()))
	}
}

func TestIteratorYieldsAnErrorOnceAndStops(t *testing.T) {
	c, _, _ := testClient(t, sequence(pagedUsers(map[string]string{"": "5"}), status(404, `{"category":"OBJECT_NOT_FOUND"}`)))
	var errs, users int
	for _, err := range c.Users(context.Background()) {
		if err != nil {
			errs++
			if !IsNotFound(err) {
				t.Errorf("err = %v", err)
			}
			continue
		}
		users++
	}
	if errs != 1 || users != 2 {
		t.Errorf("%d errors, %d users", errs, users)
	}
}
