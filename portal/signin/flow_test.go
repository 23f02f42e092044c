package signin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hsadmin/hsadmin/credentials"
	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal/explain"
	"github.com/hsadmin/hsadmin/portal/signin"
)

const (
	testClientID = "client-id-1234"
	testSecret   = "client-SECRET-5678"
)

// clock is a test clock shared by the sandbox and the token source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	sb    *hubspottest.Server
	srv   *httptest.Server
	clock *clock
	app   signin.App
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	sb := hubspottest.New(hubspottest.Config{Contacts: 20, Users: 8, Now: clk.Now})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &fixture{sb: sb, srv: srv, clock: clk, app: signin.App{
		ClientID: testClientID, ClientSecret: testSecret,
		Scopes:     []string{"crm.objects.contacts.read", "crm.objects.owners.read", "settings.users.read"},
		AppBaseURL: srv.URL, APIBaseURL: srv.URL,
	}}
}

// browse plays the admin's browser: it opens the authorize URL and follows
// HubSpot's redirect to the loopback listener.
func browse(t *testing.T, authURL string) (int, string) {
	t.Helper()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// login runs the flow up to a token.
func (f *fixture) login(t *testing.T) *oauth2.Token {
	t.Helper()
	ctx := context.Background()
	p, err := signin.Start(ctx, f.app, signin.Options{Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.sb.RegisterOAuthApp(testClientID, testSecret, p.RedirectURL())
	status, body := browse(t, p.AuthURL())
	if status != http.StatusOK || !strings.Contains(body, "Signed in to HubSpot") {
		t.Fatalf("browser got %d: %s", status, body)
	}
	tok, err := p.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *fixture) tokenRequests() int {
	n := 0
	for _, r := range f.sb.Requests() {
		if r.Method == "POST" && r.Path == "/oauth/v1/token" {
			n++
		}
	}
	return n
}

func TestLoginExchangesCode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := signin.Start(ctx, f.app, signin.Options{Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.RedirectURL(), "http://127.0.0.1:") || !strings.HasSuffix(p.RedirectURL(), signin.CallbackPath) {
		t.Errorf("redirect URL %s", p.RedirectURL())
	}
	au, err := url.Parse(p.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	q := au.Query()
	if au.Path != "/oauth/authorize" || q.Get("client_id") != testClientID || q.Get("state") == "" || q.Get("code_challenge") == "" ||
		q.Get("redirect_uri") != p.RedirectURL() || q.Get("scope") != strings.Join(f.app.Scopes, " ") {
		t.Errorf("authorize URL %s", au)
	}
	if strings.Contains(p.AuthURL(), testSecret) {
		t.Error("the authorize URL carries the client secret")
	}
	f.sb.RegisterOAuthApp(testClientID, testSecret, p.RedirectURL())
	if status, body := browse(t, p.AuthURL()); status != 200 {
		t.Fatalf("browser: %d %s", status, body)
	}
	tok, err := p.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("token missing parts")
	}
	if want := f.clock.Now().Add(30 * time.Minute); !tok.Expiry.Equal(want) {
		t.Errorf("expiry %v, want %v (sandbox clock + 30 min)", tok.Expiry, want)
	}
	if signin.HubID(tok) != f.sb.HubID() {
		t.Errorf("hub %d, want %d", signin.HubID(tok), f.sb.HubID())
	}

	c := hubspot.New(hubspot.WithBaseURL(f.srv.URL))
	sess, err := signin.Introspect(ctx, c, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if sess.HubID != f.sb.HubID() || !sess.ScopesKnown || !sess.HasScope("crm.objects.contacts.read") || sess.HasScope("crm.objects.contacts.write") {
		t.Errorf("session %+v", sess)
	}
	if got := sess.MissingFor(signin.ActionReassign); len(got) != 1 || got[0] != "crm.objects.contacts.write" {
		t.Errorf("MissingFor(reassign) = %v", got)
	}
	if got := sess.MissingFor(signin.ActionSync); got != nil {
		t.Errorf("MissingFor(sync) = %v", got)
	}

	// The token works against the API.
	api := hubspot.New(hubspot.WithBaseURL(f.srv.URL), hubspot.WithAccessToken(tok.AccessToken))
	if _, err := api.OwnersPage(ctx, hubspot.OwnerListOptions{Limit: 1}, ""); err != nil {
		t.Errorf("owners with the new token: %v", err)
	}

	// A second visit to the callback cannot replace the result.
	resp, err := http.Get(p.RedirectURL() + "?code=x&state=" + q.Get("state"))
	if err == nil {
		resp.Body.Close()
		t.Errorf("the listener still answers after Wait: %d", resp.StatusCode)
	}
}

func TestWrongStateIsRefusedWithoutExchange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := signin.Start(ctx, f.app, signin.Options{Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.sb.RegisterOAuthApp(testClientID, testSecret, p.RedirectURL())
	au, _ := url.Parse(p.AuthURL())
	q := au.Query()
	q.Set("state", "forged-"+q.Get("state"))
	au.RawQuery = q.Encode()

	status, body := browse(t, au.String())
	if status != http.StatusBadRequest || !strings.Contains(body, "did not carry the state") {
		t.Errorf("browser got %d: %s", status, body)
	}
	_, err = p.Wait(ctx)
	if !errors.Is(err, signin.ErrStateMismatch) {
		t.Fatalf("Wait: %v", err)
	}
	if n := f.tokenRequests(); n != 0 {
		t.Errorf("%d token requests after a wrong state", n)
	}
}

func TestHubSpotDeniedAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := signin.Start(ctx, f.app, signin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	state := mustQuery(t, p.AuthURL()).Get("state")
	status, _ := browse(t, p.RedirectURL()+"?error=access_denied&error_description=the+user+said+no&state="+url.QueryEscape(state))
	if status != http.StatusBadRequest {
		t.Errorf("status %d", status)
	}
	_, err = p.Wait(ctx)
	if err == nil || !strings.Contains(err.Error(), "HubSpot did not grant access (access_denied: the user said no)") {
		t.Errorf("Wait: %v", err)
	}
}

func TestExchangeFailureHidesSecrets(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := signin.Start(ctx, f.app, signin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The sandbox knows the app with another secret: the exchange fails.
	f.sb.RegisterOAuthApp(testClientID, "another-secret", p.RedirectURL())
	status, body := browse(t, p.AuthURL())
	_, err = p.Wait(ctx)
	if err == nil || !strings.Contains(err.Error(), "BAD_CLIENT_SECRET") {
		t.Fatalf("Wait: %v", err)
	}
	if status != http.StatusBadRequest {
		t.Errorf("browser status %d", status)
	}
	for _, s := range []string{err.Error(), body, fmt.Sprintf("%+v", err)} {
		if strings.Contains(s, testSecret) {
			t.Errorf("client secret leaked: %s", s)
		}
	}
}

func TestWaitGivesUpWithContext(t *testing.T) {
	f := newFixture(t)
	p, err := signin.Start(context.Background(), f.app, signin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait: %v", err)
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "example.com:80"} {
		if p, err := signin.Start(context.Background(), signin.App{ClientID: "a", ClientSecret: "b"}, signin.Options{ListenAddr: addr}); err == nil {
			p.Close()
			t.Errorf("listened on %s", addr)
		}
	}
}

func TestLoginPrintsURLAndOpensBrowser(t *testing.T) {
	f := newFixture(t)
	// The sandbox needs the redirect URL before the browser arrives, and the
	// port is random: the fake browser registers the app, as an admin would
	// have registered the loopback URL in the app's settings.
	var out bytes.Buffer
	open := func(authURL string) error {
		f.sb.RegisterOAuthApp(testClientID, testSecret, mustQuery(t, authURL).Get("redirect_uri"))
		go func() {
			if resp, err := http.Get(authURL); err == nil {
				resp.Body.Close()
			}
		}()
		return errors.New("no display")
	}
	tok, err := signin.Login(context.Background(), f.app, signin.Options{}, &out, open)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" {
		t.Fatal("no token")
	}
	if !strings.Contains(out.String(), "/oauth/authorize?") || !strings.Contains(out.String(), "could not open a browser") {
		t.Errorf("output:\n%s", out.String())
	}
	for _, s := range []string{tok.AccessToken, tok.RefreshToken, testSecret} {
		if strings.Contains(out.String(), s) {
			t.Errorf("a secret was printed:\n%s", out.String())
		}
	}
}

func mustQuery(t *testing.T, u string) url.Values {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return pu.Query()
}

func fileStore(t *testing.T) *credentials.Store { return credentials.New(t.TempDir(), nil) }

// TestTokenSourceRefreshesAheadOfExpiry runs a signed-in session through
// time: the token is reused, refreshed 5 minutes early and saved, and an
// API client built on the source keeps working past the first expiry.
func TestTokenSourceRefreshesAheadOfExpiry(t *testing.T) {
	f := newFixture(t)
	tok := f.login(t)
	store := fileStore(t)
	cred := credentials.Credential{Portal: "sb", Method: credentials.MethodOAuth, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: tok.Expiry, ClientID: testClientID, ClientSecret: testSecret, HubID: signin.HubID(tok)}
	if err := store.Save(cred); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := log.New(&logs, "", 0)
	src := signin.NewTokenSource(f.app.Config(""), cred, store, signin.SourceOptions{Now: f.clock.Now, OnSaveError: func(err error) { logger.Print(err) }})
	before := f.tokenRequests()

	got, err := src.Token()
	if err != nil || got.AccessToken != tok.AccessToken {
		t.Fatalf("fresh token: %v", err)
	}
	f.clock.Advance(24 * time.Minute)
	if got, _ := src.Token(); got.AccessToken != tok.AccessToken || f.tokenRequests() != before {
		t.Fatalf("refreshed 6 minutes before expiry")
	}
	f.clock.Advance(2 * time.Minute) // 4 minutes left: inside the 5-minute margin
	got, err = src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken == tok.AccessToken || f.tokenRequests() != before+1 {
		t.Fatalf("not refreshed 4 minutes before expiry")
	}
	if want := f.clock.Now().Add(30 * time.Minute); !got.Expiry.Equal(want) {
		t.Errorf("new expiry %v, want %v", got.Expiry, want)
	}
	saved, err := store.Load("sb")
	if err != nil {
		t.Fatal(err)
	}
	if saved.AccessToken != got.AccessToken || !saved.Expiry.Equal(got.Expiry) || saved.RefreshToken != tok.RefreshToken || saved.ClientSecret != testSecret {
		t.Errorf("saved credential is not the refreshed one: %v", saved)
	}

	// Past the first token's expiry: the old token is refused, the source's
	// client is not.
	f.clock.Advance(10 * time.Minute)
	ctx := context.Background()
	old := hubspot.New(hubspot.WithBaseURL(f.srv.URL), hubspot.WithAccessToken(tok.AccessToken), hubspot.WithRetry(1))
	_, err = old.OwnersPage(ctx, hubspot.OwnerListOptions{Limit: 1}, "")
	if !hubspot.IsAuthError(err) || explain.Explain(err) != explain.TokenExpired {
		t.Errorf("expired token: %v → %q", err, explain.Explain(err))
	}
	var calls []hubspot.Call
	api := hubspot.New(hubspot.WithBaseURL(f.srv.URL), hubspot.WithHTTPClient(oauth2.NewClient(ctx, src)),
		hubspot.WithObserver(func(c hubspot.Call) { calls = append(calls, c) }))
	if _, err := api.OwnersPage(ctx, hubspot.OwnerListOptions{Limit: 1}, ""); err != nil {
		t.Errorf("client on the source: %v", err)
	}
	final := src.Credential()
	for _, c := range calls {
		s := fmt.Sprintf("%+v", c)
		for _, secret := range append(final.Secrets(), tok.AccessToken) {
			if strings.Contains(s, secret) {
				t.Errorf("API log entry holds a token: %s", s)
			}
		}
	}
	if logs.Len() != 0 {
		t.Errorf("unexpected save errors: %s", logs.String())
	}
}

// TestRotatedRefreshTokenIsSaved uses a token endpoint that rotates the
// refresh token on every refresh (the sandbox, like HubSpot today, keeps it).
func TestRotatedRefreshTokenIsSaved(t *testing.T) {
	var mu sync.Mutex
	current, n := "refresh-0", 0
	var seen []string
	tokenEndpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.URL.Path != "/oauth/v1/token" {
			http.Error(w, "bad", 400)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.PostForm.Get("refresh_token"))
		if r.PostForm.Get("refresh_token") != current || r.PostForm.Get("client_secret") != testSecret {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprint(w, `{"status":"BAD_REFRESH_TOKEN","message":"missing or invalid refresh token"}`)
			return
		}
		n++
		current = fmt.Sprintf("refresh-%d", n)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"token_type":"bearer","access_token":"access-%d","refresh_token":%q,"expires_in":1800,"hub_id":77}`, n, current)
	}))
	defer tokenEndpoint.Close()

	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	app := signin.App{ClientID: testClientID, ClientSecret: testSecret, APIBaseURL: tokenEndpoint.URL}
	store := fileStore(t)
	cred := credentials.Credential{Portal: "rot", Method: credentials.MethodOAuth, AccessToken: "access-0", RefreshToken: "refresh-0",
		Expiry: clk.Now().Add(time.Minute), ClientID: testClientID, ClientSecret: testSecret}
	src := signin.NewTokenSource(app.Config(""), cred, store, signin.SourceOptions{Now: clk.Now})
	for i := 1; i <= 2; i++ {
		tok, err := src.Token()
		if err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		if tok.AccessToken != fmt.Sprintf("access-%d", i) {
			t.Fatalf("refresh %d gave %s", i, tok.AccessToken)
		}
		saved, err := store.Load("rot")
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("refresh-%d", i); saved.RefreshToken != want || saved.HubID != 77 {
			t.Errorf("after refresh %d the store holds %v, want refresh token %s", i, saved, want)
		}
		clk.Advance(26 * time.Minute)
	}
	if strings.Join(seen, ",") != "refresh-0,refresh-1" {
		t.Errorf("refresh tokens sent: %v", seen)
	}

	// A later run starts from the store and keeps going with the rotated token.
	saved, _ := store.Load("rot")
	again := signin.NewTokenSource(app.Config(""), saved, store, signin.SourceOptions{Now: clk.Now})
	if tok, err := again.Token(); err != nil || tok.AccessToken != "access-3" {
		t.Errorf("after a restart: %v %v", tok, err)
	}
}

type failingSaver struct{}

func (failingSaver) Save(credentials.Credential) error {
	return errors.New("disk full")
}

func TestSaveFailureIsReportedNotFatal(t *testing.T) {
	f := newFixture(t)
	tok := f.login(t)
	cred := credentials.Credential{Portal: "sb", Method: credentials.MethodOAuth, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: f.clock.Now(), ClientID: testClientID, ClientSecret: testSecret}
	var reported []error
	src := signin.NewTokenSource(f.app.Config(""), cred, failingSaver{}, signin.SourceOptions{Now: f.clock.Now, OnSaveError: func(err error) { reported = append(reported, err) }})
	got, err := src.Token()
	if err != nil || got.AccessToken == tok.AccessToken {
		t.Fatalf("Token: %v", err)
	}
	if len(reported) != 1 || !strings.Contains(reported[0].Error(), "disk full") {
		t.Fatalf("reported %v", reported)
	}
	if s := reported[0].Error(); strings.Contains(s, got.AccessToken) || strings.Contains(s, tok.RefreshToken) {
		t.Errorf("save error holds a token: %s", s)
	}
}

func TestRevokeEndsRefreshing(t *testing.T) {
	f := newFixture(t)
	tok := f.login(t)
	ctx := context.Background()
	if err := signin.Revoke(ctx, nil, f.srv.URL, tok.RefreshToken); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if err := signin.Revoke(ctx, nil, f.srv.URL, "na1-never-issued"); !errors.Is(err, signin.ErrUnknownRefreshToken) {
		t.Errorf("Revoke of an unknown token: %v", err)
	}
	cred := credentials.Credential{Portal: "sb", Method: credentials.MethodOAuth, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: tok.Expiry, ClientID: testClientID, ClientSecret: testSecret}
	f.clock.Advance(29 * time.Minute)
	src := signin.NewTokenSource(f.app.Config(""), cred, fileStore(t), signin.SourceOptions{Now: f.clock.Now})
	_, err := src.Token()
	if !errors.Is(err, signin.ErrNeedsLogin) || !strings.Contains(err.Error(), "BAD_REFRESH_TOKEN") || !strings.Contains(err.Error(), "run hsadmin login --portal sb") {
		t.Fatalf("refresh after revoke: %v", err)
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Errorf("the token endpoint's answer is not reachable with errors.As: %v", err)
	}
	if got := explain.ForPortal(err, "sb"); !strings.Contains(got, "refused by HubSpot") || !strings.Contains(got, "hsadmin login --portal sb") {
		t.Errorf("Explain: %q", got)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), string(re.Body)} {
		for _, secret := range cred.Secrets() {
			if strings.Contains(s, secret) {
				t.Errorf("error holds a secret: %s", s)
			}
		}
	}
}

func TestRevokeNetworkErrorHidesToken(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	const rt = "na1-REFRESH-secret-value"
	err := signin.Revoke(context.Background(), nil, gone.URL, rt)
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), rt) || strings.Contains(fmt.Sprintf("%#v", err), rt) {
		t.Errorf("token in error: %v", err)
	}
	if got := explain.Explain(err); !strings.Contains(got, "cannot reach HubSpot") {
		t.Errorf("Explain: %q", got)
	}
}

func TestNoRefreshTokenNeedsLogin(t *testing.T) {
	clk := &clock{t: time.Now()}
	cred := credentials.Credential{Portal: "p", Method: credentials.MethodOAuth, AccessToken: "a", Expiry: clk.Now()}
	_, err := signin.NewTokenSource(signin.App{}.Config(""), cred, nil, signin.SourceOptions{Now: clk.Now}).Token()
	if !errors.Is(err, signin.ErrNeedsLogin) {
		t.Errorf("got %v", err)
	}
}
