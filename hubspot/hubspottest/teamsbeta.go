package hubspottest

import (
	"fmt"
	"slices"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Nothing documents what the Settings Teams API (2026-09-beta) does when a
// DEFAULT membership is added for a user who has one in another team
// (FIDELITY.md, rows 8a and 8b). The sandbox can play each plausible answer, so the
// client is tested against all of them.

// AddDefaultRule is what adding a DEFAULT membership does while the user
// has one elsewhere.
type AddDefaultRule string

const (
	// AddDefaultMoves moves the user's primary team: the old DEFAULT
	// membership ends. The default.
	AddDefaultMoves AddDefaultRule = "moves"
	// AddDefaultRefused answers 400 VALIDATION_ERROR and changes nothing:
	// the old DEFAULT membership must be removed first.
	AddDefaultRefused AddDefaultRule = "refused"
	// AddDefaultKeepsBoth adds the membership and keeps the old one: the
	// user has two DEFAULT memberships until one is removed. The users API
	// goes on reporting the older one as primaryTeamId; the new one shows
	// only in the team's member list.
	AddDefaultKeepsBoth AddDefaultRule = "keeps-both"
)

// DeleteUntypedRule is what DELETE .../members/{userId} without `type` does.
type DeleteUntypedRule string

const (
	// DeleteUntypedDefault ends only the DEFAULT membership, as the spec's
	// default for `type` says. The default.
	DeleteUntypedDefault DeleteUntypedRule = "default"
	// DeleteUntypedBoth ends the DEFAULT and the EXTRA membership.
	DeleteUntypedBoth DeleteUntypedRule = "both"
)

// TeamsBeta chooses the undocumented behaviours of the Teams API; the zero
// value is AddDefaultMoves and DeleteUntypedDefault.
type TeamsBeta struct {
	AddDefault    AddDefaultRule
	DeleteUntyped DeleteUntypedRule
}

// ParseAddDefaultRule reads a rule's name; "" is the default.
func ParseAddDefaultRule(s string) (AddDefaultRule, error) {
	switch r := AddDefaultRule(s); r {
	case "", AddDefaultMoves:
		return AddDefaultMoves, nil
	case AddDefaultRefused, AddDefaultKeepsBoth:
		return r, nil
	}
	return "", fmt.Errorf("%q is not a rule for adding a second DEFAULT membership: use %s, %s or %s", s, AddDefaultMoves, AddDefaultRefused, AddDefaultKeepsBoth)
}

// ParseDeleteUntypedRule reads a rule's name; "" is the default.
func ParseDeleteUntypedRule(s string) (DeleteUntypedRule, error) {
	switch r := DeleteUntypedRule(s); r {
	case "", DeleteUntypedDefault:
		return DeleteUntypedDefault, nil
	case DeleteUntypedBoth:
		return r, nil
	}
	return "", fmt.Errorf("%q is not a rule for a DELETE without type: use %s or %s", s, DeleteUntypedDefault, DeleteUntypedBoth)
}

// hasDefault reports whether u has a DEFAULT membership of team.
func (u *user) hasDefault(team hubspot.TeamID) bool {
	return u.primaryTeam == team || slices.Contains(u.extraDefaults, team)
}

// addDefault gives u a DEFAULT membership of team under rule. refusal is
// the 400's message when the rule refuses it.
func (u *user) addDefault(team hubspot.TeamID, rule AddDefaultRule) (refusal string) {
	dropExtra := func() {
		u.secondaryTeams = slices.DeleteFunc(u.secondaryTeams, func(id hubspot.TeamID) bool { return id == team })
	}
	switch {
	case u.hasDefault(team):
		return "" // already so: adding it again changes nothing
	case u.primaryTeam == "" || rule == AddDefaultMoves || rule == "":
		u.primaryTeam = team
		dropExtra()
	case rule == AddDefaultRefused:
		return fmt.Sprintf("User %s already has a DEFAULT team (%s). A user can have only one DEFAULT team: remove that membership first.", u.id, u.primaryTeam)
	default: // AddDefaultKeepsBoth
		u.extraDefaults = append(u.extraDefaults, team)
		dropExtra()
	}
	return ""
}

// removeDefault ends u's DEFAULT membership of team; false when there is
// none. When two are held, the other one becomes the primary team.
func (u *user) removeDefault(team hubspot.TeamID) bool {
	if i := slices.Index(u.extraDefaults, team); i >= 0 {
		u.extraDefaults = slices.Delete(u.extraDefaults, i, i+1)
		return true
	}
	if u.primaryTeam != team || team == "" {
		return false
	}
	u.primaryTeam = ""
	if len(u.extraDefaults) > 0 {
		u.primaryTeam, u.extraDefaults = u.extraDefaults[0], u.extraDefaults[1:]
	}
	return true
}
