package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

func demo(t *testing.T, w, h int) *harness {
	return newHarness(t, w, h, uitest.Config{ExtraUsrs: 30}, Options{})
}

func TestGoldenScreens(t *testing.T) {
	sizes := []struct{ w, h int }{{120, 40}, {80, 24}, {160, 48}}
	screens := []struct {
		name string
		keys []string
	}{
		{"users", nil},
		{"owners", []string{"2", "j", "j", "j", "j"}},                         // archived owner Gus Hale
		{"contacts", []string{"3", "esc", "j", "j", "j", "j", "j", "j", "j"}}, // all contacts, an unknown owner
		{"findings", []string{"F", "j"}},
		{"help", []string{"?"}},
		{"resolve", []string{":", "i", "d", "space", "5", "0", "0", "3", "enter"}},
	}
	for _, sz := range sizes {
		for _, sc := range screens {
			name := fmt.Sprintf("%s_%dx%d", sc.name, sz.w, sz.h)
			t.Run(name, func(t *testing.T) {
				h := demo(t, sz.w, sz.h)
				h.keys(sc.keys...)
				h.golden(name)
				assertFits(t, h.screen(), sz.w, sz.h)
			})
		}
	}
}

func TestGoldenErrorState(t *testing.T) {
	h := demo(t, 80, 24)
	h.fake.FailNext(fmt.Errorf("database is locked"))
	h.keys("/", "z") // the filter query fails
	h.keys("enter")
	if !strings.Contains(h.screen(), "loading users: database is locked") {
		t.Fatalf("error not shown:\n%s", h.screen())
	}
	h.keys("j", "j") // errors stay while the admin keeps working
	h.golden("error_80x24")
	h.keys("esc")
	if strings.Contains(h.screen(), "database is locked") {
		t.Fatal("esc did not dismiss the error")
	}
}

func TestGoldenTooSmall(t *testing.T) {
	h := demo(t, 20, 6)
	h.golden("toosmall_20x6")
	if !strings.Contains(h.screen(), "terminal too small") {
		t.Fatal("no notice")
	}
}

// Every size from tiny to large renders exactly w x h cells and never panics.
func TestAnySizeFits(t *testing.T) {
	h := demo(t, 80, 24)
	for w := 1; w <= 130; w += 7 {
		for ht := 1; ht <= 45; ht += 4 {
			for _, keys := range [][]string{nil, {"3"}, {"F"}, {"?"}, {"/"}} {
				h.send(tea.WindowSizeMsg{Width: w, Height: ht})
				h.keys(keys...)
				assertFits(t, h.screen(), w, ht)
				h.keys("esc", "esc", "1")
			}
		}
	}
}

func assertFits(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if sw := ansi.StringWidth(l); sw > w {
			t.Fatalf("%dx%d: line %d is %d wide: %q", w, h, i, sw, l)
		}
	}
}

var colorSGR = regexp.MustCompile(`\x1b\[[0-9;]*(38|48);`)

func TestNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	h := demo(t, 120, 40)
	h.keys("F")
	out := h.m.View().Content
	if colorSGR.MatchString(out) {
		t.Fatal("NO_COLOR is set but the frame has colour codes")
	}
	if !strings.Contains(out, "\x1b[") {
		t.Fatal("without colour the cursor should still be drawn with reverse/bold")
	}
	t.Setenv("NO_COLOR", "")
	h = demo(t, 120, 40)
	if !colorSGR.MatchString(h.m.View().Content) {
		t.Fatal("colour expected without NO_COLOR")
	}
}

func TestLightAndDarkBothRender(t *testing.T) {
	h := demo(t, 120, 40)
	dark := h.m.View().Content
	h.send(tea.BackgroundColorMsg{Color: lightGray{}})
	light := h.m.View().Content
	if dark == light {
		t.Fatal("light background did not change the palette")
	}
	if ansi.Strip(dark) != ansi.Strip(light) {
		t.Fatal("the palette changed the text")
	}
}

type lightGray struct{}

func (lightGray) RGBA() (r, g, b, a uint32) { return 0xeeee, 0xeeee, 0xeeee, 0xffff }

func TestViewIsCachedUntilStateChanges(t *testing.T) {
	h := demo(t, 120, 40)
	a := h.m.View().Content
	h.send(spinTickMsg{}) // idle: no change, no re-render
	if h.m.frame.version != h.m.version {
		t.Fatal("an idle tick invalidated the frame")
	}
	h.keys("j")
	if h.m.View().Content == a {
		t.Fatal("moving did not re-render")
	}
}
