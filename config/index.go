package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyIndex is where each key path is first written in the file. go-toml's
// decoder gives values without positions, so the index, built with
// go-toml's own parser, lets a mistake in a value name the line of its key,
// and lets sections be read in the order the admin wrote them.
type keyIndex struct {
	first map[string]mention // joined path → first mention
	// err is the parser's syntax error, if any; the decoder reports the
	// same mistake with its position, so it is only kept for that check.
	err error
}

// mention is one place a key path appears.
type mention struct {
	line, col int
	header    bool // written as a [table] or [[array]] header
	array     bool // written as an [[array]] header
}

// pathKey joins a key path into a map key; NUL cannot occur in TOML keys.
func pathKey(path []string) string { return strings.Join(path, "\x00") }

// dotted spells a key path as TOML does, quoting parts that need it.
func dotted(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		if isBareKey(p) {
			parts[i] = p
		} else {
			parts[i] = quote(p)
		}
	}
	return strings.Join(parts, ".")
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

// at is the first mention of path, or of its nearest mentioned parent (an
// element of an array has no key of its own).
func (ix *keyIndex) at(path ...string) mention {
	for n := len(path); n > 0; n-- {
		if m, ok := ix.first[pathKey(path[:n])]; ok {
			return m
		}
	}
	return mention{}
}

// line is the line of path's first mention (0 if unknown).
func (ix *keyIndex) line(path ...string) int { return ix.at(path...).line }

// inFileOrder sorts the keys of a table under parent by their first mention.
func (ix *keyIndex) inFileOrder(parent []string, keys []string) []string {
	pos := func(k string) mention { return ix.at(append(append([]string{}, parent...), k)...) }
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := pos(keys[i]), pos(keys[j])
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	return keys
}

// indexBuilder walks the parser's expressions in file order.
type indexBuilder struct {
	path   string
	p      *unstable.Parser
	ix     *keyIndex
	table  []string        // the current [table]'s path (nil at the top)
	inArr  bool            // the current table is, or lies under, an [[array]]
	arrays map[string]bool // paths written as [[array]] headers
	tables map[string]int  // paths written as [table] headers → line
	values map[string]int  // paths assigned a value → line
}

// indexKeys builds the index. It also reports, with both lines, a section or
// key written twice: go-toml refuses those too, but without the first line.
func indexKeys(path string, data []byte) (*keyIndex, error) {
	b := &indexBuilder{
		path: path, p: &unstable.Parser{}, ix: &keyIndex{first: map[string]mention{}},
		arrays: map[string]bool{}, tables: map[string]int{}, values: map[string]int{},
	}
	b.p.Reset(data)
	for b.p.NextExpression() {
		var err error
		switch e := b.p.Expression(); e.Kind {
		case unstable.Table, unstable.ArrayTable:
			err = b.header(e)
		case unstable.KeyValue:
			err = b.keyValue(b.table, e)
		}
		if err != nil {
			return nil, err
		}
	}
	b.ix.err = b.p.Error()
	return b.ix, nil
}

// key reads a (possibly dotted) key and where it starts.
func (b *indexBuilder) key(it unstable.Iterator) ([]string, mention) {
	var parts []string
	var m mention
	for it.Next() {
		n := it.Node()
		if parts == nil {
			sh := b.p.Shape(n.Raw)
			m = mention{line: sh.Start.Line, col: sh.Start.Column}
		}
		parts = append(parts, string(n.Data))
	}
	return parts, m
}

// note records the first mention of path and of each of its parents.
func (b *indexBuilder) note(path []string, m mention) {
	for n := 1; n <= len(path); n++ {
		k := pathKey(path[:n])
		if _, seen := b.ix.first[k]; !seen {
			pm := mention{line: m.line, col: m.col}
			if n == len(path) {
				pm = m
			}
			b.ix.first[k] = pm
		}
	}
}

func (b *indexBuilder) header(e *unstable.Node) error {
	path, m := b.key(e.Key())
	m.header, m.array = true, e.Kind == unstable.ArrayTable
	b.note(path, m)
	b.table = path
	b.inArr = m.array
	for n := 1; n <= len(path) && !b.inArr; n++ {
		b.inArr = b.arrays[pathKey(path[:n])]
	}
	k := pathKey(path)
	if m.array {
		b.arrays[k] = true
		return nil
	}
	if b.inArr {
		return nil // each element of an [[array]] has its own sub-tables
	}
	if first, dup := b.tables[k]; dup {
		if len(path) == 2 && path[0] == "portal" {
			return b.errorf(m.line, "duplicate portal %q (first defined on line %d)", path[1], first)
		}
		return b.errorf(m.line, "section [%s] appears twice (first on line %d)", dotted(path), first)
	}
	b.tables[k] = m.line
	return nil
}

// keyValue records a key = value under table, and the keys of an inline
// table value under it.
func (b *indexBuilder) keyValue(table []string, e *unstable.Node) error {
	rel, m := b.key(e.Key())
	path := append(append([]string{}, table...), rel...)
	b.note(path, m)
	if !b.inArr {
		k := pathKey(path)
		if first, dup := b.values[k]; dup {
			where := "the top of the file"
			if len(table) > 0 {
				where = "[" + dotted(table) + "]"
			}
			return b.errorf(m.line, "%s is set twice in %s (first on line %d)", dotted(rel), where, first)
		}
		b.values[k] = m.line
	}
	if v := e.Value(); v.Kind == unstable.InlineTable {
		it := v.Children()
		for it.Next() {
			if n := it.Node(); n.Kind == unstable.KeyValue {
				if err := b.keyValue(path, n); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (b *indexBuilder) errorf(line int, format string, a ...any) error {
	return &ParseError{Path: b.path, Line: line, Msg: fmt.Sprintf(format, a...)}
}
