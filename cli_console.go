package main

import (
	"context"
	"errors"
	"flag"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui"
)

func init() {
	register(command{
		name:    "console",
		args:    "[--portal NAME] [--read-only]",
		summary: "open the console: users, owners and contacts side by side (the default command)",
		flags:   consoleCommand,
	})
}

func consoleCommand(fs *flag.FlagSet) func(context.Context, stdio, []string) error {
	pf := addPortalFlags(fs)
	return func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		if !isTerminal(std.in) || !isTerminal(std.out) {
			return usagef("the console needs a terminal; for scripts use the commands listed by hsadmin --help (sync, resolve, findings ...)")
		}
		cfg, err := loadConfig()
		if err != nil {
			return err
		}
		if err := cfg.CheckActions(ui.ActionNames()); err != nil {
			return err
		}
		keys := map[string][]string{}
		for _, name := range ui.ActionNames() {
			if k := cfg.KeysFor(name); k != nil {
				keys[name] = k
			}
		}

		op, err := pf.openMirror(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		// The built-in sandbox starts empty: sync it before the first frame so
		// the console opens "already synced". A real portal opens from its
		// mirror at once and refreshes in the background.
		startSync := true
		if op.target.builtIn != nil {
			if err := syncWithProgress(ctx, std, op.Portal, false); err != nil {
				return err
			}
			startSync = false
		}
		err = ui.Run(ctx, consoleBackend{op.Portal, op.target.calls}, ui.Options{
			ReadOnly:  op.Info().ReadOnly,
			Keys:      keys,
			Input:     std.in,
			Output:    std.out,
			StartSync: startSync,
		})
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
}

// consoleBackend is the portal as the console sees it, with the API log.
// Embedding *portal.Portal passes its optional abilities (team changes,
// reassignments) through to the console's interface checks.
type consoleBackend struct {
	*portal.Portal
	calls *callLog
}

// Calls lists the recent HubSpot calls for the API log view.
func (b consoleBackend) Calls() []ui.APICall {
	recorded := b.calls.snapshot()
	out := make([]ui.APICall, len(recorded))
	for i, c := range recorded {
		out[i] = ui.APICall{
			Time: c.Time, Method: c.Call.Method, Path: c.Call.Path,
			Status: c.Call.Status, Latency: c.Call.Latency, RateRemaining: c.Call.RateRemaining,
		}
	}
	return out
}
