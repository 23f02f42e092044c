package ui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// JobDetailer is optionally implemented by a Backend whose journal can
// show one job with every item; *portal.Portal does. Enter on a job in
// the jobs view opens it.
type JobDetailer interface {
	JobDetail(ctx context.Context, id int64) (portal.JobDetail, error)
}

var _ JobDetailer = (*portal.Portal)(nil)

// jobDetailView is one job opened from the jobs view: its items, each
// with its outcome and HubSpot's whole reason, wrapped to the width, and
// the correlation ID. A job may have tens of thousands of items, so only
// the visible ones are wrapped: the place is an item and a line within it.
type jobDetailView struct {
	id       int64
	detail   portal.JobDetail
	loaded   bool
	err      string
	problems bool // only failed and skipped items

	top, sub int // first item shown (of shown()), and its first line
	shownIdx []int
}

type jobDetailMsg struct {
	view   *jobDetailView
	detail portal.JobDetail
	err    error
}

func (m *model) jobDetailer() JobDetailer {
	d, _ := m.b.(JobDetailer)
	return d
}

// openJobDetail opens the job under the jobs view's cursor.
func (m *model) openJobDetail() tea.Cmd {
	j, ok := m.jobs.current()
	if !ok {
		return nil
	}
	if m.jobDetailer() == nil {
		m.msg = "this portal connection cannot list a job's items"
		return nil
	}
	v := &jobDetailView{id: j.ID}
	m.jobDetail = v
	return m.loadJobDetail(v)
}

func (m *model) loadJobDetail(v *jobDetailView) tea.Cmd {
	d, ctx := m.jobDetailer(), m.ctx
	return func() tea.Msg {
		detail, err := d.JobDetail(ctx, v.id)
		return jobDetailMsg{view: v, detail: detail, err: err}
	}
}

func (m *model) applyJobDetail(msg jobDetailMsg) {
	v := m.jobDetail
	if v == nil || msg.view != v {
		return // closed, or another job opened since
	}
	v.loaded, v.err = true, ""
	if msg.err != nil {
		v.err = "cannot read the job from the journal: " + msg.err.Error()
		return
	}
	v.detail = msg.detail
	v.index()
}

// index lists the items shown: all, or only the failed and skipped ones.
func (v *jobDetailView) index() {
	v.shownIdx = v.shownIdx[:0]
	for i, it := range v.detail.Items {
		if !v.problems || it.State == portal.ItemFailed || it.State == portal.ItemSkipped {
			v.shownIdx = append(v.shownIdx, i)
		}
	}
	v.top, v.sub = min(v.top, max(len(v.shownIdx)-1, 0)), 0
}

func (m *model) jobDetailKey(k tea.KeyPressMsg) tea.Cmd {
	v := m.jobDetail
	w := m.jobDetailInner()
	switch k.String() {
	case "esc", "q", "backspace":
		m.jobDetail = nil
	case "down", "j":
		v.scroll(m, w, 1)
	case "up", "k":
		v.scroll(m, w, -1)
	case "pgdown", "f", "space":
		v.scroll(m, w, max(m.jobDetailRows()-1, 1))
	case "pgup", "b":
		v.scroll(m, w, -max(m.jobDetailRows()-1, 1))
	case "home", "g":
		v.top, v.sub = 0, 0
	case "end", "G":
		v.top, v.sub = max(len(v.shownIdx)-1, 0), 0
	case "p":
		v.problems = !v.problems
		v.top = 0
		v.index()
	case "r":
		return m.loadJobDetail(v)
	}
	return nil
}

// scroll moves the view by n lines, wrapping only the items it passes.
func (v *jobDetailView) scroll(m *model, w, n int) {
	for ; n > 0; n-- {
		if v.top >= len(v.shownIdx) {
			return
		}
		if v.sub+1 < len(m.itemLines(v.item(v.top), w)) {
			v.sub++
		} else if v.top+1 < len(v.shownIdx) {
			v.top, v.sub = v.top+1, 0
		}
	}
	for ; n < 0; n++ {
		switch {
		case v.sub > 0:
			v.sub--
		case v.top > 0:
			v.top--
			v.sub = max(len(m.itemLines(v.item(v.top), w))-1, 0)
		}
	}
}

