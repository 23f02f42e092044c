package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

type offboardFlags struct {
	to, objects                string
	keepUser, dryRun, yes, asJ bool
	count                      int
}

func (a *app) offboardCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "offboard USER --to OWNER",
		Short: "hand over everything a person owns, take them out of their teams, free their seats and remove their user, as one journaled, resumable job",
		Long: `Offboard a person as one journaled job of four steps, each verified before the next:
  1. hand over every record they own (every object type and owner property) to OWNER,
     through a reassignment job linked from this one (undoable on its own);
  2. take them out of every team (Settings Teams API: no role is touched);
  3. free their seats (needs the settings.billing.write scope);
  4. remove their user (HubSpot archives their owner), or keep it with --keep-user.

USER is a user ID, owner ID, hs_internal_user_id or email; OWNER as reassign --to.
A pre-flight report comes first: what they own per type and owner property, their
teams, roles and seats, the teams they would leave empty, and anything that blocks
the job with what to do. --dry-run prints it and the plan and sends nothing. The
journal keeps what they had (teams, roles, seats, owner ID, the reassignment) for
putting them back. An interrupted job is finished by hsadmin jobs resume JOB.

` + interruptHelp,
	}
	fs := cmd.Flags()
	pf := a.pf
	addWriteFlags(fs, pf)
	var of offboardFlags
	fs.StringVar(&of.to, "to", "", "who takes their records: owner ID, user ID, hs_internal_user_id or email")
	fs.StringVar(&of.objects, "objects", "", "hand over only these object types (comma-separated, e.g. contacts,deals; default: every type they own)")
	fs.BoolVar(&of.keepUser, "keep-user", false, "keep the user (records, teams and seats are still handed over and freed)")
	fs.BoolVar(&of.dryRun, "dry-run", false, "print the pre-flight report and the plan, and send nothing")
	fs.BoolVar(&of.yes, "yes", false, "do not ask for confirmation")
	fs.BoolVar(&of.asJ, "json", false, "print the report (and the job's result) as JSON")
	fs.IntVar(&of.count, "count", 0, fmt.Sprintf("confirm a hand-over of more than %d records by its number (with --yes or off a terminal)", portal.TypedCountAbove))
	_ = cmd.RegisterFlagCompletionFunc("to", a.completeOwnerEmails)
	cmd.ValidArgsFunction = a.completeOwnerEmails
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) != 1 {
			return usagef("say who is leaving: hsadmin offboard USER --to OWNER")
		}
		req := portal.OffboardRequest{Person: args[0], To: of.to, KeepUser: of.keepUser}
		req.Objects = splitList(of.objects)
		op, err := a.openFresh(ctx, std, pf, "the pre-flight report")
		if err != nil {
			return err
		}
		defer op.Close()
		report, err := op.PreflightOffboard(ctx, req)
		if err != nil {
			return planError(err)
		}
		if of.asJ && (of.dryRun || report.Blocked()) {
			if err := printJSON(std, offboardReportRecord(report)); err != nil {
				return err
			}
		} else {
			printOffboardReport(std.out, report)
		}
		if report.Blocked() {
			return fmt.Errorf("the offboarding is blocked (%s): nothing was sent", portal.Plural(len(report.Blockers), "blocker"))
		}
		if of.dryRun {
			if !of.asJ {
				fmt.Fprintln(std.out, "Dry run: nothing was sent.")
			}
			return nil
		}
		if err := confirmOffboard(std, report, of); err != nil {
			return err
		}
		if err := op.guardProduction(std, pf, report.HandoverCount()+len(portal.OffboardSteps)-1); err != nil {
			return err
		}
		id, err := op.RecordOffboard(ctx, report)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.err, "hsadmin: job %d recorded in the journal\n", id)
		return runOffboardWithProgress(ctx, std, op.Portal, id, of.asJ)
	})
	return cmd
}

// confirmOffboard asks before the job: the typed number of records beyond
// portal.TypedCountAbove, as reassign does, else yes/no.
func confirmOffboard(std stdio, r portal.OffboardReport, of offboardFlags) error {
	prompt := r.Summary() + "?"
	if n := r.HandoverCount(); n > portal.TypedCountAbove {
		return confirmCount(std, prompt, n, of.yes, of.count)
	}
	return confirm(std, prompt, of.yes)
}

