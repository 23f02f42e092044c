package cli

// Named portals: `hsadmin login`, `hsadmin logout`, and the wiring that
// turns --portal NAME into a connection.
//
// For connect.go:
//
//	baseURL, hc, readOnly, production, err := resolveNamedPortal(name, io)
//
// reads the config file and the portal's saved credentials, and returns the
// portal's API base URL, an *http.Client that authenticates every request
// (pass it to hubspot.WithHTTPClient instead of WithAccessToken; OAuth tokens
// refresh themselves 5 minutes before expiry and rotated tokens are saved),
// and the portal's read-only and production flags. name "" means the
// config's default_portal. It does no network I/O. Errors are ready to print:
// an unknown portal or a missing sign-in is a usage error naming the fix.
// openNamedPortal gives the same plus the accent colour, rate-limit client
// options, and the token introspection (signin.Session) for the console.

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"
	"golang.org/x/term"

	"github.com/hsadmin/hsadmin/config"
	"github.com/hsadmin/hsadmin/credentials"
	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal/explain"
	"github.com/hsadmin/hsadmin/portal/signin"
)

// defaultOAuthScopes are the scopes hsadmin's actions use (see
// signin.MissingFor); the app must be configured with them.
var defaultOAuthScopes = []string{
	"oauth",
	"settings.users.read", "settings.users.write",
	"settings.users.teams.read", "settings.users.teams.write",
	"crm.objects.owners.read",
	"crm.objects.contacts.read", "crm.objects.contacts.write",
	"crm.objects.users.read",
}

