package ui

import (
	"slices"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// BenchmarkView measures a frame after a cursor move (so the frame cache
// cannot answer) at 200x60 with a million contacts in the backend.
func BenchmarkView(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		b.Run(portal.Thousands(n)+"_contacts", func(b *testing.B) {
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
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		k := a
		if i%2 == 1 {
			k = bs
		}
		start := time.Now()
		_, cmd := h.m.Update(k)
		h.run(cmd)
		_ = h.m.View()
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkFilterEcho measures what typing waits for: the keystroke's
// Update and the frame that shows the new filter text. The query itself
// runs in a Cmd off the event loop (BenchmarkFilterKeystroke includes it).
func BenchmarkFilterEcho(b *testing.B) {
	h := newHarness(b, 200, 60, uitest.Config{Contacts: 1_000_000, ExtraUsrs: 2000}, Options{})
	h.keys("3", "esc", "/")
	a, bs := keyMsg(b, "a"), keyMsg(b, "backspace")
	b.ResetTimer()
	for i := range b.N {
		k := a
		if i%2 == 1 {
			k = bs
		}
		h.m.Update(k) // the query Cmd is dropped: a later keystroke supersedes it anyway
		_ = h.m.View()
	}
}
