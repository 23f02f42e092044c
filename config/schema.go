package config

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/pelletier/go-toml/v2"
)

// schema checks the decoded file against hsadmin's settings, in the order
// the file lists them, and reports the first mistake at its key's line.
type schema struct {
	path     string
	ix       *keyIndex
	cfg      *Config
	defLine  int // line of default_portal
	keysUsed map[string]keyUse
}

type keyUse struct {
	action string
	line   int
}

func (s *schema) errorf(path []string, format string, a ...any) error {
	return &ParseError{Path: s.path, Line: s.ix.line(path...), Msg: fmt.Sprintf(format, a...)}
}

// ordered lists a table's keys in the order the file first mentions them.
func (s *schema) ordered(parent []string, t map[string]any) []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a stable start for keys the index does not place
	return s.ix.inFileOrder(parent, keys)
}

func child(parent []string, k string) []string {
	return append(append([]string{}, parent...), k)
}

func (s *schema) read(doc map[string]any) error {
	for _, k := range s.ordered(nil, doc) {
		if err := s.topLevel(k, doc[k]); err != nil {
			return err
		}
	}
	return s.finish()
}

const knownSections = "[portal.NAME], [keys], [page_sizes], [rate_limit], [console]"

func (s *schema) topLevel(k string, v any) error {
	path := []string{k}
	switch k {
	case "default_portal":
		name, err := s.str(path, v)
		if err != nil {
			return err
		}
		s.cfg.DefaultPortal, s.defLine = name, s.ix.line(k)
		return nil
	case "portal":
		return s.portals(v)
	case "portals":
		if t, ok := v.(map[string]any); ok && len(t) > 0 {
			name := s.ordered(path, t)[0]
			return s.errorf(child(path, name), "unknown section [portals.%s]; did you mean [portal.%s]?", dotted([]string{name}), dotted([]string{name}))
		}
	case "keys", "page_sizes", "rate_limit", "console":
		t, err := s.section(path, v)
		if err != nil {
			return err
		}
		for _, key := range s.ordered(path, t) {
			if err := s.sectionKey(k, child(path, key), t[key]); err != nil {
				return err
			}
		}
		return nil
	}
	if _, isTable := v.(map[string]any); isTable || s.ix.at(k).header {
		return s.errorf(path, "unknown section [%s]; known sections: %s", dotted(path), knownSections)
	}
	return s.errorf(path, "unknown key %q at the top of the file; known: default_portal (portals go in [portal.NAME] sections)", k)
}

// section is the table at path, refusing an [[array of tables]] or a value.
func (s *schema) section(path []string, v any) (map[string]any, error) {
	if t, ok := v.(map[string]any); ok {
		return t, nil
	}
	if s.ix.at(path...).array {
		return nil, s.errorf(path, "arrays of tables ([[%s]]) are not supported; write [%s]", dotted(path), dotted(path))
	}
	return nil, s.errorf(path, "%s must be a [%s] section, not %s", dotted(path), dotted(path), kindOf(v))
}

func (s *schema) sectionKey(section string, path []string, v any) error {
	switch section {
	case "keys":
		return s.keyBinding(path, v)
	case "page_sizes":
		return s.pageSize(path, v)
	case "console":
		return s.consoleKey(path, v)
	}
	return s.rateLimit(path, v, &s.cfg.RateLimit, "[rate_limit]")
}

func (s *schema) portals(v any) error {
	path := []string{"portal"}
	t, ok := v.(map[string]any)
	if !ok {
		if s.ix.at(path...).array {
			return s.errorf(path, "arrays of tables ([[portal]]) are not supported; use [portal.NAME] sections")
		}
		return s.errorf(path, "name the portal: [portal.NAME], not portal = %s", kindOf(v))
	}
	if len(t) == 0 {
		return s.errorf(path, "name the portal: [portal.NAME]")
	}
	for _, name := range s.ordered(path, t) {
		if err := s.portal(name, t[name]); err != nil {
			return err
		}
	}
	return nil
}

func (s *schema) portal(name string, v any) error {
	path := []string{"portal", name}
	t, ok := v.(map[string]any)
	switch {
	case !ok && s.ix.at(path...).array:
		return s.errorf(path, "arrays of tables ([[portal.%s]]) are not supported; use [portal.NAME] sections", dotted([]string{name}))
	case !ok:
		return s.errorf(path, "name the portal: %s belongs in a [portal.NAME] section", dotted([]string{name}))
	}
	if err := CheckPortalName(name); err != nil {
		return s.errorf(path, "%s", err)
	}
	p := Portal{Name: name, Line: s.ix.line(path...)}
	for _, k := range s.ordered(path, t) {
		if err := s.portalKey(&p, child(path, k), t[k]); err != nil {
			return err
		}
	}
	s.cfg.Portals = append(s.cfg.Portals, p)
	return nil
}

