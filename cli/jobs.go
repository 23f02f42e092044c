package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/portal"
)

// jobsCommand is the journal's group: list, resume and undo its jobs (a
// new verb on jobs, such as show, is one more AddCommand below). "hsadmin
// jobs" alone lists them, as it always did.
func (a *app) jobsCommand() *cobra.Command {
	list := a.jobsListCommand()
	cmd := printsJSON(&cobra.Command{
		Use:   "jobs",
		Short: "the journal's jobs (reassignments, team and role changes): list, show, resume, undo",
		Long:  "The journal's jobs (reassignments, team and role changes): list, resume, undo.\n\n" + outcomesHelp,
		Args:  subcommandArgs,
		RunE:  list.RunE,
	})
	cmd.AddCommand(list, a.jobsShowCommand(), a.resumeCommand(), a.undoCommand())
	return cmd
}

func (a *app) jobsListCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "list the journal's jobs (reassignments, team and role changes): when, what, how many, outcome",
		Long:    "List the journal's jobs (reassignments, team and role changes): when, what, how many, outcome.\n\n" + outcomesHelp,
	})
	pf := a.pf
	asJSON := &a.asJSON
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		op, err := pf.openMirror(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		jobs, err := op.JobHistory(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			out := make([]portal.JobRecord, len(jobs))
			for i, j := range jobs {
				out[i] = j.Record()
			}
			return printJSON(std, out)
		}
		if len(jobs) == 0 {
			fmt.Fprintln(std.out, "The journal holds no job yet.")
			return nil
		}
		tw := tabwriter.NewWriter(std.out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "JOB\tWHEN\tKIND\tITEMS\tOUTCOME\tWHAT")
		for _, j := range jobs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", j.ID, j.CreatedAt.Local().Format("2006-01-02 15:04"), j.Kind,
				portal.Thousands(j.Items.Total), j.Outcome(), j.Summary)
		}
		return tw.Flush()
	})
	return cmd
}

// outcomesHelp says what the outcome column of the jobs list means.
const outcomesHelp = `Outcomes are counted from the job's items, never written down when it started:
  done: 340 changed, 2 failed        the job ran to its end
  cancelled: 40 changed, 60 left     stopped after the batch in flight: hsadmin jobs resume JOB finishes it
  interrupted: 40 changed, 60 left   stopped by the network, the quota or a process that is gone
                                     (a job is never listed running once its process has gone)
  undone: 56 changed; all back       an undo put every change back (or gave some to another owner)
  partly undone: …; 50 back, 6 not back
                                     a later hsadmin jobs undo JOB covers exactly the 6
  undo failed: …; none back          the undo put nothing back
  undo cancelled: …; undo job 2 stopped with 30 left`

func (a *app) jobsShowCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:   "show JOB",
		Short: "a job's items, each with its outcome, HubSpot's whole reason and the correlation ID",
	})
	cmd.ValidArgsFunction = a.completeJobs(func(portal.JobSummary) bool { return true })
	pf := a.pf
	asJSON := &a.asJSON
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		return showJob(ctx, std, pf, args, *asJSON)
	})
	return cmd
}

// jobArg reads the JOB argument.
func jobArg(args []string) (int64, error) {
	if len(args) != 1 {
		return 0, usagef("name one job (its number in `hsadmin jobs`)")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a job number", args[0])
	}
	return id, nil
}

func (a *app) resumeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resume JOB",
		Short: "finish a reassignment a crash, a lost network or a cancel left unfinished, re-checking each contact first",
		Long: "Finish a reassignment a crash, a lost network or a cancel left unfinished, re-checking each contact first.\n\n" +
			"A job is resumable while it is cancelled or interrupted with contacts left, and no undo has rolled it back.\n" + interruptHelp,
	}
	cmd.ValidArgsFunction = a.completeJobs(portal.JobSummary.Resumable)
	fs := cmd.Flags()
	pf := a.pf
	addWriteFlags(fs, pf)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	dryRun := fs.Bool("dry-run", false, "say what is left to send and send nothing")
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		id, err := jobArg(args)
		if err != nil {
			return err
		}
		op, err := pf.openMirror(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		job, err := findJob(ctx, op.Portal, id)
		if err != nil {
			return err
		}
		if !job.Resumable() {
			return fmt.Errorf("job %d has nothing to resume (%s)", id, job.Outcome())
		}
		if job.Kind == portal.KindOffboard {
			return resumeOffboard(ctx, std, op, pf, job, *yes, *dryRun)
		}
		fmt.Fprintf(std.out, "Job %d: %s\n  %s\n", id, job.Summary, job.Outcome())
		if job.Kind == portal.KindOnboard {
			return resumeOnboard(ctx, std, op, pf, job, *yes, *dryRun, a.asJSON)
		}
		left := job.Items.Pending + job.Items.Sent
		if *dryRun {
			fmt.Fprintf(std.out, "Dry run: %s left (%s never sent, %s sent with the outcome unknown); each would be read back first and sent only if HubSpot still shows the owner it had. Nothing was sent.\n",
				portal.Plural(left, "contact"), portal.Thousands(job.Items.Pending), portal.Thousands(job.Items.Sent))
			return nil
		}
		if err := confirm(std, fmt.Sprintf("Re-check and send the %s left?", portal.Plural(left, "contact")), *yes); err != nil {
			return err
		}
		if err := op.guardProduction(std, pf, left); err != nil {
			return err
		}
		return runJobWithProgress(ctx, std, op.Portal, id, true)
	})
	return cmd
}

