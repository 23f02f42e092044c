package portal

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// env is a portal opened on a sandbox served over HTTP.
type env struct {
	sb     *hubspottest.Server
	srv    *httptest.Server
	client *hubspot.Client
	token  string
	dir    string
	p      *Portal
}

// newEnv serves a sandbox built from cfg, wrapped by wrap when non-nil, and
// opens a portal on it in a fresh data directory. The client's own rate
// limits are off: the sandbox does not enforce them unless asked.
//
// Companies, deals, tickets and custom records are none unless cfg asks
// for some, so that the tests about contacts sync no more than they need.
func newEnv(t testing.TB, cfg hubspottest.Config, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	for _, n := range []*int{&cfg.Companies, &cfg.Deals, &cfg.Tickets, &cfg.CustomRecords} {
		if *n == 0 {
			*n = -1
		}
	}
	e := &env{sb: hubspottest.New(cfg), dir: t.TempDir()}
	var h http.Handler = e.sb
	if wrap != nil {
		h = wrap(h)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	e.token = e.sb.IssueToken()
	e.client = hubspot.New(hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(e.token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	e.p = e.open(t)
	return e
}

// open opens the portal, learning its hub ID from the token.
func (e *env) open(t testing.TB) *Portal {
	t.Helper()
	p, notice, err := Open(context.Background(), Config{Client: e.client, DataDir: e.dir, AccessToken: e.token, BaseURL: e.srv.URL, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	if notice != "" {
		t.Fatalf("unexpected notice: %s", notice)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func (e *env) sync(t testing.TB) {
	t.Helper()
	if err := e.p.Sync(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

// allContacts reads every contact of the mirror, page by page.
func allContacts(t testing.TB, p *Portal) []store.ContactRow {
	t.Helper()
	var out []store.ContactRow
	for offset := 0; ; offset += 1000 {
		rows, err := p.Contacts(context.Background(), store.Query{Offset: offset, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rows...)
		if len(rows) < 1000 {
			return out
		}
	}
}

// requestsTo counts the sandbox's recorded requests for method and path.
func requestsTo(sb *hubspottest.Server, method, path string) []hubspottest.Request {
	var out []hubspottest.Request
	for _, r := range sb.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

const (
	contactsPath = "/crm/v3/objects/contacts"
	searchPath   = "/crm/v3/objects/contacts/search"
)
