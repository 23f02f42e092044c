package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// seg is a piece of a row with its style; rows are built from segments so
// that the cursor row can be drawn plain under one style.
type seg struct {
	text  string
	style *lipgloss.Style
}

func (m *model) renderPane(p *pane, w, h int, focused bool) []string {
	inner := max(w-2, 0)
	title, right := m.paneTitle(p)
	body := []string{m.st.header.Render(pad(m.paneHeader(p, inner), inner))}
	body = append(body, m.paneBody(p, inner, focused)...)
	return m.box(title, right, w, h, focused, body)
}

func (m *model) paneTitle(p *pane) (string, string) {
	title := m.paneLabel(p.kind)
	if p.kind < paneFindings {
		title = fmt.Sprintf("%d %s", int(p.kind)+1, title)
	}
	if p.kind == paneContacts {
		switch {
		case m.scope.empty != "":
			title += " · " + sanitize(m.scope.label) + " (no owner)"
		case m.scope.owner != "":
			title += " · " + sanitize(m.scope.label) + " " + string(m.scope.owner)
		case m.scope.finding != "":
			title += " · " + sanitize(m.scope.label)
		default:
			title += " · all"
		}
	}
	if l := p.sortLabel(); l != "" {
		title += " " + l
	}
	if p.filter != "" {
		title += " /" + sanitize(p.filter)
	}
	title += " "
	right := ""
	if n := p.count(); n > 0 {
		right = fmt.Sprintf("%s/%s", portal.Thousands(p.cursor+1), portal.Thousands(n))
		if p.total < 0 && p.kind == paneContacts {
			right += "+"
		}
	}
	if len(p.marks) > 0 {
		right = fmt.Sprintf("%s marked · %s", portal.Thousands(len(p.marks)), right)
	}
	return title, right
}

func (m *model) paneHeader(p *pane, w int) string {
	switch p.kind {
	case paneUsers:
		return spread("    name", "user → owner", w)
	case paneOwners:
		return spread("    name", "owner → user", w)
	case paneContacts:
		if p.rtype != "" {
			return recordHeader(m.typeFor(p.rtype), w)
		}
		return spread("    contact", "owner", w)
	case paneFindings:
		return spread("    finding", "records", w)
	case paneLog:
		return "    time     method path"
	}
	return ""
}

