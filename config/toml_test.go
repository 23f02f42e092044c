package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// anyTOML says what fullConfig says, in the TOML forms hsadmin's own parser
// used to refuse: dotted keys, inline tables, quoted keys and names, literal
// and multi-line strings, multi-line arrays with comments and a trailing
// comma, hex and underscored integers, exponents, a CRLF line ending, blanks
// inside a header and a [portal] parent header.
const anyTOML = "# hsadmin configuration, written by hand\r\n" + `'default_portal' = 'prod'
page_sizes.contacts = 0x64
page_sizes . owners = 5_00
page_sizes."batch" = 50

[portal]
prod.auth = "oauth"
prod.base_url = """
https://api.hubapi.com/"""
prod.production = true
prod.accent = "#D00"
prod.hub_id = 62_515
prod.scopes = [
  "oauth",
  "crm.objects.contacts.write",
]
prod.requests_per_10s = 110
eu-client = { base_url = 'https://api-eu1.hubapi.com', read_only = true, accent = "bright-cyan" }

[ portal . "local" ]
base_url = 'http://127.0.0.1:4010'
accent = '''208'''

[keys]
reassign = [
  "R",       # capital: shift+r
  'ctrl+r',
]
"quit" = "q"
select = "space"

[rate_limit]
search_per_second = 35e-1
requests_per_10s = 8_0
`

// TestParseAcceptsAnyValidTOML reads the same settings written in other
// TOML forms, and gets the same configuration.
func TestParseAcceptsAnyValidTOML(t *testing.T) {
	want, err := Parse("config.toml", []byte(fullConfig))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("config.toml", []byte(anyTOML))
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Portals {
		want.Portals[i].Line = 0
	}
	for i := range got.Portals {
		got.Portals[i].Line = 0
	}
	for i := range want.Keys {
		want.Keys[i].Line = 0
	}
	for i := range got.Keys {
		got.Keys[i].Line = 0
	}
	if !reflect.DeepEqual(got.Portals, want.Portals) {
		t.Errorf("portals:\n got %+v\nwant %+v", got.Portals, want.Portals)
	}
	if !reflect.DeepEqual(got.Keys, want.Keys) || got.PageSizes != want.PageSizes || got.RateLimit != want.RateLimit || got.DefaultPortal != want.DefaultPortal {
		t.Errorf("settings:\n got %+v\nwant %+v", got, want)
	}
}

