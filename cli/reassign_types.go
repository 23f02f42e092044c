package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// onlyContactOwners reports whether a plan changes contacts' hubspot_owner_id
// alone: it prints as contacts plans always did.
func onlyContactOwners(plan portal.ReassignPlan) bool {
	for _, it := range plan.Items {
		if it.ObjectType() != hubspot.ObjectContacts || it.PropertyName() != hubspot.PropOwnerID {
			return false
		}
	}
	return true
}

// printRecordsPlan shows a plan across object types: the changes per type
// and owner property (those that came with related records apart), then a
// sample of each.
func printRecordsPlan(w io.Writer, plan portal.ReassignPlan) {
	fmt.Fprintln(w, "  per type and owner property:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range plan.PerProperty {
		count := portal.Thousands(c.Count)
		if n := relatedCount(plan, c.Type, c.Property); n > 0 {
			count += fmt.Sprintf(" (%s with related records)", portal.Thousands(n))
		}
		fmt.Fprintf(tw, "    %s\t%s (%s)\t%s\n", strings.ToLower(c.TypeLabel), c.Label, c.Property, count)
	}
	tw.Flush()
	for _, c := range plan.PerProperty {
		fmt.Fprintf(w, "  %s, %s:\n", strings.ToLower(c.TypeLabel), c.Property)
		tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		shown := 0
		for _, it := range plan.Items {
			if it.ObjectType() != c.Type || it.PropertyName() != c.Property {
				continue
			}
			if shown == sampleRows {
				break
			}
			shown++
			who := it.Name
			if it.Email != "" {
				who = strings.TrimSpace(who + " <" + it.Email + ">")
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\n", it.Record(), who, itemChange(it))
		}
		tw.Flush()
		if more := c.Count - shown; more > 0 {
			fmt.Fprintf(w, "    … and %s more\n", portal.Thousands(more))
		}
	}
}

func relatedCount(plan portal.ReassignPlan, t hubspot.ObjectType, prop string) int {
	for _, c := range plan.Related {
		if c.Type == t && c.Property == prop {
			return c.Count
		}
	}
	return 0
}

// itemChange is "owner 1 → owner 2", and for a multi-select the whole
// value: "owners 1;3 → 2;3".
func itemChange(it portal.ReassignItem) string {
	s := ownerCell(it.From) + " → " + ownerCell(it.To)
	if it.Multi {
		s = "owners " + orNoneValue(it.BeforeValue()) + " → " + orNoneValue(it.AfterValue())
	}
	if it.Closed {
		s += " (closed)"
	}
	return s
}

func orNoneValue(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// problemSubject names a run's problem: "contact 12", "deal 88 (secondary_owner)".
func problemSubject(pr portal.ItemProblem) string {
	if pr.Type == "" || pr.Type == hubspot.ObjectContacts && (pr.Property == "" || pr.Property == hubspot.PropOwnerID) {
		return "contact " + string(pr.ContactID)
	}
	s := portal.TypeSingular(pr.Type) + " " + string(pr.RecordID)
	if pr.Property != "" && pr.Property != hubspot.PropOwnerID {
		s += " (" + pr.Property + ")"
	}
	return s
}

// reassignPlanJSON is a plan as `hsadmin reassign --json` prints it; its
// field names are stable for scripts.
type reassignPlanJSON struct {
	Summary            string                 `json:"summary"`
	DryRun             bool                   `json:"dry_run"`
	To                 string                 `json:"to"`
	Changes            int                    `json:"changes"`
	Records            int                    `json:"records"`
	Unchanged          int                    `json:"unchanged"`
	PerType            []portal.TypeCount     `json:"per_type"`
	PerProperty        []portal.PropertyCount `json:"per_property"`
	Related            []portal.PropertyCount `json:"related,omitempty"`
	ClosedDeals        int                    `json:"closed_deals"`
	ClosedDealsLeftOut int                    `json:"closed_deals_left_out"`
	Notes              []string               `json:"notes"`
	Sample             []reassignItemJSON     `json:"sample"`
}

type reassignItemJSON struct {
	Type     hubspot.ObjectType `json:"type"`
	ID       hubspot.RecordID   `json:"id"`
	Name     string             `json:"name,omitempty"`
	Property string             `json:"property"`
	From     hubspot.OwnerID    `json:"from"`
	To       hubspot.OwnerID    `json:"to"`
	Before   string             `json:"before"`
	After    string             `json:"after"`
	Related  bool               `json:"related,omitempty"`
	Closed   bool               `json:"closed,omitempty"`
}

func planRecord(plan portal.ReassignPlan, dryRun bool) reassignPlanJSON {
	out := reassignPlanJSON{Summary: plan.Summary(), DryRun: dryRun, To: string(plan.To.ID), Changes: plan.Count(), Records: plan.Records(),
		Unchanged: plan.Unchanged, PerType: plan.PerType, PerProperty: plan.PerProperty, Related: plan.Related,
		ClosedDeals: plan.ClosedDeals, ClosedDealsLeftOut: plan.ClosedDealsLeftOut, Notes: plan.Notes, Sample: []reassignItemJSON{}}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	for _, it := range plan.Sample(sampleRows * 5) {
		out.Sample = append(out.Sample, reassignItemJSON{Type: it.ObjectType(), ID: it.Record(), Name: it.Name, Property: it.PropertyName(),
			From: it.From, To: it.To, Before: it.BeforeValue(), After: it.AfterValue(), Related: it.Related, Closed: it.Closed})
	}
	return out
}

// runJobJSON runs a recorded job without drawing progress and prints the
// plan with how the run ended.
func runJobJSON(ctx context.Context, std stdio, p *portal.Portal, id int64, plan portal.ReassignPlan) error {
	res, runErr := p.Run(ctx, id, nil)
	type problem struct {
		Type     hubspot.ObjectType `json:"type"`
		ID       hubspot.RecordID   `json:"id"`
		Property string             `json:"property"`
		State    string             `json:"state"`
		Reason   string             `json:"reason"`
	}
	out := struct {
		Plan     reassignPlanJSON `json:"plan"`
		Job      int64            `json:"job"`
		State    string           `json:"state"`
		Done     int              `json:"done"`
		Failed   int              `json:"failed"`
		Skipped  int              `json:"skipped"`
		Left     int              `json:"left"`
		Problems []problem        `json:"problems"`
	}{Plan: planRecord(plan, false), Job: id, State: res.State, Done: res.Done, Failed: res.Failed, Skipped: res.Skipped, Left: res.Left, Problems: []problem{}}
	for _, pr := range res.Problems {
		out.Problems = append(out.Problems, problem{pr.Type, pr.RecordID, pr.Property, pr.State, pr.Reason})
	}
	if err := printJSON(std, out); err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	if res.Failed > 0 {
		return fmt.Errorf("%s failed; `hsadmin jobs show %d` says why", portal.Plural(res.Failed, "change"), id)
	}
	return nil
}