func (a *app) loginCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "login",
		Short: "sign in to a portal and save its credentials (tokens are read from stdin)",
		Long: `Sign in to a portal and save its credentials:
  hsadmin login [--portal NAME] (--token | --oauth --client-id ID)

--token reads a private app token or service key from standard input, never
from the command line; --oauth signs in through the browser.

--portal NAME names the portal (added to the config file if new). Without it,
the portal is the configured one of the hub the token belongs to, else a new
portal named after its hub (hub-62515).`,
	}
	fs := cmd.Flags()
	// --portal names the portal to sign in to and --base-url is a new
	// portal's API address: the persistent flags, read here.
	name, baseURL := &a.pf.name, &a.pf.baseURL
	useToken := new(secretSafeBool)
	fs.Var(useToken, "token", "sign in with a private app token or service key, read from standard input")
	fs.Lookup("token").NoOptDefVal = "true"
	useOAuth := fs.Bool("oauth", false, "sign in through the browser with an OAuth app")
	clientID := fs.String("client-id", "", "the OAuth app's client ID (its secret comes from $HUBSPOT_CLIENT_SECRET or standard input)")
	scopes := fs.String("scopes", "", "comma-separated OAuth scopes to request (default: the portal's scopes, else all hsadmin uses)")
	listen := fs.String("listen", "127.0.0.1:0", "loopback address for the OAuth redirect; fix the port if the app lists an exact redirect URL")
	noBrowser := fs.Bool("no-browser", false, "do not try to open a browser; just print the sign-in address")
	timeout := fs.Duration("timeout", 10*time.Minute, "how long to wait for the browser sign-in")
	cmd.RunE = a.run(func(ctx context.Context, io stdio, args []string) error {
		if len(args) > 0 {
			// Not quoted back: it may be a token pasted by mistake.
			return usagef("unexpected argument after the flags (tokens are read from standard input, never from the command line)")
		}
		if useToken.misused {
			return usagef("--token takes no value: the token is read from standard input, never from the command line")
		}
		if *name != "" {
			if err := config.CheckPortalName(*name); err != nil {
				return usagef("%v", err)
			}
		}
		if useToken.on == *useOAuth {
			return usagef("choose one of --token or --oauth")
		}
		cfg, err := a.loadConfig()
		if err != nil {
			return err
		}
		p, known := cfg.Portal(*name)
		if *name == "" {
			known = false // named after the hub once signed in
		}
		if !known {
			p = config.Portal{Name: *name, BaseURL: config.DefaultBaseURL}
			if *baseURL != "" {
				u, err := config.CheckBaseURL(*baseURL)
				if err != nil {
					return usagef("--base-url: %v", err)
				}
				p.BaseURL = u
			}
			p.AppURL = config.AppURLFor(p.BaseURL)
		} else if *baseURL != "" {
			if u, err := config.CheckBaseURL(*baseURL); err != nil || u != p.BaseURL {
				return usagef("portal %s is configured with base URL %s in %s; edit the file to change it", p.Name, p.BaseURL, cfg.Path)
			}
		}
		method := config.AuthToken
		if *useOAuth {
			method = config.AuthOAuth
		}
		if known && p.Auth != method {
			return usagef("portal %s is configured for %s sign-in in %s:%d; use --%s or change its auth", p.Name, p.Auth, cfg.Path, p.Line, p.Auth)
		}
		store, err := a.openCredentials()
		if err != nil {
			return err
		}

		var cred credentials.Credential
		var sess signin.Session
		if useToken.on {
			cred, sess, err = a.loginWithToken(ctx, io, p)
		} else {
			if *clientID == "" {
				return usagef("--oauth needs --client-id ID")
			}
			wanted := p.Scopes
			if *scopes != "" {
				wanted = splitList(*scopes)
			}
			if len(wanted) == 0 {
				wanted = defaultOAuthScopes
			}
			waitCtx, cancel := context.WithTimeout(ctx, *timeout)
			defer cancel()
			cred, sess, err = a.loginWithOAuth(waitCtx, io, p, *clientID, wanted, *listen, !*noBrowser)
		}
		if err != nil {
			return err
		}
		if *name == "" {
			if p, known, err = portalForHub(cfg, p, cmp.Or(sess.HubID, cred.HubID), method); err != nil {
				return err
			}
		}
		if p.HubID != 0 && sess.HubID != 0 && sess.HubID != p.HubID {
			return fmt.Errorf("this sign-in is for hub %d, but portal %s is pinned to hub %d in %s:%d; nothing was saved", sess.HubID, p.Name, p.HubID, cfg.Path, p.Line)
		}
		cred.Portal = p.Name
		if cred.HubID == 0 {
			cred.HubID = sess.HubID
		}
		if err := store.Save(cred); err != nil {
			return fmt.Errorf("signed in, but the credentials could not be saved: %w", err)
		}
		if !known {
			p.Auth, p.HubID = method, sess.HubID
			if err := config.AddPortal(cfg.Path, p); err != nil {
				return fmt.Errorf("signed in and saved the credentials, but could not add portal %s to the config: %w", p.Name, err)
			}
			fmt.Fprintf(io.err, "Added [portal.%s] to %s.\n", p.Name, cfg.Path)
		}
		fmt.Fprintf(io.out, "Signed in to portal %s%s; credentials saved in %s.\n", p.Name, describeSession(sess), store.Where(p.Name))
		if *name == "" {
			fmt.Fprintf(io.out, "Saved as portal %s (no --portal was given); use it with --portal %s. To rename it: change [portal.%s] in %s, sign in again with --portal NEWNAME, then hsadmin logout --portal %s.\n",
				p.Name, p.Name, p.Name, cfg.Path, p.Name)
		}
		return nil
	})
	return cmd
}

// secretSafeBool is a boolean flag that does not echo a bad value: the flag
// package quotes it in its error, and `--token=pat-…` would print the token.
type secretSafeBool struct{ on, misused bool }

func (b *secretSafeBool) Type() string { return "bool" }
func (b *secretSafeBool) String() string {
	if b != nil && b.on {
		return "true"
	}
	return "false"
}

func (b *secretSafeBool) Set(v string) error {
	switch v {
	case "true", "1":
		b.on = true
	case "false", "0":
		b.on = false
	default:
		b.misused = true
	}
	return nil
}