func (v *jobDetailView) item(i int) portal.JobItemDetail { return v.detail.Items[v.shownIdx[i]] }

// The detail box fills the main area; these are its inner width and the
// rows left for items under the head.
func (m *model) jobDetailInner() int { return max(m.width-2, 1) }

func (m *model) jobDetailRows() int {
	return max(m.lay.mainH-3-len(m.jobDetailHead(m.jobDetailInner(), m.lay.mainH)), 1)
}

// jobDetailHead is the job's own lines above its items, in a box h rows
// high: on a small screen it gives way so that two item lines still show.
func (m *model) jobDetailHead(w, h int) []string {
	v := m.jobDetail
	if !v.loaded || v.err != "" {
		return nil
	}
	j := v.detail.Job
	head := wrapLines(sanitize(j.Summary), w)
	head = append(head, wrapLines("outcome: "+sanitize(j.Outcome()), w)...)
	count := portal.Plural(len(v.detail.Items), "item")
	if v.problems {
		count = fmt.Sprintf("%s of %s failed or skipped", portal.Thousands(len(v.shownIdx)), count)
	}
	head = append(head, m.st.dim.Render(count))
	return head[:min(len(head), max(h-3-2, 1))]
}

// itemLines is one item: its line, then HubSpot's reason and the
// correlation ID, each wrapped to w with an indent.
func (m *model) itemLines(it portal.JobItemDetail, w int) []string {
	// The seq and outcome stay a column of their own; what the item is
	// wraps beside them.
	col := fmt.Sprintf("%5d  %-7s  ", it.Seq, it.State)
	what := sanitize(it.Subject) + " · " + sanitize(it.Change)
	var out []string
	if w-len(col) < 12 {
		out = wrapLines(col+what, w)
	} else {
		for i, l := range wrapLines(what, w-len(col)) {
			if i == 0 {
				out = append(out, col+l)
			} else {
				out = append(out, strings.Repeat(" ", len(col))+l)
			}
		}
	}
	switch it.State {
	case portal.ItemFailed:
		out[0] = m.st.bad.Render(out[0])
	case portal.ItemSkipped:
		out[0] = m.st.warn.Render(out[0])
	}
	const indent = "       "
	if it.Reason != "" {
		for _, l := range wrapLines("reason: "+sanitize(it.Reason), max(w-len(indent), 1)) {
			out = append(out, indent+l)
		}
	}
	if it.CorrelationID != "" {
		for _, l := range wrapLines("correlation ID "+sanitize(it.CorrelationID)+" (quote it to HubSpot support)", max(w-len(indent), 1)) {
			out = append(out, indent+m.st.dim.Render(l))
		}
	}
	return out
}

// renderJobDetail draws the job in the main area, w x h.
func (m *model) renderJobDetail(w, h int) []string {
	v := m.jobDetail
	inner := max(w-2, 1)
	var body []string
	switch {
	case v.err != "":
		body = wrapLines(m.st.bad.Render(sanitize(v.err)), inner)
	case !v.loaded:
		body = []string{"loading the job…"}
	default:
		body = m.jobDetailHead(inner, h)
		rows := max(h-2-len(body)-1, 1)
		if len(v.shownIdx) == 0 {
			body = append(body, "no item to show")
		}
		var items []string
		for i := v.top; i < len(v.shownIdx) && len(items) < rows; i++ {
			lines := m.itemLines(v.item(i), inner)
			if i == v.top {
				lines = lines[min(v.sub, len(lines)-1):]
			}
			items = append(items, lines...)
		}
		body = append(body, padLines(items, rows)...)
	}
	body = padLines(body, max(h-3, 0))
	body = append(body, m.st.dim.Render("j/k scroll · p only failed/skipped · r reload · esc back to the jobs"))
	right := ""
	if v.loaded && len(v.shownIdx) > 0 {
		right = fmt.Sprintf("%d/%d", v.top+1, len(v.shownIdx))
	}
	return m.box(fmt.Sprintf("job %d · every item and HubSpot's reasons ", v.id), right, w, h, true, body)
}
