// Package hubspot is a client for the parts of HubSpot's public REST API that a
// portal administrator needs: Settings users, roles and teams, the Teams API,
// CRM owners, contacts and CRM user records, and the OAuth endpoints.
//
// One Client is safe for concurrent use. Every call takes a context, waits on
// the client's rate limiters, and retries only what HubSpot can safely receive
// twice. Errors from HubSpot are *APIError values (see IsNotFound,
// IsInvalidOwner, MissingScopes, IsRateLimited, IsAuthError).
package hubspot

import (
	"context"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultBaseURL is HubSpot's API host. EU portals use the same host; the
// option exists for proxies and for the sandbox.
const DefaultBaseURL = "https://api.hubapi.com"

const defaultUserAgent = "hsadmin-hubspot-go"

// Client talks to one HubSpot portal.
type Client struct {
	baseURL     string
	hc          *http.Client
	userAgent   string
	maxAttempts int
	observer    func(Call)
	secrets     []string // values scrubbed from every error HubSpot sends back
	limits      *limits
	readOnly    bool               // refuse every request that could change the portal
	tokens      oauth2.TokenSource // the HTTP client's OAuth token source, when it has one
	tokenKind   TokenKind          // the shape of the token sent, for 401 advice

	// sleep waits between attempts; tests replace it so that no test waits
	// real seconds for a backoff or a rate-limit window.
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*config)

type config struct {
	baseURL       string
	hc            *http.Client
	token         string
	userAgent     string
	searchRate    float64
	maxAttempts   int
	observer      func(Call)
	budgetMax     int
	budgetWindow  time.Duration
	budgetChanged bool
	readOnly      bool
	sleep         func(ctx context.Context, d time.Duration) error
}

// WithBaseURL points the client at another host, e.g. a sandbox. The default
// is https://api.hubapi.com.
func WithBaseURL(u string) Option {
	return func(c *config) { c.baseURL = strings.TrimRight(u, "/") }
}

// WithHTTPClient sets the HTTP client every request goes through, typically
// oauth2.NewClient(ctx, tokenSource) so that OAuth tokens refresh themselves.
// The client is not modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.hc = hc }
}

// WithAccessToken sends "Authorization: Bearer tok" on every request (a
// private app or service key token). It wraps the transport of the HTTP
// client; the token never appears in errors or in Call reports.
func WithAccessToken(tok string) Option {
	return func(c *config) { c.token = tok }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) { c.userAgent = ua }
}

// WithSearchRate sets how many search requests per second the client sends at
// most (HubSpot allows 5 per second per account by default). perSecond <= 0
// turns the search limiter off, for a local sandbox that does not enforce it.
func WithSearchRate(perSecond float64) Option {
	return func(c *config) { c.searchRate = perSecond }
}

// WithRetry sets how many attempts a replay-safe operation gets in total
// (default 4). 1 turns retries off.
func WithRetry(maxAttempts int) Option {
	return func(c *config) { c.maxAttempts = maxAttempts }
}

// WithObserver reports every HTTP attempt, for an API log view. fn is called
// from the goroutine making the call and must not block.
func WithObserver(fn func(Call)) Option {
	return func(c *config) { c.observer = fn }
}

// WithRateBudget sets the general request budget (max requests per window)
// the client keeps to until HubSpot's X-HubSpot-RateLimit-* headers announce
// the real one; the default is 100 per 10 seconds, a private app's budget.
// max <= 0 turns client-side limiting off entirely, headers included: for
// benchmarks against a local sandbox. HubSpot's 429 answers are still handled.
func WithRateBudget(ceiling int, window time.Duration) Option {
	return func(c *config) {
		c.budgetMax, c.budgetWindow, c.budgetChanged = ceiling, window, true
	}
}

// WithSleep replaces how the client waits between attempts (backoff,
// Retry-After, a rate-limit window). Tests and simulations pass a function
// that records the wait and returns at once, so retries cost no wall-clock
// time; fn must return ctx.Err() once ctx is done. It does not affect the
// client-side rate limiters.
func WithSleep(fn func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) { c.sleep = fn }
}

// New returns a client configured by opts.
func New(opts ...Option) *Client {
	cfg := config{
		baseURL:      DefaultBaseURL,
		userAgent:    defaultUserAgent,
		searchRate:   defaultSearchRate,
		maxAttempts:  defaultMaxAttempts,
		budgetMax:    defaultBudgetMax,
		budgetWindow: defaultBudgetWindow,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxAttempts < 1 {
		cfg.maxAttempts = 1
	}
	hc := cfg.hc
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	c := &Client{
		baseURL:     cfg.baseURL,
		hc:          hc,
		userAgent:   cfg.userAgent,
		maxAttempts: cfg.maxAttempts,
		observer:    cfg.observer,
		limits:      newLimits(cfg.budgetMax, cfg.budgetWindow, cfg.searchRate),
		sleep:       SleepContext,
		readOnly:    cfg.readOnly,
	}
	if cfg.sleep != nil {
		c.sleep = cfg.sleep
	}
	if t, ok := hc.Transport.(*oauth2.Transport); ok && t.Source != nil {
		c.tokens = t.Source
	}
	c.tokenKind = sentTokenKind(cfg.token, c.tokens != nil, hc.Transport)
	if cfg.token != "" {
		// Copy the caller's client so that their other requests stay unauthenticated.
		withAuth := *hc
		withAuth.Transport = &bearerTransport{base: hc.Transport, token: cfg.token}
		c.hc = &withAuth
		c.secrets = append(c.secrets, cfg.token)
	}
	return c
}

// sentTokenKind is what the client knows of the token its requests carry.
func sentTokenKind(static string, oauthSource bool, transport http.RoundTripper) TokenKind {
	switch {
	case static != "":
		return ClassifyToken(static)
	case oauthSource:
		return TokenOAuthAccess
	case transport == nil:
		return TokenNone
	}
	return TokenNotKnown // the caller's transport may add one
}

// defaultTimeout bounds one attempt when the caller supplies no HTTP client.
// A timed-out attempt of a replay-safe operation is retried.
const defaultTimeout = 60 * time.Second

// Call describes one HTTP attempt. Path has no query string, and any secret
// in the path (the token inspected by AccessTokenInfo) is replaced by a
// placeholder.
type Call struct {
	Method        string
	Path          string
	Status        int // 0 when no answer arrived
	Latency       time.Duration
	RateRemaining int // X-HubSpot-RateLimit-Remaining; -1 when HubSpot did not say
	Attempt       int // 1 for the first attempt
	Err           error
	// Body is the body of an error answer (4xx, 5xx), secrets scrubbed;
	// "" for a success or when no answer arrived.
	Body string
}

// bearerTransport adds the access token to each request.
type bearerTransport struct {
	base  http.RoundTripper
	token string
}

func (t *bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	// A RoundTripper must not modify the caller's request.
	r2 := r.Clone(r.Context())
	r2.Header.Set("Authorization", "Bearer "+t.token)
	return base.RoundTrip(r2)
}

// SleepContext waits for d, or less when ctx ends first (then it returns
// ctx's error). Retry loops here and in callers share it.
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
