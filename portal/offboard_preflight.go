package portal

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// ScopeBillingWrite is the scope HubSpot needs to give or free a paid seat.
const ScopeBillingWrite = "settings.billing.write"

// OffboardRequest says who leaves and who takes what they own.
type OffboardRequest struct {
	// Person is the person leaving, typed as anywhere else: a user ID,
	// owner ID, hs_internal_user_id, CRM user record ID or email
	// (owner:N / user:N force a reading).
	Person string
	// To takes every record they own, typed as reassign's --to.
	To string
	// Objects limits the hand-over to these object types (e.g. contacts,
	// deals); none means every type they own records of.
	Objects []string
	// KeepUser leaves the Settings user in place (records, teams and seats
	// are still handed over and freed).
	KeepUser bool
}

// OffboardPerson is who is leaving, as the journal keeps them.
type OffboardPerson struct {
	UserID     hubspot.UserID  `json:"userId,omitempty"` // "" when HubSpot has no user for them any more
	OwnerID    hubspot.OwnerID `json:"ownerId,omitempty"`
	Name       string          `json:"name,omitempty"`
	Email      string          `json:"email,omitempty"`
	SuperAdmin bool            `json:"superAdmin,omitempty"`
}

// Label is "Ana Lopez <ana@example.com> (user 101, owner 5001)".
func (p OffboardPerson) Label() string {
	name := strings.TrimSpace(p.Name)
	if p.Email != "" && !strings.EqualFold(name, p.Email) {
		name = strings.TrimSpace(name + " <" + p.Email + ">")
	}
	var ids []string
	if p.UserID != "" {
		ids = append(ids, "user "+string(p.UserID))
	}
	if p.OwnerID != "" {
		ids = append(ids, "owner "+string(p.OwnerID))
	}
	if len(ids) == 0 {
		return name
	}
	return strings.TrimSpace(name + " (" + strings.Join(ids, ", ") + ")")
}

// OffboardTeam is a team the person is in.
type OffboardTeam struct {
	ID      hubspot.TeamID `json:"id"`
	Name    string         `json:"name"`
	Primary bool           `json:"primary,omitempty"`
	// LeftEmpty: the person is its only member, so the team would be left
	// with nobody (round robins and team-based assignment stop there).
	LeftEmpty bool `json:"leftEmpty,omitempty"`
}

// OffboardHad is what the person had before offboarding: the journal keeps
// it as the record for putting them back.
type OffboardHad struct {
	State    UserState       `json:"state"` // teams and roles, as HubSpot reported them
	Teams    []OffboardTeam  `json:"teams,omitempty"`
	Roles    []RoleRef       `json:"roles,omitempty"`
	Seats    []string        `json:"seats,omitempty"`
	Holdings []store.Holding `json:"holdings,omitempty"`
}

// Blocker is something that stops the offboarding, and what to do.
type Blocker struct {
	What string `json:"what"`
	Do   string `json:"do"`
}

func (b Blocker) String() string { return b.What + ": " + b.Do }

// OffboardReport is the pre-flight report: what the person has, what the
// job will do, and what stops it. Nothing is sent to make it but reads.
type OffboardReport struct {
	Person   OffboardPerson
	To       OwnerRef // zero when no new owner was given or it cannot take records
	Had      OffboardHad
	KeepUser bool
	// DropRefusedOwners: ReassignRequest.DropRefusedOwners for the hand-over.
	DropRefusedOwners bool
	Objects           []string // the object types handed over; nil for every type held
	// Handover is the part of Had.Holdings that will be handed over.
	Handover []store.Holding
	Blockers []Blocker
	// Checklist is what hsadmin cannot do and the admin does in HubSpot.
	Checklist []string
	Notes     []string
	Link      string // the user's page in HubSpot's settings
}

// Blocked reports whether anything stops the job.
func (r OffboardReport) Blocked() bool { return len(r.Blockers) > 0 }

// HandoverCount is how many records (per type and owner property) change
// owner.
func (r OffboardReport) HandoverCount() int {
	n := 0
	for _, h := range r.Handover {
		n += h.Count
	}
	return n
}