func (a *app) undoCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "undo JOB",
		Short: "put a reassignment's contacts back with their previous owners, or a team or role change's users back to their journalled teams or role, leaving those changed since",
		Long: `Put a reassignment's contacts back with their previous owners, leaving those changed since.

Before sending anything, the plan finds the contacts whose previous owner HubSpot would refuse
(deactivated, or an owner ID that matches no owner) and sends nothing for them: --dry-run lists
those owners by name and owner ID. --others-to OWNER (read like reassign --to) gives them to that
owner instead; without it they stay where they are and the job stays "partly undone".
A job is "undone" only when every change is back; otherwise its outcome says how many are back,
and a later undo covers exactly the contacts not back yet.
` + interruptHelp,
	}
	cmd.ValidArgsFunction = a.completeJobs(portal.JobSummary.Undoable)
	fs := cmd.Flags()
	pf := a.pf
	addWriteFlags(fs, pf)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	dryRun := fs.Bool("dry-run", false, "print the plan (what goes back, what HubSpot would refuse and where it would go) and send nothing")
	count := fs.Int("count", 0, fmt.Sprintf("confirm an undo of more than %d contacts by its number", portal.TypedCountAbove))
	userUndo := addUserUndoFlags(fs)
	othersTo := fs.String("others-to", "", "give the contacts whose previous owner HubSpot refuses (deactivated, deleted, unknown) to this owner instead "+
		"(as reassign --to reads it); without it they stay where they are and nothing is sent for them")
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		id, err := jobArg(args)
		if err != nil {
			return err
		}
		op, err := pf.open(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		if isUserChangeJob(ctx, op.Portal, id) {
			return runUserChangeUndo(ctx, std, op, pf, id, userUndo, *yes, *dryRun)
		}
		plan, err := op.PlanUndoWith(ctx, id, portal.UndoOptions{OthersTo: *othersTo})
		if err != nil {
			return planError(err)
		}
		printPlan(std.out, plan)
		printRefused(std.out, plan)
		fmt.Fprintln(std.out, "  Each contact is read back first: one whose owner changed since the job is left alone and reported.")
		if *dryRun {
			fmt.Fprintf(std.out, "Dry run: nothing was sent. %s.\n", undoWouldDo(plan))
			return nil
		}
		if plan.Count() == 0 {
			return fmt.Errorf("nothing to send: HubSpot refuses the previous owner of all %s; "+
				"`hsadmin jobs undo %d --others-to OWNER` gives them to someone else, or leave them where they are",
				portal.Plural(plan.RefusedCount(), "contact"), id)
		}
		if err := confirmCount(std, plan.Summary()+"?", plan.Count(), *yes, *count); err != nil {
			return err
		}
		if err := op.guardProduction(std, pf, plan.Count()); err != nil {
			return err
		}
		undo, err := op.RecordUndo(ctx, plan)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.err, "hsadmin: undo recorded as job %d\n", undo)
		return runJobWithProgress(ctx, std, op.Portal, undo, false)
	})
	return cmd
}

// printRefused lists the previous owners HubSpot would refuse, by name and
// owner ID, and where their contacts go.
func printRefused(w io.Writer, plan portal.ReassignPlan) {
	if plan.RefusedCount() == 0 {
		return
	}
	fmt.Fprintf(w, "  %s cannot go back: HubSpot refuses their previous owner as an owner:\n", portal.Plural(plan.RefusedCount(), "contact"))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, r := range plan.Refused {
		why := "deactivated"
		if r.Owner.Unknown {
			why = "matches no owner (deleted, or never one)"
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", r.Owner.Label(), why, portal.Thousands(r.Count))
	}
	tw.Flush()
	switch left := plan.RefusedCount() - plan.Redirected(); {
	case plan.OthersTo.ID == "":
		fmt.Fprintln(w, "  They stay where they are and nothing is sent for them; --others-to OWNER gives them to someone else.")
	case plan.Redirected() == 0:
		fmt.Fprintf(w, "  %s already holds them: they stay where they are.\n", plan.OthersTo.Label())
	case left > 0:
		fmt.Fprintf(w, "  %s go to %s instead; %s already held by that owner stay.\n", portal.Thousands(plan.Redirected()), plan.OthersTo.Label(), portal.Thousands(left))
	default:
		fmt.Fprintf(w, "  They go to %s instead.\n", plan.OthersTo.Label())
	}
}

// undoWouldDo sums up an undo plan in a sentence.
func undoWouldDo(plan portal.ReassignPlan) string {
	back := plan.Count() - plan.Redirected()
	s := fmt.Sprintf("It would put %s back", portal.Plural(back, "contact"))
	if n := plan.Redirected(); n > 0 {
		s += fmt.Sprintf(", give %s to %s", portal.Thousands(n), plan.OthersTo.Label())
	}
	if left := plan.RefusedCount() - plan.Redirected(); left > 0 {
		s += fmt.Sprintf(" and leave %s where they are (job %d then stays partly undone)", portal.Thousands(left), plan.UndoOf)
	}
	return s
}

func findJob(ctx context.Context, p *portal.Portal, id int64) (portal.JobSummary, error) {
	jobs, err := p.JobHistory(ctx)
	if err != nil {
		return portal.JobSummary{}, err
	}
	for _, j := range jobs {
		if j.ID == id {
			return j, nil
		}
	}
	return portal.JobSummary{}, fmt.Errorf("the journal holds no job %d; `hsadmin jobs` lists them", id)
}
