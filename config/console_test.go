package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConsoleRefreshValues(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", DefaultRefresh},
		{"[console]\n", DefaultRefresh},
		{"[console]\nrefresh = \"5m\"\n", 5 * time.Minute},
		{"[console]\nrefresh = \"90s\"\n", 90 * time.Second},
		{"[console]\nrefresh = \"1h30m\"\n", 90 * time.Minute},
		{"[console]\nrefresh = \"off\"\n", 0},
		{"[console]\nrefresh = \"OFF\"\n", 0},
		{"[console]\nrefresh = 0\n", 0},
		{"[console]\nrefresh = \"0\"\n", 0},
		{"console.refresh = \"10m\"\n", 10 * time.Minute},
	} {
		c, err := Parse("c.toml", []byte(tc.in))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got := c.RefreshEvery(); got != tc.want {
			t.Errorf("%q: refresh every %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := Default().RefreshEvery(); got != DefaultRefresh {
		t.Errorf("no file: refresh every %v, want %v", got, DefaultRefresh)
	}
}

// A bad refresh value names the file, its line and what would be right.
func TestConsoleRefreshMistakes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		line int
		want string
	}{
		{"[console]\n\nrefresh = \"5 minutes\"\n", 3, `refresh must be a duration such as "5m" or "90s", or "off" (or 0) to turn background refresh off, not "5 minutes"`},
		{"[console]\nrefresh = 5\n", 2, `not the number 5 (say "5m" for minutes)`},
		{"[console]\nrefresh = \"5s\"\n", 2, `at least 30s (or "off")`},
		{"[console]\nrefresh = \"-5m\"\n", 2, `at least 30s`},
		{"[console]\nrefresh = true\n", 2, "not true or false"},
		{"[console]\nevery = \"5m\"\n", 2, `unknown key "every" in [console]; known: refresh`},
		{"[console]\nrefresh = \"5m\"\nrefresh = \"6m\"\n", 3, "set twice"},
	} {
		_, err := Parse("/home/a/config.toml", []byte(tc.in))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("%q: error %v is not a *ParseError", tc.in, err)
		}
		if pe.Line != tc.line || !strings.Contains(pe.Msg, tc.want) {
			t.Errorf("%q: line %d %q, want line %d containing %q", tc.in, pe.Line, pe.Msg, tc.line, tc.want)
		}
		if !strings.HasPrefix(err.Error(), "/home/a/config.toml:"+string(rune('0'+tc.line))) {
			t.Errorf("%q: %q does not start with file:line", tc.in, err)
		}
	}
}