// Summary is one line for confirmations and the journal.
func (r OffboardReport) Summary() string {
	s := "Offboard " + r.Person.Label()
	if r.To.ID != "" {
		s += ": records to " + r.To.Label()
	}
	if r.KeepUser {
		s += ", user kept"
	}
	return s
}

// PreflightOffboard reads who req.Person is, what they own (per object type
// and owner property, from the mirror), their teams, roles, seats and
// super-admin status (from HubSpot, which the mirror may not have caught
// up with), the teams they would leave empty, and what blocks the job,
// each blocker with what to do. It sends no writes.
func (p *Portal) PreflightOffboard(ctx context.Context, req OffboardRequest) (OffboardReport, error) {
	// A leaver's multi-select values that also hold a deactivated or
	// unknown owner could not be handed over as they are (HubSpot refuses
	// the whole value), and the findings would go on showing them: the
	// hand-over takes those dead IDs out, and the report says how many.
	r := OffboardReport{KeepUser: req.KeepUser, Objects: req.Objects, DropRefusedOwners: true}
	person, notes, err := p.resolvePerson(ctx, req.Person)
	if err != nil {
		return OffboardReport{}, err
	}
	r.Person, r.Notes = person, notes
	if person.UserID != "" {
		r.Link = UserSettingsLink(p.info.HubID, p.info.BaseURL, p.info.Sandbox, person.UserID)
	}
	if err := p.readWhatTheyHave(ctx, &r); err != nil {
		return OffboardReport{}, err
	}
	if err := p.pickHandover(&r); err != nil {
		return OffboardReport{}, err
	}
	p.readTarget(ctx, req.To, &r)
	if err := p.readRefusedValues(ctx, &r); err != nil {
		return OffboardReport{}, err
	}
	r.Blockers = append(r.Blockers, p.offboardBlockers(r)...)
	r.Checklist = append(r.Checklist, p.offboardChecklist(r)...)
	return r, nil
}

// resolvePerson reads a typed person as ResolveOwner does, falling back to
// a Settings user without an owner (by user ID or email).
func (p *Portal) resolvePerson(ctx context.Context, input string) (OffboardPerson, []string, error) {
	if strings.TrimSpace(input) == "" {
		return OffboardPerson{}, nil, errors.New("say who is leaving: a user ID, owner ID or email")
	}
	r, err := p.ResolveOwner(ctx, input)
	if err == nil {
		if r.Owner.Queue {
			return OffboardPerson{}, nil, fmt.Errorf("%s is a queue, not a person: hand its records over with hsadmin reassign", r.Owner.Label())
		}
		person := OffboardPerson{UserID: r.Owner.UserID, OwnerID: r.Owner.ID, Name: r.Owner.Name, Email: r.Owner.Email}
		var notes []string
		if r.Note != "" {
			notes = append(notes, r.Note)
		}
		return person, notes, nil
	}
	if !errors.Is(err, ErrUnknownOwner) {
		return OffboardPerson{}, nil, err
	}
	value := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(input), "user:"))
	u, uerr := p.FindUser(ctx, value)
	if uerr != nil {
		return OffboardPerson{}, nil, err // the owner error names every reading tried
	}
	return OffboardPerson{UserID: u.UserID, Name: u.Name, Email: u.Email, SuperAdmin: u.SuperAdmin},
		[]string{fmt.Sprintf("%s has no owner: there are no records to hand over", u.Name)}, nil
}

