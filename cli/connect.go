package cli

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/hsadmin/hsadmin/config"
	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// portalFlags choose the portal a command works on.
type portalFlags struct {
	app      *app
	name     string
	baseURL  string
	dataDir  string
	readOnly bool
	sandbox  *sandboxKnobs // knobs of the built-in sandbox, used without credentials
	// confirmPortal is the portal's name given up front, for scripts, to
	// pass the production guard (see guardProduction).
	confirmPortal string
}

// addWriteFlags adds what commands that write need besides the portal.
func addWriteFlags(fs *pflag.FlagSet, pf *portalFlags) {
	fs.StringVar(&pf.confirmPortal, "confirm-portal", "", fmt.Sprintf("a production portal's name, confirming a job of more than %d changes (asked for on a terminal)", portal.ProductionConfirmAbove))
}

// addPortalFlags adds the flags that choose a portal; they are persistent,
// so they go before or after the command.
func (a *app) addPortalFlags(fs *pflag.FlagSet) *portalFlags {
	pf := &portalFlags{app: a}
	fs.StringVar(&pf.name, "portal", "", "a portal signed in with hsadmin login (default: the config's default_portal)")
	fs.StringVar(&pf.baseURL, "base-url", "", "the HubSpot API base URL (default $HUBSPOT_BASE_URL or https://api.hubapi.com)")
	fs.StringVar(&pf.dataDir, "data-dir", "", "where the local mirror and journal live (default: the user cache directory)")
	fs.BoolVar(&pf.readOnly, "read-only", false, "never send a write to HubSpot")
	return pf
}

// target is a connected portal: a client and what is known about the portal
// before its mirror is opened.
type target struct {
	client  *hubspot.Client
	baseURL string
	name    string // the portal's name: the config's, "sandbox" or envPortalName
	// hubID is known for the sandbox and for signed-in portals; 0 means the
	// portal must be asked (accessToken) or dirKey names its directory.
	hubID       int64
	accessToken string // env tokens only, to learn the hub ID; never printed
	dirKey      string
	readOnly    bool
	production  bool
	accent      string
	scopes      []string // nil when unknown
	// session introspects a signed-in portal's token (scopes); nil otherwise.
	session func(ctx context.Context) ([]string, error)
	builtIn *hubspottest.Server // non-nil when running on the built-in sandbox
	calls   *callLog
	close   func()
}

// dial picks the portal, in this order: --portal NAME; a token in
// HUBSPOT_ACCESS_TOKEN; the config file's default_portal; else the built-in
// sandbox, which lives for this run only.
func (pf *portalFlags) dial(io stdio) (*target, error) {
	base := pf.baseURL
	if base == "" {
		base = pf.app.getenv("HUBSPOT_BASE_URL")
	}
	token := strings.TrimSpace(pf.app.getenv("HUBSPOT_ACCESS_TOKEN"))
	calls := newCallLog(500)

	switch {
	case pf.name != "":
		return pf.dialNamed(pf.name, io, calls)
	case token != "":
		return pf.dialToken(base, token, calls)
	case base != "":
		return nil, usagef("--base-url/HUBSPOT_BASE_URL is set but HUBSPOT_ACCESS_TOKEN is not; set the token (hsadmin sandbox prints one) or use --portal NAME")
	}
	if cfg, err := pf.app.loadConfig(); err != nil {
		return nil, err
	} else if cfg.DefaultPortal != "" {
		return pf.dialNamed(cfg.DefaultPortal, io, calls)
	}
	return pf.dialBuiltIn(io, calls)
}

func (pf *portalFlags) dialBuiltIn(io stdio, calls *callLog) (*target, error) {
	knobs := pf.sandbox
	if knobs == nil {
		knobs = defaultSandboxKnobs()
	}
	cfg, err := knobs.config()
	if err != nil {
		return nil, err
	}
	sb, err := hubspottest.Open(cfg)
	if err != nil {
		return nil, usagef("--reject-writes or --merged: %v", err)
	}
	srv := httptest.NewServer(sb)
	opts := []hubspot.Option{hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken())}
	if !cfg.RateLimit {
		// A sandbox that does not limit needs no pacing: the demo opens at once.
		opts = append(opts, hubspot.WithRateBudget(0, 0), hubspot.WithSearchRate(0))
	}
	fmt.Fprintf(io.err, "hsadmin: no HUBSPOT_ACCESS_TOKEN and no signed-in portal: using a built-in sandbox portal (hub %d) for this run; `hsadmin sandbox` keeps one running\n", sb.HubID())
	return &target{
		client:   pf.app.newClient(calls, pf.readOnly, opts...),
		baseURL:  srv.URL,
		name:     "sandbox",
		hubID:    sb.HubID(),
		readOnly: pf.readOnly,
		scopes:   hubspottest.AllScopes,
		builtIn:  sb,
		calls:    calls,
		close:    srv.Close,
	}, nil
}

