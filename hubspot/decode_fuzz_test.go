package hubspot

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for everything the client decodes. Each feeds an arbitrary
// answer through the real client (a transport that answers from memory), so
// reading, decoding, error envelopes and scrubbing are all exercised. They
// must never panic, never loop, never show the token, and return either a
// value or an error of a documented kind. The seed corpora run with go test.

// cannedTransport answers every request with one status, content type and
// body, and counts the requests.
type cannedTransport struct {
	status int
	ctype  string
	body   []byte
	calls  int
}

func (t *cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.calls++
	h := http.Header{}
	if t.ctype != "" {
		h.Set("Content-Type", t.ctype)
	}
	return &http.Response{StatusCode: t.status, Header: h, Body: io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: -1, Request: r}, nil
}

// fuzzClient answers from memory and never waits between attempts.
func fuzzClient(tr *cannedTransport) *Client {
	return New(WithBaseURL("https://api.hubapi.test"), WithAccessToken(testToken), WithRateBudget(0, 0),
		WithSearchRate(0), WithRetry(2), WithHTTPClient(&http.Client{Transport: tr}),
		WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
}

// checkFuzzError checks an error's kind and that it hides the secrets.
func checkFuzzError(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if msg == "" {
		t.Fatal("an error with no message")
	}
	for _, s := range append(secrets, testToken) {
		if strings.Contains(msg, s) {
			t.Fatalf("the error shows a secret: %q", msg)
		}
	}
	var api *APIError
	var netErr *NetworkError
	switch {
	case errors.As(err, &api):
		if api.StatusCode < 100 {
			t.Fatalf("APIError with status %d", api.StatusCode)
		}
	case errors.As(err, &netErr), errors.Is(err, ErrRepeatedCursor):
	case strings.Contains(msg, "unexpected shape"):
	default:
		t.Fatalf("error of an undocumented kind %T: %v", err, err)
	}
}

// statusFor maps a fuzzed byte onto the statuses HubSpot and proxies send.
func statusFor(b byte) int {
	statuses := []int{200, 200, 200, 201, 204, 207, 400, 401, 403, 404, 409, 423, 429, 477, 500, 502, 503, 504}
	return statuses[int(b)%len(statuses)]
}

var fuzzContentTypes = []string{"application/json;charset=utf-8", "text/html", "", "text/plain"}

func addAnswerSeeds(f *testing.F, bodies ...string) {
	for i, b := range bodies {
		f.Add(byte(0), byte(i), b) // 200
	}
	f.Add(byte(6), byte(0), `{"status":"error","message":"Invalid input JSON","correlationId":"c1","category":"VALIDATION_ERROR","errors":[{"message":"x","code":"INVALID_OWNER_ID","context":{"propertyName":["hubspot_owner_id"]}}]}`)
	f.Add(byte(8), byte(0), `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.read"]}}]}`)
	f.Add(byte(12), byte(0), `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY","correlationId":"c2"}`)
	f.Add(byte(12), byte(0), `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`)
	f.Add(byte(15), byte(1), "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>")
	f.Add(byte(7), byte(0), `{"status":"error","message":"Authentication credentials not found. `+testToken+`","category":"INVALID_AUTHENTICATION","correlationId":"`+testToken+`"}`)
	f.Add(byte(0), byte(0), `{"results":[`)
	f.Add(byte(0), byte(1), "<!DOCTYPE html><p>captive portal</p>")
	f.Add(byte(0), byte(0), `{"results":[],"paging":{"next":{"after":"x"}}}`)
	f.Add(byte(0), byte(0), `null`)
	f.Add(byte(0), byte(0), `[]`)
}

func FuzzDecodeUsersPage(f *testing.F) {
	addAnswerSeeds(f,
		`{"results":[{"id":"123","email":"a@b.c","roleIds":["1","2"],"roleId":"1","primaryTeamId":"9","secondaryTeamIds":["8"],"superAdmin":false}],"paging":{"next":{"after":"124"}}}`,
		`{"results":[{"id":123,"email":"a@b.c","firstName":"Ünï","lastName":"😀"}]}`,
	)
	f.Fuzz(func(t *testing.T, status, ctype byte, body string) {
		tr := &cannedTransport{status: statusFor(status), ctype: fuzzContentTypes[int(ctype)%len(fuzzContentTypes)], body: []byte(body)}
		c := fuzzClient(tr)
		_, err := c.UsersPage(context.Background(), "", 100)
		checkFuzzError(t, err)
		// The iterator over a portal that always answers the same stops.
		n := 0
		for _, err := range c.Users(context.Background()) {
			checkFuzzError(t, err)
			if n++; n > 1000 {
				t.Fatal("the users iterator does not stop on a repeated answer")
			}
		}
		if tr.calls > 10 {
			t.Fatalf("%d requests for a constant answer", tr.calls)
		}
	})
}

func FuzzDecodeOwnersPage(f *testing.F) {
	addAnswerSeeds(f,
		`{"results":[{"id":"160000001","email":"a@b.c","type":"PERSON","firstName":"A","lastName":"B","userId":1200001,"userIdIncludingInactive":1200001,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00.123Z","archived":false,"teams":[{"id":"368389","name":"Sales","primary":true}]}],"paging":{"next":{"after":"2"}}}`,
		`{"results":[{"id":"160000002","type":"QUEUE","userId":null,"userIdIncludingInactive":null,"archived":true}]}`,
	)
	f.Fuzz(func(t *testing.T, status, ctype byte, body string) {
		tr := &cannedTransport{status: statusFor(status), ctype: fuzzContentTypes[int(ctype)%len(fuzzContentTypes)], body: []byte(body)}
		c := fuzzClient(tr)
		_, err := c.OwnersPage(context.Background(), OwnerListOptions{}, "")
		checkFuzzError(t, err)
		n := 0
		for _, err := range c.Owners(context.Background(), OwnerListOptions{Archived: true}) {
			checkFuzzError(t, err)
			if n++; n > 1000 {
				t.Fatal("the owners iterator does not stop on a repeated answer")
			}
		}
	})
}

func FuzzDecodeContactsPage(f *testing.F) {
	addAnswerSeeds(f,
		`{"results":[{"id":"1001","properties":{"email":"a@b.c","firstname":"A","hubspot_owner_id":"160000001","lastmodifieddate":"2026-01-01T00:00:00.000Z"},"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","archived":false}],"paging":{"next":{"after":"1002","link":"x"}}}`,
		`{"results":[{"id":1001,"properties":{"hubspot_owner_id":null,"num":5,"flag":true}}]}`,
		`{"total":12345,"results":[{"id":"1","properties":{}}],"paging":{"next":{"after":"200"}}}`,
	)
	f.Fuzz(func(t *testing.T, status, ctype byte, body string) {
		tr := &cannedTransport{status: statusFor(status), ctype: fuzzContentTypes[int(ctype)%len(fuzzContentTypes)], body: []byte(body)}
		c := fuzzClient(tr)
		page, err := c.ContactsPage(context.Background(), "", 100, []string{"email", "hubspot_owner_id"})
		checkFuzzError(t, err)
		if err == nil && len(page.Results) > len(body) {
			t.Fatalf("%d contacts out of a %d-byte answer", len(page.Results), len(body))
		}
		sp, err := c.SearchContacts(context.Background(), SearchRequest{Limit: 200})
		checkFuzzError(t, err)
		if err == nil && sp.Total < 0 && !strings.Contains(body, "-") {
			t.Fatalf("negative total %d", sp.Total)
		}
	})
}

func FuzzDecodeBatch(f *testing.F) {
	addAnswerSeeds(f,
		`{"status":"COMPLETE","results":[{"id":"1","properties":{"email":"a@b.c"}}],"startedAt":"2026-01-01T00:00:00Z","completedAt":"2026-01-01T00:00:01Z"}`,
	)
	f.Add(byte(5), byte(0), `{"status":"COMPLETE","results":[{"id":"1","properties":{}}],"numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.","context":{"ids":["2","3"]}}]}`)
	f.Add(byte(5), byte(0), `{"results":[],"errors":[{"category":"VALIDATION_ERROR","subCategory":"INVALID_OWNER_ID","message":"x","context":{"ids":["`+testToken+`"]}}]}`)
	f.Fuzz(func(t *testing.T, status, ctype byte, body string) {
		tr := &cannedTransport{status: statusFor(status), ctype: fuzzContentTypes[int(ctype)%len(fuzzContentTypes)], body: []byte(body)}
		c := fuzzClient(tr)
		res, err := c.BatchReadContacts(context.Background(), []ContactID{"1", "2", "3"}, []string{"email"})
		checkFuzzError(t, err)
		if err == nil {
			for _, id := range res.FailedIDs() {
				_ = id // every failed ID is reported, none dropped: FailedIDs must not panic
			}
		}
		_, err = c.BatchUpdateContacts(context.Background(), []BatchInput{{ID: "1", Properties: Properties{"hubspot_owner_id": "160000001"}}})
		checkFuzzError(t, err)
	})
}

// FuzzDecodeErrorEnvelope sends every error status with any body: the
// result is always an *APIError (or *RateLimitError) for that status, on
// one line, with no secret in it even when the body quotes the token.
func FuzzDecodeErrorEnvelope(f *testing.F) {
	f.Add(400, "application/json", `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"1 is not a valid owner id\",\"error\":\"INVALID_OWNER_ID\",\"name\":\"hubspot_owner_id\"}]","correlationId":"c","category":"VALIDATION_ERROR","errors":[{"message":"1 is not a valid owner id","code":"INVALID_OWNER_ID"}]}`)
	f.Add(401, "application/json", `{"status":"error","message":"The OAuth token used to make this call expired 5 hour(s) ago.","correlationId":"c","category":"EXPIRED_AUTHENTICATION"}`)
	f.Add(403, "application/json", `{"status":"error","category":"MISSING_SCOPES","context":{"requiredScopes":["a","b"]},"errors":[{"context":{"requiredGranularScopes":["c"]}}]}`)
	f.Add(429, "application/json", `{"status":"error","errorType":"RATE_LIMIT","policyName":"SECONDLY"}`)
	f.Add(502, "text/html", "<html>bad gateway</html>")
	f.Add(503, "", "")
	f.Add(500, "application/json", `{"message":"`+testToken+`","category":"`+testToken+`","subCategory":"`+testToken+`","correlationId":"`+testToken+`","policyName":"`+testToken+`","status":"`+testToken+`","errors":[{"code":"`+testToken+`","in":"`+testToken+`","context":{"`+testToken+`":["`+testToken+`"]}}]}`)
	f.Fuzz(func(t *testing.T, status int, ctype, body string) {
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		tr := &cannedTransport{status: status, ctype: ctype, body: []byte(body)}
		c := fuzzClient(tr)
		_, err := c.UpdateContact(context.Background(), "1", Properties{"firstname": "x"})
		var api *APIError
		if !errors.As(err, &api) || api.StatusCode != status {
			t.Fatalf("status %d gave %T %v", status, err, err)
		}
		checkFuzzError(t, err)
		if _, ok := IsRateLimited(err); ok != (status == 429) {
			t.Fatalf("status %d: IsRateLimited %v", status, ok)
		}
		if IsAuthError(err) != (status == 401) {
			t.Fatalf("status %d: IsAuthError wrong", status)
		}
		MissingScopes(err)
		IsInvalidOwner(err)
		IsNotFound(err)
	})
}

// FuzzDecodeTokenInfo inspects a token whose value travels in the path (or,
// for private app tokens, the body): the token never appears in an error,
// whatever the answer quotes. The fuzzed
// part follows a fixed prefix so that a match is always a leak, never the
// message's own words.
func FuzzDecodeTokenInfo(f *testing.F) {
	f.Add(byte(0), byte(0), `{"token":"CJSECRET-x/y+z","user":"a@b.c","hub_domain":"d","scopes":["oauth"],"hub_id":62515,"app_id":1,"expires_in":1754,"user_id":123,"token_type":"access"}`, "x/y+z")
	f.Add(byte(9), byte(0), `{"status":"error","message":"Token CJSECRET-x%2Fy+z not found","category":"OBJECT_NOT_FOUND","correlationId":"CJSECRET-x/y+z"}`, "x/y+z")
	f.Add(byte(0), byte(0), `{"hub_id":"not a number","user_id":"123","token":"CJSECRET-tok"}`, "tok")
	f.Add(byte(0), byte(0), `{"scopes":"oauth"}`, "a b")
	f.Add(byte(6), byte(1), `<html>CJSECRET-a?b#c</html>`, "a?b#c")
	f.Add(byte(0), byte(0), `{"userId":1201311,"hubId":62515,"appId":3456789,"scopes":["crm.objects.owners.read"]}`, "pat")
	f.Add(byte(0), byte(0), `{"userId":"x","hubId":null,"scopes":[1]}`, "pat")
	f.Fuzz(func(t *testing.T, status, ctype byte, body, suffix string) {
		tr := &cannedTransport{status: statusFor(status), ctype: fuzzContentTypes[int(ctype)%len(fuzzContentTypes)], body: []byte(body)}
		c := fuzzClient(tr)
		token := "CJSECRET-" + strings.TrimSpace(suffix)
		_, err := c.AccessTokenInfo(context.Background(), token)
		checkFuzzError(t, err, token)
		// The private-apps endpoint: the token travels in the body.
		_, err = c.PrivateAppTokenInfo(context.Background(), token)
		checkFuzzError(t, err, token)
	})
}
