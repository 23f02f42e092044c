package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

func TestDisabledFromOptionsShowsReason(t *testing.T) {
	why := "the token lacks the crm.export scope"
	h := newHarness(t, 120, 40, uitest.Config{}, Options{Disabled: map[string]string{"export": why}})
	h.keys("ctrl+s")
	if h.m.exporting || !strings.Contains(h.m.msg, why) {
		t.Fatalf("export ran or gave no reason: exporting %v msg %q", h.m.exporting, h.m.msg)
	}
	h.keys(":")
	h.typ("export json")
	h.keys("enter")
	if h.m.exporting || !strings.Contains(h.m.msg, why) {
		t.Fatalf(":export ran or gave no reason: %q", h.m.msg)
	}
	h.keys("?", "end")
	if !strings.Contains(h.screen(), why) {
		t.Fatalf("help does not say why export is disabled:\n%s", h.screen())
	}
}

func TestReadOnlyHidesWriteActions(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{ReadOnly: true})
	// Make refresh a write action for the test: it then must vanish.
	h.m.keys.spec(actRefresh).write = true
	h.m.keys.setReadOnly(h.m.readOnly())
	h.keys("r")
	if h.fake.Syncs() != 0 {
		t.Fatal("a write action ran in read-only mode")
	}
	if !strings.Contains(h.m.msg, "read-only") {
		t.Fatalf("pressing a hidden write action's key should say why: %q", h.m.msg)
	}
	h.keys("?")
	for range 10 {
		scr := h.screen()
		helpBox := scr[:strings.LastIndex(scr, "\n")] // the status line may say why r did nothing
		if strings.Contains(helpBox, "refresh from HubSpot") || strings.Contains(helpBox, ":sync") {
			t.Fatalf("help lists a hidden write action:\n%s", h.screen())
		}
		h.keys("j")
	}
	if !strings.Contains(h.screen(), "READ-ONLY") {
		t.Fatal("no READ-ONLY badge")
	}
	// The same keymap on a writable portal offers it again.
	h.m.keys.setReadOnly(false)
	h.keys("esc", "r")
	if h.fake.Syncs() != 1 {
		t.Fatal("write action stayed hidden after read-only was lifted")
	}
}

func TestTypedConfirmDialog(t *testing.T) {
	d := newTypedConfirm("reassign 250 contacts", "This changes production.", "acme-prod")
	send := func(keys ...string) {
		for _, k := range keys {
			d, _ = d.Update(keyMsg(t, k))
		}
	}
	send("a", "c", "m", "e", "enter")
	if d.Confirmed() || d.Cancelled() || !d.mismatch {
		t.Fatal("a wrong name confirmed or was not flagged")
	}
	send("backspace", "backspace", "backspace", "backspace")
	d, _ = d.Update(tea.PasteMsg{Content: "acme-prod"})
	send("enter")
	if !d.Confirmed() {
		t.Fatalf("typing the name did not confirm (value %q)", d.input.Value())
	}
	send("x") // a confirmed dialog ignores input
	if d.input.Value() != "acme-prod" {
		t.Fatal("input changed after confirming")
	}
	d = newTypedConfirm("t", "p", "acme-prod")
	send("esc")
	if !d.Cancelled() || d.Confirmed() {
		t.Fatal("esc did not cancel")
	}
	for _, w := range []int{6, 20, 72} {
		for _, l := range d.View(w, newStyles(true, false, "")) {
			if got := ansi.StringWidth(l); got != w {
				t.Fatalf("dialog line is %d wide, want %d: %q", got, w, l)
			}
		}
	}
}

func TestProductionGuardsLargeJobs(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{Production: true, PortalName: "acme-prod", Accent: "#dd0000"})
	if !strings.Contains(h.screen(), "PRODUCTION") || !strings.Contains(h.screen(), "acme-prod") {
		t.Fatalf("status line lacks the production badge or name:\n%s", h.screen())
	}
	ran := 0
	start := func() tea.Cmd { ran++; return nil }
	h.run(h.m.guardLargeJob("reassign 100 contacts", 100, start))
	if ran != 1 || h.m.confirm != nil {
		t.Fatal("a job of exactly 100 changes should run without asking")
	}
	h.run(h.m.guardLargeJob("reassign 101 contacts", 101, start))
	if ran != 1 || h.m.confirm == nil {
		t.Fatal("a job of 101 changes on production ran without asking")
	}
	if !strings.Contains(h.screen(), "Type acme-prod to confirm") {
		t.Fatalf("dialog not shown:\n%s", h.screen())
	}
	assertFits(t, h.screen(), 120, 40)
	sent := len(h.cmds)
	h.keys("j", "q") // keys go to the dialog, not the console
	if h.m.panes[paneUsers].cursor != 0 || len(h.cmds) != sent {
		t.Fatal("a key reached the console behind the dialog")
	}
	h.keys("backspace", "backspace")
	h.typ("acme-prod")
	h.keys("enter")
	if ran != 2 || h.m.confirm != nil {
		t.Fatalf("confirming did not start the job (ran %d)", ran)
	}
	h.run(h.m.guardLargeJob("reassign 500 contacts", 500, start))
	h.keys("esc")
	if ran != 2 || h.m.confirm != nil || !strings.Contains(h.m.msg, "cancelled") {
		t.Fatal("esc should cancel the job")
	}

	// Not production: no dialog whatever the size.
	h = newHarness(t, 120, 40, uitest.Config{}, Options{PortalName: "sandbox"})
	h.run(h.m.guardLargeJob("x", 1_000_000, start))
	if ran != 3 {
		t.Fatal("a non-production job asked for confirmation")
	}
}

