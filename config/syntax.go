package config

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// decodeError turns go-toml's decode error into a *ParseError at the same
// line and column, rewording the mistakes a hand-edited settings file makes
// most into sentences that say what to do. Messages it does not know are
// kept as go-toml words them.
func decodeError(path string, data []byte, de *toml.DecodeError) *ParseError {
	row, col := de.Position()
	line := lineText(data, row)
	if col < 1 {
		col = 1
	}
	at := ""                                      // the source from the error on, to the end of its line
	if byteCol := col - 1; byteCol <= len(line) { // col is 1-based, counted in bytes
		at = line[byteCol:]
		col = utf8.RuneCountInString(line[:byteCol]) + 1
	}
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	return &ParseError{Path: path, Line: row, Column: col, Msg: reword(msg, line, at)}
}

// lineText is line row (1-based) of data, without its line ending.
func lineText(data []byte, row int) string {
	for i := 1; i < row; i++ {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			return ""
		}
		data = data[nl+1:]
	}
	if nl := bytes.IndexByte(data, '\n'); nl >= 0 {
		data = data[:nl]
	}
	return strings.TrimSuffix(string(data), "\r")
}

var (
	startOfValue = regexp.MustCompile(`^unexpected character (U\+[0-9A-F]+) .*at start of value$`)
	badEscape    = regexp.MustCompile(`^invalid escape character U\+[0-9A-F]+`)
)

// reword maps one go-toml message to ours. line is the whole line of the
// mistake and at the part of it from the mistake on.
func reword(msg, line, at string) string {
	switch {
	case msg == "expected value, not end of input":
		return "missing value after ="
	case startOfValue.MatchString(msg):
		if word := firstWord(at); word != "" && word[0] != '#' {
			return fmt.Sprintf("cannot read %q as a value: strings need quotes, numbers are digits, booleans are true or false", truncate(word, 40))
		}
		return "missing value after ="
	case strings.HasPrefix(msg, "expected keyword"), msg == "strings must be quoted":
		return fmt.Sprintf("cannot read %q as a value: strings need quotes, numbers are digits, booleans are true or false", truncate(valueOnLine(line), 40))
	case msg == "basic strings cannot have new lines", msg == "unterminated basic string":
		return `string is missing its closing "`
	case msg == "literal strings cannot have new lines", msg == "unterminated literal string":
		return "string is missing its closing '"
	case strings.HasPrefix(msg, "multiline basic string not terminated"):
		return `multi-line string is missing its closing """`
	case strings.HasPrefix(msg, "multiline literal string not terminated"):
		return "multi-line string is missing its closing '''"
	case strings.HasPrefix(msg, "expected newline but got"):
		what := "the value (quote strings, and start comments with #)"
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "[") {
			what = "the section header"
		}
		return fmt.Sprintf("unexpected %q after %s", truncate(strings.TrimRight(at, " \t"), 40), what)
	case msg == "expected '=' after key":
		return fmt.Sprintf("expected key = value, found %q", truncate(firstWord(strings.TrimLeft(line, " \t")), 40))
	case msg == "expected ']' to close table name", msg == "expected ']]' to close array table name":
		return "section header is missing its closing ]"
	case msg == "array is incomplete":
		return "list is missing its closing ]"
	case badEscape.MatchString(msg):
		esc := `\`
		if r, _ := utf8.DecodeRuneInString(strings.TrimPrefix(at, `\`)); r != utf8.RuneError && r >= ' ' {
			esc += string(r)
		}
		return fmt.Sprintf(`unknown escape %s in string (write \\ for a backslash)`, esc)
	case msg == "escape sequence is not a valid unicode code point":
		esc := at
		if end := strings.IndexFunc(at[min(2, len(at)):], func(r rune) bool { return !unicode.Is(unicode.ASCII_Hex_Digit, r) }); end >= 0 {
			esc = at[:2+end]
		}
		return fmt.Sprintf("%s is not a valid character", esc)
	case strings.Contains(msg, "control characters"):
		r, _ := utf8.DecodeRuneInString(at)
		return fmt.Sprintf("control character %U is not allowed", r)
	}
	return msg
}

// firstWord is s up to the first blank, comment or list/table punctuation.
func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t#,]}"); i >= 0 {
		return s[:i]
	}
	return s
}

// valueOnLine is the first word after the line's =, for messages where
// go-toml points into the middle of the value.
func valueOnLine(line string) string {
	_, v, ok := strings.Cut(line, "=")
	if !ok {
		return firstWord(line)
	}
	return firstWord(strings.TrimLeft(v, " \t"))
}
