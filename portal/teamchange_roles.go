package portal

import (
	"fmt"
	"strings"
)

// Every role a user stops holding is accounted for, in the plan, the
// confirmation, the journal and (unless the admin chose it) the restore
// checklist. Two reasons make a role go: a role change replaces the user's
// primary role with the one the admin picked, and a user PUT makes HubSpot
// drop every other role.

// LossReason says why a role goes.
type LossReason string

const (
	// LossReplaced is the primary role a role change replaces: the admin
	// chose it, so it is not on the restore checklist.
	LossReplaced LossReason = "replaced"
	// LossDropped is a role HubSpot drops on a user PUT: it goes on the
	// restore checklist.
	LossDropped LossReason = "dropped"
)

// Words is the reason as the plan shows it.
func (r LossReason) Words() string {
	if r == LossReplaced {
		return "replaced by your choice"
	}
	return "dropped by HubSpot"
}

// RoleLoss is one role a change takes from a user, and why.
type RoleLoss struct {
	RoleRef
	Why LossReason `json:"why"`
}

// goneRoles lists every role u stops holding on a PUT: the replaced one
// first. Names are filled in by the plan.
func goneRoles(u UserChange) []RoleLoss {
	var out []RoleLoss
	if u.Replaced != "" {
		out = append(out, RoleLoss{RoleRef: RoleRef{ID: u.Replaced}, Why: LossReplaced})
	}
	for _, r := range u.Lost {
		out = append(out, RoleLoss{RoleRef: r, Why: LossDropped})
	}
	return out
}

// Gone lists every role u stops holding when the change goes as a PUT,
// named from the plan.
func (pl UserChangePlan) Gone(u UserChange) []RoleLoss {
	out := goneRoles(u)
	for i := range out {
		if out[i].Name == "" {
			out[i].Name = pl.RoleName(out[i].ID)
		}
	}
	return out
}

// GoneCount is how many roles users stop holding when the change goes as a
// PUT, over all users: the replaced ones and the ones HubSpot drops.
func (pl UserChangePlan) GoneCount() int {
	n := 0
	for _, u := range pl.Changing() {
		n += len(goneRoles(u))
	}
	return n
}

// ReplacedCount is how many roles the admin's choice replaces.
func (pl UserChangePlan) ReplacedCount() int { return pl.GoneCount() - pl.LostCount() }

// GoneText counts the roles that go, by reason: "2 roles (1 replaced by
// your choice, 1 dropped by HubSpot)", "1 role (dropped by HubSpot)".
func (pl UserChangePlan) GoneText() string {
	replaced, dropped := pl.ReplacedCount(), pl.LostCount()
	if replaced+dropped == 0 {
		return "no role"
	}
	var parts []string
	if replaced > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", replaced, LossReplaced.Words()))
	}
	if dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", dropped, LossDropped.Words()))
	}
	if len(parts) == 1 {
		// One reason covers them all: no count inside the brackets.
		parts[0] = parts[0][strings.Index(parts[0], " ")+1:]
	}
	return countRolesText(replaced+dropped) + " (" + strings.Join(parts, ", ") + ")"
}

// goneList names roles grouped by reason: "replaced by your choice: Sales
// Manager; dropped by HubSpot: Marketing Contributor".
func goneList(gone []RoleLoss) string {
	var groups []string
	for _, why := range []LossReason{LossReplaced, LossDropped} {
		var names []string
		for _, g := range gone {
			if g.Why == why {
				names = append(names, g.Name)
			}
		}
		if len(names) > 0 {
			groups = append(groups, why.Words()+": "+strings.Join(names, ", "))
		}
	}
	return strings.Join(groups, "; ")
}

// GoneRowLabel labels the plan's line of roles that go; the console
// highlights it.
const GoneRowLabel = "no longer held"
