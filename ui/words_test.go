package ui

import (
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

func TestMarkMessagesCountOnce(t *testing.T) {
	h := demo(t, 120, 40)
	h.keys("space", "j", "j", "j", "V") // space marks row 1 and moves to row 2
	status := lastLine(h.screen())
	if !strings.Contains(status, "5 marked") || !strings.Contains(status, "4 rows added from the last mark") {
		t.Errorf("status after V: %q", status)
	}
	if strings.Count(status, "marked") > 1 {
		t.Errorf("status says marked twice: %q", status)
	}
	h = newHarness(t, 120, 40, uitest.Config{Contacts: 1643}, Options{})
	h.keys("3", "esc", "A")
	status = lastLine(h.screen())
	if !strings.Contains(status, "1,643 marked") || strings.Count(status, "marked") > 1 || strings.Contains(status, "1643") {
		t.Errorf("status after A: %q", status)
	}
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}
