package ui

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

func (h *harness) cursorKey(k paneKind) string {
	r := h.m.panes[k].current()
	if r == nil {
		return ""
	}
	return r.key()
}

func TestFocusKeys(t *testing.T) {
	h := demo(t, 120, 40)
	steps := []struct {
		key  string
		want paneKind
	}{{"tab", paneOwners}, {"tab", paneContacts}, {"tab", paneUsers}, {"shift+tab", paneContacts},
		{"1", paneUsers}, {"3", paneContacts}, {"2", paneOwners}, {"h", paneUsers}, {"l", paneOwners}}
	for _, s := range steps {
		h.keys(s.key)
		if h.m.focus != s.want {
			t.Fatalf("after %s focus is %s, want %s", s.key, paneNames[h.m.focus], paneNames[s.want])
		}
	}
}

func TestUserSelectionLinksOwnerAndContacts(t *testing.T) {
	h := demo(t, 120, 40)
	// Dee Park: user 5003, owner 5010; owner 5003 is Eli Moss.
	h.keys("j", "j", "j", "j", "j")
	if got := h.cursorKey(paneUsers); got != "5003" {
		t.Fatalf("cursor on user %s", got)
	}
	if h.m.linkedOwner != "5010" || h.cursorKey(paneOwners) != "5010" {
		t.Fatalf("owner pane follows %s / %s, want Dee Park's owner 5010", h.m.linkedOwner, h.cursorKey(paneOwners))
	}
	if h.m.scope.owner != "5010" {
		t.Fatalf("contacts scoped to %q", h.m.scope.owner)
	}
	for _, r := range h.m.panes[paneContacts].rows {
		if c := r.(contactItem); c.OwnerID != "5010" {
			t.Fatalf("contact %s of owner %s shown for Dee Park", c.ContactID, c.OwnerID)
		}
	}
	// The user without an owner explains the empty contacts pane.
	h.keys("k", "k", "k")
	if h.cursorKey(paneUsers) != "103" || !strings.Contains(h.screen(), "(user 103) has no owner, so no") {
		t.Fatalf("no-owner user not explained:\n%s", h.screen())
	}
	// Selecting an owner finds its user, also for an archived owner's inactive user.
	h.keys("2", "home", "j")
	if h.cursorKey(paneUsers) != "102" || h.m.scope.owner != "5002" {
		t.Fatalf("owner 5002 should select user 102, got %s", h.cursorKey(paneUsers))
	}
}

func TestMarks(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("space", "space")
	p := h.m.panes[paneUsers]
	if len(p.marks) != 2 || !p.marked("101") || !p.marked("102") || p.cursor != 2 {
		t.Fatalf("space should mark and move down: marks %v cursor %d", p.markOrder, p.cursor)
	}
	if !strings.Contains(h.screen(), "2 marked") {
		t.Fatal("mark count missing from the status line")
	}
	h.keys("k", "space") // unmark 102
	if p.marked("102") || len(p.marks) != 1 {
		t.Fatalf("space on a marked row should unmark: %v", p.markOrder)
	}
	h.keys("U")
	if len(p.marks) != 0 {
		t.Fatal("U should clear marks")
	}
	// Range: mark row 1, move to row 5, V marks 1..5.
	h.keys("home", "space", "j", "j", "j", "V")
	if len(p.marks) != 5 {
		t.Fatalf("range marked %v", p.markOrder)
	}
	// Mark all filtered rows.
	h.keys("U", "/")
	h.typ("kim")
	h.keys("enter", "A")
	if len(p.marks) != len(p.rows) || len(p.marks) < 2 {
		t.Fatalf("mark-all marked %d of %d", len(p.marks), len(p.rows))
	}
}

func TestMarkAllContactsQueriesTheWholeFilter(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Contacts: 2500}, Options{})
	h.keys("3", "esc", "A")
	if got := len(h.m.panes[paneContacts].marks); got != 2500 {
		t.Fatalf("marked %d contacts, want all 2500 (only %d are loaded)", got, len(h.m.panes[paneContacts].rows))
	}
}

func TestDisabledActionSaysWhy(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("V")
	if !strings.Contains(h.m.msg, "mark a row with space first") {
		t.Fatalf("message %q", h.m.msg)
	}
	h.keys("L")
	if !strings.Contains(h.m.msg, "keeps no API log") {
		t.Fatalf("message %q", h.m.msg)
	}
	h.keys("?")
	if !strings.Contains(h.screen(), "keeps no API log") {
		t.Fatal("help does not show why the API log is disabled")
	}
}