func (pf *portalFlags) dialToken(base, token string, calls *callLog) (*target, error) {
	if base == "" {
		base = hubspot.DefaultBaseURL
	}
	base, err := config.CheckBaseURL(base)
	if err != nil {
		return nil, usagef("--base-url: %v", err)
	}
	cfg, err := pf.app.loadConfig()
	if err != nil {
		return nil, err
	}
	// The file-wide [rate_limit] overrides apply to a token portal too.
	opts := append([]hubspot.Option{hubspot.WithBaseURL(base), hubspot.WithAccessToken(token)}, rateLimitOptions(cfg.RateLimit)...)
	// A private app token cannot be introspected; its mirror is then keyed by
	// the base URL and a short fingerprint of the token, never the token.
	sum := sha256.Sum256([]byte(base + "\x00" + token))
	return &target{
		client:      pf.app.newClient(calls, pf.readOnly, opts...),
		baseURL:     base,
		name:        envPortalName,
		accessToken: token,
		dirKey:      fmt.Sprintf("env-%x", sum[:6]),
		readOnly:    pf.readOnly,
		calls:       calls,
		close:       func() {},
	}, nil
}

// envPortalName names a portal opened with the HUBSPOT_ACCESS_TOKEN
// variable by where its token came from, in words: the status line reads
// "token from HUBSPOT_ACCESS_TOKEN hub 62518", never the token.
const envPortalName = "token from HUBSPOT_ACCESS_TOKEN"

func (pf *portalFlags) dialNamed(name string, io stdio, calls *callLog) (*target, error) {
	np, err := pf.app.openNamedPortal(name, io)
	if err != nil {
		return nil, err
	}
	p := np.Config
	readOnly := pf.readOnly || p.ReadOnly
	opts := append([]hubspot.Option{hubspot.WithBaseURL(p.BaseURL), hubspot.WithHTTPClient(np.HTTPClient)}, np.ClientOptions...)
	return &target{
		client:     pf.app.newClient(calls, readOnly, opts...),
		baseURL:    p.BaseURL,
		name:       p.Name,
		hubID:      p.HubID,
		dirKey:     "named-" + p.Name,
		readOnly:   readOnly,
		production: p.Production,
		accent:     p.Accent,
		session: func(ctx context.Context) ([]string, error) {
			s, err := np.Session(ctx)
			if err != nil || !s.ScopesKnown {
				return nil, err
			}
			return s.Scopes, nil
		},
		calls: calls,
		close: func() {},
	}, nil
}

// grantedScopes asks a signed-in portal which scopes its token holds, giving
// up quickly: without the network the mirror is still browsable, and
// HubSpot's 403s name missing scopes anyway.
func (t *target) grantedScopes(ctx context.Context, io stdio) []string {
	if t.session == nil {
		return t.scopes
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	scopes, err := t.session(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(io.err, "hsadmin: could not check the token's scopes: %s\n", oneLine(explainErr(err)))
	}
	return scopes
}

func (a *app) newClient(calls *callLog, readOnly bool, opts ...hubspot.Option) *hubspot.Client {
	opts = append(opts,
		hubspot.WithUserAgent("hsadmin/"+a.version()),
		hubspot.WithObserver(calls.observe),
	)
	if readOnly {
		// The client itself refuses writes: a read-only portal is safe even
		// from a code path that forgot to check.
		opts = append(opts, hubspot.WithReadOnly())
	}
	return hubspot.New(opts...)
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

func newCallLog(ceiling int) *callLog { return &callLog{max: ceiling} }

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

// defaultSandboxKnobs are the built-in sandbox's settings: a realistic portal
// with no rate limit or faults, so the console opens at once.
func defaultSandboxKnobs() *sandboxKnobs {
	return &sandboxKnobs{contacts: 5000, companies: 400, deals: 600, tickets: 300, customRecords: 150, users: 60, seed: 1, rateLimitMax: 100, searchRate: 5, fail429Policy: "TEN_SECONDLY_ROLLING", faultSeed: 1}
}
