package ui

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// liveRun runs cmd the way Bubble Tea does, every command in its own
// goroutine and each answer through Update as it arrives, calling seen
// after each one, until nothing is left to run or the deadline.
func liveRun(t *testing.T, h *harness, cmd tea.Cmd, deadline time.Duration, seen func(tea.Msg)) {
	t.Helper()
	answers := make(chan tea.Msg, 64)
	pending := 0
	launch := func(c tea.Cmd) {
		if c != nil {
			pending++
			go func() { answers <- c() }()
		}
	}
	launch(cmd)
	stop := time.After(deadline)
	for pending > 0 {
		select {
		case msg := <-answers:
			pending--
			switch msg := msg.(type) {
			case nil:
			case tea.BatchMsg:
				for _, c := range msg {
					launch(c)
				}
			default:
				if isTerminalMsg(msg) {
					continue
				}
				_, next := h.m.Update(msg)
				seen(msg)
				launch(next)
			}
		case <-stop:
			t.Fatalf("still running after %v", deadline)
		}
	}
}

// On a fresh portal the panes fill while the first sync runs, and an
// empty pane says what it waits for, never "nothing here": users and
// owners once the directory is written, contacts page by page. The
// sandbox answers every request 25 ms late, and pages of 20 contacts make
// the listing take a while, as a first sync on a real portal does.
func TestPanesFillDuringTheFirstSync(t *testing.T) {
	defer func(d time.Duration) { fillEvery = d }(fillEvery)
	fillEvery = 20 * time.Millisecond

	sb := hubspottest.New(hubspottest.Config{Contacts: 2000, Companies: -1, Deals: -1, Tickets: -1, CustomRecords: -1, Faults: hubspottest.Faults{Latency: 25 * time.Millisecond}})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken()),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	ctx := context.Background()
	p, _, err := portal.Open(ctx, portal.Config{Client: client, DataDir: t.TempDir(), HubID: sb.HubID(),
		BaseURL: srv.URL, Sandbox: true, PageSizes: portal.PageSizes{Contacts: 20}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })

	m := newModel(ctx, p, Options{StartSync: true, dir: t.TempDir()})
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m.loc = time.UTC
	h := &harness{t: t, m: m}
	h.send(tea.WindowSizeMsg{Width: 160, Height: 48})
	init := m.Init()
	h.send(keyMsg(t, "3")) // every contact, not the first user's
	h.send(keyMsg(t, "esc"))

	var (
		contactsSeen []int    // each new count of contacts on screen during the listing
		usersMidSync bool     // users shown while contacts were still being listed
		waiting      []string // what an empty contacts pane said
	)
	liveRun(t, h, init, 2*time.Minute, func(msg tea.Msg) {
		if !h.m.syncing {
			return
		}
		screen := h.screen()
		if strings.Contains(screen, "nothing here") {
			t.Fatalf("a pane says nothing here while the sync runs (%s):\n%s", h.m.syncProgress.Phase, screen)
		}
		c := h.m.panes[paneContacts]
		if c.count() == 0 {
			if s := h.m.loadingText(paneContacts); s != "" && (len(waiting) == 0 || waiting[len(waiting)-1] != s) {
				waiting = append(waiting, s)
			}
		}
		if h.m.syncProgress.Phase == "contacts" && !h.m.syncProgress.Finished {
			if n := c.count(); len(contactsSeen) == 0 || contactsSeen[len(contactsSeen)-1] != n {
				contactsSeen = append(contactsSeen, n)
			}
			if h.m.panes[paneUsers].count() > 0 {
				usersMidSync = true
			}
		}
	})
	if h.m.syncing {
		t.Fatal("the sync did not finish")
	}
	if !usersMidSync {
		t.Error("users did not show while contacts were being listed")
	}
	if !strings.HasPrefix(waiting[0], "contacts load after users and owners") && !strings.HasPrefix(waiting[0], "loading contacts") {
		t.Errorf("an empty contacts pane first said %q", waiting[0])
	}
	var filling []int // counts strictly between none and all
	for _, n := range contactsSeen {
		if n > 0 && n < 2000 {
			filling = append(filling, n)
		}
	}
	t.Logf("contacts on screen during the listing: %v; an empty pane said %q", contactsSeen, waiting)
	if len(filling) < 2 || filling[0] == filling[len(filling)-1] {
		t.Errorf("the contacts pane did not fill page by page during the listing: counts %v", contactsSeen)
	}
	if got := h.m.panes[paneContacts].count(); got != 2000 {
		t.Errorf("%d contacts after the sync, want 2,000", got)
	}
}

// What an empty pane says during each stage of a sync (model test).
func TestLoadingTextPerStage(t *testing.T) {
	h := demo(t, 120, 40)
	m := h.m
	m.syncing = true
	for _, tc := range []struct {
		stage syncStage
		p     portal.SyncProgress
		pane  paneKind
		want  string
	}{
		{stageDirectory, portal.SyncProgress{Phase: "starting", Total: -1}, paneUsers, "loading users…"},
		{stageDirectory, portal.SyncProgress{Phase: "owners", Done: 40, Total: -1}, paneUsers, "loading users… reading owners: 40"},
		{stageDirectory, portal.SyncProgress{Phase: "users", Done: 1200, Total: -1}, paneOwners, "loading owners… reading users: 1,200"},
		{stageDirectory, portal.SyncProgress{Phase: "teams", Total: -1}, paneContacts, "contacts load after users and owners…"},
		{stageContacts, portal.SyncProgress{Phase: "contacts", Done: 3200, Total: 12000}, paneContacts, "loading contacts… 3,200 of ~12,000"},
		{stageContacts, portal.SyncProgress{Phase: "contacts", Done: 0, Total: -1}, paneContacts, "loading contacts… 0"},
		{stageContacts, portal.SyncProgress{Phase: "contacts", Done: 300, Total: 900}, paneUsers, ""},
		{stageRest, portal.SyncProgress{Phase: "search index", Total: -1}, paneContacts, ""},
	} {
		m.syncStage, m.syncProgress = tc.stage, tc.p
		if got := m.loadingText(tc.pane); got != tc.want {
			t.Errorf("stage %d, %+v, %s: %q, want %q", tc.stage, tc.p, paneNames[tc.pane], got, tc.want)
		}
	}
	m.syncing = false
	if got := m.loadingText(paneContacts); got != "" {
		t.Errorf("no sync running, yet %q", got)
	}
}
