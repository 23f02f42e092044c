package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func (a *app) syncCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "bring the local mirror up to date with the portal, with a progress bar",
	}
	fs := cmd.Flags()
	pf := a.pf
	full := fs.Bool("full", false, "fetch every contact again instead of only those changed since the last sync")
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		op, err := pf.openMirror(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		start := a.now()
		if err := syncWithProgress(ctx, std, op.Portal, *full); err != nil {
			return fmt.Errorf("sync stopped (what was fetched is kept; run hsadmin sync again to continue): %w", err)
		}
		counts, err := op.Counts(ctx)
		if err != nil {
			return err
		}
		types, err := op.RecordCounts(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.out, "Synced hub %d in %s: %s%s\n", op.Info().HubID, a.now().Sub(start).Round(time.Millisecond), portalSummary(counts), recordsSummary(types))
		return nil
	})
	return cmd
}
