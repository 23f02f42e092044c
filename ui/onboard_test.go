package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/portal"
)

func fieldIndex(f *onboardForm, key string) int {
	for i, fl := range f.fields {
		if fl.key == key {
			return i
		}
	}
	return -1
}

// N on the users pane opens the form; names are checked as they are
// typed; enter plans, enter creates, and the users pane shows the new
// user with their seat on the card.
func TestOnboardFormCreatesAUser(t *testing.T) {
	h, p, sb := smallSandboxConsole(t)
	h.keys("N")
	f, ok := h.m.topOverlay().(*onboardForm)
	if !ok {
		t.Fatalf("N opened %T:\n%s", h.m.topOverlay(), h.screen())
	}
	mustContain(t, h.screen(), "new user", "▸ email", "first name", "welcome email")
	h.typ("zoe.new@example.com")
	h.keys("tab")
	h.typ("Zoe")
	h.keys("tab")
	h.typ("New")
	h.keys("tab")
	h.typ("Sales Repp;Read Only")
	mustContain(t, h.screen(), `✗ unknown role "Sales Repp" (did you mean "Sales Rep"?)`)
	h.keys("enter")
	if f.stage != obFill || len(sb.WriteRequests()) != 0 {
		t.Fatalf("enter with a wrong field planned or sent: stage %d", f.stage)
	}
	mustContain(t, h.screen(), "fix the fields marked ✗")
	for range len("Sales Repp;Read Only") {
		h.keys("backspace")
	}
	h.typ("Sales Rep;Read Only")
	h.keys("tab")
	h.typ("West Coast Sales")
	h.keys("tab", "tab")
	h.typ("Core Seat")
	h.keys("tab", "space")
	if f.fields[fieldIndex(f, fieldWelcome)].value != "yes" {
		t.Fatal("space did not toggle the welcome email")
	}
	h.keys("enter")
	if f.stage != obPlan {
		t.Fatalf("stage %d:\n%s", f.stage, h.screen())
	}
	mustContain(t, h.screen(), "+ Zoe New <zoe.new@example.com>: role Sales Rep, team West Coast Sales, seat Core",
		"the API sets role Sales Rep; add Read Only in HubSpot's settings", "1 further role goes on the restore checklist", "enter creates")
	if len(sb.WriteRequests()) != 0 {
		t.Fatal("the plan sent a write")
	}
	h.keys("enter")
	if f.stage != obResult || f.result.Count(portal.ItemDone) != 1 {
		t.Fatalf("result %+v:\n%s", f.result, h.screen())
	}
	created := f.result.Rows[0]
	mustContain(t, h.screen(), "Zoe New <zoe.new@example.com>: created", "user ID "+string(created.UserID),
		"on the :restore checklist): Read Only")
	if u, ok := sb.User(created.UserID); !ok || u.Email != "zoe.new@example.com" {
		t.Fatalf("sandbox user %+v", u)
	}
	h.keys("enter")
	if h.m.topOverlay() != nil {
		t.Fatal("enter did not close the result")
	}
	mustContain(t, h.screen(), "created zoe.new@example.com")
	card, err := p.IDCardForUser(context.Background(), created.UserID)
	if err != nil || len(card.Seats) != 1 || card.OwnerID == "" {
		t.Fatalf("card %+v, %v", card, err)
	}
	// The users pane shows them at once: filter to them and read the card.
	h.keys("/")
	h.typ("zoe.new")
	h.keys("enter")
	mustContain(t, h.screen(), "Zoe New", "seats: Core Seat")
}

func TestOnboardFormEscSendsNothing(t *testing.T) {
	h, _, sb := smallSandboxConsole(t)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("N")
	h.typ("x@example")
	h.keys("enter") // every field's problem shows, and the form still fits
	s := h.screen()
	mustContain(t, s, "✗ bad email", "✗ no first name", "✗ no last name")
	assertFits(t, s, 80, 24)
	h.keys("esc")
	if h.m.topOverlay() != nil || len(sb.WriteRequests()) != 0 || !strings.Contains(h.screen(), "nothing was sent") {
		t.Fatalf("esc: %v\n%s", h.m.topOverlay(), h.screen())
	}
}
