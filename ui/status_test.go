package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// The spinner ticks only while something runs; an idle console schedules
// nothing, so it costs no frames.
func TestSpinnerOnlyWhileBusy(t *testing.T) {
	h := demo(t, 120, 40)
	armed := 0
	h.m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
		armed++
		return nil
	}
	if h.m.busy() {
		t.Fatal("busy after everything loaded")
	}
	h.m.Update(h.m.spin.Tick()) // a late tick while idle
	if armed != 0 || h.m.spinArmed {
		t.Fatal("an idle console re-armed the spinner")
	}
	if strings.ContainsAny(h.screen(), "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏") {
		t.Fatal("spinner drawn while idle")
	}
	// Starting a filter query makes the console busy: one tick is armed,
	// the spinner shows, and a tick advances its frame.
	h.m.Update(keyMsg(t, "/"))
	_, _ = h.m.Update(keyMsg(t, "a")) // the query Cmd is not run: still loading
	if !h.m.busy() || armed != 1 {
		t.Fatalf("busy %v armed %d", h.m.busy(), armed)
	}
	if !strings.Contains(h.screen(), "⠋") {
		t.Fatalf("no spinner while loading:\n%s", h.screen())
	}
	h.m.Update(h.m.spin.Tick())
	if !strings.Contains(h.screen(), "⠙") || armed != 2 {
		t.Fatalf("tick did not advance the spinner (armed %d)", armed)
	}
	stale := h.m.spin.Tick()
	h.m.Update(h.m.spin.Tick())
	h.m.Update(stale) // an older tick is ignored by the spinner
	if !strings.Contains(h.screen(), "⠹") {
		t.Fatal("a stale tick moved the spinner")
	}
}

func TestSyncProgressBar(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		if noColor {
			t.Setenv("NO_COLOR", "1")
		}
		h := newHarness(t, 120, 40, uitest.Config{}, Options{Production: true, Accent: "#dd0000", PortalName: "acme"})
		h.m.syncing = true
		done := make(chan portal.SyncProgress)
		close(done) // the listener re-armed after this message finds the run over
		h.send(syncProgressMsg{run: h.m.syncRun, ch: done, p: portal.SyncProgress{Phase: "contacts", Done: 500, Total: 1000}})
		s := h.screen()
		if !strings.Contains(s, "sync contacts ███████") || !strings.Contains(s, "░░░ 500/1,000") {
			t.Fatalf("no half-full bar:\n%s", s)
		}
		if noColor && colorSGR.MatchString(h.m.View().Content) {
			t.Fatal("NO_COLOR: the frame has colour codes (bar, accent or hints)")
		}
		// Narrow terminals keep the numbers and drop the bar.
		h.send(tea.WindowSizeMsg{Width: 50, Height: 20})
		if strings.Contains(h.screen(), "███") {
			t.Fatal("bar drawn at 50 columns")
		}
	}
}

// enter opens the selected row's ID card full size; at 40x10 that is the
// only way to see it. esc closes it.
func TestEnterZoomsTheIDCard(t *testing.T) {
	h := demo(t, 40, 10)
	h.keys("j", "enter")
	if !strings.Contains(h.screen(), "user 102") || !strings.Contains(h.screen(), "bo@acme.test") {
		t.Fatalf("no ID card:\n%s", h.screen())
	}
	h.keys("j") // the card follows the cursor
	if !strings.Contains(h.screen(), "user 103") {
		t.Fatalf("card did not follow:\n%s", h.screen())
	}
	h.keys("esc")
	if h.m.detailZoom || !strings.Contains(h.screen(), "1 users") {
		t.Fatalf("esc did not close the card:\n%s", h.screen())
	}
	h.keys("enter", "2")
	if h.m.detailZoom {
		t.Fatal("switching panes kept the zoom")
	}
}

// A filter longer than the input scrolls: the end stays visible, the line
// fits and the cursor stays on screen.
func TestLongFilterScrolls(t *testing.T) {
	h := demo(t, 80, 24)
	h.keys("/")
	long := strings.Repeat("abcdefghij", 8) + "XYZ"
	h.send(tea.PasteMsg{Content: long})
	assertFits(t, h.screen(), 80, 24)
	lines := strings.Split(h.screen(), "\n")
	if input := lines[len(lines)-2]; !strings.Contains(input, "XYZ") {
		t.Fatalf("the end of the filter is not visible: %q", input)
	}
	c := h.m.View().Cursor
	if c == nil || c.Position.X >= 80 || c.Position.Y != 22 {
		t.Fatalf("cursor %+v", c)
	}
	if h.m.panes[paneUsers].filter != long {
		t.Fatal("paste did not filter")
	}
}