func TestFilterIsAsyncAndGenerationTagged(t *testing.T) {
	h := demo(t, 120, 40)
	before := h.fake.Queries()
	// Update alone never calls the backend: typing cannot block on it.
	_, c1 := h.m.Update(keyMsg(t, "/"))
	_, c2 := h.m.Update(keyMsg(t, "m"))
	_, c3 := h.m.Update(keyMsg(t, "o"))
	if h.fake.Queries() != before {
		t.Fatal("Update queried the backend")
	}
	if h.m.panes[paneUsers].filter != "mo" {
		t.Fatalf("filter %q", h.m.panes[paneUsers].filter)
	}
	// Run the newest query, then the superseded one: the stale rows are dropped.
	h.run(c3)
	rows := h.m.panes[paneUsers].rows
	if len(rows) != 1 || rows[0].key() != "104" {
		t.Fatalf("filter mo: %v", keys(rows))
	}
	h.run(c2)
	h.run(c1)
	if got := keys(h.m.panes[paneUsers].rows); !reflect.DeepEqual(got, []string{"104"}) {
		t.Fatalf("a stale result replaced the newest: %v", got)
	}
	h.keys("esc") // cancel restores the previous (empty) filter
	if h.m.panes[paneUsers].filter != "" || len(h.m.panes[paneUsers].rows) < 30 {
		t.Fatal("esc should restore the unfiltered list")
	}
}

func TestStaleResultsDropped(t *testing.T) {
	h := demo(t, 120, 40)
	p := h.m.panes[paneContacts]
	want := keys(p.rows)
	stale := rowsMsg{kind: paneContacts, gen: p.gen - 1, off: 0, rows: contactRows(nil), total: -1}
	h.send(stale)
	h.send(countMsg{gen: p.gen - 1, n: 999})
	if !reflect.DeepEqual(keys(p.rows), want) || p.total == 999 {
		t.Fatal("a superseded contacts result was applied")
	}
	seq := h.m.resolveSeq
	h.send(resolveMsg{seq: seq - 1})
	if h.m.resolution != nil {
		t.Fatal("a superseded resolution was shown")
	}
	h.send(syncDoneMsg{run: h.m.syncRun + 5})
	if h.m.msg == "sync finished" {
		t.Fatal("a finished sync of another run was applied")
	}
}

func keys(rows []row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.key())
	}
	return out
}

func TestCommandCompletion(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys(":")
	h.typ("ex")
	h.keys("tab")
	if got := h.m.input.Value(); got != "export " {
		t.Fatalf("ex<tab> = %q", got)
	}
	h.typ("j")
	h.keys("tab")
	if got := h.m.input.Value(); got != "export json" {
		t.Fatalf("export j<tab> = %q", got)
	}
	h.keys("esc", ":")
	h.typ("f")
	h.keys("tab")
	if got := h.m.input.Value(); got != "findings" {
		t.Fatalf("f<tab> = %q", got)
	}
	h.keys("enter")
	if h.m.view != viewFindings {
		t.Fatal(":findings did not open findings")
	}
	h.keys(":")
	h.typ("o")
	h.keys("tab")
	if got := h.m.input.Value(); got != "owners" {
		t.Fatalf("o<tab> = %q", got)
	}
	h.keys("enter")
	if h.m.view != viewMain || h.m.focus != paneOwners {
		t.Fatal(":owners did not focus owners")
	}
	h.keys(":")
	h.typ("nope")
	h.keys("enter")
	if !strings.Contains(h.m.err, "unknown command :nope") {
		t.Fatalf("err %q", h.m.err)
	}
	h.keys(":", "q", "enter")
	if len(h.cmds) == 0 || !reflect.DeepEqual(h.cmds[len(h.cmds)-1], tea.QuitMsg{}) {
		t.Fatal(":q did not quit")
	}
}

func TestFindingsJump(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("/", "z", "z", "enter") // a filter that hides the target must not stop the jump
	h.keys("F")
	// rows: 0 archived header, 1 Gus, 2 unknown header, 3..6 contacts, 7 no-owner header, 8 Cy
	h.keys("j", "j", "j", "j", "j", "j", "j", "j")
	h.keys("enter")
	if h.m.view != viewMain || h.m.focus != paneUsers || h.cursorKey(paneUsers) != "103" {
		t.Fatalf("jump to user 103: view %d focus %s cursor %s", h.m.view, paneNames[h.m.focus], h.cursorKey(paneUsers))
	}
	h.keys("F", "home", "enter") // a header jumps to its first record: archived owner 5005
	if h.m.focus != paneOwners || h.cursorKey(paneOwners) != "5005" {
		t.Fatalf("header jump landed on %s", h.cursorKey(paneOwners))
	}
	h.keys("F", "home", "j", "j", "enter") // unknown-owner finding: a contact
	if h.m.focus != paneContacts || h.cursorKey(paneContacts) != "1000007" {
		t.Fatalf("contact jump landed on %q", h.cursorKey(paneContacts))
	}
}