// printOffboardReport shows the pre-flight report and the plan.
func printOffboardReport(w io.Writer, r portal.OffboardReport) {
	fmt.Fprintln(w, r.Summary())
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if r.Person.SuperAdmin {
		fmt.Fprintln(w, "  super admin: yes")
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if len(r.Had.Holdings) == 0 {
		fmt.Fprintln(tw, "  owns\tnothing")
	}
	for _, h := range r.Had.Holdings {
		fmt.Fprintf(tw, "  owns\t%s\tthrough %s\n", h.Records(), h.PropertyLabel)
	}
	for _, t := range r.Had.Teams {
		note := ""
		if t.Primary {
			note = "primary"
		}
		if t.LeftEmpty {
			note = strings.TrimPrefix(note+", left with no member", ", ")
		}
		fmt.Fprintf(tw, "  team\t%s\t%s\n", t.Name, note)
	}
	for _, role := range r.Had.Roles {
		fmt.Fprintf(tw, "  role\t%s\t\n", role.Name)
	}
	for _, s := range r.Had.Seats {
		fmt.Fprintf(tw, "  seat\t%s\t\n", s)
	}
	tw.Flush()
	for _, b := range r.Blockers {
		fmt.Fprintf(w, "  BLOCKED: %s\n    what to do: %s\n", b.What, b.Do)
	}
	if r.Blocked() {
		return
	}
	fmt.Fprintln(w, "  plan:")
	for i, step := range portal.OffboardSteps {
		fmt.Fprintf(w, "    %d. %s%s\n", i+1, portal.StepTitle(step, r.KeepUser), stepPlanNote(r, step))
	}
	for _, c := range r.Checklist {
		fmt.Fprintf(w, "  checklist: %s\n", c)
	}
}

func stepPlanNote(r portal.OffboardReport, step string) string {
	switch step {
	case portal.StepRecords:
		if n := r.HandoverCount(); n > 0 {
			return fmt.Sprintf(": %s to %s", portal.Plural(n, "record"), r.To.Label())
		}
		return ": nothing to hand over"
	case portal.StepTeams:
		return ": " + portal.Plural(len(r.Had.Teams), "team")
	case portal.StepSeats:
		if len(r.Had.Seats) == 0 {
			return ": no seat"
		}
		return ": " + strings.Join(r.Had.Seats, ", ")
	}
	return ""
}

// runOffboardWithProgress runs (or resumes) an offboarding, a line per step
// and a bar for the hand-over.
func runOffboardWithProgress(ctx context.Context, std stdio, p *portal.Portal, id int64, asJSON bool) error {
	progress := make(chan portal.OffboardProgress, 64)
	type outcome struct {
		res portal.OffboardResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		o.res, o.err = p.RunOffboard(ctx, id, progress)
		done <- o
	}()
	pp := newProgressPrinter(std)
	draw := func(pr portal.OffboardProgress) {
		if pr.Finished {
			return
		}
		line := pr.String()
		if pr.Records != nil {
			line = progressBar(24, pr.Records.Fraction()) + " " + line
		}
		pp.Line(line, pr.State != store.ItemSent)
	}
	o := followProgress(progress, done, draw)
	pp.End()
	if asJSON {
		if err := printJSON(std, o.res); err != nil {
			return err
		}
	} else {
		printOffboardResult(std.out, o.res)
	}
	if o.err != nil {
		return o.err
	}
	if o.res.State != store.JobDone {
		return fmt.Errorf("job %d is %s: see hsadmin jobs show %d, then hsadmin jobs resume %d", id, o.res.State, id, id)
	}
	return nil
}

func printOffboardResult(w io.Writer, res portal.OffboardResult) {
	fmt.Fprintf(w, "Job %d %s\n", res.JobID, res.State)
	for i, s := range res.Steps {
		line := fmt.Sprintf("  %d. %s: %s", i+1, s.Title, s.State)
		if s.Message != "" {
			line += " (" + s.Message + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// offboardRecord is the report as --json writes it; its field names are
// stable for scripts.
type offboardRecord struct {
	Person    portal.OffboardPerson `json:"person"`
	To        portal.OwnerRef       `json:"to,omitzero"`
	KeepUser  bool                  `json:"keep_user"`
	Holdings  []holdingRecord       `json:"holdings"`
	Handover  int                   `json:"handover"`
	Teams     []portal.OffboardTeam `json:"teams"`
	Roles     []string              `json:"roles"`
	Seats     []string              `json:"seats"`
	Blockers  []portal.Blocker      `json:"blockers"`
	Checklist []string              `json:"checklist"`
	Notes     []string              `json:"notes"`
	Steps     []string              `json:"steps"`
}

type holdingRecord struct {
	Type     string `json:"type"`
	Property string `json:"property"`
	Count    int    `json:"count"`
}

func offboardReportRecord(r portal.OffboardReport) offboardRecord {
	out := offboardRecord{Person: r.Person, To: r.To, KeepUser: r.KeepUser, Handover: r.HandoverCount(),
		Teams: nonNil(r.Had.Teams), Seats: nonNil(r.Had.Seats), Blockers: nonNil(r.Blockers),
		Checklist: nonNil(r.Checklist), Notes: nonNil(r.Notes), Holdings: []holdingRecord{}, Roles: []string{}}
	for _, h := range r.Had.Holdings {
		out.Holdings = append(out.Holdings, holdingRecord{Type: string(h.Type), Property: h.Property, Count: h.Count})
	}
	for _, role := range r.Had.Roles {
		out.Roles = append(out.Roles, role.Name)
	}
	for _, s := range portal.OffboardSteps {
		out.Steps = append(out.Steps, portal.StepTitle(s, r.KeepUser))
	}
	return out
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// resumeOffboard is jobs resume for an offboarding.
func resumeOffboard(ctx context.Context, std stdio, op *openedPortal, pf *portalFlags, job portal.JobSummary, yes, dryRun bool) error {
	rec, err := op.OffboardRecordOf(ctx, job.ID)
	if err != nil {
		return err
	}
	detail, err := op.JobDetail(ctx, job.ID)
	if err != nil {
		return err
	}
	next := ""
	for _, it := range detail.Items {
		if it.State != store.ItemDone && it.State != store.ItemSkipped {
			next = it.Subject
			break
		}
	}
	if next == "" {
		return errors.New("every step of the job is settled: nothing to resume")
	}
	fmt.Fprintf(std.out, "Job %d: %s\n  %s\n  resumes at %s (read back from HubSpot first)\n", job.ID, job.Summary, job.Outcome(), next)
	if dryRun {
		fmt.Fprintln(std.out, "Dry run: nothing was sent.")
		return nil
	}
	if err := confirm(std, fmt.Sprintf("Resume offboarding %s?", rec.Person.Label()), yes); err != nil {
		return err
	}
	if err := op.guardProduction(std, pf, job.Items.Pending+job.Items.Sent+job.Items.Failed); err != nil {
		return err
	}
	return runOffboardWithProgress(ctx, std, op.Portal, job.ID, false)
}
