package main

import (
	"context"
	"flag"
	"fmt"
	"time"
)

func init() {
	register(command{
		name:    "sync",
		args:    "[--full] [--portal NAME]",
		summary: "bring the local mirror up to date with the portal, with a progress bar",
		flags:   syncCommand,
	})
}

func syncCommand(fs *flag.FlagSet) func(context.Context, stdio, []string) error {
	pf := addPortalFlags(fs)
	full := fs.Bool("full", false, "fetch every contact again instead of only those changed since the last sync")
	return func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		op, err := pf.openMirror(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		start := time.Now()
		if err := syncWithProgress(ctx, std, op.Portal, *full); err != nil {
			return fmt.Errorf("sync stopped (what was fetched is kept; run hsadmin sync again to continue): %w", err)
		}
		counts, err := op.Counts(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.out, "Synced hub %d in %s: %s\n", op.Info().HubID, time.Since(start).Round(time.Millisecond), portalSummary(counts))
		return nil
	}
}
