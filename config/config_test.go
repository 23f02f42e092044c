package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const fullConfig = `# hsadmin configuration
default_portal = "prod"   # used without --portal

[portal.prod]
auth = "oauth"
base_url = "https://api.hubapi.com/"
production = true
accent = "#D00"
hub_id = 62515
scopes = ["oauth", "crm.objects.contacts.write"]
requests_per_10s = 110

[portal.eu-client]
base_url = 'https://api-eu1.hubapi.com'
read_only = true
accent = "bright-cyan"

[portal.local]
base_url = "http://127.0.0.1:4010"
accent = "208"

[keys]
reassign = ["R", "ctrl+r"]
quit = "q"
select = "space"

[page_sizes]
contacts = 100
owners = 500
batch = 50

[rate_limit]
search_per_second = 3.5
requests_per_10s = 80
`

func TestParseFullConfig(t *testing.T) {
	c, err := Parse("config.toml", []byte(fullConfig))
	if err != nil {
		t.Fatal(err)
	}
	want := []Portal{
		{Name: "prod", Auth: AuthOAuth, BaseURL: "https://api.hubapi.com", AppURL: "https://app.hubspot.com", Production: true,
			Accent: "#dd0000", HubID: 62515, Scopes: []string{"oauth", "crm.objects.contacts.write"}, RateLimit: RateLimit{RequestsPer10s: 110}, Line: 4},
		{Name: "eu-client", Auth: AuthToken, BaseURL: "https://api-eu1.hubapi.com", AppURL: "https://app-eu1.hubspot.com", ReadOnly: true, Accent: "14", Line: 13},
		{Name: "local", Auth: AuthToken, BaseURL: "http://127.0.0.1:4010", AppURL: "http://127.0.0.1:4010", Accent: "208", Line: 18},
	}
	if !reflect.DeepEqual(c.Portals, want) {
		t.Errorf("portals:\n got %+v\nwant %+v", c.Portals, want)
	}
	if c.DefaultPortal != "prod" {
		t.Errorf("default portal %q", c.DefaultPortal)
	}
	if got := c.KeysFor("reassign"); !reflect.DeepEqual(got, []string{"R", "ctrl+r"}) {
		t.Errorf("reassign keys %q", got)
	}
	if got := c.KeysFor("quit"); !reflect.DeepEqual(got, []string{"q"}) {
		t.Errorf("quit keys %q", got)
	}
	if got := c.KeysFor("help"); got != nil {
		t.Errorf("unbound action has keys %q", got)
	}
	if c.PageSizes != (PageSizes{Contacts: 100, Owners: 500, Batch: 50}) {
		t.Errorf("page sizes %+v", c.PageSizes)
	}
	if got := c.RateLimitFor("prod"); got != (RateLimit{SearchPerSecond: 3.5, RequestsPer10s: 110}) {
		t.Errorf("prod rate limit %+v", got)
	}
	if got := c.RateLimitFor("local"); got != (RateLimit{SearchPerSecond: 3.5, RequestsPer10s: 80}) {
		t.Errorf("local rate limit %+v", got)
	}
	if err := c.CheckActions([]string{"reassign", "quit", "select"}); err != nil {
		t.Errorf("CheckActions: %v", err)
	}
	err = c.CheckActions([]string{"reassign", "select"})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 24 || !strings.Contains(pe.Msg, `unknown action "quit"`) {
		t.Errorf("CheckActions with quit unknown: %v", err)
	}
}

func TestParseEmptyAndCommentsOnly(t *testing.T) {
	for _, in := range []string{"", "\n\n", "# nothing\n   # here\r\n", "\uFEFF# BOM first\n"} {
		c, err := Parse("c", []byte(in))
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if len(c.Portals) != 0 || len(c.Keys) != 0 || c.DefaultPortal != "" {
			t.Errorf("%q: not empty: %+v", in, c)
		}
	}
}

