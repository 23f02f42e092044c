// Package signin signs hsadmin in to HubSpot: the OAuth 2.0 authorization
// code flow through a loopback redirect, tokens that refresh themselves and
// are saved when they rotate, revocation for logout, and the token
// introspection that tells which actions the sign-in allows.
package signin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/hsadmin/hsadmin/hubspot"
)

// App is a HubSpot OAuth app and the hosts it signs in with.
type App struct {
	ClientID     string
	ClientSecret string
	Scopes       []string
	// AppBaseURL serves the browser consent page ("" = https://app.hubspot.com).
	AppBaseURL string
	// APIBaseURL serves the token endpoint ("" = https://api.hubapi.com).
	APIBaseURL string
}

// Config is the app's oauth2 configuration for a redirect URL.
func (a App) Config(redirectURL string) *oauth2.Config {
	return hubspot.OAuthConfig(a.ClientID, a.ClientSecret, redirectURL, a.Scopes, a.AppBaseURL, a.APIBaseURL)
}

// Options tune a sign-in. The zero value is ready to use.
type Options struct {
	// ListenAddr is the loopback listener's address ("" = 127.0.0.1 with a
	// random port). Set a fixed port when the app's settings list an exact
	// redirect URL.
	ListenAddr string
	// HTTPClient performs the token exchange (nil = a client with a 30 s timeout).
	HTTPClient *http.Client
	// Now is the clock used to turn expires_in into an expiry (nil = time.Now).
	Now func() time.Time
}

func (o Options) httpClient() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return &http.Client{Timeout: 30 * time.Second}
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// CallbackPath is the redirect URL's path on the loopback listener.
const CallbackPath = "/oauth-callback"

// ErrStateMismatch means the browser came back with a state other than the
// one hsadmin sent: possibly a forged redirect. No code was exchanged.
var ErrStateMismatch = errors.New("the sign-in answer did not carry the state hsadmin sent (an old browser tab, or a forged redirect); no token was requested; run hsadmin login again")

// Pending is a sign-in waiting for the browser to come back.
type Pending struct {
	ctx      context.Context
	app      App
	opts     Options
	cfg      *oauth2.Config
	state    string
	verifier string
	srv      *http.Server
	ln       net.Listener

	mu      sync.Mutex
	handled bool
	done    chan result // buffered 1: the one callback's outcome
}

type result struct {
	tok *oauth2.Token
	err error
}

// Start opens the loopback listener and prepares the authorize URL. The
// caller shows AuthURL to the admin (or opens it) and then calls Wait. ctx
// bounds the token exchange.
func Start(ctx context.Context, app App, opts Options) (*Pending, error) {
	if app.ClientID == "" {
		return nil, errors.New("an OAuth sign-in needs the app's client ID")
	}
	if app.ClientSecret == "" {
		return nil, errors.New("an OAuth sign-in needs the app's client secret")
	}
	addr := opts.ListenAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		return nil, fmt.Errorf("the sign-in listener must be on a loopback address like 127.0.0.1:8976, not %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen for the sign-in redirect on %s: %w", addr, err)
	}
	p := &Pending{
		ctx:      ctx,
		app:      app,
		opts:     opts,
		state:    randomString(24),
		verifier: oauth2.GenerateVerifier(),
		ln:       ln,
		done:     make(chan result, 1),
	}
	p.cfg = app.Config("http://" + ln.Addr().String() + CallbackPath)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+CallbackPath, p.callback)
	p.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go p.srv.Serve(ln) //nolint:errcheck // ends with ErrServerClosed on Close
	return p, nil
}

// AuthURL is the page where the admin approves the app. It carries the
// state and a PKCE challenge, never a secret.
func (p *Pending) AuthURL() string {
	return p.cfg.AuthCodeURL(p.state, oauth2.S256ChallengeOption(p.verifier))
}

// RedirectURL is the loopback address HubSpot sends the browser back to.
func (p *Pending) RedirectURL() string { return p.cfg.RedirectURL }

