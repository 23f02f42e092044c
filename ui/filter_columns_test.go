package ui

import (
	"strings"
	"testing"
)

// The filter matches every column a row shows: on the real mirror, the
// contacts' owner ID and owner state words, and the owners' state words.
func TestFilterMatchesWhatTheRowShows(t *testing.T) {
	for _, tc := range []struct {
		pane   string
		filter string
		shows  string // text every matching row shows
	}{
		{"3", "160058290", "160058290"},
		{"3", "archived", "deactivated"},
		{"3", "deactivated", "deactivated"},
		{"3", "no owner", "no owner"},
		{"3", "unknown", "unknown"},
		{"2", "deactivated", "deactivated"},
		{"1", "no owner", "no owner"},
	} {
		t.Run(tc.pane+tc.filter, func(t *testing.T) {
			h, _ := sandboxConsole(t, 160, 48)
			h.keys(tc.pane)
			if tc.pane == "3" {
				h.keys("esc") // every contact, not the selected owner's
			}
			h.keys("/")
			h.typ(tc.filter)
			h.keys("enter")
			p := h.m.currentPane()
			if p.count() == 0 {
				t.Fatalf("/%s finds nothing:\n%s", tc.filter, h.screen())
			}
			for i := 0; i < min(p.count(), p.height); i++ {
				r := p.at(i)
				left, right, _ := h.m.rowSegments(r)
				text := ""
				for _, s := range append(left, right...) {
					text += s.text
				}
				if !containsFold(text, tc.shows) {
					t.Errorf("/%s: row %q does not show %q", tc.filter, text, tc.shows)
				}
			}
		})
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
