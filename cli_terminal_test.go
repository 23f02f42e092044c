package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A character device is not a terminal: /dev/null is one, and a command
// that prompts on it reads EOF instead of an answer.
func TestIsTerminalRefusesDevNullPipesAndFiles(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "answers"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, f := range map[string]*os.File{"/dev/null": devNull, "pipe reader": r, "pipe writer": w, "file": file} {
		if isTerminal(f) {
			t.Errorf("%s is taken for a terminal", name)
		}
	}
	if isTerminal(nil) || isTerminal("not a file") {
		t.Error("a non-file is taken for a terminal")
	}
}