// Wait blocks until the browser has come back and the code was exchanged,
// or ctx ends. It closes the listener either way.
func (p *Pending) Wait(ctx context.Context) (*oauth2.Token, error) {
	defer p.Close()
	select {
	case r := <-p.done:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("gave up waiting for the browser to finish signing in: %w", ctx.Err())
	}
}

// Close stops the loopback listener.
func (p *Pending) Close() error {
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return p.srv.Shutdown(shutdown)
}

// callback handles HubSpot's redirect. Only the first answer counts: a
// second one (a reload, a stray request) cannot replace the result.
func (p *Pending) callback(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	if p.handled {
		p.mu.Unlock()
		page(w, http.StatusGone, "This sign-in is already finished", "Return to the terminal.")
		return
	}
	p.handled = true
	p.mu.Unlock()

	res := p.finish(r)
	if res.err != nil {
		page(w, http.StatusBadRequest, "Sign-in failed", res.err.Error())
	} else {
		page(w, http.StatusOK, "Signed in to HubSpot", "You can close this tab and return to the terminal.")
	}
	p.done <- res
}

func (p *Pending) finish(r *http.Request) result {
	q := r.URL.Query()
	if got := q.Get("state"); subtle.ConstantTimeCompare([]byte(got), []byte(p.state)) != 1 {
		return result{err: ErrStateMismatch}
	}
	if e := q.Get("error"); e != "" {
		msg := "HubSpot did not grant access (" + e
		if d := q.Get("error_description"); d != "" {
			msg += ": " + d
		}
		return result{err: errors.New(msg + ")")}
	}
	code := q.Get("code")
	if code == "" {
		return result{err: errors.New("HubSpot's redirect carried no authorization code")}
	}
	ctx := context.WithValue(p.ctx, oauth2.HTTPClient, p.opts.httpClient())
	tok, err := p.cfg.Exchange(ctx, code, oauth2.VerifierOption(p.verifier))
	if err != nil {
		return result{err: fmt.Errorf("exchanging the authorization code at HubSpot failed: %w", scrub(err, code, p.app.ClientSecret))}
	}
	if tok.RefreshToken == "" {
		return result{err: errors.New("HubSpot's token answer had no refresh token; hsadmin could not stay signed in")}
	}
	stampExpiry(tok, p.opts.now())
	return result{tok: tok}
}

// stampExpiry sets Expiry from expires_in with our clock, so a test clock
// and the sandbox agree on when the token runs out.
func stampExpiry(tok *oauth2.Token, now time.Time) {
	if tok.ExpiresIn > 0 {
		tok.Expiry = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
}

// HubID is the portal a token answer was issued for (0 if not said).
func HubID(tok *oauth2.Token) int64 {
	switch v := tok.Extra("hub_id").(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	}
	return 0
}

func page(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><title>hsadmin: %s</title><h1>%s</h1><p>%s</p>\n",
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(body))
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Login runs the whole sign-in: it listens, prints the URL to out (for
// headless machines), opens the browser with open (nil: no browser), waits
// for the redirect and exchanges the code.
func Login(ctx context.Context, app App, opts Options, out io.Writer, open func(url string) error) (*oauth2.Token, error) {
	p, err := Start(ctx, app, opts)
	if err != nil {
		return nil, err
	}
	url := p.AuthURL()
	fmt.Fprintf(out, "Open this address in a browser to sign in to HubSpot:\n\n  %s\n\nWaiting for the browser to come back to %s ...\n", url, p.RedirectURL())
	if open != nil {
		if err := open(url); err != nil {
			fmt.Fprintln(out, "(could not open a browser; open the address above yourself)")
		}
	}
	return p.Wait(ctx)
}

// OpenBrowser opens url in the desktop's browser. It fails on a machine
// without one, which is fine: the URL is printed too.
func OpenBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() //nolint:errcheck // reap the child; its exit status does not matter
	return nil
}