// TestParseLinesInOtherForms shows that a mistake written in any TOML form
// still names the line of its key, and that portals and key bindings keep
// the file's order and lines.
func TestParseLinesInOtherForms(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"dotted key", "# c\n\nportal.a.auth = \"apikey\"\n", 3, `auth must be "token" or "oauth", not "apikey"`},
		{"inline table", "[portal]\na = { auth = \"oauth\" }\nb = { base_url = \"ftp://x\" }\n", 3, "must start with https://"},
		{"multi-line list", "[keys]\nquit = [\n  \"q\",\n  \"cmd+q\",\n]\n", 2, `unknown modifier "cmd"`},
		{"list of numbers, multi-line", "[keys]\nquit = [\n 1,\n]\n", 2, "lists may only hold quoted strings, not an integer"},
		{"quoted key", "[page_sizes]\n\"owners\" = 501\n", 2, "between 1 and 500"},
		{"date for integer", "[portal.a]\nhub_id = 1979-05-27\n", 2, "hub_id must be an integer, not a date or time"},
		{"inline table for bool", "[portal.a]\nread_only = {}\n", 2, "read_only must be true or false, not a table"},
		{"escaped control character", "[portal.a]\nauth = \"\\u0001\"\n", 2, "control character U+0001"},
		{"nan rate", "[rate_limit]\nsearch_per_second = nan\n", 2, "more than 0 and at most 100, not NaN"},
		{"exponent rate", "[rate_limit]\nsearch_per_second = 1e3\n", 2, "at most 100, not 1000"},
		{"hex page size", "[page_sizes]\nsearch = 0xff\n", 2, "between 1 and 200 (HubSpot's limit), not 255"},
		{"set twice by dotted key", "[portal.a]\nauth = \"token\"\n[portal]\na.auth = \"oauth\"\n", 4, "a.auth is set twice in [portal] (first on line 2)"},
		{"set twice in an inline table", "portal = { a = { auth = \"token\", auth = \"oauth\" } }\n", 1, "auth is set twice"},
		{"table after dotted key", "portal.a.auth = \"token\"\n[portal.a]\n", 2, "already exists"},
		{"integer too large", "[portal.a]\nhub_id = 99999999999999999999\n", 2, "too large"},
		{"array of key tables", "[[keys]]\nquit = \"q\"\n", 1, "arrays of tables ([[keys]]) are not supported"},
		{"array of one portal", "[[portal.a]]\n", 1, "arrays of tables ([[portal.a]]) are not supported"},
		{"settings in [portal]", "[portal]\nauth = \"oauth\"\n", 2, "name the portal: auth belongs in a [portal.NAME] section"},
		{"unknown array section", "[[colours]]\n", 1, "unknown section [colours]"},
		{"quoted name with a dot", "[portal.\"a.b\"]\n", 1, `portal name "a.b" may not contain dots`},
		{"keys as a value", "keys = \"q\"\n", 1, "keys must be a [keys] section, not a string"},
		{"default portal in another form", "'default_portal' = \"x\"\nportal.a = {}\n", 1, `default_portal "x" is not a [portal.NAME] in this file (defined: a)`},
		{"unterminated literal", "[keys]\nquit = 'q\n", 2, "string is missing its closing '"},
		{"bad unicode escape", "[portal.a]\nauth = \"\\uD800\"\n", 2, `\uD800`},
		{"header with garbage", "[portal.a] x\n", 1, `unexpected "x" after the section header`},
		{"unclosed array header", "[[portal.a\n", 1, "section header is missing its closing ]"},
		{"keyword typo", "[portal.a]\nread_only = tru\n", 2, `cannot read "tru" as a value`},
		{"missing value at the end", "[portal.a]\nauth =", 2, "missing value after ="},
		{"comment as value", "[portal.a]\nauth = # none\n", 2, "missing value after ="},
		{"control character in a comment", "# a\x01b\n", 1, "control character U+0001"},
		{"byte order mark and a mistake", "\uFEFFcolour = 1\n", 1, `unknown key "colour"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("/c/config.toml", []byte(tt.in))
			if err == nil {
				t.Fatalf("no error; parsed %+v", c)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.want) {
				t.Errorf("got %v\nwant line %d and %q", err, tt.line, tt.want)
			}
		})
	}

	c, err := Parse("c", []byte("[portal.z]\n[portal]\na = {}\nm.read_only = true\n[keys]\nquit = [\n \"q\",\n]\nhelp = \"?\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.PortalNames(); !reflect.DeepEqual(got, []string{"z", "a", "m"}) {
		t.Errorf("portals in order %q", got)
	}
	if p, _ := c.Portal("m"); p.Line != 4 || !p.ReadOnly {
		t.Errorf("portal m = %+v, want line 4 and read-only", p)
	}
	if len(c.Keys) != 2 || c.Keys[0].Action != "quit" || c.Keys[0].Line != 6 || c.Keys[1].Line != 9 {
		t.Errorf("keys %+v", c.Keys)
	}
}

// TestSyntaxErrorsGiveTheColumn: the library knows where in the line a
// syntax mistake is, and the message says so (in characters, not bytes).
func TestSyntaxErrorsGiveTheColumn(t *testing.T) {
	for in, want := range map[string]string{
		"[portal.a]\nauth = oauth\n":         "f.toml:2:8: cannot read \"oauth\" as a value: strings need quotes, numbers are digits, booleans are true or false",
		"[portal.a]\naccent = \"é\" x\n":     "f.toml:2:14: unexpected \"x\" after the value (quote strings, and start comments with #)",
		"[portal.a]\nauth = \"a\\qb\"\n":     `f.toml:2:10: unknown escape \q in string (write \\ for a backslash)`,
		"[keys]\nquit = [\"q\",\n\"x\"\n":    "f.toml:3:4: list is missing its closing ]",
		"[portal.a]\nread_only\n":            `f.toml:2:10: expected key = value, found "read_only"`,
		"[portal.a]\nproduction = 1\n":       "f.toml:2: production must be true or false, not an integer",
		"[portal.a]\nauth = \"to\x01ken\"\n": "f.toml:2:11: control character U+0001 is not allowed",
	} {
		_, err := Parse("f.toml", []byte(in))
		if err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", in, err, want)
		}
	}
}

// TestAddPortalRefusesAFileItCannotExtend: appending [portal.NAME] to a file
// whose portals are one inline table would make it invalid TOML; the file
// is left as it was and the message says why.
func TestAddPortalRefusesAFileItCannotExtend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	old := "# mine\nportal = { a = { auth = \"token\" } }\n"
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	err := AddPortal(path, Portal{Name: "b"})
	if err == nil || err.Error() != `portal "b" cannot be saved: [portal.b] cannot be appended to `+path+` (key portal already exists as a value); add it there by hand` {
		t.Fatalf("AddPortal: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != old {
		t.Errorf("file changed:\n%s", data)
	}
}

// TestAddPortalRefusesBadValues: a portal whose own values are wrong is
// refused before the file is touched, with what is wrong.
func TestAddPortalRefusesBadValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	err := AddPortal(path, Portal{Name: "a", Accent: "reddish"})
	if err == nil || err.Error() != `portal "a" cannot be saved: accent: "reddish" is not a colour; use #rrggbb, #rgb, an ANSI number 0-255 or a name like red` {
		t.Errorf("AddPortal: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("file written: %v", err)
	}
}
