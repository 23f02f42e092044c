package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/hsadmin/hsadmin/portal"
)

// renderDetail draws the detail box: a resolution when one is open, else the
// ID card of what is selected.
func (m *model) renderDetail(w, h int) []string {
	if h <= 0 {
		return nil
	}
	inner := max(w-2, 0)
	title, body := m.detailContent(inner)
	if len(body) > h-2 && h > 2 {
		body = append(body[:h-3], m.st.dim.Render(fmt.Sprintf("… %d more lines", len(body)-(h-3))))
	}
	return m.box(title, "", w, h, false, body)
}

func (m *model) detailContent(w int) (string, []string) {
	if m.resolving {
		return "resolve ", []string{m.st.dim.Render(m.spin.View() + " resolving…")}
	}
	if m.resolution != nil {
		return "resolve " + m.resolution.res.Input + " ", m.resolutionLines(w)
	}
	var lines []string
	title := "detail "
	switch r := m.currentPane().current().(type) {
	case userItem:
		title = "user " + string(r.UserID) + " "
	case ownerItem:
		title = "owner " + string(r.OwnerID) + " "
	case contactItem:
		title = "contact " + string(r.ContactID) + " "
		lines = m.contactLines(r, w)
	case recordItem:
		title = r.idKind() + " " + string(r.ID) + " "
		lines = m.recordLines(r, w)
	case findingItem:
		title = r.f.Kind + " "
		lines = append(lines, m.st.bold.Render(r.f.Title))
		lines = append(lines, wrapLines(r.f.Why, w)...)
		switch rec := r.record(); {
		case r.f.ObjectType != "" && rec != nil:
			lines = append(lines, m.st.dim.Render(recordIDs(*rec)+" · enter lists these "+m.typeLabel(r.f.ObjectType)))
		case r.f.ObjectType != "":
			lines = append(lines, m.st.dim.Render(portal.Thousands(r.f.Count)+" affected · enter lists them in the "+m.typeLabel(r.f.ObjectType)+" pane"))
		case rec != nil:
			lines = append(lines, m.st.dim.Render(rec.Label+": "+recordIDs(*rec)+" · enter opens it"))
		default:
			lines = append(lines, m.st.dim.Render(portal.Thousands(r.f.Count)+" affected · enter opens the first record"))
		}
	case callItem:
		title = "call "
		lines = append(lines,
			fmt.Sprintf("%s %s", r.Method, r.Path),
			fmt.Sprintf("status %d · %s · rate-limit remaining %s", r.Status, r.Latency, rateText(r.RateRemaining)),
			r.Time.In(m.loc).Format("2006-01-02 15:04:05.000"))
		if r.Body != "" {
			// HubSpot's answer in full: the reason a write failed is often
			// only there. enter zooms when it does not fit.
			lines = append(lines, m.st.dim.Render("HubSpot answered:"))
			lines = append(lines, wrapLines(sanitize(r.Body), w)...)
		}
		return title, lines
	case nil:
		return title, []string{m.st.dim.Render("nothing selected")}
	}
	if m.detailKey == "" {
		return title, lines
	}
	c, ok := m.cards[m.detailKey]
	switch {
	case !ok:
		lines = append(lines, m.st.dim.Render(m.spin.View()+" loading ID card…"))
	case c.err != nil:
		lines = append(lines, m.st.bad.Render("ID card: "+c.err.Error()))
	default:
		lines = append(lines, m.cardLines(c.card, w)...)
	}
	return title, lines
}

func rateText(n int) string {
	if n < 0 {
		return "unknown"
	}
	return fmt.Sprint(n)
}

func (m *model) contactLines(c contactItem, w int) []string {
	lines := []string{m.st.bold.Render(c.Name) + "  " + c.Email}
	ids := "contact ID " + string(c.ContactID)
	switch c.OwnerState {
	case portal.OwnerUnknown:
		lines = append(lines, ids+" · "+m.st.bad.Render("hubspot_owner_id "+string(c.OwnerID)+" matches no owner"))
		lines = append(lines, wrapLines("Often a user ID written where an owner ID belongs; "+m.keys.hint(actResolve)+" shows what "+string(c.OwnerID)+" is.", w)...)
	case portal.OwnerNone, "":
		lines = append(lines, ids+" · "+m.st.dim.Render("no owner"))
	case portal.OwnerArchived:
		lines = append(lines, ids+" · "+m.st.bad.Render("owner "+string(c.OwnerID)+" is deactivated"))
	default:
		lines = append(lines, ids+" · owner ID "+string(c.OwnerID))
	}
	if c.OwnerState == portal.OwnerActive || c.OwnerState == portal.OwnerArchived {
		lines = append(lines, m.st.dim.Render("owner:"))
	}
	return lines
}

