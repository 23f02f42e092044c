package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

type createFlags struct {
	first, last, role, team, csv string
	secondary, seats             []string
	welcome, dryRun, yes         bool
}

// userCreateCommand is `hsadmin user create`: one person from the flags,
// or several from a CSV, planned first and created as one journaled job.
func (a *app) userCreateCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:   "create [EMAIL]",
		Short: "create users with a role, teams and seats: one from the flags, or many with --csv FILE",
		Long: `Create HubSpot users: one from EMAIL and the flags, or one a row of --csv FILE.

A plan comes first: who gets what, and which rows are wrong and why (unknown role, team or seat,
a duplicate or existing email, no seat left, a bad email); nothing is sent for a wrong row.
The CSV has a header naming its columns as the flags: email, first, last, role, team,
secondary-team, seat, send-welcome-email; role, secondary-team and seat may list several
separated by ";". HubSpot's API sets one role a user: the first role is set, the others go on the
restore checklist (hsadmin restore list) to add in HubSpot's settings.

The users are created one at a time as one journaled job. Ctrl+C stops after the user in flight;
hsadmin jobs resume JOB finishes the job, looking each email up first so nobody is created twice.`,
		Args: cobra.MaximumNArgs(1),
	})
	fs := cmd.Flags()
	pf := a.pf
	addWriteFlags(fs, pf)
	var cf createFlags
	fs.StringVar(&cf.first, "first", "", "first name")
	fs.StringVar(&cf.last, "last", "", "last name")
	fs.StringVar(&cf.role, "role", "", "the role (name or ID); several separated by ';': the first is set, the others go on the restore checklist")
	fs.StringVar(&cf.team, "team", "", "the primary team (name or ID)")
	fs.StringArrayVar(&cf.secondary, "secondary-team", nil, "a secondary team (name or ID); repeat for several")
	fs.StringArrayVar(&cf.seats, "seat", nil, "a paid seat by name (hsadmin seats lists them); repeat for several; needs settings.billing.write")
	fs.BoolVar(&cf.welcome, "send-welcome-email", false, "have HubSpot email the new user an invitation to set a password")
	fs.StringVar(&cf.csv, "csv", "", "create one user a row of this CSV file instead of EMAIL and the flags")
	fs.BoolVar(&cf.dryRun, "dry-run", false, "print the plan and send nothing")
	fs.BoolVar(&cf.yes, "yes", false, "do not ask for confirmation")
	a.registerDirectoryCompletions(cmd)
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		people, source, err := cf.people(args, func(name string) (io.ReadCloser, error) { return openInput(std, name) })
		if err != nil {
			return err
		}
		op, err := pf.open(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		plan, err := op.PlanOnboard(ctx, source, people)
		if err != nil {
			return err
		}
		return runOnboard(ctx, std, op, pf, plan, cf, a.asJSON)
	})
	return cmd
}

// openInput opens a file the admin named; "-" is stdin.
func openInput(std stdio, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(std.in), nil
	}
	return os.Open(name)
}

// people are the persons the flags or the CSV ask for.
func (cf createFlags) people(args []string, open func(string) (io.ReadCloser, error)) ([]portal.NewUser, string, error) {
	if cf.csv != "" {
		if len(args) > 0 || cf.first != "" || cf.last != "" || cf.role != "" || cf.team != "" || len(cf.secondary) > 0 || len(cf.seats) > 0 {
			return nil, "", usagef("--csv takes everyone from the file: give no EMAIL, --first, --last, --role, --team, --secondary-team or --seat with it")
		}
		f, err := open(cf.csv)
		if err != nil {
			return nil, "", fmt.Errorf("cannot read the CSV file: %w", err)
		}
		defer f.Close()
		people, err := portal.ReadNewUsersCSV(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", cf.csv, err)
		}
		return people, cf.csv, nil
	}
	if len(args) == 0 {
		return nil, "", usagef("give the new user's EMAIL (or --csv FILE)")
	}
	if cf.first == "" || cf.last == "" {
		return nil, "", usagef("give the new user's --first and --last name")
	}
	return []portal.NewUser{{
		Email: args[0], First: cf.first, Last: cf.last, Roles: splitSemicolons(cf.role), Team: cf.team,
		SecondaryTeams: cf.secondary, Seats: cf.seats, SendWelcomeEmail: cf.welcome,
	}}, "", nil
}

