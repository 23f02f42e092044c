package ui

import (
	"testing"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

// A keystroke cancels the contacts queries of the one before: their
// answers would be dropped anyway, and on a large mirror they would take
// CPU from the query the admin waits for.
func TestAKeystrokeCancelsTheQueriesBeforeIt(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Contacts: 1000}, Options{})
	h.keys("3", "esc", "/")
	h.m.Update(keyMsg(t, "a")) // its queries are not run: still "in flight"
	first := h.m.contactsContext()
	if first.Err() != nil {
		t.Fatal("the query's context is cancelled before the next keystroke")
	}
	h.keys("n")
	if first.Err() == nil {
		t.Error("the next keystroke left the query before it running")
	}
	if h.m.contactsContext().Err() != nil {
		t.Error("the newest query's context is cancelled")
	}
	if got := h.m.panes[paneContacts].filter; got != "an" {
		t.Errorf("filter %q", got)
	}
	if h.m.err != "" {
		t.Errorf("a cancelled query left an error: %s", h.m.err)
	}
}
