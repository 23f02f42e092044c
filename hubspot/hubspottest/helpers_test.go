package hubspottest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// testClock is an injectable clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sandbox is a running server plus a token holding every scope.
type sandbox struct {
	*Server
	url   string
	token string
	clock *testClock
}

func newSandbox(t *testing.T, cfg Config) *sandbox {
	t.Helper()
	clock := newTestClock()
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	if cfg.Contacts == 0 {
		cfg.Contacts = 500
	}
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &sandbox{Server: s, url: ts.URL, token: s.IssueToken(), clock: clock}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value, failing the test if it is not JSON.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%v): %.300s", err, r.body)
	}
	return m
}

func (sb *sandbox) do(t *testing.T, method, path, body string) response {
	t.Helper()
	return sb.doAs(t, sb.token, method, path, body)
}

func (sb *sandbox) doAs(t *testing.T, token, method, path, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, sb.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// expectStatus fails unless the response has the given status.
func expectStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %.500s", r.status, want, r.body)
	}
}

// expectError checks a HubSpot error envelope's status and category and
// that it carries a correlationId.
func expectError(t *testing.T, r response, status int, category string) map[string]any {
	t.Helper()
	expectStatus(t, r, status)
	m := r.json(t)
	if m["status"] != "error" || m["category"] != category {
		t.Fatalf("envelope status/category = %v/%v, want error/%s: %s", m["status"], m["category"], category, r.body)
	}
	if id, _ := m["correlationId"].(string); len(id) != 36 {
		t.Fatalf("correlationId %q is not a UUID", id)
	}
	return m
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func hubspotContactID(s string) hubspot.ContactID { return hubspot.ContactID(s) }

func join(parts []string) string { return strings.Join(parts, ",") }

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
