package ui

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"Ana Lopez":                 "Ana Lopez",
		"Zoë Ça":                    "Zoë Ça",
		"e\u0301lan":                "e\u0301lan", // combining acute stays
		"👩‍💻 Dev":                   "👩‍💻 Dev",
		"שלום עולם":                 "שלום עולם",
		"evil\x1b[2J\x1b]0;pwn\x07": "evil\uFFFD[2J\uFFFD]0;pwn\uFFFD",
		"tab\there\nnext\rline":     "tab here next line",
		"c1\u009b31m":               "c1\uFFFD31m",
		"del\x7f":                   "del\uFFFD",
		"rlo\u202Egnp.exe":          "rlo\uFFFDgnp.exe",
		"iso\u2067x\u2069":          "iso\uFFFDx\uFFFD",
		"bad\xffutf8":               "bad\uFFFDutf8",
		"":                          "",
	}
	for in, want := range cases {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	clean := []string{"x", "y"}
	if got := sanitizeAll(clean); &got[0] != &clean[0] {
		t.Error("a clean slice was copied")
	}
	dirty := []string{"x", "a\x1b"}
	got := sanitizeAll(dirty)
	if dirty[1] != "a\x1b" || got[1] != "a\uFFFD" {
		t.Errorf("sanitizeAll changed its input or missed: %q %q", dirty, got)
	}
}

// hostileNames are what a HubSpot portal can hold in a name field.
var hostileNames = []string{
	"Mallory\x1b[2J\x1b[H\x1b]52;c;cHduZWQ=\x07",      // clear screen, OSC 52 clipboard write
	"👩‍👩‍👧‍👦 Family 🇺🇦 Emoji",                         // wide graphemes
	"Ame\u0301lie\u0300\u0301\u0302 Zalgo",            // combining marks
	"محمد عبد الله",                                   // right to left
	"Eve\u202Eetirw\u202C Override",                   // bidi override
	"Tab\tNew\nLine\rCR",                              // layout characters
	strings.Repeat("W", 10_000),                       // a 10,000-character name
	strings.Repeat("界", 5_000) + "end",                // 10,000 cells of wide runes
	strings.Repeat("a\u0301", 3_000),                  // long combining run
	"C1 \u009b31mred\u009b0m and \u0085 NEL",          // 8-bit CSI
	"Null\x00Byte",                                    //
	"\xff\xfe invalid UTF-8",                          //
	"Zero\u200bWidth\u200dJoiner",                     // zero-width characters
	"Kanji 漢字 and ｆｕｌｌｗｉｄｔｈ",                          //
	"Ｗ" + strings.Repeat("😀", 400),                    //
	strings.Repeat("\x1b[31m", 500) + "colour storm",  //
	"\x1b[?1049l leaves the alt screen",               //
	"Backspace\b\b\b over",                            //
	"Bell\a",                                          //
	"Form\fFeed\vVT",                                  //
	"Trailing combining \u0301",                       //
	"\u0301 leading combining",                        //
	"Devanagari क्षत्रिय",                             //
	"Thai ภาษาไทย",                                    //
	"Mixed RTL שלום and LTR",                          //
	"Emoji modifier 👍🏽 and flag 🏳️‍🌈",                 //
	"Variation ☺️ ☺︎",                                 //
	"Surrogate-free \U0001F9D1\u200D\U0001F680 astro", //
	"Private use \ue000\uf8ff",                        //
	"Line sep\u2028Para sep\u2029",                    //
}

