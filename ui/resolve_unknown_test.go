package ui

import (
	"strings"
	"testing"
)

// `:id` on a number contacts carry as owner ID but no owner has says so.
func TestResolveAnOwnerIDOnlyContactsCarry(t *testing.T) {
	h, _ := sandboxConsole(t, 120, 40)
	h.keys(":")
	h.typ("id 159999993")
	h.keys("enter")
	s := strings.Join(strings.Fields(h.screen()), " ") // the sentence wraps
	s = strings.NewReplacer("│ ", "", " │", "").Replace(s)
	if strings.Contains(s, "matches no owner ID, user ID") {
		t.Errorf("says it matches nothing:\n%s", h.screen())
	}
	if !strings.Contains(h.screen(), "159999993 is unknown to the owners list") || !strings.Contains(h.screen(), "contacts carry") {
		t.Errorf("does not say contacts carry it:\n%s", h.screen())
	}
}
