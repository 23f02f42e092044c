package ui

import (
	"os"
	"strings"
	"testing"
)

// The README's key list is the help screen's, in prose: every action's
// keys and every command must be named there, so the two cannot drift.
func TestReadmeNamesEveryKeyAndCommand(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	symbols := strings.NewReplacer("up", "↑", "down", "↓", "left", "←", "right", "→")
	for _, s := range defaultActions() {
		for _, k := range s.keys {
			if !strings.Contains(readme, "`"+k+"`") && !strings.Contains(readme, "`"+symbols.Replace(k)+"`") {
				t.Errorf("README does not name key %s (%s)", k, s.name)
			}
		}
	}
	for _, c := range commands {
		if !strings.Contains(readme, "`:"+c.name) {
			t.Errorf("README does not name :%s", c.name)
		}
	}
}
