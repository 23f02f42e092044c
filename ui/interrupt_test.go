package ui

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// gate holds every contact batch update after the first until released,
// so that a test can act while a job is in the middle of its work.
type gate struct {
	once    sync.Once
	mu      sync.Mutex
	passed  int
	release chan struct{}
	held    chan struct{} // one value per request that waits
}

func newGate() *gate { return &gate{release: make(chan struct{}), held: make(chan struct{}, 64)} }

// open lets every held request through, once.
func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

func (g *gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/batch/update") {
			g.mu.Lock()
			g.passed++
			first := g.passed == 1
			g.mu.Unlock()
			if !first {
				select {
				case g.held <- struct{}{}:
				default: // nobody waits for more than the first held request
				}
				<-g.release
			}
		}
		next.ServeHTTP(w, r)
	})
}

// loop is a small Bubble Tea event loop for the harness's model: commands
// run in goroutines (a job's run blocks while its batches are held) and
// their messages are applied in the test's goroutine, one at a time.
type loop struct {
	h    *harness
	msgs chan tea.Msg
}

func newLoop(h *harness) *loop { return &loop{h: h, msgs: make(chan tea.Msg, 256)} }

func (l *loop) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				l.exec(c)
			}
		default:
			l.msgs <- msg
		}
	}()
}

func (l *loop) key(k string) {
	_, cmd := l.h.m.Update(keyMsg(l.h.t, k))
	l.exec(cmd)
}

// until applies messages until done holds. The deadline only guards
// against a hang; nothing here measures time.
func (l *loop) until(what string, done func() bool) {
	l.h.t.Helper()
	deadline := time.After(60 * time.Second)
	for !done() {
		select {
		case msg := <-l.msgs:
			if _, quit := msg.(tea.QuitMsg); quit {
				l.h.cmds = append(l.h.cmds, msg)
				continue
			}
			if isTerminalMsg(msg) {
				continue
			}
			_, next := l.h.m.Update(msg)
			l.exec(next)
		case <-deadline:
			l.h.t.Fatalf("waited in vain for %s:\n%s", what, l.h.screen())
		}
	}
}