func TestHostileNamesCannotCorruptTheScreen(t *testing.T) {
	cfg := uitest.Config{ExtraUsrs: len(hostileNames) + 5, Names: hostileNames}
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}, {40, 10}, {120, 40}} {
		h := newHarness(t, sz.w, sz.h, cfg, Options{})
		check := func(where string) {
			t.Helper()
			raw := h.m.View().Content
			assertNoRawControls(t, where, raw)
			assertFits(t, h.screen(), sz.w, sz.h)
		}
		// Walk the users list onto every hostile row; the owners pane, the
		// contacts scope title and the detail card all show the name.
		h.keys("end")
		for range len(hostileNames) + 6 {
			check(fmt.Sprintf("%dx%d users row %d", sz.w, sz.h, h.m.panes[paneUsers].cursor))
			h.keys("k")
		}
		h.keys("2", "end")
		for range len(hostileNames) + 6 {
			check(fmt.Sprintf("%dx%d owners row %d", sz.w, sz.h, h.m.panes[paneOwners].cursor))
			h.keys("k")
		}
		h.keys("3", "i")
		check("resolve")
		h.keys("esc", "?")
		check("help")
		h.keys("esc", "/")
		h.typ("W")
		check("filter")
	}
}

// assertNoRawControls fails if a frame contains a control character that
// is not part of the SGR styling the console itself emits.
func assertNoRawControls(t *testing.T, where, frame string) {
	t.Helper()
	styled := ansi.Strip(frame)
	for i, r := range styled {
		if r == '\n' {
			continue
		}
		if unicode.IsControl(r) || unsafeRune(r) {
			t.Fatalf("%s: control character %U at byte %d leaks to the terminal", where, r, i)
		}
	}
	// Only SGR sequences (ESC [ ... m) may appear in the raw frame.
	for i := 0; i < len(frame); i++ {
		if frame[i] != 0x1b {
			continue
		}
		j := i + 1
		if j >= len(frame) || frame[j] != '[' {
			t.Fatalf("%s: non-CSI escape at byte %d: %q", where, i, frame[i:min(i+12, len(frame))])
		}
		j++
		for j < len(frame) && (frame[j] >= '0' && frame[j] <= '9' || frame[j] == ';' || frame[j] == ':') {
			j++
		}
		if j >= len(frame) || frame[j] != 'm' {
			t.Fatalf("%s: non-SGR sequence at byte %d: %q", where, i, frame[i:min(j+1, len(frame))])
		}
		i = j
	}
}

// cellWidth's fast path must agree with ansi.StringWidth everywhere.
func TestCellWidthMatchesAnsi(t *testing.T) {
	samples := append([]string{}, hostileNames...)
	for _, r := range "…•→»·↳◆▸★─│╭╮╰╯⚠" {
		samples = append(samples, string(r), "a"+string(r)+"b", string(r)+"\u0301")
	}
	samples = append(samples, "\x1b[1mbold\x1b[0m", "\x1b[38;2;1;2;3mx\x1b[m│y", "\x1b]8;;x\x07link", "\x1b", "plain", "")
	h := demo(t, 160, 48)
	for _, keys := range [][]string{nil, {"3"}, {"F"}, {"?"}} {
		h.keys(keys...)
		samples = append(samples, strings.Split(h.m.View().Content, "\n")...)
	}
	for _, s := range samples {
		if got, want := cellWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("cellWidth(%q) = %d, ansi says %d", s, got, want)
		}
	}
}

func TestRedactPath(t *testing.T) {
	cases := map[string]string{
		"/crm/v3/owners":                                   "/crm/v3/owners",
		"/crm/v3/owners?limit=100&after=5":                 "/crm/v3/owners?limit=100&after=5",
		"/contacts/v1/lists?hapikey=abc-123&count=5":       "/contacts/v1/lists?hapikey=REDACTED&count=5",
		"/oauth/v1/token?refresh_token=r1&client_secret=s": "/oauth/v1/token?refresh_token=REDACTED&client_secret=REDACTED",
		"/oauth/v1/access-tokens/xyz?Code=9":               "/oauth/v1/access-tokens/REDACTED?Code=REDACTED",
		"/oauth/v1/refresh-tokens/abc":                     "/oauth/v1/refresh-tokens/REDACTED",
	}
	for in, want := range cases {
		if got := redactPath(in); got != want {
			t.Errorf("redactPath(%q) = %q, want %q", in, got, want)
		}
	}
	rows := callRows([]APICall{{Method: "GET", Path: "/x?access_token=SECRETTOKEN"}})
	if strings.Contains(rows[0].(callItem).Path, "SECRETTOKEN") {
		t.Fatal("the API log row shows a token")
	}
}
