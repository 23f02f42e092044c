package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The file format is the part of TOML a settings file needs, and no more:
//
//   - one `key = value` per line, `# comments` to the end of a line;
//   - `[section]` and `[portal.NAME]` headers;
//   - values: "basic strings" (\" \\ \n \t \uXXXX escapes), 'literal strings',
//     integers, decimals, true/false, and one-line arrays of strings.
//
// Anything else TOML allows (multi-line strings, inline tables, dotted keys,
// dates, [[arrays of tables]]) is reported as an error rather than guessed at.

type valueKind int

const (
	kindString valueKind = iota
	kindInt
	kindFloat
	kindBool
	kindStrings
)

func (k valueKind) String() string {
	switch k {
	case kindString:
		return "a string"
	case kindInt:
		return "an integer"
	case kindFloat:
		return "a number"
	case kindBool:
		return "true or false"
	default:
		return "a list of strings"
	}
}

type value struct {
	kind valueKind
	str  string
	num  int64
	flt  float64
	b    bool
	list []string
}

// line is one meaningful line of the file: a header or an assignment.
type line struct {
	no      int
	header  string // section name for a header line
	key     string // for an assignment
	val     value
	isTable bool
}

const maxFileSize = 1 << 20

// lex splits the file into headers and assignments.
func lex(path string, data []byte) ([]line, error) {
	if len(data) > maxFileSize {
		return nil, &ParseError{Path: path, Msg: fmt.Sprintf("file is larger than %d bytes; is it the right file?", maxFileSize)}
	}
	if !utf8.Valid(data) {
		return nil, &ParseError{Path: path, Line: firstInvalidUTF8Line(data), Msg: "the file is not valid UTF-8"}
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	var out []line
	for i, raw := range strings.Split(text, "\n") {
		no := i + 1
		raw = strings.TrimSuffix(raw, "\r")
		s := strings.TrimLeft(raw, " \t")
		if s == "" || s[0] == '#' {
			continue
		}
		fail := func(format string, a ...any) error {
			return &ParseError{Path: path, Line: no, Msg: fmt.Sprintf(format, a...)}
		}
		if r := firstControl(s); r >= 0 {
			return nil, fail("control character %U is not allowed", r)
		}
		if s[0] == '[' {
			name, err := lexHeader(s)
			if err != nil {
				return nil, fail("%s", err)
			}
			out = append(out, line{no: no, header: name, isTable: true})
			continue
		}
		key, rest, err := lexKey(s)
		if err != nil {
			return nil, fail("%s", err)
		}
		v, rest, err := lexValue(rest)
		if err != nil {
			return nil, fail("%s: %s", key, err)
		}
		if err := expectEnd(rest); err != nil {
			return nil, fail("%s: %s", key, err)
		}
		out = append(out, line{no: no, key: key, val: v})
	}
	return out, nil
}

func firstInvalidUTF8Line(data []byte) int {
	no := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return no
		}
		if r == '\n' {
			no++
		}
		data = data[size:]
	}
	return no
}

// firstControl finds a control character other than tab, which TOML forbids
// outside comments and which would otherwise end up in names and URLs.
func firstControl(s string) rune {
	for _, r := range s {
		if r != '\t' && unicode.IsControl(r) {
			return r
		}
	}
	return -1
}

func lexHeader(s string) (string, error) {
	if strings.HasPrefix(s, "[[") {
		return "", fmt.Errorf("arrays of tables ([[...]]) are not supported; use [portal.NAME] sections")
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return "", fmt.Errorf("section header is missing its closing ]")
	}
	if err := expectEnd(s[end+1:]); err != nil {
		return "", fmt.Errorf("after section header: %s", err)
	}
	name := strings.TrimSpace(s[1:end])
	if name == "" {
		return "", fmt.Errorf("empty section header []")
	}
	parts := strings.Split(name, ".")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if !isBareKey(p) {
			return "", fmt.Errorf("section name %q: use letters, digits, - and _ only (quoted names are not supported)", name)
		}
		parts[i] = p
	}
	return strings.Join(parts, "."), nil
}

func lexKey(s string) (key, rest string, err error) {
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		word := s
		if i := strings.IndexAny(word, " \t#"); i >= 0 {
			word = word[:i]
		}
		return "", "", fmt.Errorf("expected key = value, found %q", truncate(word, 40))
	}
	key = strings.TrimSpace(s[:eq])
	if key == "" {
		return "", "", fmt.Errorf("missing key before =")
	}
	if strings.Contains(key, ".") {
		return "", "", fmt.Errorf("dotted key %q is not supported; put it in a [section]", truncate(key, 40))
	}
	if !isBareKey(key) {
		return "", "", fmt.Errorf("key %q: use letters, digits, - and _ only", truncate(key, 40))
	}
	return key, strings.TrimLeft(s[eq+1:], " \t"), nil
}

