package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

// sampleRows is how many contacts a plan shows.
const sampleRows = 10

// freshMirror is how recent a sync must be for a write command to plan
// from the mirror without syncing first.
const freshMirror = time.Minute

// openFresh opens the portal for a write command, warns of unfinished
// jobs, and syncs first when the mirror is older than freshMirror, so that
// what is planned (before, e.g. "planning") is what HubSpot holds now.
func (a *app) openFresh(ctx context.Context, std stdio, pf *portalFlags, before string) (*openedPortal, error) {
	op, err := pf.open(ctx, std)
	if err != nil {
		return nil, err
	}
	warnUnfinished(ctx, std, op.Portal)
	if last, err := op.LastSync(ctx); err != nil || a.now().Sub(last) > freshMirror {
		if err := syncWithProgress(ctx, std, op.Portal, false); err != nil {
			op.Close()
			return nil, fmt.Errorf("cannot refresh the local mirror before %s: %w", before, err)
		}
	}
	return op, nil
}

type reassignFlags struct {
	from, to, contacts, finding, filter       string
	objects, properties                       string
	batch, count                              int
	dryRun, yes                               bool
	withRelated, skipClosedDeals, dropRefused bool
}

func (a *app) reassignCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reassign",
		Short: "hand records over to a new owner in batches, journaled, resumable and undoable",
		Long: `Hand records over to a new owner in batches, journaled, resumable and undoable:
  hsadmin reassign --to OWNER (--from OWNER | --contacts ID,... | --finding KIND | --filter TEXT)
      [--objects contacts,companies,deals,tickets,TYPE...] [--properties NAME,...]
      [--with-related] [--skip-closed-deals] [--dry-run] [--json]

OWNER is an owner ID, user ID, hs_internal_user_id or email; owner:N or user:N
when a number is ambiguous. --from hands over everything the owner holds: every
object type the token can write (custom objects by name or type ID, like 2-123),
hubspot_owner_id and every custom owner property holding the owner (in a
multi-select, only that owner's ID is replaced; the others stay).

` + interruptHelp,
	}
	fs := cmd.Flags()
	pf := a.pf
	addWriteFlags(fs, pf)
	var rf reassignFlags
	fs.StringVar(&rf.to, "to", "", "the new owner: owner ID, user ID, hs_internal_user_id or email")
	fs.StringVar(&rf.from, "from", "", "move every contact of this owner (deactivated owners too)")
	fs.StringVar(&rf.contacts, "contacts", "", "move exactly these contacts (comma-separated IDs)")
	fs.StringVar(&rf.finding, "finding", "", "move the contacts of a finding: "+store.FindingContactsArchivedOwner+" or "+store.FindingContactsUnknownOwner)
	fs.StringVar(&rf.filter, "filter", "", "only contacts whose name, email or ID contains this text")
	fs.StringVar(&rf.objects, "objects", "", "only these object types (comma-separated: contacts, companies, deals, tickets, a custom object's name or type ID); default: every type the token can write")
	fs.StringVar(&rf.properties, "properties", "", "only these owner properties (comma-separated names); default: hubspot_owner_id and every custom owner property holding the owner")
	fs.BoolVar(&rf.withRelated, "with-related", false, "moving a company also moves its open deals and tickets and its contacts that the same owner holds")
	fs.BoolVar(&rf.skipClosedDeals, "skip-closed-deals", false, "leave closed deals where they are (default: included)")
	fs.BoolVar(&rf.dropRefused, "drop-refused-owners", false, "take deactivated or unknown owner IDs out of the multi-select values handed over (HubSpot refuses a value holding one; default: such values are left out)")
	fs.IntVar(&rf.batch, "batch", 0, fmt.Sprintf("contacts per request, at most %d (default: the config's page_sizes.batch, else %d)", portal.DefaultReassignBatch, portal.DefaultReassignBatch))
	fs.BoolVar(&rf.dryRun, "dry-run", false, "print the plan and send nothing")
	fs.BoolVar(&rf.yes, "yes", false, "do not ask for confirmation")
	fs.IntVar(&rf.count, "count", 0, fmt.Sprintf("confirm a change of more than %d contacts by its number (with --yes or off a terminal)", portal.TypedCountAbove))
	for _, owner := range []string{"to", "from"} {
		_ = cmd.RegisterFlagCompletionFunc(owner, a.completeOwnerEmails)
	}
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		if rf.to == "" {
			return usagef("--to OWNER is required")
		}
		if rf.from == "" && rf.contacts == "" && rf.finding == "" && rf.filter == "" {
			return usagef("say which contacts: --from OWNER, --contacts ID,..., --finding KIND or --filter TEXT")
		}
		req := portal.ReassignRequest{From: rf.from, Finding: rf.finding, Filter: rf.filter, To: rf.to, BatchSize: rf.batch,
			WithRelated: rf.withRelated, SkipClosedDeals: rf.skipClosedDeals, DropRefusedOwners: rf.dropRefused, Properties: splitList(rf.properties)}
		for _, t := range splitList(rf.objects) {
			req.Objects = append(req.Objects, hubspot.ObjectType(t))
		}
		for _, id := range strings.Split(rf.contacts, ",") {
			if id = strings.TrimSpace(id); id != "" {
				if !hubspot.IsNumeric(id) {
					return usagef("--contacts: %q is not a contact ID", id)
				}
				req.Contacts = append(req.Contacts, hubspot.ContactID(id))
			}
		}
		op, err := a.openFresh(ctx, std, pf, "planning")
		if err != nil {
			return err
		}
		defer op.Close()
		plan, err := op.PlanReassign(ctx, req)
		if err != nil {
			return planError(err)
		}
		if a.asJSON && (rf.dryRun || plan.Count() == 0) {
			return printJSON(std, planRecord(plan, true))
		}
		if !a.asJSON {
			printPlan(std.out, plan)
		}
		if plan.Count() == 0 {
			fmt.Fprintln(std.out, "Nothing to change.")
			return nil
		}
		if rf.dryRun {
			fmt.Fprintln(std.out, "Dry run: nothing was sent.")
			return nil
		}
		if err := confirmCount(std, plan.Summary()+"?", plan.Count(), rf.yes, rf.count); err != nil {
			return err
		}
		if err := op.guardProduction(std, pf, plan.Count()); err != nil {
			return err
		}
		id, err := op.RecordReassign(ctx, plan)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.err, "hsadmin: job %d recorded in the journal\n", id)
		if a.asJSON {
			return runJobJSON(ctx, std, op.Portal, id, plan)
		}
		return runJobWithProgress(ctx, std, op.Portal, id, false)
	})
	return printsJSON(cmd)
}