func splitSemicolons(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// onboardOut is the --json document.
type onboardOut struct {
	Plan   portal.OnboardPlan    `json:"plan"`
	DryRun bool                  `json:"dryRun"`
	Result *portal.OnboardResult `json:"result,omitempty"`
}

func runOnboard(ctx context.Context, std stdio, op *openedPortal, pf *portalFlags, plan portal.OnboardPlan, cf createFlags, asJSON bool) error {
	out := onboardOut{Plan: plan, DryRun: cf.dryRun}
	if !asJSON {
		for _, line := range plan.Lines() {
			fmt.Fprintln(std.out, line)
		}
	}
	n := len(plan.Sendable())
	switch {
	case n == 0:
		if asJSON {
			_ = printJSON(std, out) // the refusal below is what to act on
		}
		return fmt.Errorf("nothing to create: every row is wrong (%s); nothing was sent", portal.Plural(len(plan.Rows), "row"))
	case cf.dryRun:
		if asJSON {
			return printJSON(std, out)
		}
		fmt.Fprintln(std.out, "Dry run: nothing was sent.")
		return nil
	}
	if r := op.Info().OnboardRefusal(); r != "" {
		return errors.New("cannot create users: " + r + "; nothing was sent")
	}
	prompt := fmt.Sprintf("Create %s?", portal.Plural(n, "user"))
	if w := plan.WrongCount(); w > 0 {
		prompt = fmt.Sprintf("Create %s (the %s not sent)?", portal.Plural(n, "user"), portal.Plural(w, "wrong row"))
	}
	if err := confirm(std, prompt, cf.yes); err != nil {
		return err
	}
	if err := op.guardProduction(std, pf, n); err != nil {
		return err
	}
	var progress func(portal.OnboardRowResult)
	if !asJSON {
		progress = func(r portal.OnboardRowResult) { printOnboardRow(std.out, r) }
	}
	res, err := op.StartOnboard(ctx, plan, progress)
	if err != nil {
		return err
	}
	return finishOnboard(ctx, std, res, out, asJSON)
}

// finishOnboard prints the result and turns an unfinished job into the
// exit status.
func finishOnboard(ctx context.Context, std stdio, res portal.OnboardResult, out onboardOut, asJSON bool) error {
	out.Result = &res
	if asJSON {
		if err := printJSON(std, out); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(std.out, "Job %d %s: %d created, %d failed, %d not sent", res.JobID, res.State,
			res.Count(store.ItemDone), res.Count(store.ItemFailed), res.Count(store.ItemSkipped))
		if left := res.Count(store.ItemPending) + res.Count(store.ItemSent); left > 0 {
			fmt.Fprintf(std.out, ", %d left", left)
		}
		fmt.Fprintln(std.out, ".")
	}
	left := res.Count(store.ItemPending) + res.Count(store.ItemSent)
	switch {
	case left > 0 && ctx.Err() != nil:
		return interruptedf("stopped after the user in flight: %s not created yet; hsadmin jobs resume %d creates them", portal.Plural(left, "user"), res.JobID)
	case left > 0:
		return fmt.Errorf("%s not created yet (job %s); hsadmin jobs resume %d finishes it, checking each email first", portal.Plural(left, "user"), res.State, res.JobID)
	case res.Count(store.ItemFailed) > 0:
		return fmt.Errorf("%s failed; the journal (job %d) says why", portal.Plural(res.Count(store.ItemFailed), "user"), res.JobID)
	}
	return nil
}

func printOnboardRow(w io.Writer, r portal.OnboardRowResult) {
	where := r.Email
	if r.Line > 0 {
		where = fmt.Sprintf("line %d: %s", r.Line, r.Email)
	}
	switch r.State {
	case store.ItemDone:
		fmt.Fprintf(w, "  created %s: user %s, owner %s — %s\n", where, r.UserID, orNone(string(r.OwnerID)), r.Link)
		if len(r.ChecklistRoles) > 0 {
			var names []string
			for _, ro := range r.ChecklistRoles {
				names = append(names, ro.Name)
			}
			fmt.Fprintf(w, "    add in HubSpot's settings: %s (on the restore checklist)\n", strings.Join(names, ", "))
		}
		if r.Message != "" {
			fmt.Fprintf(w, "    %s\n", r.Message)
		}
	default:
		fmt.Fprintf(w, "  %s %s: %s\n", r.State, where, r.Message)
	}
}

// resumeOnboard is `hsadmin jobs resume` for a user creation job.
func resumeOnboard(ctx context.Context, std stdio, op *openedPortal, pf *portalFlags, job portal.JobSummary, yes, dryRun, asJSON bool) error {
	left := job.Items.Pending + job.Items.Sent
	if dryRun {
		fmt.Fprintf(std.out, "Dry run: %s left (%s never sent, %s sent with the outcome unknown); each email would be looked up first and a user created only where HubSpot has none. Nothing was sent.\n",
			portal.Plural(left, "user"), portal.Thousands(job.Items.Pending), portal.Thousands(job.Items.Sent))
		return nil
	}
	if err := confirm(std, fmt.Sprintf("Check and create the %s left?", portal.Plural(left, "user")), yes); err != nil {
		return err
	}
	if err := op.guardProduction(std, pf, left); err != nil {
		return err
	}
	var progress func(portal.OnboardRowResult)
	if !asJSON {
		progress = func(r portal.OnboardRowResult) { printOnboardRow(std.out, r) }
	}
	res, err := op.RunOnboard(ctx, job.ID, progress)
	if err != nil {
		return err
	}
	return finishOnboard(ctx, std, res, onboardOut{}, asJSON)
}

// seatsCommand is `hsadmin seats`: the portal's paid seats and what is left.
func (a *app) seatsCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:   "seats",
		Short: "list the portal's paid seats and how many of each are left (needs settings.billing.write)",
		Args:  cobra.NoArgs,
	})
	pf := a.pf
	cmd.RunE = a.run(func(ctx context.Context, std stdio, _ []string) error {
		op, err := pf.openMirror(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		seats, err := op.Client().Seats(ctx)
		if scopes, ok := hubspot.MissingScopes(err); ok && (len(scopes) == 0 || slices.Contains(scopes, hubspot.ScopeBillingWrite)) {
			return fmt.Errorf("HubSpot lists seats only to apps holding the %s scope, which this token lacks: add it to the app (private app scopes, or re-run hsadmin login with it) and try again", hubspot.ScopeBillingWrite)
		}
		if err != nil {
			return err
		}
		if a.asJSON {
			if seats == nil {
				seats = []hubspot.Seat{}
			}
			return printJSON(std, struct {
				Seats []hubspot.Seat `json:"seats"`
			}{seats})
		}
		if len(seats) == 0 {
			fmt.Fprintln(std.out, "The portal has no paid seats.")
			return nil
		}
		width := 0
		for _, s := range seats {
			width = max(width, len(s.Name))
		}
		for _, s := range seats {
			fmt.Fprintf(std.out, "%-*s  %s left  %s\n", width, s.Name, leftText(s.Remaining), s.Description)
		}
		return nil
	})
	return cmd
}

