package ui

import (
	"testing"
	"unicode/utf8"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

// FuzzCommandLineAndFilter types arbitrary text into the `:` command line
// and the `/` filter: the console must neither panic nor draw outside the
// terminal, whatever an admin (or a paste) sends.
func FuzzCommandLineAndFilter(f *testing.F) {
	for _, seed := range []string{
		"id 1225511", "id ", "export json", "export pdf", "portal", "portal nope", "users", "q!", "sync now",
		"jobs", "restore", "findings", "help", "contacts", "", " ", "\x1b[31m", "id \x00", "ünïcödé 🦊", "\u202eevil",
		"id a@b.c", "export csv extra", "::", "id 999999999999999999999999999",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || len(text) > 2000 {
			return // keys arrive as runes; a paste that long is not typed
		}
		for _, size := range [][2]int{{80, 24}, {40, 10}} {
			h := newHarness(t, size[0], size[1], uitest.Config{}, Options{})
			h.keys(":")
			h.typ(text)
			h.keys("enter")
			assertFits(t, h.screen(), size[0], size[1])
			h.keys("esc", "/")
			h.typ(text)
			assertFits(t, h.screen(), size[0], size[1])
			h.keys("enter")
			assertFits(t, h.screen(), size[0], size[1])
		}
	})
}
