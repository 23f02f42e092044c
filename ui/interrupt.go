package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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
	if c := m.change; c != nil && c.stage == stageApplying {
		return "the change of " + sanitize(c.who), false
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

// renderInterrupt draws the question centred over the main area.
func (m *model) renderInterrupt(under []string, w, h int) []string {
	what, cancellable := m.runningWrite()
	bw := min(w, 64)
	inner := max(bw-4, 1)
	body := wrapLines("Quit? "+what+" is sending changes to HubSpot.", inner)
	options := []string{"Keep running"}
	if cancellable {
		options = append(options, "Cancel after the batch in flight")
		body = append(body, wrapLines("A cancelled job stays resumable from :jobs.", inner)...)
	} else {
		body = append(body, wrapLines("It cannot stop halfway; it ends in a moment.", inner)...)
	}
	body = append(body, "")
	for i, o := range options {
		mark := "  "
		if i == m.interrupt.choice {
			mark = "▸ "
		}
		line := pad(fmt.Sprintf("%s%d  %s", mark, i+1, o), inner)
		if i == m.interrupt.choice {
			line = m.st.cursor.Render(line)
		}
		body = append(body, line)
	}
	body = append(body, "", m.st.dim.Render(ansi.Truncate("enter chooses · esc keeps running", inner, "…")))
	box := boxLines(m.st, "a job is running ", bw, body)
	return overlay(under, box, w, h)
}

// overlay puts box centred over the h lines of under.
func overlay(under, box []string, w, h int) []string {
	if len(box) == 0 {
		return under
	}
	if len(box) > h {
		box = box[:h]
	}
	bw := ansi.StringWidth(box[0])
	x0, y0 := max((w-bw)/2, 0), max((h-len(box))/2, 0)
	out := padLines(append([]string(nil), under...), h)
	for i, l := range box {
		row := out[y0+i]
		left := ansi.Truncate(row, x0, "")
		left += strings.Repeat(" ", max(x0-ansi.StringWidth(left), 0))
		out[y0+i] = left + l + ansi.TruncateLeft(row, x0+bw, "")
	}
	return out
}

// tinyInterrupt is the question on a terminal too small for the panes:
// the key that opened it must not seem to do nothing.
func (m *model) tinyInterrupt() []string {
	_, cancellable := m.runningWrite()
	lines := []string{"a job is running", "1 keep running"}
	if cancellable {
		lines = append(lines, "2 cancel after", "  the batch")
	}
	return lines
}
