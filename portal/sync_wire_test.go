package portal

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

// Wrappers that make the sandbox answer like a HubSpot that behaves
// differently, for the sync's fallbacks.

// denySearch answers every contact search 403 MISSING_SCOPES, as HubSpot
// does for a token without the scope: the sync cannot learn the ID span.
func denySearch(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == searchPath {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES"}`)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// editJSON lets edit change the JSON answer of the requests match selects.
func editJSON(t testing.TB, h http.Handler, match func(r *http.Request, body []byte) bool, edit func(map[string]any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !match(r, body) {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var v map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &v) != nil {
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		edit(v)
		out, err := json.Marshal(v)
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	})
}

// opaqueCursors makes the contacts list's cursors opaque: the ones handed
// out are tokens, and any other after is refused with 400, as a HubSpot
// whose cursor is not an ID would.
type opaqueCursors struct {
	mu     sync.Mutex
	tokens map[string]string // token -> the sandbox's cursor
}

func (o *opaqueCursors) wrap(t testing.TB, h http.Handler) http.Handler {
	o.tokens = map[string]string{}
	list := func(r *http.Request, _ []byte) bool { return r.Method == "GET" && r.URL.Path == contactsPath }
	edited := editJSON(t, h, list, func(v map[string]any) {
		paging, _ := v["paging"].(map[string]any)
		next, _ := paging["next"].(map[string]any)
		if after, ok := next["after"].(string); ok {
			o.mu.Lock()
			token := "tok-" + strconv.Itoa(len(o.tokens))
			o.tokens[token] = after
			o.mu.Unlock()
			next["after"] = token
		}
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if list(r, nil) && r.URL.Query().Has("after") {
			o.mu.Lock()
			cursor, ok := o.tokens[r.URL.Query().Get("after")]
			o.mu.Unlock()
			if !ok {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `{"status":"error","message":"Invalid after value","category":"VALIDATION_ERROR"}`)
				return
			}
			q := r.URL.Query()
			q.Set("after", cursor)
			r.URL.RawQuery = q.Encode()
		}
		edited.ServeHTTP(w, r)
	})
}
