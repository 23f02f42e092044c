package cli

import (
	"context"
	"fmt"
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
		Short: "the journal's jobs (reassignments, team and role changes): list, resume, undo",
		Args:  subcommandArgs,
		RunE:  list.RunE,
	})
	cmd.AddCommand(list, a.resumeCommand(), a.undoCommand())
	return cmd
}

func (a *app) jobsListCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "list the journal's jobs (reassignments, team and role changes): when, what, how many, outcome",
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
				groupDigits(j.Items.Total), j.Outcome(), j.Summary)
		}
		return tw.Flush()
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
		fmt.Fprintf(std.out, "Job %d: %s\n  %s\n", id, job.Summary, job.Outcome())
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
		Short: "put a reassignment's contacts back with their previous owners, leaving those changed since",
	}
	cmd.ValidArgsFunction = a.completeJobs(portal.JobSummary.Undoable)
	fs := cmd.Flags()
	pf := a.pf
	addWriteFlags(fs, pf)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	dryRun := fs.Bool("dry-run", false, "print the plan and send nothing")
	count := fs.Int("count", 0, fmt.Sprintf("confirm an undo of more than %d contacts by its number", typedCountAbove))
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
		plan, err := op.PlanUndo(ctx, id)
		if err != nil {
			return err
		}
		printPlan(std.out, plan)
		fmt.Fprintln(std.out, "  Each contact is read back first: one whose owner changed since the job is left alone and reported.")
		if *dryRun {
			fmt.Fprintln(std.out, "Dry run: nothing was sent.")
			return nil
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