// readWhatTheyHave fills in the person's holdings from the mirror and their
// teams, roles and seats from HubSpot.
func (p *Portal) readWhatTheyHave(ctx context.Context, r *OffboardReport) error {
	if r.Person.OwnerID != "" {
		holdings, err := p.mirror.OwnerHoldings(ctx, r.Person.OwnerID)
		if err != nil {
			return err
		}
		r.Had.Holdings = holdings
	}
	if r.Person.UserID == "" {
		r.Notes = append(r.Notes, "HubSpot has no user for them any more (deactivated or removed): only their records are handed over")
		return nil
	}
	u, err := p.client.GetUser(ctx, r.Person.UserID)
	switch {
	case hubspot.IsNotFound(err):
		r.Notes = append(r.Notes, fmt.Sprintf("user %s is gone from HubSpot already: only their records are handed over", r.Person.UserID))
		r.Person.UserID = ""
		return nil
	case err != nil:
		return fmt.Errorf("cannot read user %s from HubSpot for the pre-flight report: %w", r.Person.UserID, err)
	}
	r.Person.SuperAdmin = u.SuperAdmin
	r.Person.Name = firstNonBlank(r.Person.Name, u.Name())
	r.Person.Email = firstNonBlank(r.Person.Email, u.Email)
	r.Had.State = StateOfUser(u)
	r.Had.Seats = slices.Clone(u.SeatNames)
	names, err := p.ChangeNames(ctx)
	if err != nil {
		return err
	}
	pl := newPlan(p.info, names, KindTeamChange)
	r.Had.Roles = pl.roleRefs(r.Had.State.RoleIDs)
	return p.readTeams(ctx, r, pl)
}

// readTeams names the person's teams and finds those they would leave
// empty, from HubSpot's team list (the mirror's when it cannot be read).
func (p *Portal) readTeams(ctx context.Context, r *OffboardReport, pl UserChangePlan) error {
	st := r.Had.State
	ids := append([]hubspot.TeamID{}, st.SecondaryTeamIDs...)
	if st.PrimaryTeamID != "" {
		ids = append([]hubspot.TeamID{st.PrimaryTeamID}, ids...)
	}
	if len(ids) == 0 {
		return nil
	}
	live, err := p.client.Teams(ctx)
	if err != nil {
		r.Notes = append(r.Notes, "cannot read the teams' members from HubSpot ("+err.Error()+"): the teams they would leave empty are not known")
	}
	members := map[hubspot.TeamID]int{}
	for _, t := range live {
		members[t.ID] = len(distinctIDs(append(slices.Clone(t.UserIDs), t.SecondaryUserIDs...)))
	}
	for _, id := range ids {
		t := OffboardTeam{ID: id, Name: pl.TeamName(id), Primary: id == st.PrimaryTeamID}
		t.LeftEmpty = err == nil && members[id] <= 1
		r.Had.Teams = append(r.Had.Teams, t)
	}
	return nil
}

// pickHandover keeps the holdings of the object types asked for.
func (p *Portal) pickHandover(r *OffboardReport) error {
	if len(r.Objects) == 0 {
		r.Handover = r.Had.Holdings
		return nil
	}
	asked := r.Objects
	r.Objects = nil
	for _, want := range asked {
		found := false
		for _, h := range r.Had.Holdings {
			if strings.EqualFold(string(h.Type), want) || strings.EqualFold(h.TypeLabel, want) {
				r.Handover = append(r.Handover, h)
				found = true
			}
		}
		// The journal keeps the type's API name however it was typed.
		r.Objects = append(r.Objects, objectTypeOf(r.Had.Holdings, want))
		if !found {
			r.Notes = append(r.Notes, fmt.Sprintf("they own no %s: nothing of that type to hand over", want))
		}
	}
	for _, h := range r.Had.Holdings {
		if !slices.ContainsFunc(r.Handover, func(x store.Holding) bool { return x.Type == h.Type && x.Property == h.Property }) {
			r.Notes = append(r.Notes, fmt.Sprintf("%s (%s) stay with them: not among the types asked for", h.Records(), h.PropertyLabel))
		}
	}
	return nil
}

