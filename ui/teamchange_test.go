package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// The fixture's first user, Ana Lopez, holds Sales Rep, Marketing and
// Service, with primary team Sales and secondary team Support; the second,
// Bo Kim, holds Sales Rep only.

func mustContain(t *testing.T, screen string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(screen, w) {
			t.Fatalf("screen lacks %q:\n%s", w, screen)
		}
	}
}

func TestTeamChangeKeypressToWarningGolden(t *testing.T) {
	h := demo(t, 80, 24)
	h.keys("t")
	mustContain(t, h.screen(), "primary team for Ana Lopez", "Renewals", "Support")
	h.typ("ren")
	h.golden("teamchange_pick_80x24")
	h.keys("enter")
	s := h.screen()
	mustContain(t, s, "Sales → Renewals", "no longer held   dropped by HubSpot: Marketing, Service",
		"1  Keep all roles", "2  Proceed and drop 2 roles", "▸ 3  Cancel", "A user update drops 2 roles")
	h.golden("teamchange_warn_80x24")
	assertFits(t, s, 80, 24)
	if n := len(h.fake.Applied()); n != 0 {
		t.Fatalf("the warning alone sent %d changes", n)
	}
	h.keys("enter") // the default is Cancel
	if h.m.change != nil || len(h.fake.Applied()) != 0 || !strings.Contains(h.screen(), "nothing was sent") {
		t.Fatalf("enter on the default did not cancel:\n%s", h.screen())
	}
}

func TestTeamChangeKeepAllRoles(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("t")
	h.typ("ren")
	h.keys("enter", "1")
	applied := h.fake.Applied()
	if len(applied) != 1 || applied[0].Method != portal.MethodKeepRoles || applied[0].Plan.Users[0].Target.PrimaryTeamID != "3" {
		t.Fatalf("applied %+v", applied)
	}
	mustContain(t, h.screen(), "Ana Lopez <ana@acme.test>: done", "journal job 1")
	h.keys("enter")
	if h.m.change != nil {
		t.Fatal("enter did not close the result")
	}
	mustContain(t, h.screen(), "changed 1 of 1 user")
}

func TestTeamChangeDropRolesNeedsTheCount(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("t")
	h.typ("ren")
	h.keys("enter", "2")
	mustContain(t, h.screen(), "Type 2 to drop 2 roles")
	h.keys("1", "enter")
	if len(h.fake.Applied()) != 0 {
		t.Fatal("a wrong count sent the change")
	}
	mustContain(t, h.screen(), "type 2, the number of roles")
	h.keys("backspace", "2", "enter")
	applied := h.fake.Applied()
	if len(applied) != 1 || applied[0].Method != portal.MethodPut {
		t.Fatalf("applied %+v", applied)
	}
	mustContain(t, h.screen(), "dropped: Marketing, Service (on the :restore checklist)")
	h.keys("enter", ":")
	h.typ("restore")
	h.keys("enter")
	mustContain(t, h.screen(), "restore checklist", "Ana Lopez <ana@acme.test> (user 101)",
		"[ ] re-add Marketing", "[ ] re-add Service", "/settings/62515/users/user/101")
	h.keys("esc")
	if h.m.change != nil {
		t.Fatal("esc did not close the restore view")
	}
}

func TestSingleRoleUserGetsAPlainConfirmation(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("j", "t") // Bo Kim
	h.typ("ren")
	h.keys("enter")
	s := h.screen()
	mustContain(t, s, "primary team for Bo Kim", "No role is lost.", "enter or y sends it as a user update")
	if strings.Contains(s, "Keep all roles") || strings.Contains(s, "no longer held") {
		t.Fatalf("a single-role user got the warning:\n%s", s)
	}
	h.keys("y")
	if a := h.fake.Applied(); len(a) != 1 || a[0].Method != portal.MethodPut {
		t.Fatalf("applied %+v", a)
	}
}

func TestKeepRolesDisabledWithoutTheScope(t *testing.T) {
	fake := uitest.New(uitest.Config{})
	info := fake.Info()
	info.Scopes = []string{"settings.users.read", "settings.users.write", "settings.users.teams.read"}
	fake.SetInfo(info)
	h := newHarnessWith(t, 120, 40, fake, fake, Options{})
	h.keys("t")
	h.typ("ren")
	h.keys("enter")
	mustContain(t, h.screen(), "Keep all roles (change membership through the Teams API) (unavailable: the token", "settings.users.teams.write scope)")
	h.keys("1")
	mustContain(t, h.screen(), "Keeping all roles is not possible: the token lacks the", "settings.users.teams.write scope")
	if len(fake.Applied()) != 0 {
		t.Fatal("a disabled option sent the change")
	}
}