// planError turns an ambiguous owner into a usage error saying what to
// type.
func planError(err error) error {
	var amb *portal.AmbiguousOwnerError
	if errors.As(err, &amb) {
		return usagef("%v", err)
	}
	return err
}

// printPlan shows what a reassignment will change.
func printPlan(w io.Writer, plan portal.ReassignPlan) {
	fmt.Fprintln(w, plan.Summary())
	for _, n := range plan.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, s := range plan.Sources {
		fmt.Fprintf(tw, "  from\t%s\t%s\n", s.Owner.Label(), portal.Thousands(s.Count))
	}
	for _, t := range plan.Targets {
		fmt.Fprintf(tw, "  to\t%s\t%s\n", t.Owner.Label(), portal.Thousands(t.Count))
	}
	tw.Flush()
	if plan.Count() == 0 {
		return
	}
	if !onlyContactOwners(plan) {
		printRecordsPlan(w, plan)
		return
	}
	fmt.Fprintln(w, "  contacts:")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, it := range plan.Sample(sampleRows) {
		who := it.Name
		if it.Email != "" {
			who = strings.TrimSpace(who + " <" + it.Email + ">")
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s → %s\n", it.ContactID, who, ownerCell(it.From), ownerCell(it.To))
	}
	tw.Flush()
	if more := plan.Count() - sampleRows; more > 0 {
		fmt.Fprintf(w, "    … and %s more\n", portal.Thousands(more))
	}
}

func ownerCell(id hubspot.OwnerID) string {
	if id == "" {
		return "(none)"
	}
	return "owner " + string(id)
}

// confirmCount asks before a change of n contacts: yes/no up to
// portal.TypedCountAbove, the number typed beyond. --yes skips the question but
// not the number, which then comes from --count.
func confirmCount(std stdio, prompt string, n int, yes bool, count int) error {
	if n <= portal.TypedCountAbove {
		return confirm(std, prompt, yes)
	}
	if count != 0 {
		if count != n {
			return usagef("--count %d does not match the plan's %s; nothing was sent", count, portal.Plural(n, "contact"))
		}
		return nil
	}
	if yes || !std.isTerminal(std.in) {
		return usagef("this changes %s: confirm with --count %d", portal.Plural(n, "contact"), n)
	}
	return typedConfirm(std, prompt, strconv.Itoa(n))
}

// warnUnfinished points at jobs a crash or a cancel left unfinished.
func warnUnfinished(ctx context.Context, std stdio, p *portal.Portal) {
	jobs, err := p.UnfinishedJobs(ctx)
	if err != nil {
		return
	}
	for _, j := range jobs {
		fmt.Fprintf(std.err, "hsadmin: job %d was left unfinished (%s): `hsadmin jobs resume %d` finishes it, `hsadmin jobs undo %d` rolls it back\n",
			j.ID, j.Outcome(), j.ID, j.ID)
	}
}

// runJobWithProgress runs (or resumes) a job, drawing its progress on
// stderr, and prints how it ended. Ctrl-C lets the batches in flight
// finish and leaves the job resumable.
func runJobWithProgress(ctx context.Context, std stdio, p *portal.Portal, id int64, resume bool) error {
	progress := make(chan portal.JobProgress, 64)
	type outcome struct {
		res portal.JobResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		if resume {
			o.res, o.err = p.Resume(ctx, id, progress)
		} else {
			o.res, o.err = p.Run(ctx, id, progress)
		}
		done <- o
	}()
	pp := newProgressPrinter(std)
	draw := func(jp portal.JobProgress) {
		pp.Line(progressBar(24, jp.Fraction())+" "+jp.String(), jp.Finished)
	}
	o := followProgress(progress, done, draw)
	pp.End()
	printJobResult(std.out, o.res)
	if o.err != nil {
		return o.err
	}
	switch {
	case o.res.State == store.JobCancelled:
		return interruptedf("stopped after the batch in flight with %s left: `hsadmin jobs resume %d` finishes job %d, `hsadmin jobs undo %d` rolls back what it changed",
			portal.Plural(o.res.Left, "contact"), id, id, id)
	case o.res.Failed > 0:
		return fmt.Errorf("%d contacts failed; `hsadmin jobs` and the journal (job %d) say why", o.res.Failed, id)
	}
	return nil
}

// printJobResult says how a run ended, listing a few problems.
func printJobResult(w io.Writer, res portal.JobResult) {
	if res.JobID == 0 {
		return
	}
	fmt.Fprintf(w, "Job %d %s: %s changed, %s failed, %s skipped", res.JobID, res.State,
		portal.Thousands(res.Done), portal.Thousands(res.Failed), portal.Thousands(res.Skipped))
	if res.Left > 0 {
		fmt.Fprintf(w, ", %s left", portal.Thousands(res.Left))
	}
	fmt.Fprintln(w, ".")
	for i, pr := range res.Problems {
		if i == sampleRows {
			fmt.Fprintf(w, "  … and %s more in the journal\n", portal.Thousands(res.Failed+res.Skipped-sampleRows))
			break
		}
		fmt.Fprintf(w, "  %s %s: %s\n", problemSubject(pr), pr.State, pr.Reason)
	}
}
