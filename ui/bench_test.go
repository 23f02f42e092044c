package ui

import (
	"testing"

	"github.com/hsadmin/hsadmin/ui/uitest"
)

// BenchmarkView measures a frame after a cursor move (so the frame cache
// cannot answer) at 200x60 with a million contacts in the backend.
func BenchmarkView(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		b.Run(thousands(n)+"_contacts", func(b *testing.B) {
			h := newHarness(b, 200, 60, uitest.Config{Contacts: n, ExtraUsrs: 200}, Options{})
			h.keys("3", "esc", "pgdown")
			down, up := keyMsg(b, "j"), keyMsg(b, "k")
			b.ResetTimer()
			for i := range b.N {
				if i%2 == 0 {
					h.m.Update(down)
				} else {
					h.m.Update(up)
				}
				_ = h.m.View()
			}
		})
	}
}

// BenchmarkFilterKeystroke measures a filter keystroke to the new frame:
// Update, the query Cmd against the fake, applying its result, View.
func BenchmarkFilterKeystroke(b *testing.B) {
	h := newHarness(b, 200, 60, uitest.Config{Contacts: 1_000_000, ExtraUsrs: 2000}, Options{})
	h.keys("/")
	a, bs := keyMsg(b, "a"), keyMsg(b, "backspace")
	b.ResetTimer()
	for i := range b.N {
		k := a
		if i%2 == 1 {
			k = bs
		}
		_, cmd := h.m.Update(k)
		h.run(cmd)
		_ = h.m.View()
	}
}
