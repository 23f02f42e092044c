// Package hubspottest is an in-memory HubSpot portal behind an http.Handler.
//
// It answers the endpoints hsadmin uses with HubSpot's JSON shapes, status
// codes, error envelopes and quirks (a user PUT collapsing roles, owner IDs
// that are not user IDs, 207 batch results, the search caps), checks bearer
// tokens and scopes, can enforce HubSpot's rate limits and inject faults, and
// generates a realistic portal deterministically from a seed:
//
//	srv := httptest.NewServer(hubspottest.New(hubspottest.Config{}))
//	defer srv.Close()
package hubspottest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Config shapes a sandbox portal. The zero value is a usable default portal.
type Config struct {
	Seed     int64 // default 1 when 0
	Contacts int   // default 5000 when 0; negative for none; up to 1_000_000, generated lazily/deterministically
	Users    int   // default 60 when 0
	HubID    int64 // default 62515 when 0

	// Records per object type, generated lazily like contacts: 0 is the
	// default (400 companies, 600 deals, 300 tickets, 150 custom object
	// records), negative none, at most 1_000_000.
	Companies, Deals, Tickets, CustomRecords int

	RateLimit    bool // enforce the rolling window + search 5/s
	RateLimitMax int  // per 10 s window per token, default 100 (private app); OAuth tokens 110
	// RateLimitSecondly is a per-second budget per app, announced in
	// X-HubSpot-RateLimit-Secondly (-Remaining); 0 for none. Only with RateLimit.
	RateLimitSecondly int
	SearchPerSecond   int // default 5
	DailyLimit        int // 0 = 250000 (only enforced with RateLimit)

	// RotateRefreshTokens makes each refresh answer with a new refresh
	// token and retire the one it used, as OAuth servers that rotate do.
	// HubSpot's v1 endpoint returns the same refresh token, valid until
	// revoked, which is the default here too.
	RotateRefreshTokens bool

	// TeamsBeta chooses the Teams API's undocumented behaviours.
	TeamsBeta TeamsBeta

	Faults Faults

	// RejectWrites lists contacts whose writes fail with a property
	// validation error (one bad record fails its whole batch update, as on
	// HubSpot); Merged maps merged-away contact IDs to their survivors
	// (reads and writes of the old ID act on the survivor and answer with
	// its ID). Both can also be set later: SetRejectWrites, MergeContacts.
	RejectWrites []hubspot.ContactID
	Merged       map[hubspot.ContactID]hubspot.ContactID

	// Now is the clock for token expiry, rate-limit windows and modification
	// dates; default time.Now. The generated dates are spread over the year
	// before Now() at New, truncated to the day, so a fixed clock gives a
	// byte-identical portal.
	Now func() time.Time
}

// Faults describes seeded, deterministic fault injection. Decisions are drawn
// from one seeded stream in request arrival order.
type Faults struct {
	Seed            int64
	Latency         time.Duration // added to every request
	ServerErrors    float64       // fraction of requests answered 502/503/504
	RateLimited     float64       // fraction answered 429 ...
	RateLimitPolicy string        // ... with this policyName: TEN_SECONDLY_ROLLING (default), SECONDLY, DAILY
	Resets          float64       // fraction whose connection is reset (hijack+close)
	Truncated       float64       // fraction whose JSON body is cut short
	HTML            float64       // fraction answered 502 with an HTML proxy page
	NonJSON         float64       // fraction answered 200 with an HTML page (a captive portal or misrouted proxy)
	Oversized       float64       // fraction answered 200 with a JSON body of OversizedBytes
	OversizedBytes  int           // default 72 MiB: more than any HubSpot page, and than the client reads
}

// FaultCounts says how many requests each kind of fault hit since New or the
// last SetFaults.
type FaultCounts struct {
	ServerErrors, RateLimited, Resets, Truncated, HTML, NonJSON, Oversized int
}

// Total is the number of requests a fault hit.
func (c FaultCounts) Total() int {
	return c.ServerErrors + c.RateLimited + c.Resets + c.Truncated + c.HTML + c.NonJSON + c.Oversized
}

// Request is one request the sandbox received, for tests asserting on the
// wire. Body holds at most the first 64 KiB. Status is 0 for connections
// reset by fault injection.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Body     []byte
	Status   int
}

// Writes reports whether the request could change the portal: anything
// but GETs and the POSTs that only read (searches, batch reads, token
// introspection).
func (r Request) Writes() bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	for _, readOnly := range []string{"/search", "/batch/read", "/access-token-info"} {
		if strings.HasSuffix(strings.TrimSuffix(r.Path, "/"), readOnly) {
			return false
		}
	}
	return true
}

// WriteRequests lists the requests received that could change the portal.
func (s *Server) WriteRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Writes() {
			out = append(out, r)
		}
	}
	return out
}

// Summary counts what the portal holds. Owners counts every owner: active,
// archived and queues.
type Summary struct {
	Users, MultiRoleUsers, Teams, Roles           int
	Owners, ArchivedOwners, QueueOwners, CRMUsers int
	Contacts                                      int
}

// Fixtures names generated records with known properties, for tests.
type Fixtures struct {
	MultiRoleUser    hubspot.UserID  // holds 3 roles, has a primary and a secondary team and an owner
	SingleRoleUser   hubspot.UserID  // one role, a primary team and an owner
	UserWithoutOwner hubspot.UserID  // an active user with no owner
	ActiveOwner      hubspot.OwnerID // an active person owner holding contacts
	ActiveOwnerUser  hubspot.UserID  // ActiveOwner's user; differs numerically from ActiveOwner
	ArchivedOwner    hubspot.OwnerID // owner of a deactivated user, still holds contacts
	QueueOwner       hubspot.OwnerID
	CollidingUser    hubspot.UserID  // this user ID equals CollidingOwner numerically...
	CollidingOwner   hubspot.OwnerID // ...which is the owner ID of a DIFFERENT person
	StaleEmailOwner  hubspot.OwnerID // an active owner whose email differs from their user's
	OwnerWithoutUser hubspot.OwnerID // an active PERSON owner with no user and no teams (synced from Salesforce)
	Teams            []hubspot.TeamID
	Roles            []hubspot.RoleID
}