// spread puts left and right at the two ends of w cells.
func spread(left, right string, w int) string {
	gap := w - cellWidth(left) - cellWidth(right)
	if gap < 1 {
		return cutText(left+" "+right, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *model) paneBody(p *pane, w int, focused bool) []string {
	var out []string
	switch {
	case p.kind == paneContacts && m.scope.empty != "":
		empty, hint := m.scope.empty, "esc lists every contact"
		if p.rtype != "" {
			label := m.paneLabel(paneContacts)
			empty, hint = strings.Replace(empty, "so no contacts", "so no "+label, 1), "esc lists all "+label
		}
		for _, l := range wrapLines(empty, w) {
			out = append(out, m.st.warn.Render(l))
		}
		if focused {
			for _, l := range wrapLines(hint, w) {
				out = append(out, m.st.dim.Render(l))
			}
		}
		return out
	case !p.loaded && p.count() == 0:
		return append(out, m.st.dim.Render("loading…"))
	case p.count() == 0 && p.filter == "" && m.loadingText(p.kind) != "":
		return append(out, m.st.dim.Render(m.loadingText(p.kind)))
	case p.count() == 0:
		msg := "nothing here"
		if p.filter != "" {
			msg = fmt.Sprintf("nothing matches %q; esc clears the filter", p.filter)
		}
		return append(out, m.st.dim.Render(msg))
	}
	end := min(p.top+p.height, p.count())
	for i := p.top; i < end; i++ {
		r := p.at(i)
		if r == nil {
			out = append(out, m.st.dim.Render("   …"))
			continue
		}
		out = append(out, m.renderRow(p, r, i, w, focused))
	}
	return out
}

// renderRow draws one row: a cursor column, a mark column, a flag column,
// then the row's own text with the ID mapping right-aligned.
func (m *model) renderRow(p *pane, r row, i, w int, focused bool) string {
	isCursor := i == p.cursor
	linked := m.isLinked(p, r)
	cur := " "
	switch {
	case isCursor && focused:
		cur = ">"
	case linked:
		cur = "»"
	}
	mark := " "
	if p.marked(r.key()) {
		mark = "•"
	}
	leftW := w - 3 - 1
	left, right, flag := m.rowSegments(r)
	if ri, ok := r.(recordItem); ok {
		left, right, flag = m.recordSegments(ri, leftW) // its columns drop to fit
	}
	segs := []seg{{cur, nil}, {mark, &m.st.marked}, flag, {" ", nil}}
	_, isContact := r.(contactItem)
	// A contact's owner name sits before the owner ID and may drop.
	left, right = fitRow(left, right, leftW, isContact && len(right) > 1)
	lw := max(leftW-segsWidth(right)-1, 0)
	segs = append(segs, left...)
	segs = append(segs, seg{strings.Repeat(" ", max(lw-segsWidth(left), 0)+1), nil})
	segs = append(segs, right...)

	var b strings.Builder
	switch {
	case isCursor && focused:
		for _, s := range segs {
			b.WriteString(s.text)
		}
		return m.st.cursor.Render(pad(b.String(), w))
	case linked:
		for _, s := range segs {
			b.WriteString(s.text)
		}
		return m.st.linked.Render(pad(b.String(), w))
	case isCursor:
		for _, s := range segs {
			b.WriteString(s.text)
		}
		return m.st.cursorBlur.Render(pad(b.String(), w))
	}
	for _, s := range segs {
		if s.style != nil && s.text != "" && strings.TrimSpace(s.text) != "" {
			b.WriteString(s.style.Render(s.text))
		} else {
			b.WriteString(s.text)
		}
	}
	return b.String()
}

// minName is the fewest cells a row's name keeps before its columns drop.
const minName = 6

// fitRow fits a row's text (left) and ID mapping (right) into w cells. IDs
// are never cut: the name gives way first, then a contact's owner name (the
// right's first segment, optionalFirst) shrinks and drops; only
// when the IDs alone do not fit (a layout too narrow, see idsFit) is the
// right side cut, and then never through a digit.
func fitRow(left, right []seg, w int, optionalFirst bool) ([]seg, []seg) {
	room := func() int { return w - segsWidth(right) - 1 }
	if room() < minName && optionalFirst {
		// Shrink a contact's owner name, keeping its trailing space, then drop it.
		name := strings.TrimSuffix(right[0].text, " ")
		keep := cellWidth(name) - (minName - room())
		if keep >= 4 {
			right[0].text = cutText(name, keep) + " "
		} else {
			right = right[1:]
		}
	}
	if room() < 0 {
		right = truncSegs(right, w)
	}
	return truncSegs(left, max(room(), 0)), right
}

// isLinked says whether r is the row the other pane's selection points at.
func (m *model) isLinked(p *pane, r row) bool {
	if m.view != viewMain || p.kind == m.focus {
		return false
	}
	switch r := r.(type) {
	case userItem:
		return m.focus == paneOwners && r.UserID != "" && r.UserID == m.linkedUser
	case ownerItem:
		return m.focus == paneUsers && r.OwnerID != "" && r.OwnerID == m.linkedOwner
	}
	return false
}

func segsWidth(ss []seg) int {
	n := 0
	for _, s := range ss {
		n += cellWidth(s.text)
	}
	return n
}

func truncSegs(ss []seg, w int) []seg {
	var out []seg
	left := w
	for _, s := range ss {
		sw := cellWidth(s.text)
		if sw <= left {
			out = append(out, s)
			left -= sw
			continue
		}
		if left > 0 {
			out = append(out, seg{cutText(s.text, left), s.style})
		}
		break
	}
	return out
}

// rowSegments returns the left text, the right-aligned ID mapping and the
// one-cell flag for a row.
func (m *model) rowSegments(r row) (left, right []seg, flag seg) {
	st := &m.st
	flag = seg{" ", nil}
	switch r := r.(type) {
	case userItem:
		if r.MultiRole() {
			flag = seg{"◆", &st.multi}
		}
		left = []seg{{r.Name, nil}}
		if r.SuperAdmin {
			left = append(left, seg{" (super admin)", &st.dim})
		}
		right = []seg{{string(r.UserID) + " → ", nil}}
		if r.OwnerID == "" {
			right = append(right, seg{"no owner", &st.warn})
		} else {
			right = append(right, seg{string(r.OwnerID), nil})
		}
	case ownerItem:
		left = []seg{{r.Name, nil}}
		right = []seg{{string(r.OwnerID) + " → ", nil}}
		switch {
		case r.Archived:
			flag = seg{"!", &st.bad}
			right = append(right, seg{"deactivated", &st.bad})
		case r.Type == hubspot.OwnerQueue:
			right = append(right, seg{"queue", &st.dim})
		case r.UserID == "":
			right = append(right, seg{"no user", &st.warn})
		default:
			right = append(right, seg{string(r.UserID), nil})
		}
	case contactItem:
		name := r.Name
		if name == "" {
			name = r.Email
		}
		left = []seg{{name, nil}}
		switch r.OwnerState {
		case portal.OwnerNone, "":
			right = []seg{{"no owner", &st.dim}}
		case portal.OwnerUnknown:
			flag = seg{"!", &st.bad}
			right = []seg{{"? " + string(r.OwnerID) + " unknown", &st.bad}}
		case portal.OwnerArchived:
			flag = seg{"!", &st.bad}
			right = []seg{{r.OwnerName + " ", &st.bad}, {string(r.OwnerID) + " deactivated", &st.bad}}
		default:
			right = []seg{{r.OwnerName + " ", nil}, {string(r.OwnerID), nil}}
		}
	case findingItem:
		if rec := r.record(); rec != nil {
			left = []seg{{"  " + rec.Label, nil}}
			right = []seg{{recordIDs(*rec), &st.dim}}
		} else {
			flag = seg{"▸", &st.warn}
			left = []seg{{r.f.Title, &st.bold}}
			right = []seg{{fmt.Sprint(r.f.Count), &st.warn}}
		}
	case callItem:
		left = []seg{{r.Time.In(m.loc).Format("15:04:05") + " " + fmt.Sprintf("%-6s", r.Method) + " " + r.Path, nil}}
		status := &st.ok
		if r.Status >= 400 || r.Status == 0 {
			status = &st.bad
		}
		rate := "rate ?"
		if r.RateRemaining >= 0 {
			rate = fmt.Sprintf("rate %d", r.RateRemaining)
		}
		right = []seg{{fmt.Sprint(r.Status), status}, {fmt.Sprintf(" %5dms %s", r.Latency.Milliseconds(), rate), &st.dim}}
		if r.Body != "" {
			flag = seg{"!", &st.bad} // HubSpot said why: enter shows it whole
		}
	}
	return left, right, flag
}

func recordIDs(r portal.FindingRecord) string {
	var parts []string
	if r.UserID != "" {
		parts = append(parts, "user "+string(r.UserID))
	}
	if r.OwnerID != "" {
		parts = append(parts, "owner "+string(r.OwnerID))
	}
	if r.ContactID != "" {
		parts = append(parts, "contact "+string(r.ContactID))
	}
	if r.CRMUserID != "" {
		parts = append(parts, "CRM user "+string(r.CRMUserID))
	}
	return strings.Join(parts, " · ")
}