// TestParseErrors shows that each kind of mistake gets the file, the line and
// what is wrong.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"unknown top-level key", "colour = \"red\"\n", 1, `unknown key "colour" at the top of the file`},
		{"unknown portal key", "[portal.a]\nbase_ur = \"https://x.example\"\n", 2, `unknown key "base_ur" in [portal.a]`},
		{"unknown section", "[portal.a]\n[colours]\n", 2, "unknown section [colours]"},
		{"plural portals section", "[portals.a]\n", 1, "did you mean [portal.a]?"},
		{"unnamed portal", "[portal]\n", 1, "name the portal: [portal.NAME]"},
		{"wrong type bool", "[portal.a]\nread_only = \"yes\"\n", 2, "read_only must be true or false, not a string"},
		{"wrong type string", "[portal.a]\nbase_url = 42\n", 2, "base_url must be a string, not an integer"},
		{"wrong type int", "[page_sizes]\ncontacts = \"100\"\n", 2, "contacts must be an integer, not a string"},
		{"bad colour", "[portal.a]\naccent = \"#12345\"\n", 2, `accent: "#12345" is not a colour`},
		{"bad colour name", "[portal.a]\naccent = \"reddish\"\n", 2, `"reddish" is not a colour`},
		{"ansi colour out of range", "[portal.a]\naccent = \"256\"\n", 2, "is not a colour"},
		{"duplicate portal", "[portal.a]\n\n[portal.b]\n[portal.a]\n", 4, `duplicate portal "a" (first defined on line 1)`},
		{"duplicate section", "[keys]\n[keys]\n", 2, "section [keys] appears twice (first on line 1)"},
		{"duplicate key", "[portal.a]\nauth = \"token\"\nauth = \"oauth\"\n", 3, "auth is set twice in [portal.a] (first on line 2)"},
		{"bad URL", "[portal.a]\nbase_url = \"api.hubapi.com\"\n", 2, "is not an absolute URL"},
		{"plain http remote", "[portal.a]\nbase_url = \"http://api.hubapi.com\"\n", 2, "tokens would travel unencrypted"},
		{"ftp URL", "[portal.a]\nbase_url = \"ftp://x.example\"\n", 2, "must start with https://"},
		{"URL with query", "[portal.a]\nbase_url = \"https://x.example/?a=1\"\n", 2, "may not have a query"},
		{"URL with password", "[portal.a]\nbase_url = \"https://u:p@x.example\"\n", 2, "user name or password"},
		{"bad auth", "[portal.a]\nauth = \"apikey\"\n", 2, `auth must be "token" or "oauth", not "apikey"`},
		{"hub id negative", "[portal.a]\nhub_id = -3\n", 2, "hub_id must be a positive number"},
		{"bad scope", "[portal.a]\nscopes = [\"a b\"]\n", 2, `scopes: "a b" is not a scope name`},
		{"unquoted string", "[portal.a]\nauth = oauth\n", 2, `cannot read "oauth" as a value`},
		{"unterminated string", "[portal.a]\nauth = \"oauth\n", 2, "missing its closing \""},
		{"trailing garbage", "[portal.a]\nauth = \"oauth\" x\n", 2, `unexpected "x" after the value`},
		{"missing value", "[portal.a]\nauth =\n", 2, "missing value after ="},
		{"no equals", "[portal.a]\nread_only\n", 2, `expected key = value, found "read_only"`},
		{"inline table", "[portal.a]\nrate = {a = 1}\n", 2, `unknown key "rate" in [portal.a]`},
		{"array of tables", "[[portal]]\n", 1, "arrays of tables"},
		{"unclosed header", "[portal.a\n", 1, "missing its closing ]"},
		{"unclosed list", "[keys]\nquit = [\"q\"\n", 2, "missing its closing ]"},
		{"list of numbers", "[keys]\nquit = [1]\n", 2, "lists may only hold quoted strings"},
		{"bad escape", "[portal.a]\nauth = \"a\\qb\"\n", 2, `unknown escape \q`},
		{"multi-line string", "[portal.a]\nauth = \"\"\"x\n", 2, `multi-line string is missing its closing """`},
		{"page size too big", "[page_sizes]\ncontacts = 500\n", 2, "between 1 and 100 (HubSpot's limit), not 500"},
		{"unknown page size", "[page_sizes]\nrows = 5\n", 2, `unknown key "rows" in [page_sizes]`},
		{"rate limit zero", "[rate_limit]\nsearch_per_second = 0\n", 2, "more than 0"},
		{"rate limit float for int", "[rate_limit]\nrequests_per_10s = 1.5\n", 2, "requests_per_10s must be an integer, not a number"},
		{"unknown rate limit", "[rate_limit]\ndaily = 5\n", 2, `unknown key "daily" in [rate_limit]`},
		{"key bound twice", "[keys]\nquit = \"q\"\nreassign = [\"r\", \"q\"]\n", 3, `key "q" is bound to both quit (line 2) and reassign`},
		{"key listed twice", "[keys]\nquit = [\"q\", \"q\"]\n", 2, `quit lists the key "q" twice`},
		{"space as blank", "[keys]\nselect = \" \"\n", 2, `write "space"`},
		{"shift letter", "[keys]\nreassign = \"shift+r\"\n", 2, `write "R"`},
		{"bad modifier", "[keys]\nquit = \"cmd+q\"\n", 2, `unknown modifier "cmd"`},
		{"not a key", "[keys]\nquit = \"quit\"\n", 2, "is not a key"},
		{"empty key list", "[keys]\nquit = []\n", 2, "bind at least one key"},
		{"key as bool", "[keys]\nquit = true\n", 2, "quit must be a key"},
		{"default portal missing", "default_portal = \"x\"\n[portal.a]\n", 1, `default_portal "x" is not a [portal.NAME] in this file (defined: a)`},
		{"control character", "[portal.a]\nauth = \"to\x01ken\"\n", 2, "control character U+0001"},
		{"invalid UTF-8", "# ok\n# \xff\n", 2, "not valid UTF-8"},
		{"portal name with dots", "[portal.a.b]\n", 1, `may not contain dots`},
		{"quoted portal name", "[portal.\"a b\"]\n", 1, `portal name "a b": use letters, digits, - and _ only`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("/home/a/.config/hsadmin/config.toml", []byte(tt.in))
			if err == nil {
				t.Fatalf("no error; parsed %+v", c)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if pe.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", pe.Line, tt.line, err)
			}
			if !strings.Contains(pe.Msg, tt.want) {
				t.Errorf("message %q does not contain %q", pe.Msg, tt.want)
			}
			prefix := "/home/a/.config/hsadmin/config.toml:"
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func TestParseColor(t *testing.T) {
	for in, want := range map[string]string{"#ABC": "#aabbcc", "#00ff7F": "#00ff7f", "0": "0", "255": "255", "Red": "1", "grey": "8"} {
		got, err := ParseColor(in)
		if err != nil || got != want {
			t.Errorf("ParseColor(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "#", "#12", "#gggggg", "#1234567", "256", "0001", "-1", "rgb(1,2,3)"} {
		if got, err := ParseColor(in); err == nil {
			t.Errorf("ParseColor(%q) = %q, want an error", in, got)
		}
	}
}

func TestCheckKey(t *testing.T) {
	for _, k := range []string{"q", "R", ":", "+", "ctrl++", "ctrl+r", "alt+enter", "shift+tab", "ctrl+shift+up", "space", "f12", "é", "?"} {
		if err := CheckKey(k); err != nil {
			t.Errorf("CheckKey(%q): %v", k, err)
		}
	}
	for _, k := range []string{"", " ", "ctrl+", "ctrl+ctrl+a", "meta+a", "shift+a", "ab", "\t", "f13"} {
		if err := CheckKey(k); err == nil {
			t.Errorf("CheckKey(%q) accepted", k)
		}
	}
}

func TestLoadMissingFileIsDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "config.toml")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Path != path || len(c.Portals) != 0 {
		t.Errorf("got %+v", c)
	}
}

func TestLoadReportsFileAndLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[portal.a]\nproduction = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || err.Error() != path+":2: production must be true or false, not an integer" {
		t.Errorf("got %v", err)
	}
}

