package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/spf13/pflag"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

// `hsadmin undo JOB` on a team or role change puts its users back to the
// teams or primary role the journal recorded, through the same plan and
// warnings as hsadmin user.

// userUndoFlags are the undo flags only team and role undos use.
type userUndoFlags struct{ keepRoles, allowLoss bool }

func addUserUndoFlags(fs *pflag.FlagSet) *userUndoFlags {
	f := &userUndoFlags{}
	fs.BoolVar(&f.keepRoles, "keep-roles", false, "team change undo: change membership through the Settings Teams API, keeping every role")
	fs.BoolVar(&f.allowLoss, "allow-role-loss", false, "team or role change undo: send user updates even though HubSpot drops the users' other roles")
	return f
}

// isUserChangeJob reports whether job id is a team or role change.
func isUserChangeJob(ctx context.Context, p *portal.Portal, id int64) bool {
	jb, err := p.Journal().Job(ctx, id)
	return err == nil && (jb.Kind == string(portal.KindTeamChange) || jb.Kind == string(portal.KindRoleChange))
}

func runUserChangeUndo(ctx context.Context, std stdio, op *openedPortal, pf *portalFlags, id int64, f *userUndoFlags, yes, dryRun bool) error {
	if err := verifyUnfinished(ctx, std, op.Portal); err != nil {
		return err
	}
	undo, err := op.PlanUserChangeUndo(ctx, id)
	if err != nil {
		return err
	}
	for _, line := range undo.Lines() {
		fmt.Fprintln(std.out, line)
	}
	if len(undo.Plan.Changing()) == 0 {
		if len(undo.Refused) > 0 {
			return fmt.Errorf("nothing can be undone in job %d: %s", id, portal.Plural(len(undo.Refused), "user")+" left as they are (see above)")
		}
		return fmt.Errorf("job %d: every user is already back as the journal recorded", id)
	}
	method, err := chooseMethod(undo.Plan, userFlags{keepRoles: f.keepRoles, allowLoss: f.allowLoss})
	if err != nil {
		return err
	}
	if dryRun {
		fmt.Fprintf(std.out, "Dry run: nothing was sent (it would go %s).\n", methodText(method))
		return nil
	}
	if err := confirmUserChange(std, undo.Plan, method, yes); err != nil {
		return err
	}
	if err := op.guardProduction(std, pf, len(undo.Plan.Changing())); err != nil {
		return err
	}
	res, err := op.ApplyUserChangeUndo(ctx, undo, method)
	if err != nil {
		return err
	}
	printApplyResult(std.out, res)
	if n := len(res.Users) - res.Count(store.ItemDone); n > 0 {
		return fmt.Errorf("%d of %d users are not back; the journal (job %d) says why, and job %d can be undone again", n, len(res.Users), res.JobID, id)
	}
	if len(undo.Refused) > 0 {
		return errors.New(portal.Plural(len(undo.Refused), "user") + " of job " + fmt.Sprint(id) + " left as they are (see above)")
	}
	fmt.Fprintf(std.out, "Job %d is undone.\n", id)
	return nil
}
