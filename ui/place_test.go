package ui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

// Clearing a filter keeps the cursor on the selected record.
func TestClearingAFilterKeepsTheSelectedRecord(t *testing.T) {
	for _, tc := range []struct {
		pane, filter string
		down         int
	}{
		{"1", "lopez", 3},
		{"2", "lopez", 2},
		{"3", "ida", 1},
	} {
		t.Run(tc.pane+tc.filter, func(t *testing.T) {
			h := demo(t, 120, 40)
			h.keys(tc.pane)
			if tc.pane == "3" {
				h.keys("esc")
			}
			h.keys("/")
			h.typ(tc.filter)
			h.keys("enter")
			for range tc.down {
				h.keys("j")
			}
			p := h.m.currentPane()
			on := p.current().key()
			h.keys("esc") // clears the filter
			if p.filter != "" {
				t.Fatalf("filter %q left", p.filter)
			}
			if got := p.current(); got == nil || got.key() != on {
				t.Errorf("after clearing the filter the cursor is on %v, want %s:\n%s", got, on, h.screen())
			}
		})
	}
}

// The selected contact stays selected, and on screen, after its filter is
// cleared even when its row in the whole list is far beyond the first
// window the pane loads (row 40,000 of 50,000).
func TestClearingAFilterKeepsAContactBeyondTheFirstWindow(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Contacts: 50_000}, Options{})
	h.keys("3", "esc", "/")
	want := strconv.Itoa(uitest.FirstContactID + 40_000)
	h.typ(want)
	h.keys("enter")
	p := h.m.currentPane()
	if got := p.current(); got == nil || got.key() != want {
		t.Fatalf("the filter %s selects %v:\n%s", want, got, h.screen())
	}
	h.keys("esc") // clears the filter
	if got := p.current(); got == nil || got.key() != want {
		t.Fatalf("after clearing the filter the cursor is on %v, want %s:\n%s", got, want, h.screen())
	}
	if p.cursor != 40_000 || p.cursor < p.top || p.cursor >= p.top+p.height {
		t.Errorf("cursor at row %d, window %d..%d: not on screen at row 40,000", p.cursor, p.top, p.top+p.height)
	}
	if !strings.Contains(h.screen(), want) {
		t.Errorf("contact %s is not on screen:\n%s", want, h.screen())
	}
	h.keys("j")
	if got := p.current(); got == nil || got.key() != strconv.Itoa(uitest.FirstContactID+40_001) {
		t.Errorf("j from row 40,000 goes to %v", got)
	}
}

// The same on the real mirror, sorted by name, where the row number comes
// from the store's order: the contact's row is past the first window.
func TestClearingAFilterKeepsASortedContactOnTheMirror(t *testing.T) {
	h, _ := sandboxConsole(t, 120, 40)
	h.keys("3", "esc", "s", "s") // contacts by owner
	p := h.m.currentPane()
	h.keys("end")
	last := p.current()
	if last == nil || p.cursor < 300 {
		t.Fatalf("the last contact %v at row %d: want it past the first window", last, p.cursor)
	}
	at := p.cursor
	h.keys("/")
	h.typ(last.key())
	h.keys("enter")
	if got := p.current(); got == nil || got.key() != last.key() {
		t.Fatalf("the filter selects %v, want %s", got, last.key())
	}
	h.keys("esc")
	if got := p.current(); got == nil || got.key() != last.key() || p.cursor != at {
		t.Errorf("after clearing the filter the cursor is on %v at row %d, want %s at row %d:\n%s", got, p.cursor, last.key(), at, h.screen())
	}
}