func describeSession(s signin.Session) string {
	var parts []string
	if s.HubID != 0 {
		h := fmt.Sprintf("hub %d", s.HubID)
		if s.HubDomain != "" {
			h += ", " + s.HubDomain
		}
		parts = append(parts, h)
	}
	if s.ScopesKnown {
		parts = append(parts, fmt.Sprintf("%d scopes", len(s.Scopes)))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// portalForHub is the portal a sign-in without --portal goes to: the
// configured portal of its hub, else a new one named after the hub. draft
// is the new portal's settings so far.
func portalForHub(cfg *config.Config, draft config.Portal, hubID int64, method config.AuthMethod) (config.Portal, bool, error) {
	if hubID == 0 {
		return config.Portal{}, false, usagef("HubSpot did not say which hub this token belongs to, so it cannot name the portal; nothing was saved. Rerun with --portal NAME")
	}
	for _, p := range cfg.Portals {
		if p.HubID == hubID && p.BaseURL == draft.BaseURL {
			if p.Auth != method {
				return config.Portal{}, false, usagef("hub %d is portal %s, configured for %s sign-in in %s:%d; use --%s or change its auth", hubID, p.Name, p.Auth, cfg.Path, p.Line, p.Auth)
			}
			return p, true, nil
		}
	}
	draft.Name = fmt.Sprintf("hub-%d", hubID)
	if p, ok := cfg.Portal(draft.Name); ok {
		return p, true, nil
	}
	return draft, false, nil
}

func (a *app) loginWithToken(ctx context.Context, io stdio, p config.Portal) (credentials.Credential, signin.Session, error) {
	token, err := readSecret(io, "Paste the private app token or service key"+forPortal(p)+", then press Enter: ")
	if err != nil {
		return credentials.Credential{}, signin.Session{}, err
	}
	c := hubspot.New(hubspot.WithBaseURL(p.BaseURL), hubspot.WithAccessToken(token), hubspot.WithUserAgent("hsadmin/"+a.version()), hubspot.WithRetry(2))
	sess, err := signin.Introspect(ctx, c, token)
	if err != nil {
		return credentials.Credential{}, signin.Session{}, fmt.Errorf("the token could not be checked: %s", explain.ForPortal(err, p.Name))
	}
	if !sess.ScopesKnown {
		// HubSpot's token-info endpoint does not know private app tokens:
		// one cheap read tells a bad token from a good one.
		if _, err := c.OwnersPage(ctx, hubspot.OwnerListOptions{Limit: 1}, ""); hubspot.IsAuthError(err) {
			return credentials.Credential{}, signin.Session{}, pastedTokenRefused(err)
		}
	}
	return credentials.Credential{Method: credentials.MethodToken, AccessToken: token, HubID: sess.HubID}, sess, nil
}

// pastedTokenRefused says why HubSpot refused a pasted token and what to
// paste instead. HubSpot answers a token it cannot read as expired in 1970,
// which must not send the admin off to refresh it.
func pastedTokenRefused(err error) error {
	var e *hubspot.APIError
	errors.As(err, &e)
	switch hubspot.AuthFailureOf(err) {
	case hubspot.AuthUndecodable:
		msg := "HubSpot did not accept the token: it could not read it; check that it was copied whole"
		if e != nil && e.Token.Describe() != "" {
			msg += " (" + e.Token.Describe() + ")"
		}
		return errors.New(msg)
	case hubspot.AuthExpired:
		return errors.New("HubSpot did not accept the token: it has expired, so it is an OAuth access token (private app tokens and service keys do not expire); sign in with hsadmin login --oauth instead")
	}
	return errors.New("HubSpot did not accept the token: it was revoked or rotated, or its private app was deleted; copy the app's current token (or make a new one) and paste that")
}

// forPortal names the portal in a prompt, when it has a name yet.
func forPortal(p config.Portal) string {
	if p.Name == "" {
		return ""
	}
	return " for portal " + p.Name
}

func (a *app) loginWithOAuth(ctx context.Context, io stdio, p config.Portal, clientID string, scopes []string, listen string, browser bool) (credentials.Credential, signin.Session, error) {
	secret := strings.TrimSpace(a.getenv("HUBSPOT_CLIENT_SECRET"))
	if secret == "" {
		var err error
		secret, err = readSecret(io, "Paste the OAuth app's client secret, then press Enter: ")
		if err != nil {
			return credentials.Credential{}, signin.Session{}, err
		}
	}
	app := signin.App{ClientID: clientID, ClientSecret: secret, Scopes: scopes, AppBaseURL: p.AppURL, APIBaseURL: p.BaseURL}
	open := a.deps.OpenBrowser
	if !browser {
		open = nil
	}
	tok, err := signin.Login(ctx, app, signin.Options{ListenAddr: listen}, io.err, open)
	if err != nil {
		return credentials.Credential{}, signin.Session{}, err
	}
	c := hubspot.New(hubspot.WithBaseURL(p.BaseURL), hubspot.WithUserAgent("hsadmin/"+a.version()), hubspot.WithRetry(2))
	sess, err := signin.Introspect(ctx, c, tok.AccessToken)
	if err != nil {
		return credentials.Credential{}, signin.Session{}, fmt.Errorf("signed in, but the new token could not be checked: %s", explain.ForPortal(err, p.Name))
	}
	cred := credentials.Credential{Method: credentials.MethodOAuth, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		Expiry: tok.Expiry, ClientID: clientID, ClientSecret: secret, HubID: signin.HubID(tok)}
	return cred, sess, nil
}

// readSecret reads one line from standard input: without echo from a
// terminal (after a prompt on stderr), else the first line of a pipe.
func readSecret(std stdio, prompt string) (string, error) {
	var line string
	if f, ok := std.in.(*os.File); ok && std.isTerminal(f) {
		fmt.Fprint(std.err, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(std.err)
		if err != nil {
			return "", fmt.Errorf("cannot read from the terminal: %w", err)
		}
		line = string(b)
	} else {
		r := bufio.NewReader(&limitedReader{r: std.in, n: 64 << 10})
		s, err := r.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("cannot read standard input: %w", err)
		}
		line = s
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", usagef("nothing on standard input; pipe the secret in, e.g. hsadmin login ... < token.txt")
	}
	if strings.ContainsAny(line, " \t") {
		return "", usagef("the secret on standard input contains spaces; paste only the token itself")
	}
	return line, nil
}

// limitedReader stops a runaway pipe from being read into memory whole.
type limitedReader struct {
	r io.Reader
	n int
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, io.EOF
	}
	if len(p) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= n
	return n, err
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

func (a *app) logoutCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "revoke a portal's OAuth sign-in and forget its saved credentials",
	}
	name := &a.pf.name
	cmd.RunE = a.run(func(ctx context.Context, io stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		if *name == "" {
			return usagef("--portal NAME is required")
		}
		cfg, err := a.loadConfig()
		if err != nil {
			return err
		}
		store, err := a.openCredentials()
		if err != nil {
			return err
		}
		cred, err := store.Load(*name)
		if errors.Is(err, credentials.ErrNotFound) {
			return fmt.Errorf("portal %s has no saved sign-in", *name)
		}
		if err != nil {
			return err
		}
		base := config.DefaultBaseURL
		if p, ok := cfg.Portal(*name); ok {
			base = p.BaseURL
		}
		var revokeErr error
		if cred.Method == credentials.MethodOAuth && cred.RefreshToken != "" {
			rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			revokeErr = signin.Revoke(rctx, nil, base, cred.RefreshToken)
			cancel()
		}
		// Forget the credential whatever HubSpot said: the admin asked for it.
		if err := store.Delete(*name); err != nil && !errors.Is(err, credentials.ErrNotFound) {
			return fmt.Errorf("could not delete the saved credentials: %w", err)
		}
		switch {
		case cred.Method != credentials.MethodOAuth:
			fmt.Fprintf(io.out, "Forgot the token for portal %s. A private app token stays valid at HubSpot: rotate it in the app's settings if it may have leaked.\n", *name)
		case revokeErr == nil:
			fmt.Fprintf(io.out, "Signed out of portal %s: the refresh token is revoked and the saved credentials are gone. Access tokens already issued expire within 30 minutes.\n", *name)
		case errors.Is(revokeErr, signin.ErrUnknownRefreshToken):
			fmt.Fprintf(io.out, "Signed out of portal %s: HubSpot no longer knew the sign-in (already revoked or uninstalled); the saved credentials are gone.\n", *name)
		default:
			return fmt.Errorf("forgot the saved credentials of portal %s, but HubSpot did not confirm the revoke (%s); remove the app under Connected apps in HubSpot's settings", *name, explain.ForPortal(revokeErr, *name))
		}
		return nil
	})
	return cmd
}