func leftText(n int) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprintf("%4s", portal.Thousands(n))
}

// registerDirectoryCompletions completes --role, --team, --secondary-team
// and --seat with names from the mirror.
func (a *app) registerDirectoryCompletions(cmd *cobra.Command) {
	names := func(list func(context.Context, *openedPortal) ([]string, error)) cobra.CompletionFunc {
		return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			err := a.withCompletionPortal(cmd, func(ctx context.Context, op *openedPortal) error {
				all, err := list(ctx, op)
				for _, n := range all {
					if strings.HasPrefix(strings.ToLower(n), strings.ToLower(toComplete)) {
						out = append(out, n)
					}
				}
				return err
			})
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
	}
	roles := names(func(ctx context.Context, op *openedPortal) ([]string, error) {
		n, err := op.ChangeNames(ctx)
		var out []string
		for _, r := range n.Roles {
			out = append(out, r.Name)
		}
		return out, err
	})
	teams := names(func(ctx context.Context, op *openedPortal) ([]string, error) {
		n, err := op.ChangeNames(ctx)
		var out []string
		for _, t := range n.Teams {
			out = append(out, t.Name)
		}
		return out, err
	})
	seats := names(func(ctx context.Context, op *openedPortal) ([]string, error) {
		return op.Mirror().SeatNamesHeld(ctx)
	})
	_ = cmd.RegisterFlagCompletionFunc("role", roles)
	_ = cmd.RegisterFlagCompletionFunc("team", teams)
	_ = cmd.RegisterFlagCompletionFunc("secondary-team", teams)
	_ = cmd.RegisterFlagCompletionFunc("seat", seats)
}
