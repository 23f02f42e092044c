package main

import (
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// portalFlags choose the portal a command works on.
type portalFlags struct {
	baseURL  string
	dataDir  string
	readOnly bool
	sandbox  *sandboxKnobs // knobs of the built-in sandbox, used without credentials
}

func addPortalFlags(fs *flag.FlagSet) *portalFlags {
	pf := &portalFlags{}
	fs.StringVar(&pf.baseURL, "base-url", "", "HubSpot API base URL (default $HUBSPOT_BASE_URL or https://api.hubapi.com)")
	fs.StringVar(&pf.dataDir, "data-dir", "", "where the local mirror and journal live (default: the user cache directory)")
	fs.BoolVar(&pf.readOnly, "read-only", false, "never send a write to HubSpot")
	return pf
}

// target is a connected portal: a client, and for the built-in sandbox the
// server behind it.
type target struct {
	client  *hubspot.Client
	baseURL string
	builtIn *hubspottest.Server // non-nil when running on the built-in sandbox
	calls   *callLog
	close   func()
}

// dial picks the portal: credentials from the environment, else the built-in
// sandbox, which lives for this run only.
func (pf *portalFlags) dial(io stdio) (*target, error) {
	base := pf.baseURL
	if base == "" {
		base = os.Getenv("HUBSPOT_BASE_URL")
	}
	token := strings.TrimSpace(os.Getenv("HUBSPOT_ACCESS_TOKEN"))
	calls := newCallLog(500)

	if token == "" {
		if base != "" {
			return nil, usagef("--base-url/HUBSPOT_BASE_URL is set but HUBSPOT_ACCESS_TOKEN is not; set the token (hsadmin sandbox prints one)")
		}
		knobs := pf.sandbox
		if knobs == nil {
			knobs = &sandboxKnobs{contacts: 5000, users: 60, seed: 1, rateLimitMax: 100, searchRate: 5, fail429Policy: "TEN_SECONDLY_ROLLING", faultSeed: 1}
		}
		cfg, err := knobs.config()
		if err != nil {
			return nil, err
		}
		sb := hubspottest.New(cfg)
		srv := httptest.NewServer(sb)
		fmt.Fprintf(io.err, "hsadmin: no HUBSPOT_ACCESS_TOKEN set: using a built-in sandbox portal (hub %d) for this run; `hsadmin sandbox` keeps one running\n", sb.HubID())
		return &target{
			client:  newClient(srv.URL, sb.IssueToken(), calls),
			baseURL: srv.URL,
			builtIn: sb,
			calls:   calls,
			close:   srv.Close,
		}, nil
	}
	if base == "" {
		base = "https://api.hubapi.com"
	}
	if !strings.HasPrefix(base, "https://") && !strings.HasPrefix(base, "http://") {
		return nil, usagef("--base-url must start with https:// (or http:// for a local sandbox), not %q", base)
	}
	return &target{
		client:  newClient(strings.TrimRight(base, "/"), token, calls),
		baseURL: strings.TrimRight(base, "/"),
		calls:   calls,
		close:   func() {},
	}, nil
}

func newClient(base, token string, calls *callLog) *hubspot.Client {
	return hubspot.New(
		hubspot.WithBaseURL(base),
		hubspot.WithAccessToken(token),
		hubspot.WithUserAgent("hsadmin/"+buildVersion()),
		hubspot.WithObserver(calls.observe),
	)
}

// callLog keeps the last HubSpot calls for the console's API log view. It
// holds what hubspot.Call reports, which never includes tokens.
type callLog struct {
	mu    sync.Mutex
	max   int
	calls []apiCall
}

type apiCall struct {
	Time time.Time
	Call hubspot.Call
}

func newCallLog(max int) *callLog { return &callLog{max: max} }

func (l *callLog) observe(c hubspot.Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.calls) == l.max {
		copy(l.calls, l.calls[1:])
		l.calls = l.calls[:l.max-1]
	}
	l.calls = append(l.calls, apiCall{Time: time.Now(), Call: c})
}

func (l *callLog) snapshot() []apiCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]apiCall(nil), l.calls...)
}
