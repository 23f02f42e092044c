package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

// userCommand is the users' group: team and role changes that never
// silently drop a user's other roles. Each change has its own flags.
func (a *app) userCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "change users' teams or role without silently dropping their other roles",
		Long: `Change users' teams or role without silently dropping their other roles.

Users are changed one at a time. Ctrl+C (SIGINT or SIGTERM) stops after the user in flight, says how
many were not changed (run the same command again for them) and exits 130; a second Ctrl+C exits
at once, and the next start verifies the job.`,
		Args: subcommandArgs,
		RunE: needsSubcommand,
	}
	cmd.AddCommand(a.userChangeCommand("set-team"), a.userChangeCommand("set-role"), a.userCreateCommand())
	return cmd
}

type userFlags struct {
	team, role                        string
	secondary                         []string
	keepRoles, allowLoss, dryRun, yes bool
	asJSON                            bool
}

// userChangeCommand is set-team or set-role: the same plan, confirm and
// apply, with the flags of its own change.
func (a *app) userChangeCommand(sub string) *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:   sub + " USER...",
		Short: "give users a new primary team and/or secondary teams (USER: user ID or email)",
	})
	fs := cmd.Flags()
	pf := a.pf
	addWriteFlags(fs, pf)
	var uf userFlags
	if sub == "set-team" {
		fs.StringVar(&uf.team, "team", "", "the new primary team (name or ID)")
		fs.StringArrayVar(&uf.secondary, "secondary", nil, "a secondary team (name or ID); repeat for several; replaces the user's secondary teams")
		fs.BoolVar(&uf.keepRoles, "keep-roles", false, "change membership through the Settings Teams API, keeping every role (needs settings.users.teams.write)")
	} else {
		cmd.Short = "give users a new role (USER: user ID or email)"
		fs.StringVar(&uf.role, "role", "", "the new role (name or ID)")
		// Accepted only to explain why no role change can keep roles.
		fs.BoolVar(&uf.keepRoles, "keep-roles", false, "impossible for a role change")
		_ = fs.MarkHidden("keep-roles")
	}
	fs.BoolVar(&uf.allowLoss, "allow-role-loss", false, "send a user update even though HubSpot drops the user's other roles (they go on the restore checklist)")
	fs.BoolVar(&uf.dryRun, "dry-run", false, "print the plan and send nothing")
	fs.BoolVar(&uf.yes, "yes", false, "do not ask for confirmation")
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		uf.asJSON = a.asJSON
		// Flags may follow the users (hsadmin user set-team ann@x.com --team
		// Sales).
		users := args
		if err := uf.check(sub, users); err != nil {
			return err
		}
		op, err := pf.open(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		if err := verifyUnfinished(ctx, std, op.Portal); err != nil {
			return err
		}
		plan, err := planUserChange(ctx, op.Portal, sub, users, uf)
		if err != nil {
			return err
		}
		guard := func() error { return op.guardProduction(std, pf, len(plan.Changing())) }
		return runUserChange(ctx, std, op.Portal, plan, uf, guard)
	})
	return cmd
}

func (uf userFlags) check(sub string, users []string) error {
	if len(users) == 0 {
		return usagef("name at least one user (user ID or email)")
	}
	if uf.keepRoles && uf.allowLoss {
		return usagef("--keep-roles and --allow-role-loss exclude each other")
	}
	if sub == "set-team" {
		if uf.team == "" && len(uf.secondary) == 0 {
			return usagef("set-team needs --team NAME and/or --secondary NAME")
		}
		return nil
	}
	if uf.role == "" {
		return usagef("set-role needs --role NAME")
	}
	if uf.keepRoles {
		return usagef("--keep-roles is impossible for a role change: HubSpot keeps a single role on every user update, and no API can keep the others")
	}
	return nil
}

