package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hsadmin/hsadmin/portal"
)

// sanitize makes text that came from HubSpot (names, emails, team and role
// names, error messages) safe to draw. A control character would move the
// cursor or start an escape sequence and corrupt the screen; bidi override
// and isolate characters make terminals that implement bidi reorder the rest
// of the line; invalid UTF-8 is drawn differently by every terminal. Tabs and
// line breaks become spaces, the rest U+FFFD. Emoji, combining marks and
// right-to-left letters stay: rendering truncates by display width.
func sanitize(s string) string {
	if isClean(s) {
		return s // the common case allocates nothing
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError && size <= 1, unsafeRune(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+size])
		}
	}
	return b.String()
}

func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			if c < 0x80 {
				return false
			}
			// Non-ASCII: check rune by rune from here.
			for _, r := range s[i:] {
				if r == utf8.RuneError || unsafeRune(r) {
					return false
				}
			}
			return utf8.ValidString(s[i:])
		}
	}
	return true
}

func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r): // C0, DEL, C1 (including the 8-bit CSI 0x9b)
		return true
	case r >= 0x202A && r <= 0x202E: // LRE RLE PDF LRO RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI RLI FSI PDI
		return true
	}
	return false
}

// sanitizeAll sanitizes a slice, copying it only when something changes so
// a backend's own data is never modified.
func sanitizeAll(ss []string) []string {
	var out []string
	for i, s := range ss {
		if c := sanitize(s); c != s {
			if out == nil {
				out = append([]string(nil), ss...)
			}
			out[i] = c
		}
	}
	if out == nil {
		return ss
	}
	return out
}

func sanitizeCard(c portal.IDCard) portal.IDCard {
	c.Name, c.Email, c.PrimaryTeam = sanitize(c.Name), sanitize(c.Email), sanitize(c.PrimaryTeam)
	c.SecondaryTeams = sanitizeAll(c.SecondaryTeams)
	c.Mismatches = sanitizeAll(c.Mismatches)
	if len(c.Roles) > 0 {
		roles := make([]portal.RoleRef, len(c.Roles))
		copy(roles, c.Roles)
		for i := range roles {
			roles[i].Name = sanitize(roles[i].Name)
		}
		c.Roles = roles
	}
	return c
}

func sanitizeResolution(r portal.Resolution) portal.Resolution {
	r.Input = sanitize(r.Input)
	if len(r.Matches) > 0 {
		ms := make([]portal.Match, len(r.Matches))
		copy(ms, r.Matches)
		for i := range ms {
			ms[i].Card = sanitizeCard(ms[i].Card)
		}
		r.Matches = ms
	}
	return r
}

func sanitizeFinding(f portal.Finding) portal.Finding {
	f.Kind, f.Title, f.Why = sanitize(f.Kind), sanitize(f.Title), sanitize(f.Why)
	if len(f.Records) > 0 {
		recs := make([]portal.FindingRecord, len(f.Records))
		copy(recs, f.Records)
		for i := range recs {
			recs[i].Label = sanitize(recs[i].Label)
		}
		f.Records = recs
	}
	return f
}

// redactPath hides the values of query parameters that carry secrets
// (hapikey, access_token, refresh_token, client_secret, code...) so the API
// log view can never show a credential, whatever the caller recorded.
func redactPath(p string) string {
	base, query, ok := strings.Cut(p, "?")
	// HubSpot's token introspection puts the token in the path itself:
	// /oauth/v1/access-tokens/{token}, /oauth/v1/refresh-tokens/{token}.
	segs := strings.Split(base, "/")
	for i := 1; i < len(segs); i++ {
		if (segs[i-1] == "access-tokens" || segs[i-1] == "refresh-tokens") && segs[i] != "" {
			segs[i] = "REDACTED"
		}
	}
	base = strings.Join(segs, "/")
	if !ok {
		return base
	}
	params := strings.Split(query, "&")
	for i, kv := range params {
		k, _, hasValue := strings.Cut(kv, "=")
		lk := strings.ToLower(k)
		if hasValue && (strings.Contains(lk, "token") || strings.Contains(lk, "secret") ||
			strings.Contains(lk, "key") || strings.Contains(lk, "password") || lk == "code") {
			params[i] = k + "=REDACTED"
		}
	}
	return base + "?" + strings.Join(params, "&")
}