func TestDefaultPathHonoursXDG(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	got, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "hsadmin", "config.toml"); got != want && os.Getenv("HOME") != "" {
		// On macOS and Windows UserConfigDir ignores XDG; only check Linux-like systems.
		if filepath.Separator == '/' && !strings.Contains(got, "Library") {
			t.Errorf("DefaultPath = %q, want %q", got, want)
		}
	}
}

func TestAddPortalAppendsAndKeepsComments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hsadmin", "config.toml")
	p := Portal{Name: "sandbox", Auth: AuthOAuth, BaseURL: "http://127.0.0.1:4010", Accent: "#00aa00", HubID: 7,
		Scopes: []string{"oauth", `we"ird\scope`}, RateLimit: RateLimit{SearchPerSecond: 2.5, RequestsPer10s: 50}, ReadOnly: true, Production: true}
	if err := AddPortal(path, p); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	// A hand-written comment survives the next append.
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append([]byte("# mine\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := AddPortal(path, Portal{Name: "prod"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.Portal("sandbox")
	p.AppURL = "http://127.0.0.1:4010"
	p.Line = got.Line
	if !reflect.DeepEqual(got, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, p)
	}
	if prod, ok := c.Portal("prod"); !ok || prod.BaseURL != DefaultBaseURL || prod.Auth != AuthToken {
		t.Errorf("prod = %+v", prod)
	}
	data, _ = os.ReadFile(path)
	if !strings.HasPrefix(string(data), "# mine\n") {
		t.Errorf("comment lost:\n%s", data)
	}
	if err := AddPortal(path, Portal{Name: "prod"}); err == nil || !strings.Contains(err.Error(), `portal "prod" is already defined`) {
		t.Errorf("duplicate add: %v", err)
	}
	if err := AddPortal(path, Portal{Name: "bad name"}); err == nil || !strings.Contains(err.Error(), `portal name "bad name": use letters, digits, - and _ only`) {
		t.Errorf("a portal name with a space: %v", err)
	}
}

func TestAppURLFor(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.hubapi.com":      "https://app.hubspot.com",
		"https://api-eu1.hubapi.com":  "https://app-eu1.hubspot.com",
		"http://127.0.0.1:4010":       "http://127.0.0.1:4010",
		"https://proxy.example.com/x": "https://proxy.example.com/x",
	} {
		if got := AppURLFor(in); got != want {
			t.Errorf("AppURLFor(%q) = %q, want %q", in, got, want)
		}
	}
}
