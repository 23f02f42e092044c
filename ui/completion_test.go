package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

func noSwitch(context.Context, string) (Backend, error) { return nil, errors.New("not in this test") }

// Tab completes a command's name, then its arguments.
func TestTabCompletesCommandArguments(t *testing.T) {
	for _, tc := range []struct {
		typed string
		tabs  int
		want  string
	}{
		{"expo", 1, "export "},
		{"expo", 2, "export csv"},
		{"export ", 1, "export csv"},
		{"export j", 1, "export json"},
		{"so", 2, "sort name"}, // the users pane's first key
		{"sort r", 1, "sort records"},
		{"portal ", 1, "portal prod"},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			h := newHarness(t, 120, 40, uitest.Config{}, Options{Portals: []string{"prod", "staging"}, SwitchPortal: noSwitch})
			h.keys(":")
			h.typ(tc.typed)
			for range tc.tabs {
				h.keys("tab")
			}
			if got := h.m.input.Value(); got != tc.want {
				t.Errorf(":%s + %d tab: %q, want %q", tc.typed, tc.tabs, got, tc.want)
			}
		})
	}
}

// Help lists every key with its action name, :portal, and scrolls to its end.
func TestHelpListsActionNamesAndScrolls(t *testing.T) {
	h := demo(t, 80, 24)
	h.keys("?")
	lines := h.m.helpLines()
	text := strings.Join(lines, "\n")
	for _, want := range []string{"(mark)", "(sort)", "(jobs)", ":portal NAME", ":sort KEY", "no other portal is configured"} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	// J is a job-log key, not a contacts one.
	group := ""
	for _, l := range lines {
		if !strings.HasPrefix(l, " ") && l != "" {
			group = l
		}
		if strings.HasPrefix(strings.TrimSpace(l), "J ") && strings.Contains(group, "contacts") {
			t.Errorf("J sits under %q", group)
		}
	}
	h.keys("G")
	help, _ := h.m.topOverlay().(*helpOverlay)
	if help == nil {
		t.Fatal("help is not the top overlay")
	}
	if end := help.bottom(len(h.m.helpLines())); help.top == 0 || help.top != end {
		t.Errorf("G scrolled help to %d, want its end %d", help.top, end)
	}
	if !strings.Contains(h.screen(), "rebound in the config file") {
		t.Errorf("the help's end is not in sight after G:\n%s", h.screen())
	}
	h.keys("g")
	if help.top != 0 {
		t.Errorf("g left help at %d", help.top)
	}
}
