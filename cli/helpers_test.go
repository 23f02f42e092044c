package cli

import (
	"strings"
	"testing"
	"time"
)

// Off a terminal, progress is one line every few seconds by the command's
// clock, plus each phase's final line.
func TestProgressOffATerminalFollowsTheClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var errOut strings.Builder
	pp := newProgressPrinter(stdio{err: &errOut, clock: func() time.Time { return now }})
	pp.Line("10%", false)
	now = now.Add(4 * time.Second)
	pp.Line("40%", false)
	now = now.Add(2 * time.Second)
	pp.Line("60%", false)
	pp.Line("100%", true)
	if got := errOut.String(); got != "60%\n100%\n" {
		t.Errorf("progress lines %q", got)
	}
}
