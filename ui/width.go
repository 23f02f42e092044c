package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// cellWidth is ansi.StringWidth with a fast path for what most console lines
// are made of: ASCII, SGR styling and the box-drawing and punctuation runes
// the console draws itself. Grapheme segmentation is the slowest part of a
// frame, and these runes are one cell each whatever their neighbours.
// Anything else (names with accents, CJK, emoji) takes the exact path.
func cellWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			// CSI: ESC [ parameters intermediates final(0x40-0x7e)
			if i+1 >= len(s) || s[i+1] != '[' {
				return ansi.StringWidth(s)
			}
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j + 1
		case c < 0x20 || c == 0x7f:
			return ansi.StringWidth(s)
		case c < 0x80:
			n++
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !oneCellRune(r) {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		}
	}
	return n
}

// oneCellRune lists runes that are always one cell and never combine.
func oneCellRune(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x257F: // box drawing
		return true
	case r == '…', r == '•', r == '→', r == '»', r == '·', r == '↳', r == '◆', r == '▸', r == '★', r == '↓':
		return true
	}
	return false
}

// cutText truncates s to w cells with an ellipsis, like ansi.Truncate, but
// never through a run of digits: this is an ID tool, and half an ID reads as
// another ID. The cut moves back to before the digits instead.
func cutText(s string, w int) string {
	t := ansi.Truncate(s, w, "…")
	if t == s || w <= 1 {
		return t
	}
	plain := strings.TrimSuffix(ansi.Strip(t), "…")
	digits := len(plain) - len(strings.TrimRightFunc(plain, unicode.IsDigit))
	if digits == 0 {
		return t
	}
	return ansi.Truncate(s, max(w-digits, 1), "…")
}
