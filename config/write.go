package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// AddPortal appends a [portal.NAME] section to the file at path, creating the
// file (and its directory) if needed. It appends rather than rewrites so the
// admin's comments and layout survive, and it refuses a name that is already
// defined. The result is parsed again before it is written, so a portal that
// would make the file unreadable is never saved.
func AddPortal(path string, p Portal) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot read config file: %w", err)
	}
	cfg, err := Parse(path, old)
	if err != nil {
		return err
	}
	if prev, ok := cfg.Portal(p.Name); ok {
		return fmt.Errorf("%s:%d: portal %q is already defined", path, prev.Line, p.Name)
	}
	var b strings.Builder
	b.Write(old)
	if len(old) > 0 && !strings.HasSuffix(string(old), "\n") {
		b.WriteByte('\n')
	}
	if len(old) > 0 {
		b.WriteByte('\n')
	}
	if err := CheckPortalName(p.Name); err != nil {
		return fmt.Errorf("portal cannot be saved: %w", err)
	}
	section := FormatPortal(p)
	if _, err := Parse("", []byte(section)); err != nil {
		return fmt.Errorf("portal %q cannot be saved: %s", p.Name, withoutPosition(err))
	}
	b.WriteString(section)
	if _, err := Parse(path, []byte(b.String())); err != nil {
		// Valid TOML can define the portals in a form a new section cannot
		// follow (portal = { … } is closed to later tables).
		return fmt.Errorf("portal %q cannot be saved: [portal.%s] cannot be appended to %s (%s); add it there by hand", p.Name, p.Name, path, withoutPosition(err))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot create config directory: %w", err)
	}
	return writeFileAtomic(path, []byte(b.String()), 0o600)
}

// withoutPosition is a parse error's message alone: its line is in text
// that was never written to the file.
func withoutPosition(err error) string {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}

// FormatPortal renders p as a [portal.NAME] section in the file's syntax.
// Fields at their defaults are left out.
func FormatPortal(p Portal) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[portal.%s]\n", p.Name)
	auth := p.Auth
	if auth == "" {
		auth = AuthToken
	}
	fmt.Fprintf(&b, "auth = %s\n", quote(string(auth)))
	if p.BaseURL != "" {
		fmt.Fprintf(&b, "base_url = %s\n", quote(p.BaseURL))
	}
	if p.AppURL != "" && p.AppURL != AppURLFor(p.BaseURL) {
		fmt.Fprintf(&b, "app_url = %s\n", quote(p.AppURL))
	}
	if p.ReadOnly {
		b.WriteString("read_only = true\n")
	}
	if p.Production {
		b.WriteString("production = true\n")
	}
	if p.Accent != "" {
		fmt.Fprintf(&b, "accent = %s\n", quote(p.Accent))
	}
	if p.HubID != 0 {
		fmt.Fprintf(&b, "hub_id = %d\n", p.HubID)
	}
	if len(p.Scopes) > 0 {
		qs := make([]string, len(p.Scopes))
		for i, s := range p.Scopes {
			qs[i] = quote(s)
		}
		fmt.Fprintf(&b, "scopes = [%s]\n", strings.Join(qs, ", "))
	}
	if p.RateLimit.SearchPerSecond != 0 {
		fmt.Fprintf(&b, "search_per_second = %s\n", strconv.FormatFloat(p.RateLimit.SearchPerSecond, 'f', -1, 64))
	}
	if p.RateLimit.RequestsPer10s != 0 {
		fmt.Fprintf(&b, "requests_per_10s = %d\n", p.RateLimit.RequestsPer10s)
	}
	return b.String()
}

// quote writes a TOML basic string that reads back unchanged.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// writeFileAtomic replaces path with data so that a crash never leaves a
// half-written file.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
