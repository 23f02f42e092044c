package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// probeOverlay records the keys it gets; it uses every key but esc.
type probeOverlay struct {
	name   string
	width  int
	got    []string
	closes int
}

func (p *probeOverlay) frame(*model) overlayFrame {
	return overlayFrame{title: p.name + " ", hint: "esc closes", width: max(p.width, 40)}
}

func (p *probeOverlay) body(_ *model, _, _ int) []string {
	// the name on the last line too, so a box on top of a wider one leaves
	// the lower one's name in sight
	return []string{"probe " + p.name, "keys " + strings.Join(p.got, ","), "", "", "end of " + p.name}
}

func (p *probeOverlay) key(_ *model, k tea.KeyPressMsg) keyResult {
	if k.String() == "esc" {
		return keyResult{}
	}
	p.got = append(p.got, k.String())
	if k.String() == "x" {
		return closing(nil)
	}
	return used(nil)
}

func (p *probeOverlay) closed(*model) { p.closes++ }

// Which overlay gets a key is the stack: only the top one, esc pops one,
// and the one below gets the keys again.
func TestOverlayStackRoutesKeysToTheTop(t *testing.T) {
	h := demo(t, 120, 40)
	below, above := &probeOverlay{name: "below", width: 90}, &probeOverlay{name: "above"}
	h.m.openOverlay(below)
	h.m.openOverlay(above)
	h.keys("j", "2", "q")
	if strings.Join(above.got, ",") != "j,2,q" || len(below.got) != 0 {
		t.Fatalf("keys went to above %v, below %v", above.got, below.got)
	}
	if h.m.focus != paneUsers || h.m.panes[paneUsers].cursor != 0 || quitSent(h) {
		t.Fatal("a key reached the panes under the overlays")
	}
	s := h.screen()
	mustContain(t, s, "probe above", "below", "users") // both boxes over the panes
	h.keys("esc")
	if len(h.m.overlays) != 1 || h.m.topOverlay() != below || above.closes != 1 {
		t.Fatalf("esc did not pop exactly the top overlay: %d open", len(h.m.overlays))
	}
	h.keys("k")
	if strings.Join(below.got, ",") != "k" {
		t.Fatalf("the overlay below did not get the keys back: %v", below.got)
	}
	h.keys("x") // an overlay may close itself
	if len(h.m.overlays) != 0 || below.closes != 1 {
		t.Fatal("closing did not take the overlay off the stack")
	}
	h.keys("j")
	if h.m.panes[paneUsers].cursor != 1 {
		t.Fatal("the panes did not get the keys back")
	}
}

// An overlay below the top can be closed (a flow that ends by a message
// while a confirmation sits over it), and the top keeps the keys.
func TestCloseOverlayBelowTheTop(t *testing.T) {
	h := demo(t, 80, 24)
	below, above := &probeOverlay{name: "below"}, &probeOverlay{name: "above"}
	h.m.openOverlay(below)
	h.m.openOverlay(above)
	h.m.closeOverlay(below)
	h.m.closeOverlay(below) // closing twice does nothing
	if len(h.m.overlays) != 1 || h.m.topOverlay() != above || below.closes != 1 {
		t.Fatalf("closing the lower overlay: %d open, %d closes", len(h.m.overlays), below.closes)
	}
	if strings.Contains(h.screen(), "probe below") {
		t.Fatal("a closed overlay is still drawn")
	}
}

// ctrl+c and the interrupt question are rules over the stack: ctrl+c
// always reaches quit, and the question answers keys even when an overlay
// was opened after it.
func TestInterruptAndCtrlCComeBeforeTheStack(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	probe := &probeOverlay{name: "probe"}
	h.m.openOverlay(probe)
	h.keys("ctrl+c")
	if !quitSent(h) || len(probe.got) != 0 {
		t.Fatal("ctrl+c did not quit from under an overlay")
	}

	h = newHarness(t, 120, 40, uitest.Config{}, Options{})
	h.m.openReassign(&reassignFlow{stage: rsRunning, who: "Gus Hale's contacts", jobID: 7, cancel: func() {},
		progress: portal.JobProgress{JobID: 7, Done: 79, Total: 600}})
	h.keys("ctrl+c")
	later := &probeOverlay{name: "later"}
	h.m.openOverlay(later)
	s := h.screen()
	if !strings.Contains(s, "Keep running") || h.m.keyOverlay() != h.m.interrupt {
		t.Fatalf("the question is not on top:\n%s", s)
	}
	h.keys("j")
	if len(later.got) != 0 || h.m.interrupt.choice != interruptCancel {
		t.Fatal("a key went past the interrupt question")
	}
	h.keys("esc")
	if h.m.interrupt != nil || quitSent(h) {
		t.Fatal("esc did not keep the job running")
	}
	h.keys("k")
	if strings.Join(later.got, ",") != "k" {
		t.Fatalf("the overlay did not get the keys after the question: %v", later.got)
	}
}

// Overlays are drawn over the panes, which stay in sight around a box
// that fits, and take the whole area when they do not.
func TestOverlayDrawnOverThePanes(t *testing.T) {
	for _, size := range idSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			h := demo(t, size[0], size[1])
			h.m.openOverlay(&probeOverlay{name: "probe"})
			s := h.screen()
			assertFits(t, s, size[0], size[1])
			lines := strings.Split(s, "\n")
			mustContain(t, s, "probe probe")
			if !strings.Contains(lines[0], "users") && !strings.Contains(lines[0], "1 users") {
				t.Errorf("the panes are not drawn under the overlay:\n%s", s)
			}
		})
	}
}

// On a terminal too small for the panes the top overlay takes the whole
// screen, so the keys it has still do something visible.
func TestOverlayOnATinyTerminal(t *testing.T) {
	h := demo(t, 20, 6)
	h.m.openOverlay(&probeOverlay{name: "probe"})
	h.keys("j")
	s := h.screen()
	assertFits(t, s, 20, 6)
	mustContain(t, s, "probe", "keys j", "esc closes")
	if strings.Contains(s, "too small") {
		t.Fatalf("the overlay is hidden behind the size notice:\n%s", s)
	}
	h.keys("esc")
	if !strings.Contains(h.screen(), "too small") {
		t.Fatal("closing the overlay did not bring the size notice back")
	}
}

// overlayText is the top overlay's box alone, as drawn now: for checks
// that something is not offered, which the panes under it may show.
func (h *harness) overlayText() string {
	h.t.Helper()
	o := h.m.keyOverlay()
	if o == nil {
		h.t.Fatal("no overlay is open")
	}
	return ansi.Strip(strings.Join(h.m.placeOverlay(o, h.m.width, h.m.lay.mainH).lines, "\n"))
}

// pad keeps its width when the cut backs off an ID: a box's right border
// (an overlay's included) must not move left.
func TestPadKeepsItsWidthWhenTheCutBacksOffAnID(t *testing.T) {
	for _, s := range []string{"owner 160063344, user 1225511) to Aisha", "user 1225511", "1225511"} {
		for w := 1; w <= len(s); w++ {
			got := pad(s, w)
			if n := ansi.StringWidth(got); n != w {
				t.Fatalf("pad(%q, %d) = %q, %d cells", s, w, got, n)
			}
			if cutID.MatchString(got) {
				t.Fatalf("pad(%q, %d) = %q cuts an ID", s, w, got)
			}
		}
	}
}