func planUserChange(ctx context.Context, p *portal.Portal, sub string, who []string, uf userFlags) (portal.UserChangePlan, error) {
	var ids []hubspot.UserID
	for _, w := range who {
		u, err := p.FindUser(ctx, w)
		if err != nil {
			return portal.UserChangePlan{}, err
		}
		ids = append(ids, u.UserID)
	}
	names, err := p.ChangeNames(ctx)
	if err != nil {
		return portal.UserChangePlan{}, err
	}
	if sub == "set-role" {
		role, err := names.FindRole(uf.role)
		if err != nil {
			return portal.UserChangePlan{}, err
		}
		return p.PlanRoleChange(ctx, ids, role)
	}
	var ch portal.TeamChange
	if uf.team != "" {
		if ch.Primary, err = names.FindTeam(uf.team); err != nil {
			return portal.UserChangePlan{}, err
		}
	}
	for _, s := range uf.secondary {
		t, err := names.FindTeam(s)
		if err != nil {
			return portal.UserChangePlan{}, err
		}
		ch.Secondary, ch.SetSecondary = append(ch.Secondary, t), true
	}
	return p.PlanTeamChange(ctx, ids, ch)
}

// verifyUnfinished settles team and role changes an interrupted run left
// unfinished before anything new is planned, and says what it found.
func verifyUnfinished(ctx context.Context, std stdio, p *portal.Portal) error {
	found, err := p.VerifyUnfinishedChanges(ctx)
	for _, r := range found {
		fmt.Fprintf(std.err, "hsadmin: journal job %d, user %s: %s: %s\n", r.JobID, r.UserID, r.State, r.Message)
	}
	if err != nil {
		return fmt.Errorf("checking changes an earlier run left unfinished: %w", err)
	}
	return nil
}

// userChangeOut is the --json document.
type userChangeOut struct {
	Plan   portal.UserChangePlan `json:"plan"`
	Method portal.Method         `json:"method,omitempty"`
	DryRun bool                  `json:"dryRun"`
	Result *applyOut             `json:"result,omitempty"`
}

type applyOut struct {
	JobID int64         `json:"jobId"`
	Users []userResultJ `json:"users"`
}

type userResultJ struct {
	UserID  string           `json:"userId"`
	User    string           `json:"user"`
	State   string           `json:"state"`
	Message string           `json:"message,omitempty"`
	After   portal.UserState `json:"after"`
	Dropped []string         `json:"droppedRoles,omitempty"`
	// Replaced is the role the admin's choice replaced: gone, not on the
	// restore checklist.
	Replaced []string `json:"replacedRoles,omitempty"`
}

// guard is the production portal's check, run after the admin confirmed.
func runUserChange(ctx context.Context, std stdio, p *portal.Portal, plan portal.UserChangePlan, uf userFlags, guard func() error) error {
	out := userChangeOut{Plan: plan, DryRun: uf.dryRun}
	if !uf.asJSON {
		for _, line := range plan.Lines() {
			fmt.Fprintln(std.out, line)
		}
	}
	if len(plan.Changing()) == 0 {
		if uf.asJSON {
			return printJSON(std, out)
		}
		return nil
	}
	method, err := chooseMethod(plan, uf)
	if err != nil {
		if uf.asJSON {
			// The change's own error is the one to report; a JSON write
			// failing as well adds nothing the admin can act on.
			_ = printJSON(std, out)
		}
		return err
	}
	out.Method = method
	if uf.dryRun {
		if uf.asJSON {
			return printJSON(std, out)
		}
		fmt.Fprintf(std.out, "Dry run: nothing was sent (it would go %s).\n", methodText(method))
		return nil
	}
	if err := confirmUserChange(std, plan, method, uf.yes); err != nil {
		return err
	}
	if err := guard(); err != nil {
		return err
	}
	res, err := p.ApplyUserChange(ctx, plan, method)
	if err != nil {
		return err
	}
	out.Result = resultOut(res)
	if uf.asJSON {
		if err := printJSON(std, out); err != nil {
			return err
		}
	} else {
		printApplyResult(std.out, res)
	}
	if n := len(res.Users) - res.Count(store.ItemDone); n > 0 && ctx.Err() != nil {
		// Users are changed one at a time: the one in flight was finished.
		return interruptedf("stopped after the user in flight: %d of %d users were not changed (job %d); run the same command again to change them",
			n, len(res.Users), res.JobID)
	}
	if n := len(res.Users) - res.Count(store.ItemDone); n > 0 {
		return fmt.Errorf("%d of %d users did not end as planned; the journal (job %d) says why", n, len(res.Users), res.JobID)
	}
	return nil
}