// namedPortal is a configured portal ready to connect to.
type namedPortal struct {
	Config     config.Portal
	HTTPClient *http.Client
	// ClientOptions carry the config's rate-limit overrides for hubspot.New.
	ClientOptions []hubspot.Option
	token         oauth2.TokenSource
	userAgent     string
}

// Session introspects the portal's token: hub ID, portal domain, scopes.
func (np *namedPortal) Session(ctx context.Context) (signin.Session, error) {
	tok, err := np.token.Token()
	if err != nil {
		return signin.Session{}, err
	}
	c := hubspot.New(hubspot.WithBaseURL(np.Config.BaseURL), hubspot.WithUserAgent(np.userAgent))
	return signin.Introspect(ctx, c, tok.AccessToken)
}

// resolveNamedPortal: see the comment at the top of this file.
func (a *app) resolveNamedPortal(name string, io stdio) (baseURL string, httpClient *http.Client, readOnly bool, production bool, err error) {
	np, err := a.openNamedPortal(name, io)
	if err != nil {
		return "", nil, false, false, err
	}
	return np.Config.BaseURL, np.HTTPClient, np.Config.ReadOnly, np.Config.Production, nil
}

// openNamedPortal loads the portal's config and credentials; no network I/O.
func (a *app) openNamedPortal(name string, io stdio) (*namedPortal, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = cfg.DefaultPortal
	}
	if name == "" {
		return nil, usagef("name a portal with --portal NAME, or set default_portal in %s", cfg.Path)
	}
	p, ok := cfg.Portal(name)
	if !ok {
		known := "none are configured"
		if names := cfg.PortalNames(); len(names) > 0 {
			known = "configured: " + strings.Join(names, ", ")
		}
		return nil, usagef("no portal named %q in %s (%s); add it with hsadmin login --portal %s --token", name, cfg.Path, known, name)
	}
	store, err := a.openCredentials()
	if err != nil {
		return nil, err
	}
	cred, err := store.Load(name)
	if errors.Is(err, credentials.ErrNotFound) {
		return nil, usagef("portal %s has no saved sign-in; run hsadmin login --portal %s --%s", name, name, p.Auth)
	}
	if err != nil {
		return nil, err
	}
	var src oauth2.TokenSource
	switch cred.Method {
	case credentials.MethodOAuth:
		app := signin.App{ClientID: cred.ClientID, ClientSecret: cred.ClientSecret, AppBaseURL: p.AppURL, APIBaseURL: p.BaseURL}
		src = signin.NewTokenSource(app.Config(""), cred, store, signin.SourceOptions{
			OnSaveError: func(err error) { fmt.Fprintf(io.err, "hsadmin: warning: %v\n", err) },
		})
	default:
		src = oauth2.StaticTokenSource(cred.Token())
	}
	hc := &http.Client{
		Transport: &oauth2.Transport{Source: src, Base: http.DefaultTransport},
		Timeout:   60 * time.Second,
	}
	opts := rateLimitOptions(cfg.RateLimitFor(name))
	return &namedPortal{Config: p, HTTPClient: hc, ClientOptions: opts, token: src, userAgent: "hsadmin/" + a.version()}, nil
}

// rateLimitOptions are the client options for the config's rate-limit
// overrides; none when the config leaves HubSpot's headers in charge.
func rateLimitOptions(rl config.RateLimit) []hubspot.Option {
	var opts []hubspot.Option
	if rl.SearchPerSecond > 0 {
		opts = append(opts, hubspot.WithSearchRate(rl.SearchPerSecond))
	}
	if rl.RequestsPer10s > 0 {
		opts = append(opts, hubspot.WithRateBudget(rl.RequestsPer10s, 10*time.Second))
	}
	return opts
}