var portalKeys = []string{"accent", "app_url", "auth", "base_url", "hub_id", "production", "read_only", "requests_per_10s", "scopes", "search_per_second"}

func (s *schema) portalKey(pt *Portal, path []string, v any) error {
	key := path[len(path)-1]
	switch key {
	case "auth":
		str, err := s.str(path, v)
		if err != nil {
			return err
		}
		switch m := AuthMethod(str); m {
		case AuthToken, AuthOAuth:
			pt.Auth = m
		default:
			return s.errorf(path, "auth must be \"token\" or \"oauth\", not %q", truncate(str, 40))
		}
	case "base_url", "app_url":
		str, err := s.str(path, v)
		if err != nil {
			return err
		}
		u, err := CheckBaseURL(str)
		if err != nil {
			return s.errorf(path, "%s: %s", key, err)
		}
		if key == "base_url" {
			pt.BaseURL = u
		} else {
			pt.AppURL = u
		}
	case "read_only", "production":
		b, err := s.boolean(path, v)
		if err != nil {
			return err
		}
		if key == "read_only" {
			pt.ReadOnly = b
		} else {
			pt.Production = b
		}
	case "accent":
		str, err := s.str(path, v)
		if err != nil {
			return err
		}
		c, err := ParseColor(str)
		if err != nil {
			return s.errorf(path, "accent: %s", err)
		}
		pt.Accent = c
	case "hub_id":
		n, err := s.integer(path, v)
		if err != nil {
			return err
		}
		if n <= 0 {
			return s.errorf(path, "hub_id must be a positive number, not %d", n)
		}
		pt.HubID = n
	case "scopes":
		list, err := s.strs(path, v)
		if err != nil {
			return err
		}
		for _, sc := range list {
			if sc == "" || strings.IndexFunc(sc, unicode.IsSpace) >= 0 {
				return s.errorf(path, "scopes: %q is not a scope name", truncate(sc, 40))
			}
		}
		pt.Scopes = list
	case "search_per_second", "requests_per_10s":
		return s.rateLimit(path, v, &pt.RateLimit, "[portal."+pt.Name+"]")
	default:
		if _, isTable := v.(map[string]any); isTable && s.ix.at(path...).header {
			// [portal.a.b] reads as a table b inside portal a; the admin
			// almost certainly meant a portal called "a.b".
			return s.errorf(path, "portal name %q may not contain dots", truncate(pt.Name+"."+key, 64))
		}
		return s.errorf(path, "unknown key %q in [portal.%s]; known: %s", key, pt.Name, strings.Join(portalKeys, ", "))
	}
	return nil
}

func (s *schema) rateLimit(path []string, v any, rl *RateLimit, where string) error {
	switch key := path[len(path)-1]; key {
	case "search_per_second":
		f, err := s.number(path, v)
		if err != nil {
			return err
		}
		if !(f > 0 && f <= 100) { // also refuses nan
			return s.errorf(path, "search_per_second must be more than 0 and at most 100, not %g", f)
		}
		rl.SearchPerSecond = f
	case "requests_per_10s":
		n, err := s.integer(path, v)
		if err != nil {
			return err
		}
		if n < 1 || n > 1000 {
			return s.errorf(path, "requests_per_10s must be between 1 and 1000, not %d", n)
		}
		rl.RequestsPer10s = int(n)
	default:
		return s.errorf(path, "unknown key %q in %s; known: requests_per_10s, search_per_second", key, where)
	}
	return nil
}

// pageLimits are HubSpot's maximum `limit` per endpoint.
var pageLimits = map[string]int{"batch": 100, "contacts": 100, "owners": 500, "search": 200, "users": 100}

func (s *schema) pageSize(path []string, v any) error {
	key := path[len(path)-1]
	limit, ok := pageLimits[key]
	if !ok {
		names := make([]string, 0, len(pageLimits))
		for k := range pageLimits {
			names = append(names, k)
		}
		sort.Strings(names)
		return s.errorf(path, "unknown key %q in [page_sizes]; known: %s", key, strings.Join(names, ", "))
	}
	n, err := s.integer(path, v)
	if err != nil {
		return err
	}
	if n < 1 || n > int64(limit) {
		return s.errorf(path, "page size %s must be between 1 and %d (HubSpot's limit), not %d", key, limit, n)
	}
	ps := &s.cfg.PageSizes
	switch key {
	case "batch":
		ps.Batch = int(n)
	case "contacts":
		ps.Contacts = int(n)
	case "owners":
		ps.Owners = int(n)
	case "search":
		ps.Search = int(n)
	case "users":
		ps.Users = int(n)
	}
	return nil
}

