package signin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/hsadmin/hsadmin/credentials"
)

// Saver persists a credential; *credentials.Store is one.
type Saver interface {
	Save(credentials.Credential) error
}

// DefaultRefreshEarly is how long before expiry an access token is replaced,
// so a request never leaves with a token that dies on the way.
const DefaultRefreshEarly = 5 * time.Minute

// SourceOptions tune a TokenSource. The zero value is ready to use.
type SourceOptions struct {
	// HTTPClient performs refreshes (nil = a client with a 30 s timeout).
	HTTPClient *http.Client
	// Now is the clock (nil = time.Now).
	Now func() time.Time
	// RefreshEarly is the margin before expiry (0 = DefaultRefreshEarly).
	RefreshEarly time.Duration
	// OnSaveError hears about a refreshed token that could not be saved. The
	// token is still used for this run; the next run may have to sign in
	// again if HubSpot rotated the refresh token. The error never holds a token.
	OnSaveError func(error)
}

// TokenSource hands out the portal's access token, refreshing it ahead of
// expiry and saving what HubSpot returns (HubSpot may rotate the refresh
// token). It is an oauth2.TokenSource, safe for concurrent use: give it to
// oauth2.NewClient and the result to hubspot.WithHTTPClient.
type TokenSource struct {
	cfg   *oauth2.Config
	saver Saver
	opts  SourceOptions

	mu   sync.Mutex
	cred credentials.Credential
}

// NewTokenSource starts from a saved OAuth credential. cfg is the app's
// oauth2 configuration (App.Config; the redirect URL does not matter here).
func NewTokenSource(cfg *oauth2.Config, cred credentials.Credential, saver Saver, opts SourceOptions) *TokenSource {
	if opts.RefreshEarly == 0 {
		opts.RefreshEarly = DefaultRefreshEarly
	}
	return &TokenSource{cfg: cfg, saver: saver, opts: opts, cred: cred}
}

func (s *TokenSource) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

// ErrNeedsLogin means the saved sign-in cannot produce a token any more.
var ErrNeedsLogin = errors.New("the saved sign-in has expired or was revoked")

// Token returns a valid access token, refreshing it first when it expires
// within RefreshEarly.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cred
	if c.AccessToken != "" && (c.Expiry.IsZero() || s.now().Add(s.opts.RefreshEarly).Before(c.Expiry)) {
		return c.Token(), nil
	}
	if c.RefreshToken == "" {
		return nil, fmt.Errorf("portal %q: %w, and there is no refresh token; run hsadmin login --portal %s", c.Portal, ErrNeedsLogin, c.Portal)
	}
	hc := s.opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)
	// A token without an access token is never valid, so this always asks
	// the token endpoint, whatever oauth2 thinks of the old expiry.
	tok, err := s.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: c.RefreshToken}).Token()
	if err != nil {
		err = scrub(err, c.Secrets()...)
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			return nil, fmt.Errorf("portal %q: %w (HubSpot: %s); run hsadmin login --portal %s: %w", c.Portal, ErrNeedsLogin, refreshRefusal(re), c.Portal, err)
		}
		return nil, fmt.Errorf("portal %q: cannot refresh the access token: %w", c.Portal, err)
	}
	stampExpiry(tok, s.now())
	next := c
	next.AccessToken, next.Expiry = tok.AccessToken, tok.Expiry
	if tok.RefreshToken != "" {
		next.RefreshToken = tok.RefreshToken
	}
	if id := HubID(tok); id != 0 {
		next.HubID = id
	}
	s.cred = next
	if s.saver != nil {
		if err := s.saver.Save(next); err != nil && s.opts.OnSaveError != nil {
			s.opts.OnSaveError(scrub(fmt.Errorf("portal %q: the refreshed token could not be saved: %w", c.Portal, err), next.Secrets()...))
		}
	}
	return next.Token(), nil
}

// refreshRefusal is HubSpot's reason, e.g. BAD_REFRESH_TOKEN.
func refreshRefusal(re *oauth2.RetrieveError) string {
	if re.ErrorCode != "" {
		return re.ErrorCode
	}
	// HubSpot's token endpoint answers {"status":"BAD_REFRESH_TOKEN","message":…}
	// rather than OAuth's {"error":…}.
	var body struct{ Status string }
	if json.Unmarshal(re.Body, &body) == nil && body.Status != "" && body.Status != "error" {
		return body.Status
	}
	return http.StatusText(re.Response.StatusCode)
}

// Credential is the current credential, including any refreshed token.
func (s *TokenSource) Credential() credentials.Credential {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cred
}
