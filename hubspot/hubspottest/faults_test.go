package hubspottest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// outcome classifies what a client saw for one request.
func outcome(t *testing.T, client *http.Client, url, token string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return "reset"
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return "truncated"
	case strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
		return "html"
	case resp.StatusCode == 429:
		var m map[string]any
		if json.Unmarshal(body, &m) != nil {
			t.Fatalf("429 body is not JSON: %s", body)
		}
		return "429 " + str(m["policyName"])
	case !json.Valid(body):
		t.Fatalf("status %d with invalid JSON: %s", resp.StatusCode, body)
	}
	return http.StatusText(resp.StatusCode)
}

func faultRun(t *testing.T, f Faults, n int) []string {
	t.Helper()
	s := New(Config{Contacts: 100, Faults: f})
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	tok := s.IssueToken()
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, outcome(t, client, ts.URL+"/crm/v3/objects/contacts?limit=5", tok))
	}
	return out
}

func TestFaultsAreSeededAndDeterministic(t *testing.T) {
	f := Faults{Seed: 7, ServerErrors: 0.1, RateLimited: 0.1, RateLimitPolicy: "SECONDLY", Resets: 0.1, Truncated: 0.1, HTML: 0.1}
	a := faultRun(t, f, 120)
	b := faultRun(t, f, 120)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	for _, want := range []string{"OK", "reset", "truncated", "html", "429 SECONDLY", "Bad Gateway"} {
		if !slices.Contains(a, want) {
			t.Errorf("no %q among %v", want, a)
		}
	}
	f.Seed = 8
	if c := faultRun(t, f, 120); slices.Equal(a, c) {
		t.Error("a different seed gave the same faults")
	}
}

func TestSetFaults(t *testing.T) {
	sb := newSandbox(t, Config{})
	sb.SetFaults(Faults{RateLimited: 1})
	r := sb.do(t, "GET", "/crm/v3/owners", "")
	expectStatus(t, r, 429)
	if m := r.json(t); m["policyName"] != "TEN_SECONDLY_ROLLING" || m["errorType"] != "RATE_LIMIT" {
		t.Fatalf("default policy body %s", r.body)
	}
	sb.SetFaults(Faults{ServerErrors: 1})
	r = sb.do(t, "GET", "/crm/v3/owners", "")
	if r.status != 502 && r.status != 503 && r.status != 504 {
		t.Fatalf("status %d", r.status)
	}
	sb.SetFaults(Faults{})
	expectStatus(t, sb.do(t, "GET", "/crm/v3/owners", ""), 200)
}

func TestTruncatedWriteIsApplied(t *testing.T) {
	sb := newSandbox(t, Config{})
	sb.SetFaults(Faults{Truncated: 1})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest("PATCH", sb.url+"/crm/v3/objects/contacts/10001", strings.NewReader(`{"properties":{"firstname":"Cut"}}`))
	req.Header.Set("Authorization", "Bearer "+sb.token)
	resp, err := client.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("a truncated response read without error")
	}
	if c, _ := sb.Contact("10001"); c.Properties["firstname"] != "Cut" {
		t.Fatal("the write behind a truncated response was not applied")
	}
}

func TestLatencyIsAdded(t *testing.T) {
	sb := newSandbox(t, Config{Faults: Faults{Latency: 30 * time.Millisecond}})
	start := time.Now()
	expectStatus(t, sb.do(t, "GET", "/settings/v3/users/roles", ""), 200)
	// A lower bound only: the request cannot finish before its latency.
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Fatalf("answered after %v, before the 30ms latency", d)
	}
}
