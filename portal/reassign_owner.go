package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// OwnerRef names an owner for plans, pickers and the journal.
type OwnerRef struct {
	ID       hubspot.OwnerID `json:"id"`
	Name     string          `json:"name,omitempty"`
	Email    string          `json:"email,omitempty"`
	UserID   hubspot.UserID  `json:"userId,omitempty"` // including an inactive user's
	Queue    bool            `json:"queue,omitempty"`
	Archived bool            `json:"archived,omitempty"`
	// NoUser marks an active person owner with no HubSpot user, e.g. one
	// synced from Salesforce: contacts can be assigned to it like to anyone.
	NoUser bool `json:"noUser,omitempty"`
	// Unknown marks a hubspot_owner_id that matches no owner of the portal
	// (deleted, or a user ID written by mistake).
	Unknown bool `json:"unknown,omitempty"`
}

// Label is how the owner reads in a sentence, e.g.
// "Jane Doe (owner 123, user 456)" or "Support (queue, owner 789)".
func (o OwnerRef) Label() string {
	switch {
	case o.ID == "":
		return "no owner"
	case o.Unknown:
		return "owner ID " + string(o.ID) + " (matches no owner)"
	}
	name := o.Name
	if name == "" {
		name = o.Email
	}
	var ids []string
	if o.Queue {
		ids = append(ids, "queue")
	}
	ids = append(ids, "owner "+string(o.ID))
	if o.UserID != "" {
		ids = append(ids, "user "+string(o.UserID))
	}
	if o.NoUser {
		ids = append(ids, "no HubSpot user, e.g. synced from Salesforce")
	}
	if o.Archived {
		ids = append(ids, "deactivated")
	}
	if name == "" {
		return strings.Join(ids, ", ")
	}
	return name + " (" + strings.Join(ids, ", ") + ")"
}

// OwnerReading is one way to read a typed owner: the ID scheme the input
// was read in, the owner it leads to, and, when the input was not that
// owner's ID, a note saying what it was.
type OwnerReading struct {
	Scheme string // store.SchemeOwnerID, SchemeUserID, ...
	Owner  OwnerRef
	Note   string
}

// AmbiguousOwnerError says a typed number leads to different owners
// depending on the ID scheme it is read in. The caller asks which reading
// is meant and resolves again with the reading's Input().
type AmbiguousOwnerError struct {
	Input    string
	Readings []OwnerReading
}

func (e *AmbiguousOwnerError) Error() string {
	parts := make([]string, len(e.Readings))
	for i, r := range e.Readings {
		parts[i] = fmt.Sprintf("as %s %s: %s (type %s)", article(r.Scheme), r.Scheme, r.Owner.Label(), r.Input(e.Input))
	}
	return fmt.Sprintf("%s means different people: %s", e.Input, strings.Join(parts, "; "))
}

// Input is what to type to choose this reading of the ambiguous value.
func (r OwnerReading) Input(value string) string {
	switch r.Scheme {
	case store.SchemeOwnerID:
		return "owner:" + value
	case store.SchemeUserID, store.SchemeInternalUserID:
		return "user:" + value
	}
	return "owner:" + string(r.Owner.ID)
}

func article(s string) string {
	// "user" starts with a vowel letter but a consonant sound.
	if s != "" && strings.ContainsRune("aeioAEIO", rune(s[0])) {
		return "an"
	}
	return "a"
}

// ErrUnknownOwner is wrapped by every "no such owner" error of
// ResolveOwner.
var ErrUnknownOwner = errors.New("unknown owner")

