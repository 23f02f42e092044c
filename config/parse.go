package config

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// maxFileSize guards against pointing --config at something that is not a
// settings file (a log, a database): it is refused instead of read whole.
const maxFileSize = 1 << 20

// Parse reads a configuration file's contents; path is used in error
// messages only. Any valid TOML is read (go-toml/v2 decodes it); the first
// mistake, in the syntax or in what the settings say, is reported as a
// *ParseError naming its line.
func Parse(path string, data []byte) (*Config, error) {
	if len(data) > maxFileSize {
		return nil, &ParseError{Path: path, Msg: fmt.Sprintf("file is larger than %d bytes; is it the right file?", maxFileSize)}
	}
	if !utf8.Valid(data) {
		return nil, &ParseError{Path: path, Line: firstInvalidUTF8Line(data), Msg: "the file is not valid UTF-8"}
	}
	// Editors on Windows may start a file with a byte order mark, which
	// go-toml reads as the start of a key.
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		data = data[3:]
	}
	ix, err := indexKeys(path, data)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			return nil, decodeError(path, data, de)
		}
		return nil, &ParseError{Path: path, Msg: err.Error()}
	}
	if ix.err != nil {
		// The decoder read what the index parser refused; go-toml's two
		// readers agree, so this is a library bug worth hearing about.
		return nil, &ParseError{Path: path, Msg: "unreadable file: " + ix.err.Error()}
	}
	s := &schema{path: path, ix: ix, cfg: &Config{Path: path}}
	if err := s.read(doc); err != nil {
		return nil, err
	}
	return s.cfg, nil
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
