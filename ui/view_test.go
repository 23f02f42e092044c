package ui

import (
	"fmt"
	"github.com/hsadmin/hsadmin/portal"
	"image/color"
	"math"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
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
		// the detail pane on Dee Park's owner: user 5003 is also Eli Moss's owner ID
		{"detail", []string{"2", "j", "j", "j", "j", "j", "j"}},
		// the `:` line open with completions
		{"command", []string{":", "e"}},
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
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		h := demo(t, sz.w, sz.h)
		h.fake.FailNext(fmt.Errorf("database is locked"))
		h.keys("/", "z") // the filter query fails
		h.keys("enter")
		if !strings.Contains(h.screen(), "loading users: database is locked") {
			t.Fatalf("error not shown:\n%s", h.screen())
		}
		h.keys("j", "j", "3", "1") // errors stay while the admin keeps working
		h.golden(fmt.Sprintf("error_%dx%d", sz.w, sz.h))
		h.keys("esc")
		if strings.Contains(h.screen(), "database is locked") {
			t.Fatal("esc did not dismiss the error")
		}
	}
}

// 40x10 is the smallest supported size: everything still works there, and
// one cell less in either direction gives the notice instead.
func TestSmallestSize(t *testing.T) {
	h := demo(t, 40, 10)
	h.golden("users_40x10")
	h.keys("j", "3", "/")
	h.typ("ana")
	h.keys("enter", "?")
	assertFits(t, h.screen(), 40, 10)
	if strings.Contains(h.screen(), "too small") {
		t.Fatal("40x10 must not be too small")
	}
	h.keys("esc", ":")
	h.typ("id 5003")
	h.keys("enter")
	if !strings.Contains(h.screen(), "5003") {
		t.Fatalf("resolve at 40x10:\n%s", h.screen())
	}
	for _, sz := range []struct{ w, h int }{{39, 10}, {40, 9}} {
		h.send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		if !strings.Contains(h.screen(), "terminal too small") {
			t.Fatalf("%dx%d: no notice:\n%s", sz.w, sz.h, h.screen())
		}
	}
	h.send(tea.WindowSizeMsg{Width: 40, Height: 10})
	if strings.Contains(h.screen(), "too small") {
		t.Fatal("growing back did not restore the console")
	}
}

// Only the visible window of contacts is loaded and drawn, however many
// the portal has.
func TestOnlyVisibleRowsRendered(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Contacts: 1_000_000}, Options{})
	h.keys("3", "esc", "end")
	p := h.m.panes[paneContacts]
	if p.total != 1_000_000 || p.cursor != 999_999 {
		t.Fatalf("total %d cursor %d", p.total, p.cursor)
	}
	if len(p.rows) > p.height+2*contactsSlack {
		t.Fatalf("%d contacts loaded for a %d-row window", len(p.rows), p.height)
	}
	if body := h.m.paneBody(p, 60, true); len(body) != p.height {
		t.Fatalf("drew %d rows for a %d-row window", len(body), p.height)
	}
	if !strings.Contains(h.screen(), "1,000,000/1,000,000") {
		t.Fatalf("position not shown:\n%s", h.screen())
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
	h.send(h.m.spin.Tick()) // idle: no change, no re-render
	if h.m.frame.version != h.m.version {
		t.Fatal("an idle tick invalidated the frame")
	}
	h.keys("j")
	if h.m.View().Content == a {
		t.Fatal("moving did not re-render")
	}
}

