package portal

import (
	"fmt"
)

// Lines is the plan as a person reads it, one line per entry, without
// styling: the console and the command line show the same text.
func (pl UserChangePlan) Lines() []string {
	return append(pl.UserLines(), pl.VerdictLines()...)
}

// UserLines are the summary and what changes for each user, with the roles
// a PUT would drop.
func (pl UserChangePlan) UserLines() []string {
	lines := []string{pl.Summary}
	for _, u := range pl.Users {
		head := fmt.Sprintf("%s (user %s)", u.Label(), u.UserID)
		if u.Unchanged {
			lines = append(lines, head+": already as asked, nothing is sent")
			continue
		}
		lines = append(lines, head)
		lines = append(lines, pl.userLines(u)...)
	}
	return lines
}

// VerdictLines say whether roles would be lost and whether they can be kept.
func (pl UserChangePlan) VerdictLines() []string {
	var lines []string
	if len(pl.Changing()) == 0 {
		return append(lines, "Nothing to change.")
	}
	switch {
	case pl.GoneCount() == 0:
		lines = append(lines, "No role is lost.")
	case pl.Kind == KindRoleChange && !pl.Lossy():
		lines = append(lines, fmt.Sprintf("%s would be lost; no other role is.", pl.GoneText()))
	case pl.Kind == KindRoleChange:
		lines = append(lines, fmt.Sprintf("%s would be lost: HubSpot keeps one role per user on any update, and no API can keep the others.", pl.GoneText()))
	default:
		lines = append(lines, fmt.Sprintf("A user update (PUT) would drop %s.", countRolesText(pl.LostCount())))
		if pl.KeepRoles.OK() {
			lines = append(lines, "Keeping all roles is possible: the Settings Teams API changes membership without touching roles.")
		} else {
			lines = append(lines, "Keeping all roles is not possible: "+pl.KeepRoles.Reason+".")
		}
	}
	return lines
}

func (pl UserChangePlan) userLines(u UserChange) []string {
	const indent = "    "
	var out []string
	row := func(label, value string) { out = append(out, fmt.Sprintf("%s%-16s %s", indent, label, value)) }
	change := func(before, after string) string {
		if before == after {
			return after + " (unchanged)"
		}
		return before + " → " + after
	}
	if pl.Kind == KindTeamChange {
		row("primary team", change(pl.TeamName(u.Before.PrimaryTeamID), pl.TeamName(u.Target.PrimaryTeamID)))
		row("secondary teams", change(pl.teamList(u.Before.SecondaryTeamIDs), pl.teamList(u.Target.SecondaryTeamIDs)))
		row("roles", pl.roleList(u.Before.RoleIDs))
	} else {
		row("role", change(pl.roleList(u.Before.RoleIDs), pl.RoleName(u.Target.RoleID)))
	}
	if gone := pl.Gone(u); len(gone) > 0 {
		row(GoneRowLabel, goneList(gone))
	}
	return out
}

func countRolesText(n int) string {
	if n == 1 {
		return "1 role"
	}
	return fmt.Sprintf("%d roles", n)
}
