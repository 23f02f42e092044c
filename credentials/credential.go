// Package credentials keeps the secrets hsadmin needs per named portal: the
// OS keyring where one is available, otherwise a 0600 file in the user's
// config directory.
//
// A Credential never prints its secrets: String, GoString, Format, LogValue
// and MarshalJSON all redact, so a stray fmt.Println, %+v, slog call or JSON
// dump cannot leak a token. Storage uses its own private encoding.
package credentials

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Method is how the credential was obtained.
type Method string

const (
	// MethodToken is a static private app token or service key.
	MethodToken Method = "token"
	// MethodOAuth is an OAuth 2.0 app install: refreshable access tokens.
	MethodOAuth Method = "oauth"
)

// Credential is what is stored for one portal.
type Credential struct {
	Portal       string
	Method       Method
	AccessToken  string
	RefreshToken string
	Expiry       time.Time // of AccessToken; zero for tokens that do not expire
	ClientID     string    // OAuth app
	ClientSecret string    // OAuth app
	HubID        int64     // 0 when unknown
}

// Token is the credential as an oauth2 token.
func (c Credential) Token() *oauth2.Token {
	return &oauth2.Token{AccessToken: c.AccessToken, RefreshToken: c.RefreshToken, Expiry: c.Expiry, TokenType: "Bearer"}
}

// Secrets lists the credential's secret values, for scrubbing them from
// error messages that might quote them.
func (c Credential) Secrets() []string {
	var s []string
	for _, v := range []string{c.AccessToken, c.RefreshToken, c.ClientSecret} {
		if v != "" {
			s = append(s, v)
		}
	}
	return s
}

// String describes the credential without its secrets.
func (c Credential) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "credential{portal=%q method=%s", c.Portal, c.Method)
	if c.HubID != 0 {
		fmt.Fprintf(&b, " hub=%d", c.HubID)
	}
	b.WriteString(" access_token=" + redacted(c.AccessToken))
	if c.Method == MethodOAuth || c.RefreshToken != "" {
		b.WriteString(" refresh_token=" + redacted(c.RefreshToken))
	}
	if !c.Expiry.IsZero() {
		b.WriteString(" expiry=" + c.Expiry.UTC().Format(time.RFC3339))
	}
	if c.ClientID != "" {
		// The client ID is not a secret: HubSpot shows it in authorize URLs.
		fmt.Fprintf(&b, " client_id=%q", c.ClientID)
	}
	if c.Method == MethodOAuth || c.ClientSecret != "" {
		b.WriteString(" client_secret=" + redacted(c.ClientSecret))
	}
	b.WriteString("}")
	return b.String()
}

func redacted(secret string) string {
	if secret == "" {
		return "(none)"
	}
	return "[redacted]"
}

// GoString makes %#v redact too.
func (c Credential) GoString() string { return "credentials." + c.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, %q, %x, ...) print the
// redacted description; without it %x would hex-dump the fields.
func (c Credential) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// LogValue keeps secrets out of log/slog records.
func (c Credential) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON redacts: the credential is not meant to be serialised by
// anyone but this package.
func (c Credential) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// record is the stored encoding, private so that only this package writes
// secrets out.
type record struct {
	Method       Method    `json:"method"`
	AccessToken  string    `json:"access_token,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	ClientID     string    `json:"client_id,omitempty"`
	ClientSecret string    `json:"client_secret,omitempty"`
	HubID        int64     `json:"hub_id,omitempty"`
}

func toRecord(c Credential) record {
	return record{Method: c.Method, AccessToken: c.AccessToken, RefreshToken: c.RefreshToken, Expiry: c.Expiry,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, HubID: c.HubID}
}

func (r record) credential(portal string) Credential {
	return Credential{Portal: portal, Method: r.Method, AccessToken: r.AccessToken, RefreshToken: r.RefreshToken,
		Expiry: r.Expiry, ClientID: r.ClientID, ClientSecret: r.ClientSecret, HubID: r.HubID}
}
