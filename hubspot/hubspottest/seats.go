package hubspottest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// seat is a kind of paid seat the portal has bought. How many are taken is
// derived from the users holding it, plus those stranded by users removed
// while still holding one (HubSpot frees a seat only on an active user: a
// removed user's seat stays taken until the user is reactivated and freed),
// so the count cannot disagree with the users.
type seat struct {
	name        string
	description string
	total       int
	stranded    int
}

// seatDescriptions describe the generated seats as HubSpot's billing names them.
var seatDescriptions = map[string]string{
	"Sales Hub Professional":   "Sales Hub Professional seat: sequences, forecasting and the sales workspace",
	"Service Hub Professional": "Service Hub Professional seat: help desk, inbox and customer portal",
	"Core Seat":                "Core seat: edit access across the CRM and every hub's free tools",
}

// spareSeats is how many seats of each kind a generated portal has left:
// few, as portals buy seats as they hire.
var spareSeats = map[string]int{
	"Sales Hub Professional":   2,
	"Service Hub Professional": 1,
	"Core Seat":                3,
}

// buySeats gives the portal every generated seat kind: as many as its users
// hold plus a few spare. It draws nothing from the generator's random
// stream, so the rest of the portal is as before.
func (p *portal) buySeats() {
	p.seats = nil
	for _, name := range seatNames {
		s := &seat{name: name, description: seatDescriptions[name], total: spareSeats[name]}
		s.total += p.seatsTaken(s)
		p.seats = append(p.seats, s)
	}
}

func (p *portal) seatByName(name string) *seat {
	for _, s := range p.seats {
		if strings.EqualFold(s.name, name) {
			return s
		}
	}
	return nil
}

// seatsTaken counts the seats of s held by active users or stranded.
func (p *portal) seatsTaken(s *seat) int {
	n := s.stranded
	for _, u := range p.users {
		if slices.ContainsFunc(u.seatNames, func(name string) bool { return strings.EqualFold(name, s.name) }) {
			n++
		}
	}
	return n
}

func (p *portal) remainingSeats(s *seat) int { return max(0, s.total-p.seatsTaken(s)) }

// strandSeats keeps the seats of a user being removed taken: HubSpot frees
// a seat only from an active user.
func (p *portal) strandSeats(u *user) {
	for _, name := range u.seatNames {
		if s := p.seatByName(name); s != nil {
			s.stranded++
		}
	}
}

// checkSeats says why a user holding have cannot be given want, or "" when
// it can: every seat must exist and have one left for each one newly taken.
// Seat names come back as the portal spells them.
func (p *portal) checkSeats(have, want []string) ([]string, string) {
	var out []string
	for _, name := range want {
		s := p.seatByName(name)
		if s == nil {
			return nil, "Seat " + name + " does not exist."
		}
		if slices.Contains(out, s.name) {
			continue
		}
		out = append(out, s.name)
		held := slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, s.name) })
		if !held && p.remainingSeats(s) == 0 {
			return nil, "No " + s.name + " seats remaining. Buy more seats or free one from another user."
		}
	}
	return out, ""
}

// sameSeats reports whether two seat lists name the same seats.
func sameSeats(a, b []string) bool {
	norm := func(xs []string) []string {
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			if x = strings.ToLower(x); !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(norm(a), norm(b))
}

type wireSeat struct {
	Name           string `json:"name"`
	Description    string `json:"description,omitempty"`
	RemainingSeats int    `json:"remainingSeats"`
}

// GET /settings/users/2026-09-beta/seats
func (c *call) listSeats() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	resp := listResponse[wireSeat]{Results: []wireSeat{}}
	for _, s := range c.s.p.seats {
		resp.Results = append(resp.Results, wireSeat{Name: s.name, Description: s.description, RemainingSeats: c.s.p.remainingSeats(s)})
	}
	c.json(http.StatusOK, resp)
}

// ---- accessors and knobs for tests ----

// Seats lists the portal's seats with what is left, as GET …/seats answers.
func (s *Server) Seats() []hubspot.Seat {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []hubspot.Seat
	for _, st := range s.p.seats {
		out = append(out, hubspot.Seat{Name: st.name, Description: st.description, Remaining: s.p.remainingSeats(st)})
	}
	return out
}

// SetRemainingSeats makes n seats of the named kind free (0: none left),
// as if the portal had bought or cancelled some. It reports whether there
// is such a seat.
func (s *Server) SetRemainingSeats(name string, n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.p.seatByName(name)
	if st == nil {
		return false
	}
	st.total = s.p.seatsTaken(st) + max(0, n)
	return true
}
