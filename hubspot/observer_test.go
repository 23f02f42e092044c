package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"
)

type callLog struct {
	mu    sync.Mutex
	calls []Call
}

func (l *callLog) observe(c Call) {
	l.mu.Lock()
	l.calls = append(l.calls, c)
	l.mu.Unlock()
}

func (l *callLog) all() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Call(nil), l.calls...)
}

func TestObserverReportsEveryAttempt(t *testing.T) {
	log := &callLog{}
	c, _, _ := testClient(t, sequence(status(502, `{}`),
		withHeader(okJSON(`{"results":[]}`), "X-HubSpot-RateLimit-Remaining", "87")), WithObserver(log.observe))
	if _, err := c.OwnersPage(context.Background(), OwnerListOptions{Email: "a@b.c"}, "abc"); err != nil {
		t.Fatal(err)
	}
	calls := log.all()
	if len(calls) != 2 {
		t.Fatalf("calls %+v", calls)
	}
	first, second := calls[0], calls[1]
	if first.Method != "GET" || first.Path != "/crm/v3/owners" || first.Status != 502 || first.Attempt != 1 || first.Err == nil || first.RateRemaining != -1 {
		t.Errorf("first %+v", first)
	}
	if second.Status != 200 || second.Attempt != 2 || second.Err != nil || second.RateRemaining != 87 || second.Latency <= 0 {
		t.Errorf("second %+v", second)
	}
}

func TestNetworkFailuresAreObservedWithoutStatus(t *testing.T) {
	log := &callLog{}
	c, _, _ := testClient(t, reset, WithObserver(log.observe), WithRetry(2))
	if _, err := c.GetOwner(context.Background(), "41"); err == nil {
		t.Fatal("want an error")
	}
	for _, call := range log.all() {
		if call.Status != 0 || call.Err == nil {
			t.Errorf("call %+v", call)
		}
	}
}

func TestBearerTransportLeavesTheCallersClientAlone(t *testing.T) {
	var seen []string
	srv := func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		okJSON(userJSON)(w, r)
	}
	hc := &http.Client{}
	c, _, _ := testClient(t, srv, WithHTTPClient(hc), WithUserAgent("hsadmin/test"))
	if _, err := c.GetUser(context.Background(), "7"); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil {
		t.Error("the caller's http.Client was modified")
	}
	if len(seen) != 1 || seen[0] != "Bearer "+testToken {
		t.Errorf("Authorization %v", seen)
	}
}