func (s *schema) keyBinding(path []string, v any) error {
	action := path[len(path)-1]
	var keys []string
	switch v := v.(type) {
	case string:
		keys = []string{v}
	case []any:
		for _, e := range v {
			k, ok := e.(string)
			if !ok {
				return s.errorf(path, "%s: lists may only hold quoted strings, not %s", action, kindOf(e))
			}
			keys = append(keys, k)
		}
	default:
		return s.errorf(path, "%s must be a key like \"r\" or a list like [\"r\", \"ctrl+r\"], not %s", action, kindOf(v))
	}
	if len(keys) == 0 {
		return s.errorf(path, "%s: bind at least one key", action)
	}
	if s.keysUsed == nil {
		s.keysUsed = map[string]keyUse{}
	}
	line := s.ix.line(path...)
	for _, k := range keys {
		if err := CheckKey(k); err != nil {
			return s.errorf(path, "%s: %s", action, err)
		}
		if prev, taken := s.keysUsed[k]; taken {
			if prev.action == action {
				return s.errorf(path, "%s lists the key %q twice", action, k)
			}
			return s.errorf(path, "key %q is bound to both %s (line %d) and %s", k, prev.action, prev.line, action)
		}
		s.keysUsed[k] = keyUse{action: action, line: line}
	}
	s.cfg.Keys = append(s.cfg.Keys, KeyBinding{Action: action, Keys: keys, Line: line})
	return nil
}

// finish fills defaults and checks what spans several sections.
func (s *schema) finish() error {
	for i := range s.cfg.Portals {
		pt := &s.cfg.Portals[i]
		if pt.Auth == "" {
			pt.Auth = AuthToken
		}
		if pt.BaseURL == "" {
			pt.BaseURL = DefaultBaseURL
		}
		if pt.AppURL == "" {
			pt.AppURL = AppURLFor(pt.BaseURL)
		}
	}
	if d := s.cfg.DefaultPortal; d != "" {
		if _, ok := s.cfg.Portal(d); !ok {
			known := "none are defined"
			if names := s.cfg.PortalNames(); len(names) > 0 {
				known = "defined: " + strings.Join(names, ", ")
			}
			return &ParseError{Path: s.path, Line: s.defLine, Msg: fmt.Sprintf("default_portal %q is not a [portal.NAME] in this file (%s)", truncate(d, 40), known)}
		}
	}
	return nil
}

// kindOf names a decoded TOML value's type the way the messages use it.
func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case time.Time, toml.LocalDate, toml.LocalTime, toml.LocalDateTime:
		return "a date or time"
	}
	return fmt.Sprintf("a %T", v)
}

func (s *schema) wrongType(path []string, want string, v any) error {
	return s.errorf(path, "%s must be %s, not %s", path[len(path)-1], want, kindOf(v))
}

// str is a string value. TOML escapes can spell any control character;
// none belongs in a name, URL or colour.
func (s *schema) str(path []string, v any) (string, error) {
	str, ok := v.(string)
	if !ok {
		return "", s.wrongType(path, "a string", v)
	}
	if i := strings.IndexFunc(str, unicode.IsControl); i >= 0 {
		return "", s.errorf(path, "%s: control character %U is not allowed", path[len(path)-1], []rune(str[i:])[0])
	}
	return str, nil
}

func (s *schema) strs(path []string, v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, s.wrongType(path, "a list of strings", v)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		if _, ok := e.(string); !ok {
			return nil, s.errorf(path, "%s must be a list of strings, not a list holding %s", path[len(path)-1], kindOf(e))
		}
		str, err := s.str(path, e)
		if err != nil {
			return nil, err
		}
		out = append(out, str)
	}
	return out, nil
}

func (s *schema) boolean(path []string, v any) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, s.wrongType(path, "true or false", v)
	}
	return b, nil
}

func (s *schema) integer(path []string, v any) (int64, error) {
	n, ok := v.(int64)
	if !ok {
		return 0, s.wrongType(path, "an integer", v)
	}
	return n, nil
}

// number accepts an integer too: search_per_second = 4 is a number.
func (s *schema) number(path []string, v any) (float64, error) {
	switch n := v.(type) {
	case float64:
		return n, nil
	case int64:
		return float64(n), nil
	}
	return math.NaN(), s.wrongType(path, "a number", v)
}
