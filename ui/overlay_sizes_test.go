package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

// overlayScreens open each kind of overlay the console has.
var overlayScreens = []struct {
	name string
	open func(h *harness)
	want string // on the screen at every size: what the overlay is about
}{
	{"help", func(h *harness) { h.keys("?") }, "help"},
	{"confirm", func(h *harness) {
		h.run(h.m.guardLargeJob("reassign 2,400 contacts to Bo Kim", 2400, func() tea.Cmd { return nil }))
	}, "acme-prod"},
	{"teamchange_pick", func(h *harness) { h.keys("t"); h.typ("ren") }, "Renewals"},
	{"teamchange_warn", func(h *harness) { h.keys("t"); h.typ("ren"); h.keys("enter") }, "Cancel"},
	{"reassign_plan", func(h *harness) {
		h.keys("2", "j", "j", "j", "j", "o")
		h.typ("102")
		h.keys("enter")
	}, "cancels"},
}

// Every overlay fits every size down to 20x6, keeps what it is about in
// sight, and never shows part of an ID.
func TestOverlaysAtEverySize(t *testing.T) {
	sizes := [][2]int{{20, 6}, {30, 8}, {39, 10}, {40, 10}, {60, 16}, {80, 24}, {100, 30}, {120, 40}, {160, 48}}
	for _, sc := range overlayScreens {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s_%s", sc.name, sizeName(size)), func(t *testing.T) {
				h := newHarness(t, 120, 40, uitest.Config{}, Options{Production: true, PortalName: "acme-prod"})
				sc.open(h)
				if h.m.keyOverlay() == nil {
					t.Fatalf("no overlay opened:\n%s", h.screen())
				}
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				s := h.screen()
				if os.Getenv("SHOW") != "" {
					fmt.Printf("== %s %s\n%s\n", sc.name, sizeName(size), s)
				}
				assertFits(t, s, size[0], size[1])
				for i, line := range strings.Split(s, "\n") {
					if cutID.MatchString(line) {
						t.Errorf("line %d cuts an ID: %q", i+1, line)
					}
				}
				if !strings.Contains(s, sc.want) {
					t.Errorf("%q is not in sight:\n%s", sc.want, s)
				}
			})
		}
	}
}

// Goldens at the sizes the issue names: a typed confirmation over a
// reassignment plan over the panes, each drawn over what is under it.
func TestOverlayStackGoldens(t *testing.T) {
	for _, size := range idSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			h := newHarness(t, size[0], size[1], uitest.Config{}, Options{Production: true, PortalName: "acme-prod"})
			overlayScreens[4].open(h) // the reassignment plan
			h.run(h.m.guardLargeJob("reassign 2,400 contacts to Bo Kim", 2400, func() tea.Cmd { return nil }))
			if len(h.m.overlays) != 2 {
				t.Fatalf("%d overlays open, want the plan and the confirmation", len(h.m.overlays))
			}
			s := h.screen()
			assertFits(t, s, size[0], size[1])
			mustContain(t, s, "Type acme-prod to confirm", "reassign Gus Hale's contacts")
			h.golden("overlay_stack_" + sizeName(size))
			// the cursor sits right after the input's "> " prompt
			c := h.m.View().Cursor
			if c == nil || c.Position.X < 2 {
				t.Fatalf("no cursor in the confirmation: %+v", c)
			}
			if row := []rune(strings.Split(s, "\n")[c.Position.Y]); string(row[c.Position.X-2:c.Position.X]) != "> " {
				t.Fatalf("the cursor %+v is not on the confirmation's input: %q", c.Position, string(row))
			}
			h.keys("esc")
			if h.m.topOverlay() != h.m.reassign || h.m.confirm != nil {
				t.Fatal("esc did not close only the confirmation")
			}
		})
	}
}

// The owner picker on a tiny terminal keeps the owner under the cursor in
// sight, with its whole owner ID.
func TestOwnerPickerOnATinyTerminal(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	onContact(h, 0)
	h.keys("o")
	h.typ("bo")
	h.send(tea.WindowSizeMsg{Width: 30, Height: 6})
	s := h.screen()
	assertFits(t, s, 30, 6)
	mustContain(t, s, "new owner: bo", "▸ Bo Kim · owner 5002")
	h.send(tea.WindowSizeMsg{Width: 20, Height: 6})
	s = h.screen()
	assertFits(t, s, 20, 6)
	mustContain(t, s, "▸ Bo Kim · owner")
	if cutID.MatchString(s) {
		t.Fatalf("an ID is cut:\n%s", s)
	}
}

// BenchmarkOverlayFrame measures a frame with two overlays open (a
// confirmation over a reassignment plan) after a key changes it, at
// 200x60: the cost composing boxes over the panes adds to a frame.
func BenchmarkOverlayFrame(b *testing.B) {
	h := newHarness(b, 200, 60, uitest.Config{}, Options{Production: true, PortalName: "acme-prod"})
	h.keys("2", "j", "j", "j", "j", "o")
	for _, r := range "102" {
		h.keys(string(r))
	}
	h.keys("enter")
	h.run(h.m.guardLargeJob("reassign 2,400 contacts to Bo Kim", 2400, func() tea.Cmd { return nil }))
	typed, erase := keyMsg(b, "a"), keyMsg(b, "backspace")
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			h.m.Update(typed)
		} else {
			h.m.Update(erase)
		}
		_ = h.m.View()
	}
}