// Every kind of failure, with a known token: the token appears in no error
// text, no Call report, and no path.
func TestTokensNeverAppearInErrorsOrCalls(t *testing.T) {
	echo := func(code int) http.HandlerFunc {
		// A hostile or buggy server echoing the credentials back.
		return func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, code, map[string]any{"status": "error", "category": "X", "correlationId": "c",
				"message": "bad " + r.Header.Get("Authorization") + " at " + r.URL.Path,
				"errors":  []map[string]any{{"message": r.Header.Get("Authorization"), "context": map[string][]string{"t": {r.URL.Path}}}},
				"context": map[string][]string{"auth": {r.Header.Get("Authorization")}}})
		}
	}
	handlers := map[string]http.HandlerFunc{
		"401 invalid":   status(401, `{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}`),
		"401 expired":   status(401, `{"status":"error","message":"The OAuth token used to make this call expired 5 hour(s) ago.","category":"EXPIRED_AUTHENTICATION"}`),
		"403 scopes":    status(403, `{"status":"error","category":"MISSING_SCOPES","errors":[{"message":"m","context":{"requiredGranularScopes":["crm.objects.owners.read"]}}]}`),
		"404":           status(404, `{"status":"error","message":"resource not found","category":"OBJECT_NOT_FOUND"}`),
		"400 echoed":    echo(400),
		"500 echoed":    echo(500),
		"429 daily":     status(429, daily429),
		"429 storm":     status(429, tenSecondly429),
		"502 html":      status(502, `<html><body>`+testToken+`</body></html>`),
		"truncated":     truncated,
		"reset":         reset,
		"garbage shape": okJSON(`{"id":{"nested":"` + testToken + `"},"results":{"a":1},"hub_id":"` + testToken + `"}`),
	}
	calls := []struct {
		name string
		do   func(ctx context.Context, c *Client) error
	}{
		{"GetUser", func(ctx context.Context, c *Client) error { _, err := c.GetUser(ctx, "7"); return err }},
		{"UpdateContact", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateContact(ctx, "5", Properties{PropOwnerID: "1"})
			return err
		}},
		{"AccessTokenInfo", func(ctx context.Context, c *Client) error { _, err := c.AccessTokenInfo(ctx, testToken); return err }},
		{"Users", func(ctx context.Context, c *Client) error {
			for _, err := range c.Users(ctx) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for hname, h := range handlers {
		for _, cl := range calls {
			t.Run(hname+"/"+cl.name, func(t *testing.T) {
				log := &callLog{}
				c, _, _ := testClient(t, h, WithObserver(log.observe), WithRetry(2))
				err := cl.do(context.Background(), c)
				if err == nil {
					t.Fatal("want an error")
				}
				texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
				for _, call := range log.all() {
					texts = append(texts, fmt.Sprintf("%+v", call), call.Path)
					if call.Err != nil {
						texts = append(texts, call.Err.Error())
					}
				}
				var apiErr *APIError
				if asAPIError(err, &apiErr) {
					texts = append(texts, fmt.Sprintf("%+v", *apiErr))
					for _, d := range apiErr.Errors {
						texts = append(texts, fmt.Sprintf("%+v", d))
					}
				}
				for _, s := range texts {
					if strings.Contains(s, testToken) || strings.Contains(s, "11111111-2222") {
						t.Fatalf("token leaked: %s", s)
					}
				}
			})
		}
	}

	// Cancellation and bad configuration.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, _, _ := testClient(t, okJSON(userJSON))
	for _, err := range []error{
		func() error { _, err := c.AccessTokenInfo(ctx, testToken); return err }(),
		func() error {
			_, err := New(WithBaseURL("ht!tp://bad host"), WithAccessToken(testToken)).AccessTokenInfo(context.Background(), testToken)
			return err
		}(),
		func() error {
			_, err := New(WithBaseURL("http://127.0.0.1:1"), WithAccessToken(testToken), WithRetry(1)).AccessTokenInfo(context.Background(), testToken)
			return err
		}(),
	} {
		if err == nil || strings.Contains(fmt.Sprintf("%+v %#v", err, err), testToken) {
			t.Errorf("err = %v", err)
		}
	}
}

// The API log keeps what HubSpot said when it refused a call, whole, and
// never the token, even when the answer echoes it.
func TestObserverKeepsTheErrorBodyWithoutTheToken(t *testing.T) {
	log := &callLog{}
	long := strings.Repeat("the batch input was refused for a reason HubSpot explains at length; ", 8)
	body := `{"status":"error","message":"` + long + `token ` + testToken + `","correlationId":"8d0ea5d2-3c5e-4cf4-9d7e-3b6a3b1d2f10","category":"VALIDATION_ERROR"}`
	c, _, _ := testClient(t, status(400, body), WithObserver(log.observe))
	_, err := c.BatchUpdateContacts(context.Background(), []BatchInput{{ID: "1", Properties: Properties{PropOwnerID: "2"}}})
	if err == nil {
		t.Fatal("want the 400")
	}
	calls := log.all()
	if len(calls) != 1 {
		t.Fatalf("calls %+v", calls)
	}
	got := calls[0].Body
	if !strings.Contains(got, long) || !strings.Contains(got, "8d0ea5d2-3c5e-4cf4-9d7e-3b6a3b1d2f10") {
		t.Errorf("the logged body lost HubSpot's words: %q", got)
	}
	if strings.Contains(got, testToken) || strings.Contains(fmt.Sprint(calls[0].Err), testToken) || strings.Contains(err.Error(), testToken) {
		t.Errorf("the token leaked into the API log: %q", got)
	}
	if !strings.Contains(got, "[redacted]") {
		t.Errorf("the token was not replaced: %q", got)
	}
}

func TestObserverLogsNoBodyForSuccesses(t *testing.T) {
	log := &callLog{}
	c, _, _ := testClient(t, okJSON(userJSON), WithObserver(log.observe))
	if _, err := c.GetUser(context.Background(), "7"); err != nil {
		t.Fatal(err)
	}
	if calls := log.all(); len(calls) != 1 || calls[0].Body != "" {
		t.Errorf("calls %+v", calls)
	}
}

// A 207 is a call that partly failed: its errors are what the admin needs.
func TestObserverKeepsTheBodyOfA207(t *testing.T) {
	log := &callLog{}
	body := `{"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Object not found. objectId are usually numeric.","context":{"ids":["9"]}}]}`
	c, _, _ := testClient(t, status(207, body), WithObserver(log.observe))
	if _, err := c.BatchUpdateContacts(context.Background(), []BatchInput{{ID: "9", Properties: Properties{PropOwnerID: "2"}}}); err != nil {
		t.Fatal(err)
	}
	if calls := log.all(); len(calls) != 1 || calls[0].Status != 207 || !strings.Contains(calls[0].Body, "Object not found") {
		t.Errorf("calls %+v", calls)
	}
}

// A signed-in (OAuth) client's token is not given to the client as an
// option, yet an answer echoing it is scrubbed all the same.
func TestObserverScrubsAnOAuthTokenFromTheBody(t *testing.T) {
	const oauthToken = "CJSP5qf1KhICAQEYs-gDIIGOBii1"
	srv := httptest.NewServer(status(400, `{"status":"error","message":"bad request from Bearer `+oauthToken+`","category":"VALIDATION_ERROR"}`))
	t.Cleanup(srv.Close)
	log := &callLog{}
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: oauthToken, RefreshToken: "refresh-secret-1"}))
	c := New(WithBaseURL(srv.URL), WithHTTPClient(hc), WithRateBudget(0, 0), WithObserver(log.observe))
	_, err := c.GetUser(context.Background(), "7")
	if err == nil {
		t.Fatal("want the 400")
	}
	calls := log.all()
	if len(calls) == 0 || calls[0].Body == "" {
		t.Fatalf("calls %+v", calls)
	}
	for _, s := range []string{calls[0].Body, err.Error()} {
		if strings.Contains(s, oauthToken) {
			t.Errorf("the OAuth token leaked: %q", s)
		}
	}
}
