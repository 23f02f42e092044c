package ui

import (
	"strings"
	"testing"
)

func TestSortKeysCycleAndAreRememberedPerPane(t *testing.T) {
	h, _ := sandboxConsole(t, 160, 48)
	users := h.m.panes[paneUsers]
	h.keys("j", "j")
	on := users.current().key()
	h.keys("s")
	if users.sortKey() != "records" {
		t.Fatalf("s sorts users by %q, want records", users.sortKey())
	}
	mustContain(t, h.screen(), "1 users ↓records")
	if got := users.current().key(); got != on {
		t.Errorf("the cursor left user %s for %s", on, got)
	}
	for i := 1; i < users.count(); i++ {
		prev, cur := users.at(i-1).(userItem), users.at(i).(userItem)
		if prev.ContactCount < cur.ContactCount {
			t.Fatalf("row %d owns %d, row %d owns %d: not most first", i, prev.ContactCount, i+1, cur.ContactCount)
		}
	}
	// Another pane keeps its own key; coming back finds users as left.
	h.keys("3", "esc", ":")
	h.typ("sort owner")
	h.keys("enter")
	contacts := h.m.panes[paneContacts]
	if contacts.sortKey() != "owner" || users.sortKey() != "records" {
		t.Fatalf("contacts by %q, users by %q", contacts.sortKey(), users.sortKey())
	}
	for i := 1; i < min(contacts.count(), len(contacts.rows)); i++ {
		if a, b := contacts.at(i-1).(contactItem).OwnerID, contacts.at(i).(contactItem).OwnerID; a > b {
			t.Fatalf("contacts rows %d and %d: owner %s before %s", i, i+1, a, b)
		}
	}
	mustContain(t, h.screen(), "3 contacts · all ↓owner")
	h.keys(":")
	h.typ("sort roles")
	h.keys("enter")
	if !strings.Contains(h.screen(), "contacts sort by id, name, owner, modified") {
		t.Errorf("a key of another pane is not refused:\n%s", h.screen())
	}
	// A full cycle comes back to the default.
	h.keys("1", "s", "s", "s")
	if users.sortKey() != "name" {
		t.Errorf("users sort by %q after a full cycle", users.sortKey())
	}
}
