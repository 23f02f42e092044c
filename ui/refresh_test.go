package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// sandboxClock is the sandbox's and the console's clock in these tests, so
// that screens are the same at every run.
var sandboxClock = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// sandboxBackend is the real portal on the sandbox, with the last sync at
// a fixed time (the status line shows it).
type sandboxBackend struct{ *portal.Portal }

func (sandboxBackend) LastSync(context.Context) (time.Time, error) { return sandboxClock, nil }

// sandboxConsole opens the console on a synced portal of the sandbox: what
// the console shows after a write comes from the real mirror.
func sandboxConsole(t *testing.T, w, h int) (*harness, *hubspottest.Server) {
	t.Helper()
	hs, sb, _ := sandboxConsoleWrapped(t, w, h, nil)
	return hs, sb
}

// sandboxConsoleWrapped is sandboxConsole with wrap in front of the
// sandbox (nil for none); it also returns the portal.
func sandboxConsoleWrapped(t *testing.T, w, h int, wrap func(http.Handler) http.Handler) (*harness, *hubspottest.Server, *portal.Portal) {
	t.Helper()
	sb := hubspottest.New(hubspottest.Config{Contacts: 400, Now: func() time.Time { return sandboxClock }})
	var handler http.Handler = sb
	if wrap != nil {
		handler = wrap(sb)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken()),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	ctx := context.Background()
	p, _, err := portal.Open(ctx, portal.Config{Client: client, DataDir: t.TempDir(), HubID: sb.HubID(), BaseURL: srv.URL, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if err := p.FullSync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return newHarnessWith(t, w, h, nil, sandboxBackend{p}, Options{}), sb, p
}

// cursorOn puts the focused pane's cursor on the row with key.
func cursorOn(t *testing.T, h *harness, key string) {
	t.Helper()
	p := h.m.currentPane()
	i := p.indexOf(key)
	if i < 0 {
		t.Fatalf("%s is not in the %s pane", key, paneNames[p.kind])
	}
	h.send(keyMsg(t, "g"))
	for range i {
		h.keys("j")
	}
	if got := p.current(); got == nil || got.key() != key {
		t.Fatalf("cursor on %v, want %s", got, key)
	}
}

func userName(t *testing.T, h *harness, id hubspot.UserID) (portal.UserRow, string) {
	t.Helper()
	p := h.m.panes[paneUsers]
	if i := p.indexOf(string(id)); i >= 0 {
		u := p.at(i).(userItem).UserRow
		return u, u.Name
	}
	t.Fatalf("no user %s", id)
	return portal.UserRow{}, ""
}

func TestTeamChangeRedrawsTheCardWithoutRefresh(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(sizeName(size), func(t *testing.T) {
			h, sb := sandboxConsole(t, size[0], size[1])
			id := sb.Fixtures().MultiRoleUser
			h.keys("1")
			cursorOn(t, h, string(id))
			before, _ := userName(t, h, id)
			h.keys("t")
			team := ""
			for _, o := range h.m.change.options() {
				if o.id != string(before.PrimaryTeamID) {
					team = o.label
					break
				}
			}
			h.typ(team)
			h.keys("enter", "1") // keep all roles
			if h.m.change == nil || h.m.change.stage != stageResult || h.m.change.err != "" {
				t.Fatalf("the change did not finish:\n%s", h.screen())
			}
			h.keys("enter")
			after, _ := userName(t, h, id)
			if after.PrimaryTeamName != team {
				t.Fatalf("the users pane shows team %q, want %q", after.PrimaryTeamName, team)
			}
			if got := h.m.currentPane().current(); got == nil || got.key() != string(id) {
				t.Errorf("the cursor left the changed user for %v", got)
			}
			card := h.m.cards[h.m.detailKey]
			if card.card.PrimaryTeam != team {
				t.Errorf("the detail card shows team %q, want %q (the card was not reloaded)", card.card.PrimaryTeam, team)
			}
			if size[1] < 40 {
				h.keys("enter") // the whole card: a small terminal shows its first lines only
			}
			h.golden("after_teamchange_" + sizeName(size))
		})
	}
}

func sizeName(s [2]int) string {
	return strings.Join([]string{itoa(s[0]), itoa(s[1])}, "x")
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// ownerCardCount is what the owner's card on screen says they own.
func ownerCardCount(t *testing.T, h *harness) int {
	t.Helper()
	c, ok := h.m.cards[h.m.detailKey]
	if !ok || c.err != nil {
		t.Fatalf("no card for %q: %+v\n%s", h.m.detailKey, c, h.screen())
	}
	return c.card.ContactCount
}

func TestReassignRedrawsCountsCardsAndKeepsTheCursor(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(sizeName(size), func(t *testing.T) {
			h, sb := sandboxConsole(t, size[0], size[1])
			fx := sb.Fixtures()
			h.keys("2")
			cursorOn(t, h, string(fx.ActiveOwner))
			owned := ownerCardCount(t, h)
			// Mark two of the owner's contacts and move them to another owner.
			h.keys("3", "space", "space")
			moved := h.m.panes[paneContacts].markOrder
			if len(moved) != 2 {
				t.Fatalf("marks %v", moved)
			}
			// The cursor goes to the fourth contact; the two marked above it
			// leave this owner, so it must follow its record up to row 2.
			h.keys("j")
			onContact := h.m.panes[paneContacts].current().key()
			h.keys("o")
			to := h.m.reassign.owners[0]
			h.typ(to.Email)
			h.keys("enter")
			if h.m.reassign == nil || h.m.reassign.stage != rsPlan {
				t.Fatalf("no plan:\n%s", h.screen())
			}
			h.keys("enter")
			if h.m.reassign.stage != rsDone || h.m.reassign.result.Done != 2 {
				t.Fatalf("the job did not move 2 contacts: %+v\n%s", h.m.reassign.result, h.screen())
			}
			h.keys("enter")
			mustContain(t, h.screen(), "marks cleared: the job used them")
			if n := len(h.m.panes[paneContacts].marks); n != 0 {
				t.Errorf("%d marks left after the job that used them", n)
			}
			contacts := h.m.panes[paneContacts]
			if contacts.total != owned-2 {
				t.Errorf("the contacts pane counts %d, want %d", contacts.total, owned-2)
			}
			if got := contacts.current(); got == nil || got.key() != onContact || contacts.cursor != 1 {
				t.Errorf("the contacts cursor is on %v (row %d), want contact %s, now the second row", got, contacts.cursor, onContact)
			}
			h.keys("2")
			if got := h.m.currentPane().current(); got == nil || got.key() != string(fx.ActiveOwner) {
				t.Fatalf("the owners cursor left owner %s for %v", fx.ActiveOwner, got)
			}
			if got := ownerCardCount(t, h); got != owned-2 {
				t.Errorf("the owner's card says owns %d, the contacts pane %d", got, contacts.total)
			}
			row := h.m.currentPane().current().(ownerItem)
			if row.ContactCount != owned-2 {
				t.Errorf("the owners pane says %d contacts, want %d", row.ContactCount, owned-2)
			}
			if size[1] < 40 {
				h.keys("enter") // the whole card: a small terminal shows its first lines only
			}
			h.golden("after_reassign_" + sizeName(size))
		})
	}
}

// findingCount is the count of the findings group of kind on screen, -1
// when the group is gone.
func findingCount(h *harness, kind string) int {
	p := h.m.panes[paneFindings]
	for i := range p.count() {
		if f, ok := p.at(i).(findingItem); ok && f.f.Kind == kind {
			return f.f.Count
		}
	}
	return -1
}

func TestReassigningAFindingRedrawsTheFindings(t *testing.T) {
	h, _ := sandboxConsole(t, 120, 40)
	h.keys("F")
	kind := portal.FindingContactsArchivedOwner
	before := findingCount(h, kind)
	if before <= 0 {
		t.Fatalf("no %s finding:\n%s", kind, h.screen())
	}
	p := h.m.panes[paneFindings]
	for i := range p.count() {
		if f, ok := p.at(i).(findingItem); ok && f.f.Kind == kind {
			p.moveTo(i)
			break
		}
	}
	h.keys("o")
	h.typ(h.m.reassign.owners[0].Email)
	h.keys("enter", "enter")
	if h.m.reassign == nil || h.m.reassign.stage != rsDone || h.m.reassign.result.Failed != 0 {
		t.Fatalf("the job did not finish cleanly:\n%s", h.screen())
	}
	h.keys("enter")
	if got := findingCount(h, kind); got > 0 {
		t.Errorf("the %s group still counts %d after its contacts moved (was %d):\n%s", kind, got, before, h.screen())
	}
	if h.m.view != viewFindings {
		t.Errorf("the console left the findings view")
	}
}

func TestTeamChangeOfMarkedUsersClearsTheMarks(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("space", "space") // Ana Lopez and Bo Kim
	h.keys("t")
	h.typ("ren")
	h.keys("enter")
	if h.m.change.stage == stageWarn {
		h.keys("1")
	} else {
		h.keys("enter")
	}
	if h.m.change == nil || h.m.change.stage != stageResult {
		t.Fatalf("no result:\n%s", h.screen())
	}
	h.keys("enter")
	if n := len(h.m.panes[paneUsers].marks); n != 0 {
		t.Errorf("%d marks left after the change that used them", n)
	}
	mustContain(t, h.screen(), "marks cleared: the job used them")
}

func TestAJobWithoutMarksKeepsOtherPanesMarks(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("space") // a marked user, not used by a reassignment
	onContact(h, 0)
	h.keys("o")
	h.typ("bo")
	h.keys("enter", "enter", "enter")
	if n := len(h.m.panes[paneUsers].marks); n != 1 {
		t.Errorf("a reassignment cleared %d user marks it did not use", 1-n)
	}
	if strings.Contains(h.m.msg, "marks cleared") {
		t.Errorf("status %q", h.m.msg)
	}
}
