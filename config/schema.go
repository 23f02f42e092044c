package config

import (
	"fmt"
	"sort"
	"strings"
)

// Parse reads a configuration file's contents; path is used in error
// messages only. It reports the first mistake as a *ParseError.
func Parse(path string, data []byte) (*Config, error) {
	lines, err := lex(path, data)
	if err != nil {
		return nil, err
	}
	p := &parser{path: path, cfg: &Config{Path: path}, sections: map[string]int{}}
	for _, ln := range lines {
		if err := p.line(ln); err != nil {
			return nil, err
		}
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return p.cfg, nil
}

type parser struct {
	path     string
	cfg      *Config
	section  string         // "" before the first header
	sections map[string]int // section -> line it was opened on
	seen     map[string]int // keys set in the current section -> line
	portal   *Portal        // current [portal.NAME], nil otherwise
	defLine  int            // line of default_portal
	keysUsed map[string]keyUse
}

type keyUse struct {
	action string
	line   int
}

func (p *parser) errorf(line int, format string, a ...any) error {
	return &ParseError{Path: p.path, Line: line, Msg: fmt.Sprintf(format, a...)}
}

func (p *parser) line(ln line) error {
	if ln.isTable {
		return p.header(ln)
	}
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	if first, dup := p.seen[ln.key]; dup {
		return p.errorf(ln.no, "%s is set twice in %s (first on line %d)", ln.key, p.where(), first)
	}
	p.seen[ln.key] = ln.no
	switch {
	case p.section == "":
		return p.topLevel(ln)
	case p.portal != nil:
		return p.portalKey(ln)
	case p.section == "keys":
		return p.keyBinding(ln)
	case p.section == "page_sizes":
		return p.pageSize(ln)
	case p.section == "rate_limit":
		return p.rateLimit(ln, &p.cfg.RateLimit)
	}
	return p.errorf(ln.no, "internal: no section %q", p.section)
}

func (p *parser) where() string {
	if p.section == "" {
		return "the top of the file"
	}
	return "[" + p.section + "]"
}

func (p *parser) header(ln line) error {
	name := ln.header
	if first, dup := p.sections[name]; dup {
		if strings.HasPrefix(name, "portal.") {
			return p.errorf(ln.no, "duplicate portal %q (first defined on line %d)", strings.TrimPrefix(name, "portal."), first)
		}
		return p.errorf(ln.no, "section [%s] appears twice (first on line %d)", name, first)
	}
	p.sections[name] = ln.no
	p.section, p.seen, p.portal = name, nil, nil
	switch name {
	case "keys", "page_sizes", "rate_limit":
		return nil
	case "portal", "portals":
		return p.errorf(ln.no, "name the portal: [portal.NAME]")
	}
	if rest, ok := strings.CutPrefix(name, "portal."); ok {
		if strings.Contains(rest, ".") {
			return p.errorf(ln.no, "portal name %q may not contain dots", rest)
		}
		if len(rest) > 64 {
			return p.errorf(ln.no, "portal name is longer than 64 characters")
		}
		p.cfg.Portals = append(p.cfg.Portals, Portal{Name: rest, Line: ln.no})
		p.portal = &p.cfg.Portals[len(p.cfg.Portals)-1]
		return nil
	}
	if rest, ok := strings.CutPrefix(name, "portals."); ok {
		return p.errorf(ln.no, "unknown section [%s]; did you mean [portal.%s]?", name, rest)
	}
	return p.errorf(ln.no, "unknown section [%s]; known sections: [portal.NAME], [keys], [page_sizes], [rate_limit]", name)
}

func (p *parser) want(ln line, kind valueKind) error {
	if ln.val.kind == kind || (kind == kindFloat && ln.val.kind == kindInt) {
		return nil
	}
	return p.errorf(ln.no, "%s must be %s, not %s", ln.key, kind, ln.val.kind)
}

func (p *parser) topLevel(ln line) error {
	switch ln.key {
	case "default_portal":
		if err := p.want(ln, kindString); err != nil {
			return err
		}
		p.cfg.DefaultPortal, p.defLine = ln.val.str, ln.no
		return nil
	}
	return p.errorf(ln.no, "unknown key %q at the top of the file; known: default_portal (portals go in [portal.NAME] sections)", ln.key)
}

var portalKeys = []string{"accent", "app_url", "auth", "base_url", "hub_id", "production", "read_only", "requests_per_10s", "scopes", "search_per_second"}

func (p *parser) portalKey(ln line) error {
	pt := p.portal
	switch ln.key {
	case "auth":
		if err := p.want(ln, kindString); err != nil {
			return err
		}
		switch m := AuthMethod(ln.val.str); m {
		case AuthToken, AuthOAuth:
			pt.Auth = m
		default:
			return p.errorf(ln.no, "auth must be \"token\" or \"oauth\", not %q", truncate(ln.val.str, 40))
		}
	case "base_url", "app_url":
		if err := p.want(ln, kindString); err != nil {
			return err
		}
		u, err := CheckBaseURL(ln.val.str)
		if err != nil {
			return p.errorf(ln.no, "%s: %s", ln.key, err)
		}
		if ln.key == "base_url" {
			pt.BaseURL = u
		} else {
			pt.AppURL = u
		}
	case "read_only", "production":
		if err := p.want(ln, kindBool); err != nil {
			return err
		}
		if ln.key == "read_only" {
			pt.ReadOnly = ln.val.b
		} else {
			pt.Production = ln.val.b
		}
	case "accent":
		if err := p.want(ln, kindString); err != nil {
			return err
		}
		c, err := ParseColor(ln.val.str)
		if err != nil {
			return p.errorf(ln.no, "accent: %s", err)
		}
		pt.Accent = c
	case "hub_id":
		if err := p.want(ln, kindInt); err != nil {
			return err
		}
		if ln.val.num <= 0 {
			return p.errorf(ln.no, "hub_id must be a positive number, not %d", ln.val.num)
		}
		pt.HubID = ln.val.num
	case "scopes":
		if err := p.want(ln, kindStrings); err != nil {
			return err
		}
		for _, s := range ln.val.list {
			if s == "" || strings.ContainsAny(s, " \t") {
				return p.errorf(ln.no, "scopes: %q is not a scope name", truncate(s, 40))
			}
		}
		pt.Scopes = ln.val.list
	case "search_per_second", "requests_per_10s":
		return p.rateLimit(ln, &pt.RateLimit)
	default:
		return p.errorf(ln.no, "unknown key %q in [portal.%s]; known: %s", ln.key, pt.Name, strings.Join(portalKeys, ", "))
	}
	return nil
}

func (p *parser) rateLimit(ln line, rl *RateLimit) error {
	switch ln.key {
	case "search_per_second":
		if err := p.want(ln, kindFloat); err != nil {
			return err
		}
		f := ln.val.flt
		if ln.val.kind == kindInt {
			f = float64(ln.val.num)
		}
		if f <= 0 || f > 100 {
			return p.errorf(ln.no, "search_per_second must be more than 0 and at most 100, not %g", f)
		}
		rl.SearchPerSecond = f
	case "requests_per_10s":
		if err := p.want(ln, kindInt); err != nil {
			return err
		}
		if ln.val.num < 1 || ln.val.num > 1000 {
			return p.errorf(ln.no, "requests_per_10s must be between 1 and 1000, not %d", ln.val.num)
		}
		rl.RequestsPer10s = int(ln.val.num)
	default:
		return p.errorf(ln.no, "unknown key %q in %s; known: requests_per_10s, search_per_second", ln.key, p.where())
	}
	return nil
}

// pageLimits are HubSpot's maximum `limit` per endpoint.
var pageLimits = map[string]int{"batch": 100, "contacts": 100, "owners": 500, "search": 200, "users": 100}

func (p *parser) pageSize(ln line) error {
	max, ok := pageLimits[ln.key]
	if !ok {
		names := make([]string, 0, len(pageLimits))
		for k := range pageLimits {
			names = append(names, k)
		}
		sort.Strings(names)
		return p.errorf(ln.no, "unknown key %q in [page_sizes]; known: %s", ln.key, strings.Join(names, ", "))
	}
	if err := p.want(ln, kindInt); err != nil {
		return err
	}
	n := ln.val.num
	if n < 1 || n > int64(max) {
		return p.errorf(ln.no, "page size %s must be between 1 and %d (HubSpot's limit), not %d", ln.key, max, n)
	}
	ps := &p.cfg.PageSizes
	switch ln.key {
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

func (p *parser) keyBinding(ln line) error {
	var keys []string
	switch ln.val.kind {
	case kindString:
		keys = []string{ln.val.str}
	case kindStrings:
		keys = ln.val.list
	default:
		return p.errorf(ln.no, "%s must be a key like \"r\" or a list like [\"r\", \"ctrl+r\"], not %s", ln.key, ln.val.kind)
	}
	if len(keys) == 0 {
		return p.errorf(ln.no, "%s: bind at least one key", ln.key)
	}
	if p.keysUsed == nil {
		p.keysUsed = map[string]keyUse{}
	}
	for _, k := range keys {
		if err := CheckKey(k); err != nil {
			return p.errorf(ln.no, "%s: %s", ln.key, err)
		}
		if prev, taken := p.keysUsed[k]; taken {
			if prev.action == ln.key {
				return p.errorf(ln.no, "%s lists the key %q twice", ln.key, k)
			}
			return p.errorf(ln.no, "key %q is bound to both %s (line %d) and %s", k, prev.action, prev.line, ln.key)
		}
		p.keysUsed[k] = keyUse{action: ln.key, line: ln.no}
	}
	p.cfg.Keys = append(p.cfg.Keys, KeyBinding{Action: ln.key, Keys: keys, Line: ln.no})
	return nil
}

// finish fills defaults and checks what spans several lines.
func (p *parser) finish() error {
	for i := range p.cfg.Portals {
		pt := &p.cfg.Portals[i]
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
	if d := p.cfg.DefaultPortal; d != "" {
		if _, ok := p.cfg.Portal(d); !ok {
			known := "none are defined"
			if names := p.cfg.PortalNames(); len(names) > 0 {
				known = "defined: " + strings.Join(names, ", ")
			}
			return p.errorf(p.defLine, "default_portal %q is not a [portal.NAME] in this file (%s)", truncate(d, 40), known)
		}
	}
	return nil
}
