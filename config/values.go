package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CheckBaseURL validates an API or app base URL and returns it without a
// trailing slash. Tokens are sent to it, so plain http is allowed only to a
// loopback address (a local sandbox).
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%q is not an absolute URL like https://api.hubapi.com", truncate(raw, 60))
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("%q uses plain http to a remote host; tokens would travel unencrypted (use https, or http only for 127.0.0.1/localhost)", truncate(raw, 60))
		}
	default:
		return "", fmt.Errorf("%q must start with https://", truncate(raw, 60))
	}
	if u.User != nil {
		return "", fmt.Errorf("the URL may not contain a user name or password")
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.Contains(raw, "?") || strings.Contains(raw, "#") {
		return "", fmt.Errorf("%q may not have a query or fragment", truncate(raw, 60))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%q has an invalid port", truncate(raw, 60))
		}
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// AppURLFor derives the browser sign-in domain from an API base URL:
// api.hubapi.com → app.hubspot.com, api-eu1.hubapi.com → app-eu1.hubspot.com.
// Anything else (a sandbox) serves both from the same address.
func AppURLFor(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return baseURL
	}
	host := u.Hostname()
	if rest, ok := strings.CutSuffix(host, ".hubapi.com"); ok && strings.HasPrefix(rest, "api") {
		return "https://app" + strings.TrimPrefix(rest, "api") + ".hubspot.com"
	}
	return baseURL
}

// namedColors are the 16 ANSI colours, as the numbers lipgloss takes.
var namedColors = map[string]string{
	"black": "0", "red": "1", "green": "2", "yellow": "3", "blue": "4", "magenta": "5", "cyan": "6", "white": "7",
	"bright-black": "8", "gray": "8", "grey": "8", "bright-red": "9", "bright-green": "10", "bright-yellow": "11",
	"bright-blue": "12", "bright-magenta": "13", "bright-cyan": "14", "bright-white": "15",
}

// ParseColor accepts "#rgb", "#rrggbb", an ANSI colour number "0".."255" or
// one of the 16 ANSI colour names, and returns a colour string lipgloss
// understands ("#rrggbb" or the ANSI number).
func ParseColor(s string) (string, error) {
	bad := func() (string, error) {
		return "", fmt.Errorf("%q is not a colour; use #rrggbb, #rgb, an ANSI number 0-255 or a name like red", truncate(s, 40))
	}
	if s == "" {
		return bad()
	}
	if hex, ok := strings.CutPrefix(s, "#"); ok {
		if len(hex) != 3 && len(hex) != 6 {
			return bad()
		}
		if _, err := strconv.ParseUint(hex, 16, 32); err != nil {
			return bad()
		}
		hex = strings.ToLower(hex)
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		return "#" + hex, nil
	}
	if allDigits(s) {
		n, err := strconv.Atoi(s)
		if err != nil || n > 255 || len(s) > 3 {
			return bad()
		}
		return strconv.Itoa(n), nil
	}
	if c, ok := namedColors[strings.ToLower(s)]; ok {
		return c, nil
	}
	return bad()
}

// namedKeys are the key names Bubble Tea v2 reports in KeyPressMsg.String().
var namedKeys = map[string]bool{
	"enter": true, "esc": true, "tab": true, "space": true, "backspace": true, "delete": true, "insert": true,
	"up": true, "down": true, "left": true, "right": true, "home": true, "end": true, "pgup": true, "pgdown": true,
	"f1": true, "f2": true, "f3": true, "f4": true, "f5": true, "f6": true, "f7": true, "f8": true, "f9": true,
	"f10": true, "f11": true, "f12": true,
}

// CheckKey validates one key as Bubble Tea spells it: an optional chain of
// ctrl+, alt+ and shift+ followed by a single character or a key name.
func CheckKey(k string) error {
	if k == "" {
		return fmt.Errorf("empty key")
	}
	if k == " " {
		return fmt.Errorf(`write "space" for the space bar`)
	}
	base := k
	mods := map[string]bool{}
	for {
		mod, rest, ok := strings.Cut(base, "+")
		if !ok || rest == "" { // "+" itself, or "ctrl++" ending in the plus key
			break
		}
		switch mod {
		case "ctrl", "alt", "shift":
		default:
			return fmt.Errorf("%q: unknown modifier %q (use ctrl+, alt+ or shift+)", truncate(k, 40), truncate(mod, 20))
		}
		if mods[mod] {
			return fmt.Errorf("%q repeats %s+", truncate(k, 40), mod)
		}
		mods[mod] = true
		base = rest
	}
	if namedKeys[base] {
		return nil
	}
	r, size := utf8.DecodeRuneInString(base)
	if size != len(base) || r == utf8.RuneError || r <= ' ' {
		return fmt.Errorf("%q is not a key; use one character or a name like enter, esc, tab, space, up, pgdown, f1", truncate(k, 40))
	}
	if mods["shift"] && len(mods) == 1 && r >= 'a' && r <= 'z' {
		// Bubble Tea reports shift+n as "N"; a binding "shift+n" never matches.
		return fmt.Errorf("%q: write %q (Bubble Tea reports shifted letters as capitals)", k, strings.ToUpper(base))
	}
	return nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// CheckPortalName accepts the names a [portal.NAME] header can spell without
// quotes: they are typed after --portal and name the keyring entry and the
// mirror's directory.
func CheckPortalName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("the portal name is empty")
	case strings.Contains(name, "."):
		return fmt.Errorf("portal name %q may not contain dots", truncate(name, 64))
	case !isBareKey(name):
		return fmt.Errorf("portal name %q: use letters, digits, - and _ only", truncate(name, 64))
	case len(name) > 64:
		return fmt.Errorf("portal name is longer than 64 characters")
	}
	return nil
}
