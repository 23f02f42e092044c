package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

// showJob prints one job and every item: the change, the outcome, and
// HubSpot's reason in full with its correlation ID. Reasons are never cut:
// a terminal wraps them, and a script reads --json.
func showJob(ctx context.Context, std stdio, pf *portalFlags, args []string, asJSON bool) error {
	id, err := jobArg(args)
	if err != nil {
		return err
	}
	op, err := pf.openMirror(ctx, std)
	if err != nil {
		return err
	}
	defer op.Close()
	d, err := op.JobDetail(ctx, id)
	if errors.Is(err, store.ErrNoSuchJob) {
		return fmt.Errorf("the journal holds no job %d; `hsadmin jobs` lists them", id)
	}
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(std, d.Record())
	}
	printJobDetail(std.out, d)
	return nil
}

func printJobDetail(w io.Writer, d portal.JobDetail) {
	j := d.Job
	fmt.Fprintf(w, "Job %d · %s · %s\n", j.ID, j.Kind, j.CreatedAt.Local().Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "%s\n", j.Summary)
	fmt.Fprintf(w, "Outcome: %s\n", j.Outcome())
	if len(d.Items) == 0 {
		fmt.Fprintln(w, "The job has no items.")
		return
	}
	fmt.Fprintf(w, "\n%s:\n", portal.Plural(len(d.Items), "item"))
	for _, it := range d.Items {
		fmt.Fprintf(w, "%5d  %-7s  %s · %s\n", it.Seq, it.State, it.Subject, it.Change)
		if it.Reason != "" {
			fmt.Fprintf(w, "       reason: %s\n", oneLineText(it.Reason))
		}
		if it.CorrelationID != "" {
			fmt.Fprintf(w, "       correlation ID: %s (quote it to HubSpot support)\n", it.CorrelationID)
		}
	}
}

// oneLineText keeps a multi-line reason on its line, whole.
func oneLineText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
