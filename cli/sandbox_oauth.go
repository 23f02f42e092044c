package cli

import (
	"fmt"
	"io"
	"net/url"

	"github.com/spf13/pflag"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal/signin"
)

// sandboxOAuthApp is an OAuth app registered with a served sandbox, so that
// `hsadmin login --oauth` (or any OAuth client) can be tried against it.
type sandboxOAuthApp struct {
	clientID, secret, redirect string
	rotate                     bool
}

// defaultSandboxRedirect is where `hsadmin login --oauth --listen
// 127.0.0.1:8765` receives the code: the sandbox, like HubSpot, wants the
// redirect URL to match exactly, port included.
const defaultSandboxRedirect = "http://127.0.0.1:8765" + signin.CallbackPath

func addSandboxOAuthFlags(fs *pflag.FlagSet) *sandboxOAuthApp {
	a := &sandboxOAuthApp{}
	fs.StringVar(&a.clientID, "oauth-client-id", "", "register an OAuth app with this client ID (its users are approved at once)")
	fs.StringVar(&a.secret, "oauth-client-secret", "", "the OAuth app's client secret (required with --oauth-client-id)")
	fs.StringVar(&a.redirect, "oauth-redirect", defaultSandboxRedirect, "the OAuth app's redirect URL, matched exactly")
	fs.BoolVar(&a.rotate, "rotate-refresh-tokens", false, "answer each refresh with a new refresh token and retire the used one (HubSpot keeps it)")
	return a
}

func (a *sandboxOAuthApp) check() error {
	switch {
	case a.clientID == "" && a.secret != "":
		return usagef("--oauth-client-secret needs --oauth-client-id")
	case a.clientID == "":
		return nil
	case a.secret == "":
		return usagef("--oauth-client-id needs --oauth-client-secret")
	}
	u, err := url.Parse(a.redirect)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--oauth-redirect must be an http(s) URL, not %q", a.redirect)
	}
	return nil
}

// register adds the app to sb and prints how to sign in with it. The secret
// is the caller's own and is not printed back.
func (a *sandboxOAuthApp) register(sb *hubspottest.Server, base string, out io.Writer) {
	if a.clientID == "" {
		return
	}
	sb.RegisterOAuthApp(a.clientID, a.secret, a.redirect)
	listen := "127.0.0.1:PORT"
	if u, err := url.Parse(a.redirect); err == nil {
		listen = u.Host
	}
	fmt.Fprintf(out, "\nOAuth app %s registered (redirect %s). Sign in with:\n", a.clientID, a.redirect)
	fmt.Fprintf(out, "HUBSPOT_CLIENT_SECRET=… hsadmin login --oauth --portal sandbox --base-url %s --client-id %s --listen %s\n", base, a.clientID, listen)
}