func TestRoleChangeOffersOnlyDropOrCancel(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("R")
	mustContain(t, h.screen(), "role for Ana Lopez", "Admin", "Marketing")
	h.typ("adm")
	h.keys("enter")
	mustContain(t, h.screen(), "Sales Rep, Marketing, Service → Admin", "no API can keep the",
		"Keep the other roles (unavailable: HubSpot keeps a single")
	h.keys("1")
	if len(h.fake.Applied()) != 0 {
		t.Fatal("keep-roles ran for a role change")
	}
}

func TestPickerShowsWhatTheUserHasNow(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("t")
	mustContain(t, h.screen(), "Sales  1  (current)")
	h.keys("esc", "R")
	mustContain(t, h.screen(), "Sales Rep", "(primary)", "Marketing", "(also held)")
	h.keys("esc", "space", "space", "t") // two marked users: no single "current"
	if strings.Contains(h.screen(), "(current)") {
		t.Fatalf("a change of marked users marks one user's team:\n%s", h.screen())
	}
}

func TestMarkedUsersChangeTogether(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("space", "space", "T") // marks Ana and Bo; secondary teams
	mustContain(t, h.screen(), "secondary teams for 2 marked users", "[ ] Renewals")
	h.keys("down", "down", "space", "enter") // Support
	s := h.screen()
	mustContain(t, s, "Ana Lopez <ana@acme.test> (user 101)", "Bo Kim <bo@acme.test> (user 102)", "none → Support")
	// Ana already has Support only: unchanged; Bo changes and loses nothing.
	mustContain(t, s, "already as asked", "No role is lost.")
}

// Read-only: the change actions vanish (issue 7), and their keys say why
// nothing happens (issue 5).
func TestReadOnlyDisablesChangesWithTheReason(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{ReadOnly: true})
	h.keys("t")
	if h.m.change != nil {
		t.Fatal("a read-only console opened a team change")
	}
	mustContain(t, h.screen(), "the portal is open read-only")
	h.keys("R")
	if h.m.change != nil {
		t.Fatal("a read-only console opened a role change")
	}
	h.keys("?")
	if strings.Contains(h.screen(), "change primary team") {
		t.Errorf("help of a read-only console lists the team change:\n%s", h.screen())
	}
}

func TestTeamChangeNeedsTheUsersPane(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("2", "t")
	if h.m.change != nil {
		t.Fatal("opened a team change from the owners pane")
	}
	mustContain(t, h.screen(), "only on the users pane")
}

func TestChangeDialogFitsEverySize(t *testing.T) {
	h := demo(t, 80, 24)
	h.keys("space", "space", "t")
	h.typ("ren")
	h.keys("enter")
	for _, sz := range [][2]int{{40, 10}, {60, 14}, {80, 24}, {130, 45}} {
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		assertFits(t, h.screen(), sz[0], sz[1])
	}
}

// Issue 12: choosing another role than the primary replaces the primary
// role too; the warning and the typed confirmation count every role that
// goes, each with its reason.
func TestRoleChangeCountsTheReplacedPrimaryRole(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("R")
	h.typ("marketing")
	h.keys("enter")
	mustContain(t, h.screen(), "replaced by your choice: Sales Rep; dropped by HubSpot: Service",
		"2 roles (1 replaced by your choice, 1 dropped by HubSpot) will be lost", "Proceed and drop 2 roles")
	h.keys("2")
	mustContain(t, h.screen(), "Type 2 to drop 2 roles")
	h.typ("1")
	h.keys("enter")
	if len(h.fake.Applied()) != 0 {
		t.Fatal("typing 1, the count of dropped roles alone, sent the change")
	}
	h.keys("backspace")
	h.typ("2")
	h.keys("enter")
	if len(h.fake.Applied()) != 1 {
		t.Fatalf("typing 2 sent %d changes", len(h.fake.Applied()))
	}
}

// The :restore view ticks the item under the cursor off by hand; the
// checklist then says so (not "seen at sync"), and the key is in the help.
func TestRestoreViewTicksOffByHand(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("t")
	h.typ("ren")
	h.keys("enter", "2", "2", "enter", "enter", ":")
	h.typ("restore")
	h.keys("enter")
	s := h.screen()
	mustContain(t, s, "x ticks off by hand", "[ ] re-add Marketing", "[ ] re-add Service")
	h.keys("j", "x")
	mustContain(t, h.screen(), "[ ] re-add Marketing", "[x] Service · ticked by hand by admin 2026-11-20", "ticked off by hand: Service for Ana Lopez")
	items, _ := h.fake.RestoreList(t.Context())
	for _, it := range items {
		if (it.RoleName == "Service") == it.Open() {
			t.Errorf("item %+v", it)
		}
	}
	h.keys("x")
	mustContain(t, h.screen(), "Service for Ana Lopez is already ticked off")
	h.keys("esc")
	mustContain(t, strings.Join(h.m.helpLines(), "\n"), ":restore", "x ticks one off by hand")
}
