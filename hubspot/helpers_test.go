package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testToken is the token every unit-test client sends; tests assert it never
// shows up in errors or Call reports.
const testToken = "pat-na1-11111111-2222-3333-4444-555555555555"

// fakeSleeps records the waits a client asked for instead of waiting.
type fakeSleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (f *fakeSleeps) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.d = append(f.d, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeSleeps) all() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.d...)
}

// recorded is one request the test server saw.
type recorded struct {
	Method, Path, RawQuery, Auth string
	Body                         []byte
}

// recorder wraps a handler and keeps every request.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	h    http.HandlerFunc
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), body})
	rec.mu.Unlock()
	rec.h(w, r)
}

func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// testClient serves h over HTTP and returns a client for it whose waits are
// recorded, not slept, and whose general budget is unlimited unless opts say
// otherwise.
func testClient(t *testing.T, h http.HandlerFunc, opts ...Option) (*Client, *recorder, *fakeSleeps) {
	t.Helper()
	rec := &recorder{h: h}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	all := append([]Option{WithBaseURL(srv.URL), WithAccessToken(testToken), WithRateBudget(0, 0)}, opts...)
	c := New(all...)
	sl := &fakeSleeps{}
	c.sleep = sl.sleep
	return c, rec, sl
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// sequence answers the n-th request with handlers[n], repeating the last.
func sequence(handlers ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		i := min(n, len(handlers)-1)
		n++
		mu.Unlock()
		handlers[i](w, r)
	}
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func okJSON(body string) http.HandlerFunc { return status(200, body) }

// reset hijacks the connection and closes it without an answer.
func reset(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// truncated promises a longer body than it sends.
func truncated(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "400")
	w.WriteHeader(200)
	io.WriteString(w, `{"results":[{"id":"1","email":`)
}

const userJSON = `{"id":"7","email":"a@example.com","roleIds":[],"superAdmin":false}`

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }
