package ui

import (
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

// TestOwnerWithoutUserCanBeChosen: an active owner with no HubSpot user
// (synced from Salesforce) is offered by the reassignment picker, labelled,
// and can receive contacts; the owners pane and the detail card call it
// active, never deactivated.
func TestOwnerWithoutUserCanBeChosen(t *testing.T) {
	h := newHarness(t, 80, 24, uitest.Config{OwnerWithoutUser: true}, Options{})
	onContact(h, 0)
	h.keys("o")
	h.typ("sam")
	s := h.screen()
	if !strings.Contains(s, "Sam Reyes · owner 5007 [no HubSpot user]") {
		t.Fatalf("the picker does not offer the owner without a user, labelled:\n%s", s)
	}
	h.golden("reassign_pick_nouser_80x24")
	h.keys("enter")
	f := h.m.reassign
	if f.stage != rsPlan || f.plan.To.ID != uitest.OwnerWithoutUser || !f.plan.To.NoUser {
		t.Fatalf("stage %d, planned for %+v:\n%s", f.stage, f.plan.To, h.screen())
	}
	h.keys("enter")
	if job := lastJob(t, h); job.To.ID != uitest.OwnerWithoutUser {
		t.Fatalf("job for %+v", job.To)
	}

	// The owners pane and the detail card.
	h = newHarness(t, 120, 40, uitest.Config{OwnerWithoutUser: true}, Options{})
	h.keys("2", "/")
	h.typ("Sam")
	h.keys("enter")
	s = h.screen()
	if !strings.Contains(s, "5007 → no user") || !strings.Contains(s, "active · no HubSpot user") ||
		!strings.Contains(s, "an owner with no HubSpot user, e.g. synced from Salesforce") {
		t.Fatalf("owners pane and detail:\n%s", s)
	}
	if strings.Contains(s, "deactivated") {
		t.Errorf("the owner without a user reads as deactivated:\n%s", s)
	}
}
