package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// idSizes are the terminal sizes the issue saw IDs cut at.
var idSizes = [][2]int{{160, 48}, {120, 40}, {100, 30}, {80, 24}}

// cutID finds a digit run cut by an ellipsis: an ID shown in part.
var cutID = regexp.MustCompile(`[0-9]…`)

// IDs are never cut: names give way, then columns drop, then the layout
// changes. The sandbox has HubSpot-sized IDs (7-digit users, 9-digit owners).
func TestIDsNeverCut(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"ids_users", nil},
		{"ids_owners", []string{"2"}},
		{"ids_contacts", []string{"3", "esc"}},
		{"ids_findings", []string{"F", "j", "j"}},
	}
	for _, size := range idSizes {
		for _, sc := range screens {
			name := fmt.Sprintf("%s_%s", sc.name, sizeName(size))
			t.Run(name, func(t *testing.T) {
				h, _ := sandboxConsole(t, size[0], size[1])
				h.keys(sc.keys...)
				screen := h.screen()
				for i, line := range strings.Split(screen, "\n") {
					if cutID.MatchString(line) {
						t.Errorf("line %d cuts an ID: %q", i+1, line)
					}
				}
				h.golden(name)
				assertFits(t, screen, size[0], size[1])
			})
		}
	}
}

// idMappingWidth agrees with what rowSegments draws (less a contact's owner name).
func TestIDMappingWidthMatchesTheRow(t *testing.T) {
	h, _ := sandboxConsole(t, 160, 48)
	h.keys("3", "esc")
	for _, k := range []paneKind{paneUsers, paneOwners, paneContacts} {
		for _, r := range h.m.panes[k].rows {
			_, right, _ := h.m.rowSegments(r)
			if _, isContact := r.(contactItem); isContact && len(right) > 1 {
				right = right[1:]
			}
			if got, want := idMappingWidth(r), segsWidth(right); got != want {
				t.Fatalf("%s row %s: width %d, drawn %d", paneNames[k], r.key(), got, want)
			}
		}
	}
}