func quitSent(h *harness) bool {
	for _, c := range h.cmds {
		if _, ok := c.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

// startHeldJob marks every contact and starts moving them in batches of
// two; it returns once the second batch is held in flight.
func startHeldJob(t *testing.T, w, hgt int) (*harness, *loop, *gate, *portal.Portal) {
	t.Helper()
	g := newGate()
	h, _, p := sandboxConsoleWrapped(t, w, hgt, g.wrap)
	t.Cleanup(g.open)       // before the server closes: it waits for held requests
	h.keys("3", "esc", "A") // every contact, all marked
	h.keys("o")
	h.m.reassign.req.BatchSize = 2
	to := h.m.reassign.owners[0]
	h.typ(to.Email)
	h.keys("enter")
	if h.m.reassign == nil || h.m.reassign.stage != rsPlan {
		t.Fatalf("no plan:\n%s", h.screen())
	}
	l := newLoop(h)
	l.key("enter")
	<-g.held
	l.until("the job's ID", func() bool { return h.m.reassign.jobID != 0 })
	return h, l, g, p
}

func TestCtrlCDuringAJobAsksAndKeepsRunningByDefault(t *testing.T) {
	h, l, g, _ := startHeldJob(t, 120, 40)
	l.key("ctrl+c")
	if quitSent(h) || h.m.interrupt == nil {
		t.Fatalf("ctrl+c did not ask (quit sent: %v):\n%s", quitSent(h), h.screen())
	}
	s := h.screen()
	mustContain(t, s, "a job is running", "is sending changes to HubSpot", "▸ 1  Keep running", "2  Cancel after the batch in flight")
	l.key("enter") // the default
	if h.m.interrupt != nil || h.m.reassign.cancelling || quitSent(h) {
		t.Fatalf("enter on the default did not keep the job running:\n%s", h.screen())
	}
	g.open()
	l.until("the job's end", func() bool { return h.m.reassign.stage == rsDone })
	if res := h.m.reassign.result; res.State != portal.JobDone || res.Left != 0 {
		t.Fatalf("the job kept running did not finish: %+v", res)
	}
}

func TestQDuringAJobCancelsAfterTheBatchAndLeavesItResumable(t *testing.T) {
	h, l, g, p := startHeldJob(t, 80, 24)
	l.key("q")
	if quitSent(h) || h.m.interrupt == nil {
		t.Fatalf("q did not ask:\n%s", h.screen())
	}
	l.key("2")
	if !h.m.reassign.cancelling || quitSent(h) {
		t.Fatalf("choosing cancel did not cancel:\n%s", h.screen())
	}
	g.open() // the batches in flight finish; no new one starts
	l.until("the job's end", func() bool { return h.m.reassign.stage == rsDone })
	res := h.m.reassign.result
	if res.State != portal.JobCancelled || res.Left == 0 {
		t.Fatalf("result %+v, want cancelled with contacts left", res)
	}
	id := h.m.reassign.jobID
	l.key("enter")
	if !strings.Contains(h.m.msg, "left: c in :jobs resumes it") {
		t.Errorf("the status does not say how to resume: %q", h.m.msg)
	}
	jobs, err := p.JobHistory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].ID != id || !jobs[0].Resumable() {
		t.Fatalf("the cancelled job is not resumable: %+v", jobs)
	}
	if quitSent(h) {
		t.Error("the console quit after a cancel")
	}
	// Nothing runs any more: q quits at once.
	h.keys("q")
	if !quitSent(h) {
		t.Error("q did not quit an idle console")
	}
}

// The prompt over a running job's progress, at fixed progress so that the
// screen is the same at every run.
func TestInterruptPromptGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(sizeName(size), func(t *testing.T) {
			h := newHarness(t, size[0], size[1], uitest.Config{}, Options{})
			cancelled := false
			h.m.openReassign(&reassignFlow{stage: rsRunning, who: "Gus Hale's contacts", jobID: 7,
				cancel:   func() { cancelled = true },
				progress: portal.JobProgress{JobID: 7, Done: 79, Total: 600, PerSecond: 190, ETA: 3 * time.Second}})
			h.m.version++
			h.keys("ctrl+c")
			mustContain(t, h.screen(), "job 7 (Gus Hale's contacts, 521 contacts not done yet)", "▸ 1  Keep running")
			h.golden("interrupt_prompt_" + sizeName(size))
			assertFits(t, h.screen(), size[0], size[1])
			h.keys("j", "enter")
			if !cancelled || !h.m.reassign.cancelling || h.m.interrupt != nil {
				t.Fatalf("down, enter did not cancel: %v\n%s", cancelled, h.screen())
			}
			if !strings.Contains(h.screen(), "cancelling after the batch") {
				t.Errorf("no word of the cancel:\n%s", h.screen())
			}
			// A cancel under way cannot be cancelled again: ctrl+c asks
			// with keep running as the only choice.
			h.keys("ctrl+c")
			if h.m.interrupt == nil || quitSent(h) {
				t.Fatalf("ctrl+c while cancelling quit or did not ask")
			}
			h.keys("2", "esc")
			if h.m.interrupt != nil || quitSent(h) {
				t.Fatal("esc did not keep running")
			}
		})
	}
}

func TestInterruptPromptOnATinyTerminal(t *testing.T) {
	h := newHarness(t, 20, 6, uitest.Config{}, Options{})
	h.m.openReassign(&reassignFlow{stage: rsRunning, who: "Gus Hale's contacts", jobID: 7, cancel: func() {},
		progress: portal.JobProgress{JobID: 7, Done: 79, Total: 600}})
	h.m.version++
	h.keys("q")
	s := h.screen()
	assertFits(t, s, 20, 6)
	mustContain(t, s, "a job is running", "1 keep running", "2 cancel after")
	if quitSent(h) {
		t.Fatal("q quit a running job on a tiny terminal")
	}
	h.keys("2")
	if !h.m.reassign.cancelling {
		t.Fatal("2 did not cancel")
	}
}
