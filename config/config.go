// Package config reads hsadmin's configuration file: the named portals an
// admin works on, key bindings, API page sizes and rate-limit overrides.
//
// The file is TOML, read with go-toml/v2, so any valid TOML spelling of the
// settings works (dotted keys, inline tables, multi-line lists…). Every
// mistake, in the syntax or in what a setting says, is reported with the
// file, the line (and the column of a syntax mistake) and what is wrong,
// instead of being half-understood:
//
//	default_portal = "prod"
//
//	[portal.prod]
//	auth       = "oauth"                  # token | oauth
//	base_url   = "https://api.hubapi.com"
//	production = true                     # accent colour + confirm big jobs
//	accent     = "#d70000"
//	read_only  = false
//
//	[keys]
//	reassign = ["O", "ctrl+o"]
//
//	[page_sizes]
//	contacts = 100
//
//	[rate_limit]
//	search_per_second = 4
//	requests_per_10s  = 90
//
//	[console]
//	refresh = "5m"                         # "off" or 0 turns it off
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// AuthMethod is how hsadmin signs in to a portal.
type AuthMethod string

const (
	// AuthToken is a static bearer token: a private app token or service key.
	AuthToken AuthMethod = "token"
	// AuthOAuth is an OAuth 2.0 app install with refreshable 30-minute tokens.
	AuthOAuth AuthMethod = "oauth"
)

// DefaultBaseURL is HubSpot's public API.
const DefaultBaseURL = "https://api.hubapi.com"

// Config is a parsed configuration file. The zero value is not useful; use
// Default, Parse or Load.
type Config struct {
	// Path is the file this configuration came from ("" for Default()).
	Path string
	// DefaultPortal names the portal used when no --portal is given ("" for none).
	DefaultPortal string
	// Portals in the order the file lists them.
	Portals []Portal
	// Keys maps an action name to the keys bound to it, as Bubble Tea's
	// KeyPressMsg.String() spells them ("ctrl+r", "space", "R").
	Keys []KeyBinding
	// PageSizes are the page sizes used when reading from HubSpot.
	PageSizes PageSizes
	// RateLimit overrides the client's rate limits for every portal; a
	// portal's own values win.
	RateLimit RateLimit
	// Console holds the console's own settings ([console]).
	Console Console
}

// Portal is one named HubSpot account.
type Portal struct {
	Name string
	Auth AuthMethod
	// BaseURL of the API, without a trailing slash.
	BaseURL string
	// AppURL is where the browser signs in for OAuth (HubSpot's app domain);
	// derived from BaseURL when the file does not set it.
	AppURL string
	// ReadOnly portals never receive a write request.
	ReadOnly bool
	// Production portals show their accent colour and ask for the portal's
	// name before a job of more than 100 changes.
	Production bool
	// Accent is a lipgloss colour: "#rrggbb" or an ANSI number "0".."255";
	// "" means the console's default.
	Accent string
	// HubID pins the portal to one HubSpot account (0 = not pinned): signing in
	// to another account under this name is refused.
	HubID int64
	// Scopes requested when signing in with OAuth (nil = hsadmin's default set).
	Scopes []string
	// RateLimit for this portal; zero fields fall back to Config.RateLimit.
	RateLimit RateLimit
	// Line is where the portal's section starts in the file (0 if not from a file).
	Line int
}

// KeyBinding binds one action to its keys.
type KeyBinding struct {
	Action string
	Keys   []string
	Line   int
}

// PageSizes are the `limit` values sent when paging through HubSpot. Zero
// means "the client's default".
type PageSizes struct {
	Contacts int // GET contacts, 1..100
	Users    int // GET settings users, 1..100
	Owners   int // GET owners, 1..500
	Search   int // CRM search, 1..200
	Batch    int // inputs per batch request, 1..100
}

// RateLimit overrides. Zero means "the client's default".
type RateLimit struct {
	SearchPerSecond float64 // CRM search requests per second
	RequestsPer10s  int     // requests per rolling 10-second window
}

// Default is the configuration used when there is no file.
func Default() *Config { return &Config{} }

// DefaultPath is $XDG_CONFIG_HOME/hsadmin/config.toml (or the platform's
// equivalent user config directory).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the user config directory: %w", err)
	}
	return filepath.Join(dir, "hsadmin", "config.toml"), nil
}

// Load reads and parses the file at path. A missing file is not an error: it
// gives Default() with Path set, so that a first run works without one.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		c := Default()
		c.Path = path
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read config file: %w", err)
	}
	return Parse(path, data)
}

// Portal returns the portal called name.
func (c *Config) Portal(name string) (Portal, bool) {
	for _, p := range c.Portals {
		if p.Name == name {
			return p, true
		}
	}
	return Portal{}, false
}

// PortalNames lists the configured portals in file order.
func (c *Config) PortalNames() []string {
	names := make([]string, len(c.Portals))
	for i, p := range c.Portals {
		names[i] = p.Name
	}
	return names
}

// KeysFor returns the keys bound to action, or nil when the file leaves the
// action at its default.
func (c *Config) KeysFor(action string) []string {
	for _, b := range c.Keys {
		if b.Action == action {
			return b.Keys
		}
	}
	return nil
}

// CheckActions reports the first key binding whose action is not in known,
// as a *ParseError naming its line. The console calls it with its own action
// names, which this package does not own.
func (c *Config) CheckActions(known []string) error {
	for _, b := range c.Keys {
		found := false
		for _, k := range known {
			if k == b.Action {
				found = true
				break
			}
		}
		if !found {
			return &ParseError{Path: c.Path, Line: b.Line, Msg: fmt.Sprintf("unknown action %q in [keys]; known actions: %s", b.Action, strings.Join(known, ", "))}
		}
	}
	return nil
}

// RateLimitFor is the effective rate limit of the portal called name: its own
// values, else the file-wide [rate_limit] values.
func (c *Config) RateLimitFor(name string) RateLimit {
	rl := c.RateLimit
	if p, ok := c.Portal(name); ok {
		if p.RateLimit.SearchPerSecond != 0 {
			rl.SearchPerSecond = p.RateLimit.SearchPerSecond
		}
		if p.RateLimit.RequestsPer10s != 0 {
			rl.RequestsPer10s = p.RateLimit.RequestsPer10s
		}
	}
	return rl
}

// ParseError is a mistake in the configuration file.
type ParseError struct {
	Path string
	Line int // 1-based; 0 when the mistake is not on one line
	// Column (1-based, in characters) of a syntax mistake; 0 for a mistake
	// in what a key says, which Line's key names.
	Column int
	Msg    string
}

func (e *ParseError) Error() string {
	path := e.Path
	if path == "" {
		path = "config"
	}
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", path, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", path, e.Msg)
}