// Server is the sandbox portal. It is safe for concurrent use.
type Server struct {
	cfg Config
	now func() time.Time

	mu sync.RWMutex // guards p
	p  *portal

	auth    *authority
	limiter *rateLimiter
	faults  *faultInjector
	log     *requestLog
}

const (
	defaultSeed     = 1
	defaultContacts = 5000
	maxContacts     = 1_000_000
	defaultUsers    = 60
	defaultHubID    = 62515
	maxBodyBytes    = 8 << 20
	maxLoggedBody   = 64 << 10 // Requests() keeps at most this much of each body
)

// New generates a portal from cfg and returns the server holding it. It
// panics when cfg's RejectWrites or Merged name contacts the portal lacks;
// Open returns that as an error instead.
func New(cfg Config) *Server {
	s, err := Open(cfg)
	if err != nil {
		panic(err) // a Config naming contacts the portal lacks is a bug in the caller
	}
	return s
}

// Open is New for configurations from outside the program (flags): a
// RejectWrites or Merged naming contacts the portal lacks is an error.
func Open(cfg Config) (*Server, error) {
	if cfg.Seed == 0 {
		cfg.Seed = defaultSeed
	}
	switch {
	case cfg.Contacts == 0:
		cfg.Contacts = defaultContacts
	case cfg.Contacts < 0:
		cfg.Contacts = 0 // an empty portal
	}
	if cfg.Contacts > maxContacts {
		cfg.Contacts = maxContacts
	}
	if cfg.Users <= 0 {
		cfg.Users = defaultUsers
	}
	if cfg.HubID == 0 {
		cfg.HubID = defaultHubID
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:     cfg,
		now:     cfg.Now,
		p:       generate(cfg.Seed, cfg.Users, cfg.Contacts, cfg.HubID, cfg.Now()),
		limiter: newRateLimiter(cfg),
		faults:  newFaultInjector(cfg.Faults),
		log:     newRequestLog(requestLogCap),
	}
	s.p.addObjects(cfg)
	s.auth = newAuthority(cfg.HubID, s.p.installingUser())
	if err := s.applyKnobs(cfg); err != nil {
		return nil, err
	}
	return s, nil
}

// HubID is the portal's ID.
func (s *Server) HubID() int64 { return s.cfg.HubID }

// SetFaults replaces the fault configuration, restarts its seeded stream and
// zeroes the counts.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// InjectedFaults counts the faults injected since New or the last SetFaults.
func (s *Server) InjectedFaults() FaultCounts { return s.faults.counts() }

// Requests returns the most recent requests received (up to 10,000), oldest first.
func (s *Server) Requests() []Request { return s.log.snapshot() }

// ServeHTTP answers one request like HubSpot would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		body = nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &statusWriter{ResponseWriter: w}
	logged := body
	if len(logged) > maxLoggedBody {
		logged = logged[:maxLoggedBody]
	}
	entry := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: logged}
	defer func() {
		entry.Status = rec.status
		s.log.add(entry)
	}()

	fault := s.faults.decide()
	if fault.latency > 0 {
		t := time.NewTimer(fault.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch fault.kind {
	case faultNone:
		s.serve(rec, r, body)
	case faultTruncate:
		s.serveTruncated(rec, r, body)
	default:
		s.writeFault(rec, fault)
	}
}

// serve routes, authenticates, rate-limits and handles one request.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	ep, params, status := s.route(r.Method, r.URL.EscapedPath())
	switch status {
	case http.StatusNotFound:
		writeUnknownRoute(w)
		return
	case http.StatusMethodNotAllowed:
		writeError(w, http.StatusMethodNotAllowed, apiError{Category: "VALIDATION_ERROR",
			Message: "HTTP method " + r.Method + " is not supported by this resource"})
		return
	}
	rc := &call{s: s, w: w, r: r, body: body, params: params, query: r.URL.Query()}
	if ep.auth != authNone {
		tok, aerr := s.auth.authenticate(r, s.now())
		if aerr != nil {
			writeError(w, http.StatusUnauthorized, *aerr)
			return
		}
		rc.tok = tok
		if !s.limiter.admit(w, tok, ep.search, s.now()) {
			return
		}
		if !tok.hasAny(ep.scopes) {
			writeMissingScopes(w, ep.scopes)
			return
		}
	}
	ep.handle(rc)
}

// statusWriter remembers the status code for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

const requestLogCap = 10_000

// requestLog is a bounded ring of the latest requests.
type requestLog struct {
	mu    sync.Mutex
	buf   []Request
	next  int
	full  bool
	limit int
}

func newRequestLog(limit int) *requestLog { return &requestLog{limit: limit} }

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) < l.limit {
		l.buf = append(l.buf, r)
		return
	}
	l.buf[l.next] = r
	l.next = (l.next + 1) % l.limit
	l.full = true
}

func (l *requestLog) snapshot() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, 0, len(l.buf))
	if l.full {
		out = append(out, l.buf[l.next:]...)
		out = append(out, l.buf[:l.next]...)
		return out
	}
	return append(out, l.buf...)
}
