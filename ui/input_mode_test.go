package ui

import (
	"fmt"
	"strings"
	"testing"
)

// inputLine is the open `/` or `:` line, just above the status line.
func inputLine(h *harness) string {
	lines := strings.Split(h.screen(), "\n")
	return lines[len(lines)-2]
}

// A `:` command's completion must not show up in the `/` filter opened next.
func TestFilterLineShowsNoLeftoverCompletion(t *testing.T) {
	for _, cmd := range []string{"findings", "restore"} {
		h := demo(t, 120, 40)
		h.keys(":")
		h.typ(cmd[:1])
		h.keys("esc", "/")
		h.typ(cmd[1:2]) // a letter the command continues with
		line := inputLine(h)
		if strings.Contains(line, cmd[1:]) && len(cmd) > 2 {
			t.Errorf("after :%s, esc, /%s the line reads %q", cmd[:1], cmd[1:2], line)
		}
		if !strings.HasPrefix(line, "/"+cmd[1:2]+" ") {
			t.Errorf("filter line %q does not start with /%s", line, cmd[1:2])
		}
	}
}

// The filter line's hint fits at every size; the editor keeps at least half.
func TestInputHintFits(t *testing.T) {
	for _, w := range []int{80, 100, 120} {
		for _, open := range []string{"/", ":"} {
			t.Run(fmt.Sprintf("%s%d", open, w), func(t *testing.T) {
				h := demo(t, w, 24)
				h.keys(open)
				line := inputLine(h)
				if strings.Contains(line, "…") {
					t.Errorf("hint cut at %d columns: %q", w, line)
				}
				if !strings.Contains(line, "esc cancels") {
					t.Errorf("hint lost its esc at %d columns: %q", w, line)
				}
			})
		}
	}
}

// The screen of the issue: `:findings`, esc, `/`, `a` at 80 columns.
func TestGoldenFilterAfterCommand(t *testing.T) {
	h := demo(t, 80, 24)
	h.keys(":")
	h.typ("findings")
	h.keys("esc", "/", "a")
	h.golden("filter_after_command_80x24")
	assertFits(t, h.screen(), 80, 24)
}
