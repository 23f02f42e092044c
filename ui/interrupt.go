package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// Quitting while a job runs is a choice, never a surprise: ctrl+c, q and
// :q ask first, over the panes, whether to cancel after the batch in
// flight (the job stays resumable) or keep running, which is the default
// because it is what an admin who pressed a key by reflex wants.

// interruptPrompt is the open question; choice is the highlighted option.
type interruptPrompt struct {
	choice int
}

const (
	interruptKeepRunning = iota
	interruptCancel
)

// runningWrite says what is being sent to HubSpot right now, and whether
// it can stop between batches; "" when nothing is.
func (m *model) runningWrite() (what string, cancellable bool) {
	if f := m.reassign; f != nil && f.stage == rsRunning && f.cancel != nil {
		what = "a job"
		if f.jobID != 0 {
			what = fmt.Sprintf("job %d", f.jobID)
		}
		var about []string
		if !strings.Contains(f.who, "job") { // "resume of job 2" would only repeat the job
			about = append(about, sanitize(f.who))
		}
		if left := f.progress.Total - f.progress.Done; left > 0 {
			about = append(about, portal.Thousands(left)+" contacts not done yet")
		}
		if len(about) > 0 {
			what += " (" + strings.Join(about, ", ") + ")"
		}
		return what, !f.cancelling
	}
	if f := m.offboard; f != nil && f.stage == offRunning && f.cancel != nil {
		what = "the offboarding of " + sanitize(f.who)
		if f.jobID != 0 {
			what = fmt.Sprintf("offboarding job %d (%s)", f.jobID, sanitize(f.who))
		}
		return what, !f.cancelling
	}
	if c := m.change; c != nil && c.stage == stageApplying {
		return "the change of " + sanitize(c.who), false
	}
	if what := m.onboardRunning(); what != "" {
		return what, false
	}
	return "", false
}

// askInterrupt opens the question; it is what quit does while a write
// runs.
func (m *model) askInterrupt() {
	m.interrupt = &interruptPrompt{choice: interruptKeepRunning}
}

// interruptKey answers the question. Only an explicit choice cancels.
func (m *model) interruptKey(k tea.KeyPressMsg) tea.Cmd {
	q := m.interrupt
	_, cancellable := m.runningWrite()
	last := interruptKeepRunning
	if cancellable {
		last = interruptCancel
	}
	pick := -1
	switch k.String() {
	case "up", "k":
		q.choice = max(q.choice-1, 0)
	case "down", "j", "tab":
		q.choice = min(q.choice+1, last)
	case "1":
		pick = interruptKeepRunning
	case "2":
		if cancellable {
			pick = interruptCancel
		}
	case "enter":
		pick = q.choice
	case "esc", "q", "ctrl+c":
		pick = interruptKeepRunning
	}
	switch pick {
	case interruptKeepRunning:
		m.interrupt = nil
		m.msg = "still running: the job goes on"
	case interruptCancel:
		m.interrupt = nil
		m.cancelRunningJob()
	}
	return nil
}

// cancelRunningJob stops the job after the batch in flight; its end
// message says how to resume it.
func (m *model) cancelRunningJob() {
	f := m.reassign
	if f == nil || f.cancel == nil || f.cancelling {
		return
	}
	f.cancelling = true
	f.cancel()
	m.msg = "cancelling after the batch in flight; the job stays resumable"
}

// closeInterruptIfDone drops the question once nothing runs any more: the
// job ended while the admin was reading it.
func (m *model) closeInterruptIfDone() {
	if m.interrupt == nil {
		return
	}
	if what, _ := m.runningWrite(); what == "" {
		m.interrupt = nil
	}
}

// The question is drawn like an overlay, over everything (overlay.go, rule 1).
func (q *interruptPrompt) frame(*model) overlayFrame {
	return overlayFrame{title: "a job is running ", width: 64}
}

func (q *interruptPrompt) key(m *model, k tea.KeyPressMsg) keyResult {
	return used(m.interruptKey(k))
}

// body is the question, or on a short screen only its choices: the key
// that opened it must not seem to do nothing.
func (q *interruptPrompt) body(m *model, w, h int) []string {
	what, cancellable := m.runningWrite()
	body := wrapLines("Quit? "+what+" is sending changes to HubSpot.", w)
	options := []string{"Keep running"}
	if cancellable {
		options = append(options, "Cancel after the batch in flight")
		body = append(body, wrapLines("A cancelled job stays resumable from :jobs.", w)...)
	} else {
		body = append(body, wrapLines("It cannot stop halfway; it ends in a moment.", w)...)
	}
	hint := m.st.dim.Render(cutText("enter chooses · esc keeps running", w))
	if len(body)+len(options)+3 > h {
		body, hint = nil, ""
	} else {
		body = append(body, "")
	}
	if w < 30 {
		// A tiny terminal: short labels, wrapped, no highlight to pad.
		options = []string{"keep running", "cancel after the batch"}[:len(options)]
		for i, o := range options {
			body = append(body, wrapLines(fmt.Sprintf("%d %s", i+1, o), w)...)
		}
		return body
	}
	for i, o := range options {
		mark := "  "
		if i == q.choice {
			mark = "▸ "
		}
		line := pad(fmt.Sprintf("%s%d  %s", mark, i+1, o), w)
		if i == q.choice {
			line = m.st.cursor.Render(line)
		}
		body = append(body, line)
	}
	if hint != "" {
		body = append(body, "", hint)
	}
	return body
}

// runningJobKey is what a flow's overlay does with a key while its job
// runs: esc cancels the job (once), q asks whether to quit, as ctrl+c
// does; any other key waits.
func (m *model) runningJobKey(ks string, cancel func(), cancelling *bool) tea.Cmd {
	switch {
	case ks == "esc" && cancel != nil && !*cancelling:
		*cancelling = true
		cancel()
	case ks == "q":
		return m.quit() // asks: the job is running
	}
	return nil
}