// chooseMethod turns the flags into a method, refusing a lossy change
// nobody allowed.
func chooseMethod(plan portal.UserChangePlan, uf userFlags) (portal.Method, error) {
	switch {
	case uf.keepRoles:
		if a := plan.KeepRoles; !a.OK() {
			return "", fmt.Errorf("cannot keep the roles: %s", a.Reason)
		}
		return portal.MethodKeepRoles, nil
	case plan.Lossy():
		if !uf.allowLoss {
			hint := "--keep-roles to keep them, or --allow-role-loss"
			if !plan.KeepRoles.OK() {
				hint = "--allow-role-loss (keeping them is not possible: " + plan.KeepRoles.Reason + ")"
			}
			what := "drops " + portal.Plural(plan.LostCount(), "role")
			if plan.ReplacedCount() > 0 {
				what = "takes " + plan.GoneText()
			}
			return "", usagef("this change %s from the users; nothing was sent. Rerun with %s", what, hint)
		}
		if a := plan.Put; !a.OK() {
			return "", fmt.Errorf("cannot send a user update: %s", a.Reason)
		}
		return portal.MethodPut, nil
	}
	m, ok := plan.PlainMethod()
	if !ok {
		return "", fmt.Errorf("cannot send the change: %s", plan.Put.Reason)
	}
	return m, nil
}

// confirmUserChange asks before sending; dropping roles takes typing their
// number, as in the console.
func confirmUserChange(std stdio, plan portal.UserChangePlan, m portal.Method, yes bool) error {
	n := len(plan.Changing())
	prompt := fmt.Sprintf("Send this change for %s %s?", portal.Plural(n, "user"), methodText(m))
	if m == portal.MethodPut && plan.Lossy() && !yes && std.isTerminal(std.in) {
		gone := strconv.Itoa(plan.GoneCount())
		return typedConfirm(std, fmt.Sprintf("%s %s will be lost; the ones HubSpot drops go on the restore checklist.", prompt, plan.GoneText()), gone)
	}
	return confirm(std, prompt, yes)
}

func methodText(m portal.Method) string {
	if m == portal.MethodKeepRoles {
		return "through the Settings Teams API, keeping every role"
	}
	return "as a user update (PUT)"
}

func resultOut(res portal.ApplyResult) *applyOut {
	out := &applyOut{JobID: res.JobID, Users: []userResultJ{}}
	for _, u := range res.Users {
		j := userResultJ{UserID: string(u.UserID), User: u.Label, State: u.State, Message: u.Message, After: u.After}
		for _, r := range u.Dropped {
			j.Dropped = append(j.Dropped, r.Name)
		}
		for _, r := range u.Replaced {
			j.Replaced = append(j.Replaced, r.Name)
		}
		out.Users = append(out.Users, j)
	}
	return out
}

func printApplyResult(w io.Writer, res portal.ApplyResult) {
	for _, u := range res.Users {
		line := fmt.Sprintf("%s: %s", u.Label, u.State)
		if u.Message != "" {
			line += ": " + u.Message
		}
		fmt.Fprintln(w, line)
		if len(u.Replaced) > 0 {
			fmt.Fprintf(w, "  replaced by your choice: %s\n", roleNames(u.Replaced))
		}
		if len(u.Dropped) > 0 {
			fmt.Fprintf(w, "  dropped by HubSpot: %s\n", roleNames(u.Dropped))
		}
	}
	fmt.Fprintf(w, "Journal job %d: %d done, %d failed, %d skipped.\n", res.JobID,
		res.Count(store.ItemDone), res.Count(store.ItemFailed), res.Count(store.ItemSkipped))
	if res.DroppedCount() > 0 {
		fmt.Fprintf(w, "%s on the restore checklist: hsadmin restore list\n", portal.Plural(res.DroppedCount(), "role"))
	}
}

func roleNames(refs []portal.RoleRef) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}