func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// expectEnd accepts only blanks and a comment after a value.
func expectEnd(rest string) error {
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || rest[0] == '#' {
		return nil
	}
	return fmt.Errorf("unexpected %q after the value (quote strings, and start comments with #)", truncate(rest, 40))
}

func lexValue(s string) (value, string, error) {
	if s == "" || s[0] == '#' {
		return value{}, s, fmt.Errorf("missing value after =")
	}
	switch s[0] {
	case '"', '\'':
		str, rest, err := lexString(s)
		return value{kind: kindString, str: str}, rest, err
	case '[':
		return lexList(s)
	case '{':
		return value{}, s, fmt.Errorf("inline tables are not supported; use a [section]")
	}
	word := s
	if i := strings.IndexAny(word, " \t#,]"); i >= 0 {
		word = word[:i]
	}
	rest := s[len(word):]
	switch word {
	case "true":
		return value{kind: kindBool, b: true}, rest, nil
	case "false":
		return value{kind: kindBool, b: false}, rest, nil
	}
	if n, err := strconv.ParseInt(word, 10, 64); err == nil {
		return value{kind: kindInt, num: n}, rest, nil
	}
	if isDecimal(word) {
		if f, err := strconv.ParseFloat(word, 64); err == nil {
			return value{kind: kindFloat, flt: f}, rest, nil
		}
	}
	return value{}, s, fmt.Errorf("cannot read %q as a value: strings need quotes, numbers are digits, booleans are true or false", truncate(word, 40))
}

// isDecimal accepts 1.5, -0.25 and 2 but not hex, exponents, inf or nan,
// which strconv.ParseFloat would take and TOML spells differently.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) {
		return false
	}
	return !hasDot || (frac != "" && allDigits(frac))
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// lexString reads a basic or literal string starting at s[0].
func lexString(s string) (string, string, error) {
	quote := s[0]
	if strings.HasPrefix(s, `"""`) || strings.HasPrefix(s, `'''`) {
		return "", s, fmt.Errorf("multi-line strings are not supported")
	}
	if quote == '\'' {
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", s, fmt.Errorf("string is missing its closing '")
		}
		return s[1 : 1+end], s[2+end:], nil
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return b.String(), s[i+1:], nil
		case '\\':
			if i+1 >= len(s) {
				return "", s, fmt.Errorf("string ends with a lone backslash")
			}
			i++
			switch s[i] {
			case '"', '\\':
				b.WriteByte(s[i])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'u':
				if i+4 >= len(s) {
					return "", s, fmt.Errorf(`\u needs four hex digits`)
				}
				n, err := strconv.ParseUint(s[i+1:i+5], 16, 32)
				if err != nil || !utf8.ValidRune(rune(n)) {
					return "", s, fmt.Errorf(`\u%s is not a valid character`, s[i+1:i+5])
				}
				b.WriteRune(rune(n))
				i += 4
			default:
				return "", s, fmt.Errorf(`unknown escape \%c in string (write \\ for a backslash)`, s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", s, fmt.Errorf(`string is missing its closing "`)
}

func lexList(s string) (value, string, error) {
	v := value{kind: kindStrings, list: []string{}}
	rest := strings.TrimLeft(s[1:], " \t")
	for {
		if rest == "" || rest[0] == '#' {
			return value{}, s, fmt.Errorf("list is missing its closing ] (lists must fit on one line)")
		}
		if rest[0] == ']' {
			return v, rest[1:], nil
		}
		if rest[0] != '"' && rest[0] != '\'' {
			return value{}, s, fmt.Errorf("lists may only hold quoted strings")
		}
		str, after, err := lexString(rest)
		if err != nil {
			return value{}, s, err
		}
		v.list = append(v.list, str)
		rest = strings.TrimLeft(after, " \t")
		switch {
		case strings.HasPrefix(rest, ","):
			rest = strings.TrimLeft(rest[1:], " \t")
		case strings.HasPrefix(rest, "]"):
		case rest == "" || rest[0] == '#':
			return value{}, s, fmt.Errorf("list is missing its closing ] (lists must fit on one line)")
		default:
			return value{}, s, fmt.Errorf("expected , or ] in list")
		}
	}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