// Every coloured text style must stay readable on typical light and dark
// backgrounds: WCAG contrast of at least 3:1 for text on the terminal's
// background and 4.5:1 for text on the console's own backgrounds.
func TestPaletteContrast(t *testing.T) {
	for _, dark := range []bool{true, false} {
		st := newStyles(dark, false, "")
		bgs := []string{"#FFFFFF", "#EEEEEE", "#FDF6E3"} // white, light grey, solarized light
		if dark {
			bgs = []string{"#000000", "#1E1E1E", "#282C34"}
		}
		plain := map[string]lipgloss.Style{
			"border": st.border, "borderFocus": st.borderFocus, "title": st.title, "titleFocus": st.titleFocus,
			"header": st.header, "marked": st.marked, "multi": st.multi, "warn": st.warn, "bad": st.bad,
			"dim": st.dim, "ok": st.ok, "status": st.status, "tab": st.tab, "tabActive": st.tabActive,
		}
		for name, s := range plain {
			for _, bg := range bgs {
				if c := contrast(s.GetForeground(), lipgloss.Color(bg)); c < 3 {
					t.Errorf("dark=%v %s on %s: contrast %.2f < 3", dark, name, bg, c)
				}
			}
		}
		filled := map[string]lipgloss.Style{
			"cursor": st.cursor, "linked": st.linked, "badgeSandbox": st.badgeSandbox,
			"badgeRO": st.badgeRO, "badgeProd": st.badgeProd, "errLine": st.errLine,
		}
		for name, s := range filled {
			if c := contrast(s.GetForeground(), s.GetBackground()); c < 4.5 {
				t.Errorf("dark=%v %s: contrast %.2f < 4.5", dark, name, c)
			}
		}
	}
	// A configured accent gets black or white text, whichever reads.
	for _, accent := range []string{"#dd0000", "#FFFF00", "#000080", "14", "208"} {
		s := newStyles(true, false, accent).portal
		if c := contrast(s.GetForeground(), s.GetBackground()); c < 4.5 {
			t.Errorf("accent %s: contrast %.2f", accent, c)
		}
	}
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// A user without an owner has no contacts; the contacts pane says so, and
// how to see every contact instead.
func TestContactsOfAUserWithoutOwner(t *testing.T) {
	h := newHarness(t, 160, 48, uitest.Config{}, Options{})
	h.keys("j", "j") // Cy Dunn, user 103, no owner
	mustContain(t, h.screen(), "3 contacts · Cy Dunn (no owner)", "Cy Dunn (user 103) has no owner, so no contacts")
	h.keys("3")
	mustContain(t, h.screen(), "esc lists every contact")
	h.keys("esc")
	if s := h.screen(); !strings.Contains(s, "3 contacts · all") || strings.Contains(s, "has no owner, so no contacts") {
		t.Fatalf("esc did not list every contact:\n%s", s)
	}
}

// In a narrow pane a long name gives way before the ID mapping does: the
// arrow between user ID and owner ID stays readable.
func TestIDMappingKeepsItsArrowInNarrowPanes(t *testing.T) {
	h := newHarness(t, 110, 32, uitest.Config{}, Options{})
	p := h.m.panes[paneUsers]
	long := userItem{portal.UserRow{UserID: "1285632", OwnerID: "160040322", Name: "Aisha Martin-Lefèvre"}}
	line := ansi.Strip(h.m.renderRow(p, long, -1, 34, false))
	if !strings.Contains(line, "1285632 → 160040322") || !strings.Contains(line, "Aisha") {
		t.Errorf("user row at 34 cells: %q", line)
	}
	owner := ownerItem{portal.OwnerRow{OwnerID: "160040322", UserID: "1285632", Name: "Aisha Martin-Lefèvre"}}
	if line := ansi.Strip(h.m.renderRow(p, owner, -1, 34, false)); !strings.Contains(line, "160040322 → 1285632") {
		t.Errorf("owner row at 34 cells: %q", line)
	}
	// A contact's owner name shrinks, keeping the space before the owner ID.
	contact := contactItem{portal.ContactRow{ContactID: "10005", Name: "Daniel Novák", OwnerID: "160063344",
		OwnerName: "Alex Rivera-Lindqvist", OwnerState: portal.OwnerActive}}
	if line := ansi.Strip(h.m.renderRow(h.m.panes[paneContacts], contact, -1, 34, false)); !strings.Contains(line, "… 160063344") {
		t.Errorf("contact row at 34 cells: %q", line)
	}
}
