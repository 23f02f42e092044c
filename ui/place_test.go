package ui

import "testing"

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
