package config

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseConfig checks that no input makes Parse panic, that every failure
// is a *ParseError with a line inside the file, and that whatever parses
// describes portals that can be written back and read again unchanged.
func FuzzParseConfig(f *testing.F) {
	f.Add(fullConfig)
	f.Add("")
	f.Add("[portal.a]\nauth = \"oauth\"\nbase_url = \"http://[::1]:80\"\n")
	f.Add("[keys]\nquit = [\"q\", 'ctrl+c',]\n")
	f.Add("[portal.a]\naccent = \"\\u00e9\"\n")
	f.Add("[portal.x]\nscopes = [\"a\\\\b\", \"\\\"\"]\nhub_id = 9223372036854775807\n")
	f.Add("[rate_limit]\nsearch_per_second = 1e3\n")
	f.Add("default_portal = 'a'\n[portal.a]\r\nread_only=true#c\n")
	f.Add("[[x]]\n[a.b.c]\n= 1\n")
	f.Add(anyTOML)
	f.Add("portal = { a = { auth = \"oauth\", scopes = [\n'x',\n] } }\n[portal.b]\n")
	f.Add("[portal.\"a b\".c]\n[[portal.d]]\nhub_id = 0x7fffffffffffffff\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := Parse("f.toml", []byte(in))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			if lines := strings.Count(in, "\n") + 1; pe.Line < 0 || pe.Line > lines {
				t.Fatalf("error on line %d of a %d-line file: %v", pe.Line, lines, err)
			}
			return
		}
		for _, p := range c.Portals {
			again, err := Parse("f.toml", []byte(FormatPortal(p)))
			if err != nil {
				t.Fatalf("portal %q does not survive a round trip: %v\n%s", p.Name, err, FormatPortal(p))
			}
			q := again.Portals[0]
			q.Line = p.Line
			if q.Name != p.Name || q.Auth != p.Auth || q.BaseURL != p.BaseURL || q.AppURL != p.AppURL || q.Accent != p.Accent ||
				q.HubID != p.HubID || q.ReadOnly != p.ReadOnly || q.Production != p.Production || q.RateLimit != p.RateLimit ||
				strings.Join(q.Scopes, "\x00") != strings.Join(p.Scopes, "\x00") {
				t.Fatalf("round trip changed the portal:\n got %+v\nwant %+v", q, p)
			}
		}
	})
}