// ResolveOwner reads a typed owner: an owner ID, a user ID or
// hs_internal_user_id (read as that person's owner), a CRM user record ID,
// or an email. "owner:N" and "user:N" force one reading. A number meaning
// different people is an *AmbiguousOwnerError listing each reading; a value
// nothing in the mirror knows wraps ErrUnknownOwner. Archived owners and
// queues are returned as such: the caller decides what it accepts.
func (p *Portal) ResolveOwner(ctx context.Context, input string) (OwnerReading, error) {
	value := strings.TrimSpace(input)
	forced := ""
	if scheme, rest, ok := strings.Cut(value, ":"); ok {
		switch strings.ToLower(strings.TrimSpace(scheme)) {
		case "owner":
			forced = store.SchemeOwnerID
		case "user":
			forced = store.SchemeUserID
		default:
			return OwnerReading{}, fmt.Errorf("%q: say owner:N or user:N, or type the number alone", input)
		}
		value = strings.TrimSpace(rest)
	}
	if value == "" {
		return OwnerReading{}, errors.New("no owner given: type an owner ID, a user ID or an email")
	}
	if !strings.Contains(value, "@") && !hubspot.IsNumeric(value) {
		return OwnerReading{}, fmt.Errorf("%q is neither an ID nor an email address", value)
	}
	res, err := p.mirror.Resolve(ctx, value)
	if err != nil {
		return OwnerReading{}, err
	}
	var readings []OwnerReading
	var ownerless []string
	for _, m := range res.Matches {
		if forced != "" && m.Scheme != forced && !(forced == store.SchemeUserID && m.Scheme == store.SchemeInternalUserID) {
			continue
		}
		if m.Card.OwnerID == "" {
			ownerless = append(ownerless, describeCard(m.Card))
			continue
		}
		if containsOwner(readings, m.Card.OwnerID) {
			continue
		}
		ref, err := p.ownerRef(ctx, m.Card.OwnerID)
		if err != nil {
			return OwnerReading{}, err
		}
		readings = append(readings, OwnerReading{Scheme: m.Scheme, Owner: ref, Note: readingNote(value, m.Scheme, ref)})
	}
	switch {
	case len(readings) == 1:
		return readings[0], nil
	case len(readings) > 1:
		return OwnerReading{}, &AmbiguousOwnerError{Input: value, Readings: readings}
	case len(ownerless) > 0:
		return OwnerReading{}, fmt.Errorf("%s is %s, who has no owner: contacts cannot be assigned to them (%w)", value, ownerless[0], ErrUnknownOwner)
	case strings.Contains(value, "@"):
		return OwnerReading{}, fmt.Errorf("no user or owner has the email %s; check it, or sync if they were added recently (%w)", value, ErrUnknownOwner)
	case forced != "":
		return OwnerReading{}, fmt.Errorf("no %s %s in this portal; check it, or sync if it is new (%w)", forced, value, ErrUnknownOwner)
	}
	return OwnerReading{}, fmt.Errorf("%s is not an owner ID, user ID or CRM user record ID in this portal; check it, or sync if it is new (%w)", value, ErrUnknownOwner)
}

func containsOwner(rs []OwnerReading, id hubspot.OwnerID) bool {
	for _, r := range rs {
		if r.Owner.ID == id {
			return true
		}
	}
	return false
}

func describeCard(c store.IDCard) string {
	if c.Name != "" {
		return c.Name
	}
	if c.Email != "" {
		return c.Email
	}
	return "a person"
}

// readingNote says what a value was when it was not the owner ID itself.
func readingNote(value, scheme string, o OwnerRef) string {
	who := o.Name
	if who == "" {
		who = o.Email
	}
	switch scheme {
	case store.SchemeOwnerID:
		return ""
	case store.SchemeEmail:
		return fmt.Sprintf("%s is %s: owner ID %s", value, who, o.ID)
	}
	return fmt.Sprintf("%s is the %s of %s, whose owner ID is %s: using owner ID %s", value, scheme, who, o.ID, o.ID)
}

// ownerRef describes an owner from the mirror; an ID no owner has becomes
// an Unknown reference.
func (p *Portal) ownerRef(ctx context.Context, id hubspot.OwnerID) (OwnerRef, error) {
	if id == "" {
		return OwnerRef{}, nil
	}
	rows, err := p.mirror.Owners(ctx, store.Query{OwnerID: id, Limit: 1})
	if err != nil {
		return OwnerRef{}, err
	}
	if len(rows) == 0 {
		return OwnerRef{ID: id, Unknown: true}, nil
	}
	return ownerRefOf(rows[0]), nil
}

func ownerRefOf(o store.OwnerRow) OwnerRef {
	return OwnerRef{
		ID: o.OwnerID, Name: o.Name, Email: o.Email, UserID: o.UserIDIncludingInactive,
		Queue: o.Type == hubspot.OwnerQueue, Archived: o.Archived,
		NoUser: o.Type == hubspot.OwnerPerson && !o.Archived && o.UserIDIncludingInactive == "",
	}
}

// ResolveTarget reads a typed owner to assign contacts to. Beyond
// ResolveOwner's errors, it refuses archived owners: HubSpot answers
// INVALID_OWNER_ID for them.
func (p *Portal) ResolveTarget(ctx context.Context, input string) (OwnerReading, error) {
	r, err := p.ResolveOwner(ctx, input)
	if err != nil {
		return OwnerReading{}, err
	}
	if r.Owner.Archived {
		return OwnerReading{}, fmt.Errorf("%s is deactivated (HubSpot archived the owner with their user) and HubSpot refuses deactivated owners as contact owners: pick an active owner", r.Owner.Label())
	}
	return r, nil
}

// AssignableOwners lists the owners contacts can be given to: active
// people and queues, archived owners left out, filtered like the owners
// pane (name, email, owner ID, user ID).
func (p *Portal) AssignableOwners(ctx context.Context, filter string) ([]OwnerRef, error) {
	var out []OwnerRef
	for offset := 0; ; offset += 500 {
		rows, err := p.mirror.Owners(ctx, store.Query{Filter: filter, Offset: offset, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, o := range rows {
			if !o.Archived {
				out = append(out, ownerRefOf(o))
			}
		}
		if len(rows) < 500 {
			return out, nil
		}
	}
}