// cardLines spells out one person across the three ID schemes.
func (m *model) cardLines(c portal.IDCard, w int) []string {
	st := m.st
	head := st.bold.Render(orDash(c.Name))
	if c.Email != "" {
		head += "  " + c.Email
	}
	var state []string
	switch {
	case c.OwnerType == "QUEUE":
		state = append(state, st.dim.Render("queue"))
	case c.OwnerArchived:
		state = append(state, st.bad.Render("deactivated"))
	case c.NoUser:
		state = append(state, st.ok.Render("active"), st.warn.Render("no HubSpot user"))
	case c.Active:
		state = append(state, st.ok.Render("active"))
	}
	if c.SuperAdmin {
		state = append(state, "super admin")
	}
	if len(state) > 0 {
		head += "  " + strings.Join(state, " · ")
	}
	lines := []string{head}
	ids := []string{
		"user ID " + orNone(string(c.UserID)),
		"owner ID " + orNone(string(c.OwnerID)),
		"CRM user record " + orNone(string(c.CRMUserID)),
	}
	if c.InternalUserID != "" {
		ids = append(ids, "hs_internal_user_id "+string(c.InternalUserID))
	}
	if c.CRMOwnerID != "" {
		ids = append(ids, "CRM owner "+string(c.CRMOwnerID))
	}
	lines = append(lines, flow(ids, " · ", w)...)
	if d := c.Departure; d != nil {
		lines = append(lines, wrapLines(portal.DepartureText(*d), max(w, 1))...)
	}
	for _, mm := range c.Mismatches {
		for i, l := range wrapLines(mm, max(w-2, 1)) {
			prefix := "  "
			if i == 0 {
				prefix = "⚠ "
			}
			lines = append(lines, st.warn.Render(prefix+l))
		}
	}
	if len(c.Roles) > 0 {
		var roles []string
		for _, r := range c.Roles {
			s := r.Name + " " + string(r.ID)
			if r.Primary {
				s = "★" + s + " (primary)"
			}
			roles = append(roles, s)
		}
		lines = append(lines, flow(roles, " · ", w, fmt.Sprintf("roles (%d): ", len(c.Roles)))...)
	}
	if c.PrimaryTeam != "" || len(c.SecondaryTeams) > 0 {
		teams := []string{}
		if c.PrimaryTeam != "" {
			teams = append(teams, c.PrimaryTeam+" (primary)")
		}
		teams = append(teams, c.SecondaryTeams...)
		lines = append(lines, flow(teams, " · ", w, "teams: ")...)
	}
	if len(c.Seats) > 0 {
		lines = append(lines, flow(c.Seats, " · ", w, "seats: ")...)
	}
	if c.OwnerID != "" {
		lines = append(lines, m.holdingLines(c, w)...)
	}
	return lines
}

func (m *model) resolutionLines(w int) []string {
	r := m.resolution
	if r.err != nil {
		return []string{m.st.bad.Render("resolve failed: " + r.err.Error())}
	}
	res := r.res
	var lines []string
	if n := res.UnknownOwnerContacts; n > 0 {
		verb := "carry"
		if n == 1 {
			verb = "carries"
		}
		held := fmt.Sprintf("%s is unknown to the owners list, yet %s %s it as hubspot_owner_id: effectively unowned (F lists them; o reassigns them).",
			res.Input, portal.Plural(n, "contact"), verb)
		for _, l := range wrapLines(held, w) {
			lines = append(lines, m.st.warn.Render(l))
		}
	}
	lines = append(lines, m.heldAsOwnerID(res, w)...)
	if len(res.Matches) == 0 {
		if len(lines) > 0 {
			return append(lines, wrapLines("It is no user ID, CRM user record ID or email in the mirror either.", w)...)
		}
		return wrapLines(fmt.Sprintf("%s matches no owner ID, user ID, CRM user record ID or email in the mirror.", res.Input), w)
	}
	head := fmt.Sprintf("%s has %s", res.Input, portal.Plural(len(res.Matches), "meaning"))
	if res.Ambiguous {
		for _, l := range wrapLines(head+": AMBIGUOUS, it names different people", w) {
			lines = append(lines, m.st.bad.Render(l))
		}
	} else {
		lines = append(lines, wrapLines(head, w)...)
	}
	for _, mt := range res.Matches {
		lines = append(lines, m.matchLine(mt, w))
		lines = append(lines, m.matchHoldings(mt, w)...)
	}
	for _, mt := range res.Matches {
		for _, mm := range mt.Card.Mismatches {
			for i, l := range wrapLines(mt.Card.Name+": "+mm, max(w-2, 1)) {
				prefix := "  "
				if i == 0 {
					prefix = "⚠ "
				}
				lines = append(lines, m.st.warn.Render(prefix+l))
			}
		}
	}
	lines = append(lines, m.st.dim.Render("esc closes"))
	return lines
}

func (m *model) matchLine(mt portal.Match, w int) string {
	c := mt.Card
	// The IDs come first: on a narrow screen the email is what gets cut.
	s := fmt.Sprintf("as %s → user %s · owner %s", mt.Scheme, orNone(string(c.UserID)), orNone(string(c.OwnerID)))
	if c.OwnerArchived {
		s += " (deactivated)"
	}
	s += " · " + orDash(c.Name)
	if c.Email != "" {
		s += " <" + c.Email + ">"
	}
	return cutText(s, w)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func wrapLines(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(s, w, " "), "\n")
}

// flow lays tokens out on as few lines as fit in w, never splitting one.
func flow(tokens []string, sep string, w int, prefix ...string) []string {
	var lines []string
	cur := strings.Join(prefix, "")
	start := true
	for _, t := range tokens {
		add := t
		if !start {
			add = sep + t
		}
		if !start && ansi.StringWidth(cur+add) > w {
			lines = append(lines, cur)
			cur, add = "  ", t
		}
		cur += add
		start = false
	}
	return append(lines, cur)
}
