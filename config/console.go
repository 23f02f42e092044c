package config

import (
	"strings"
	"time"
)

// DefaultRefresh is how often the console refreshes the mirror in the
// background when the file does not say: owner mappings go stale as people
// are deactivated, and HubSpot advises refreshing them periodically.
const DefaultRefresh = 5 * time.Minute

// minRefresh keeps a mistyped interval ("5s" for "5m") from spending the
// portal's API budget on refreshes.
const minRefresh = 30 * time.Second

// Console is the [console] section.
type Console struct {
	// Refresh is the background refresh interval; nil when the file does
	// not set it (see RefreshEvery), 0 when it turns refreshing off.
	Refresh *time.Duration
}

// RefreshEvery is the console's background refresh interval: the file's
// value, else DefaultRefresh; 0 means off.
func (c *Config) RefreshEvery() time.Duration {
	if c.Console.Refresh == nil {
		return DefaultRefresh
	}
	return *c.Console.Refresh
}

func (s *schema) consoleKey(path []string, v any) error {
	key := path[len(path)-1]
	if key != "refresh" {
		return s.errorf(path, "unknown key %q in [console]; known: refresh", key)
	}
	d, err := s.refreshValue(path, v)
	if err != nil {
		return err
	}
	s.cfg.Console.Refresh = &d
	return nil
}

// refreshValue reads refresh = "5m" | "90s" | "1h" | "off" | 0.
func (s *schema) refreshValue(path []string, v any) (time.Duration, error) {
	const want = `a duration such as "5m" or "90s", or "off" (or 0) to turn background refresh off`
	switch x := v.(type) {
	case int64:
		if x == 0 {
			return 0, nil
		}
		return 0, s.errorf(path, "refresh must be %s, not the number %d (say \"%dm\" for minutes)", want, x, x)
	case string:
		str := strings.TrimSpace(x)
		if strings.EqualFold(str, "off") || str == "0" {
			return 0, nil
		}
		d, err := time.ParseDuration(str)
		if err != nil {
			return 0, s.errorf(path, "refresh must be %s, not %q", want, truncate(x, 40))
		}
		if d < minRefresh {
			return 0, s.errorf(path, "refresh must be at least %s (or \"off\"), not %q: each refresh spends API calls", minRefresh, truncate(x, 40))
		}
		return d, nil
	}
	return 0, s.wrongType(path, want, v)
}
