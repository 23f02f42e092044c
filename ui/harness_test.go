package ui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// harness drives the root model synchronously: it runs every Cmd the model
// returns and feeds the result back, like the Bubble Tea event loop but in
// order and without timers.
type harness struct {
	t     testing.TB
	m     *model
	fake  *uitest.Fake
	cmds  []tea.Msg // messages the model sent to the terminal (clipboard, quit)
	steps int
}

// loggedFake adds an API log to the fake backend.
type loggedFake struct {
	*uitest.Fake
	calls []APICall
}

func (l loggedFake) Calls() []APICall { return l.calls }

func newHarness(t testing.TB, w, h int, cfg uitest.Config, opts Options) *harness {
	t.Helper()
	fake := uitest.New(cfg)
	return newHarnessWith(t, w, h, fake, fake, opts)
}

func newHarnessWith(t testing.TB, w, h int, fake *uitest.Fake, b Backend, opts Options) *harness {
	t.Helper()
	if opts.dir == "" {
		opts.dir = t.TempDir()
	}
	m := newModel(context.Background(), b, opts)
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m.now = func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }
	m.loc = time.UTC
	hs := &harness{t: t, m: m, fake: fake}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(m.Init())
	return hs
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// run executes cmd and everything it leads to, breadth first, bounded.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		h.steps++
		if h.steps > 100000 {
			h.t.Fatal("the model kept producing commands")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			h.cmds = append(h.cmds, msg)
		default:
			if isTerminalMsg(msg) {
				h.cmds = append(h.cmds, msg)
				continue
			}
			_, next := h.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// isTerminalMsg tells messages meant for the terminal from model messages.
func isTerminalMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case rowsMsg, countMsg, positionMsg, cardMsg, resolveMsg, findingsMsg, callsMsg, logTickMsg,
		syncProgressMsg, syncDoneMsg, lastSyncMsg, exportDoneMsg, markAllMsg, portalMsg,
		changeNamesMsg, changePlanMsg, changeAppliedMsg, restoreListMsg,
		reassignOwnersMsg, reassignPlanMsg, reassignProgressMsg, reassignDoneMsg, jobsMsg, jobsExportMsg, unfinishedMsg, jobDetailMsg, recordTypesMsg,
		onboardNamesMsg, onboardPlanMsg, onboardDoneMsg:
		return false
	}
	return true
}

var keyCodes = map[string]tea.Key{
	"space":     {Code: tea.KeySpace, Text: " "},
	"enter":     {Code: tea.KeyEnter},
	"esc":       {Code: tea.KeyEscape},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"up":        {Code: tea.KeyUp},
	"down":      {Code: tea.KeyDown},
	"pgup":      {Code: tea.KeyPgUp},
	"pgdown":    {Code: tea.KeyPgDown},
	"home":      {Code: tea.KeyHome},
	"end":       {Code: tea.KeyEnd},
	"backspace": {Code: tea.KeyBackspace},
	"ctrl+s":    {Code: 's', Mod: tea.ModCtrl},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
}

func keyMsg(t testing.TB, s string) tea.KeyPressMsg {
	t.Helper()
	k, ok := keyCodes[s]
	if !ok {
		r := []rune(s)
		if len(r) != 1 {
			t.Fatalf("no key for %q", s)
		}
		k = tea.Key{Code: r[0], Text: s}
	}
	msg := tea.KeyPressMsg(k)
	if msg.String() != s {
		t.Fatalf("key %q reads as %q", s, msg.String())
	}
	return msg
}

func (h *harness) keys(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(h.t, k))
	}
}

func (h *harness) typ(s string) {
	h.t.Helper()
	for _, r := range s {
		if r == ' ' {
			h.keys("space")
			continue
		}
		h.keys(string(r))
	}
}

func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

// golden compares the plain screen with testdata/<name>.golden.
func (h *harness) golden(name string) {
	h.t.Helper()
	got := h.screen()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if string(want) != got {
		h.t.Errorf("screen differs from %s (go test ./ui -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