func TestResolveInPlace(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("j", "j", "j", "j", "j", "i") // Dee Park, user 5003
	r := h.m.resolution
	if r == nil || !r.res.Ambiguous || len(r.res.Matches) != 2 {
		t.Fatalf("resolution %+v", r)
	}
	if !strings.Contains(h.screen(), "AMBIGUOUS") {
		t.Fatal("ambiguity not shown")
	}
	h.keys("esc")
	if h.m.resolution != nil {
		t.Fatal("esc did not close the resolution")
	}
	h.keys(":")
	h.typ("id 424242")
	h.keys("enter")
	if !strings.Contains(h.screen(), "424242 matches no owner ID, user ID") {
		t.Fatalf("no-match not explained:\n%s", h.screen())
	}
}

func TestCopySelectedID(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("2", "y")
	want := tea.SetClipboard("5001")()
	if len(h.cmds) == 0 || !reflect.DeepEqual(h.cmds[len(h.cmds)-1], want) {
		t.Fatalf("y sent %#v", h.cmds)
	}
	if h.m.msg != "copied owner ID 5001" {
		t.Fatalf("msg %q", h.m.msg)
	}
}

func TestRefreshRunsSyncWithProgress(t *testing.T) {
	h := demo(t, 120, 40)
	before := h.m.lastSync
	var phases []string
	h.m.tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd { return nil }
	_, cmd := h.m.Update(keyMsg(t, "r"))
	if !h.m.syncing || !strings.Contains(h.screen(), "sync starting") {
		t.Fatal("sync not shown as running")
	}
	// Run the sync Cmd and the listener step by step to watch progress.
	queue := []tea.Cmd{cmd}
	for i := 0; len(queue) > 0 && i < 1000; i++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		default:
			if p, ok := msg.(syncProgressMsg); ok {
				phases = append(phases, p.p.Phase)
			}
			_, next := h.m.Update(msg)
			queue = append(queue, next)
		}
	}
	if h.fake.Syncs() != 1 || h.m.syncing || h.m.msg != "sync finished" {
		t.Fatalf("syncs %d syncing %v msg %q", h.fake.Syncs(), h.m.syncing, h.m.msg)
	}
	if len(phases) != 9 || phases[0] != "users" || phases[8] != "contacts" {
		t.Fatalf("progress phases %v", phases)
	}
	if !h.m.lastSync.After(before) {
		t.Fatal("last sync time not refreshed")
	}
	h.keys("r")
	h.fake.FailNext(context.DeadlineExceeded)
	h.keys("r")
	if !strings.Contains(h.m.err, "sync failed") {
		t.Fatalf("err %q", h.m.err)
	}
}

func TestKeyRebinding(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{Keys: map[string][]string{"mark": {"x"}, "down": {"n"}}})
	h.keys("x")
	if !h.m.panes[paneUsers].marked("101") {
		t.Fatal("rebound mark key did nothing")
	}
	h.keys("j") // j no longer moves down
	if h.m.panes[paneUsers].cursor != 1 {
		t.Fatalf("cursor %d", h.m.panes[paneUsers].cursor)
	}
	h.keys("n")
	if h.m.panes[paneUsers].cursor != 2 {
		t.Fatal("rebound down key did nothing")
	}
	h.keys("?")
	if !strings.Contains(h.screen(), "  x ") {
		t.Fatal("help does not show the rebound key")
	}
	for _, bad := range []map[string][]string{
		{"unmark-all": {"ctrl+x"}}, // destructive on a control chord
		{"frobnicate": {"z"}},
		{"mark": {"j"}}, // taken by down
		{"mark": {" "}},
	} {
		if _, err := newKeymap(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if err := Run(context.Background(), uitest.New(uitest.Config{}), Options{Keys: map[string][]string{"quit": {"ctrl+q"}}}); err == nil || !strings.Contains(err.Error(), "destructive") {
		t.Fatalf("Run accepted quit on ctrl+q: %v", err)
	}
}