// readTarget reads the new owner; a refusal becomes a blocker.
func (p *Portal) readTarget(ctx context.Context, to string, r *OffboardReport) {
	if strings.TrimSpace(to) == "" {
		if r.HandoverCount() > 0 {
			r.Blockers = append(r.Blockers, Blocker{What: "no new owner for their " + Plural(r.HandoverCount(), "record"), Do: "say who takes them (--to OWNER: an owner ID, user ID or email)"})
		}
		return
	}
	target, err := p.ResolveOwner(ctx, to)
	switch {
	case err != nil:
		r.Blockers = append(r.Blockers, Blocker{What: "the new owner " + strings.TrimSpace(to) + " cannot be read", Do: err.Error()})
	case target.Owner.Archived:
		r.Blockers = append(r.Blockers, Blocker{What: target.Owner.Label() + " is deactivated", Do: "HubSpot refuses deactivated owners as record owners: pick an active owner"})
	case target.Owner.ID == r.Person.OwnerID:
		r.Blockers = append(r.Blockers, Blocker{What: "the new owner is the person leaving", Do: "pick someone else to take their records"})
	default:
		r.To = target.Owner
		if target.Note != "" {
			r.Notes = append(r.Notes, target.Note)
		}
	}
}

// offboardBlockers are what stop the job, each with what to do.
func (p *Portal) offboardBlockers(r OffboardReport) []Blocker {
	var out []Blocker
	if p.info.ReadOnly {
		out = append(out, Blocker{What: "this portal is configured read-only", Do: "nothing can be sent; open it without read-only (read_only = false in the config) to offboard"})
	}
	if r.Person.UserID == "" {
		return out
	}
	if r.Person.SuperAdmin && !r.KeepUser {
		out = append(out, Blocker{What: r.Person.Name + " is a super admin, and HubSpot does not remove super admins",
			Do: "take the super admin permission away in HubSpot's settings (" + r.Link + "), sync, then offboard again; or offboard with --keep-user"})
	}
	if len(r.Had.Seats) > 0 && !r.KeepUser && p.info.MissingScope(ScopeBillingWrite) != "" {
		out = append(out, Blocker{What: "freeing their paid seat (" + strings.Join(r.Had.Seats, ", ") + ") needs the " + ScopeBillingWrite + " scope, which the token lacks",
			Do: "grant the scope to the app, or free the seat in HubSpot's settings (" + r.Link + ") and sync; a seat must be freed before the user is removed, or the user has to be reactivated to free it"})
	}
	if len(r.Had.Teams) > 0 && p.info.MissingScope(ScopeTeamsWrite) != "" {
		out = append(out, Blocker{What: "taking them out of their teams needs the " + ScopeTeamsWrite + " scope, which the token lacks",
			Do: "grant the scope to the app, or take them out of their teams in HubSpot's settings (" + r.Link + ") and sync"})
	}
	if needsUserWrite := !r.KeepUser || len(r.Had.Seats) > 0; needsUserWrite && p.info.MissingScope(ScopeUsersWrite) != "" && p.info.MissingScope(ScopeCRMUsersWrite) != "" {
		out = append(out, Blocker{What: "removing the user needs the " + ScopeUsersWrite + " scope, which the token lacks", Do: "grant the scope to the app, or offboard with --keep-user"})
	}
	return out
}

// offboardChecklist is what the admin finishes by hand.
func (p *Portal) offboardChecklist(r OffboardReport) []string {
	var out []string
	if r.Person.UserID != "" && len(r.Had.Seats) > 0 && r.KeepUser && p.info.MissingScope(ScopeBillingWrite) != "" {
		out = append(out, "free the seat "+strings.Join(r.Had.Seats, ", ")+" in HubSpot's settings ("+r.Link+"): the token lacks the "+ScopeBillingWrite+" scope")
	}
	for _, t := range r.Had.Teams {
		if t.LeftEmpty {
			out = append(out, "team "+t.Name+" is left with no member: give it someone, or delete it in HubSpot's settings")
		}
	}
	if len(r.Had.Roles) > 1 && r.KeepUser && len(r.Had.Seats) > 0 {
		out = append(out, "freeing the seat goes through a user update, which keeps one role: the journal keeps every role they had")
	}
	return out
}

// objectTypeOf is the API name of the object type typed as want (its name
// or plural label), want itself when nothing held has that type.
func objectTypeOf(holdings []store.Holding, want string) string {
	for _, h := range holdings {
		if strings.EqualFold(string(h.Type), want) || strings.EqualFold(h.TypeLabel, want) {
			return string(h.Type)
		}
	}
	return strings.ToLower(strings.TrimSpace(want))
}