// switchable is a backend for :portal tests; each has its own fake data.
func switchOptions(fakes map[string]*uitest.Fake, opened *[]string) Options {
	return Options{
		PortalName: "sandbox",
		Portals:    []string{"sandbox", "prod", "client"},
		SwitchPortal: func(_ context.Context, name string) (Backend, error) {
			*opened = append(*opened, name)
			if f, ok := fakes[name]; ok {
				return f, nil
			}
			return nil, errors.New("no credentials for " + name)
		},
		Settings: func(name string) PortalSettings {
			return PortalSettings{Production: name == "prod", Accent: "#dd0000", ReadOnly: name == "prod",
				Disabled: map[string]string{"export": "no export on " + name}}
		},
	}
}

func TestPortalSwitch(t *testing.T) {
	prod := uitest.New(uitest.Config{ExtraUsrs: 3, Contacts: 5})
	prod.SetInfo(portal.Info{HubID: 999, Name: "Acme Inc"})
	var opened []string
	h := newHarness(t, 120, 40, uitest.Config{ExtraUsrs: 30}, switchOptions(map[string]*uitest.Fake{"prod": prod}, &opened))

	// Completion of the command and of portal names.
	h.keys(":")
	h.typ("po")
	h.keys("tab")
	if got := h.m.input.Value(); got != "portal " {
		t.Fatalf("po<tab> = %q", got)
	}
	h.typ("p")
	h.keys("tab")
	if got := h.m.input.Value(); got != "portal prod" {
		t.Fatalf("portal p<tab> = %q", got)
	}

	// A contacts query of the old portal is in flight when the switch lands.
	h.keys("esc", "3")
	_, stale := h.m.Update(keyMsg(t, "esc")) // clears the scope: a new query
	h.keys(":")
	h.typ("portal prod")
	h.keys("enter")
	if len(opened) != 1 || opened[0] != "prod" {
		t.Fatalf("opened %v", opened)
	}
	h.run(stale) // the old portal's contacts arrive late
	if got := h.m.panes[paneUsers].count(); got != 9 {
		t.Fatalf("users pane shows %d users, want prod's 9", got)
	}
	// prod has 5 contacts (IDs 1000000-1000004); the old portal had 40.
	for _, r := range h.m.panes[paneContacts].rows {
		if id := r.key(); id > "1000004" {
			t.Fatalf("contact %s of the old portal is shown", id)
		}
	}
	if p := h.m.panes[paneContacts]; p.total > 5 {
		t.Fatalf("contacts total %d is the old portal's", p.total)
	}
	if h.m.info.HubID != 999 || !h.m.opts.Production || !h.m.readOnly() {
		t.Fatalf("settings not applied: %+v", h.m.opts)
	}
	scr := h.screen()
	for _, want := range []string{"prod", "hub 999", "PRODUCTION", "READ-ONLY", "switched to portal prod"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("status lacks %q:\n%s", want, scr)
		}
	}
	h.keys("ctrl+s")
	if !strings.Contains(h.m.msg, "no export on prod") {
		t.Fatalf("disabled reasons of the new portal not applied: %q", h.m.msg)
	}

	// Errors keep the current portal; unknown names are refused without I/O.
	h.keys(":")
	h.typ("portal client")
	h.keys("enter")
	if !strings.Contains(h.m.err, "no credentials for client") || h.m.info.HubID != 999 {
		t.Fatalf("failed switch: err %q hub %d", h.m.err, h.m.info.HubID)
	}
	h.keys("esc", ":")
	h.typ("portal nowhere")
	h.keys("enter")
	if len(opened) != 2 || !strings.Contains(h.m.err, "no portal named nowhere") {
		t.Fatalf("unknown portal: opened %v err %q", opened, h.m.err)
	}
}

func TestPortalSwitchSupersededReplyDropped(t *testing.T) {
	a := uitest.New(uitest.Config{ExtraUsrs: 1})
	a.SetInfo(portal.Info{HubID: 1, Name: "A"})
	b := uitest.New(uitest.Config{ExtraUsrs: 2})
	b.SetInfo(portal.Info{HubID: 2, Name: "B"})
	var opened []string
	opts := switchOptions(map[string]*uitest.Fake{"prod": a, "client": b}, &opened)
	h := newHarness(t, 120, 40, uitest.Config{}, opts)
	c1 := h.m.switchPortal("prod")
	c2 := h.m.switchPortal("client")
	h.run(c2)
	h.run(c1) // the older request answers last
	if h.m.info.HubID != 2 {
		t.Fatalf("the superseded switch won: hub %d", h.m.info.HubID)
	}
}

func TestPortalCommandHiddenWithoutPortals(t *testing.T) {
	h := demo(t, 120, 40)
	for _, c := range h.m.allCompletions() {
		if strings.HasPrefix(c, "portal") {
			t.Fatal(":portal offered with nothing to switch to")
		}
	}
	h.keys(":")
	h.typ("portal x")
	h.keys("enter")
	if !strings.Contains(h.m.err, "no other portals") {
		t.Fatalf("err %q", h.m.err)
	}
}
