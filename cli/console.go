package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/portal/signin"
	"github.com/hsadmin/hsadmin/ui"
)

func (a *app) consoleCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "console",
		Short: "open the console: users, owners and contacts side by side (the default command); quitting while a job runs asks first",
		Long: "Open the console on the chosen portal: users, owners and contacts side by side.\n" +
			"It is also what hsadmin runs with no command.",
	}
	pf := a.pf
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		if !std.isTerminal(std.in) || !std.isTerminal(std.out) {
			return usagef("the console needs a terminal; for scripts use the commands listed by hsadmin --help (sync, resolve, findings ...)")
		}
		cfg, err := a.loadConfig()
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
		// The console may switch portals; whichever is open at the end is
		// closed then.
		current := op
		defer func() { current.Close() }() // after Run: no switch is running
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
		notice := recoverUnfinished(ctx, op)
		settings := consoleSettings(op)
		opts := ui.Options{
			ReadOnly:   settings.ReadOnly,
			Keys:       keys,
			Input:      std.in,
			Output:     std.out,
			StartSync:  startSync,
			PortalName: op.Info().Name,
			Accent:     settings.Accent,
			Production: settings.Production,
			Disabled:   settings.Disabled,
			Portals:    cfg.PortalNames(),
			Notice:     notice,
		}
		// Owner mappings go stale as people are deactivated: refresh while
		// open ([console] refresh in the config file).
		opts.RefreshEvery = cfg.RefreshEvery()
		if len(opts.Portals) > 0 {
			// :portal NAME opens another signed-in portal from its mirror;
			// the console refreshes it in the background.
			// SwitchPortal runs in a command's goroutine, Settings in the
			// console's: mu guards what they share.
			var mu sync.Mutex
			opened := map[string]ui.PortalSettings{}
			opts.SwitchPortal = func(ctx context.Context, name string) (ui.Backend, error) {
				next, err := (&portalFlags{app: a, name: name, dataDir: pf.dataDir, readOnly: pf.readOnly}).openMirror(ctx, quietStdio(std))
				if err != nil {
					return nil, err
				}
				mu.Lock()
				defer mu.Unlock()
				opened[name] = consoleSettings(next)
				previous := current
				current = next
				previous.Close()
				return consoleBackend{next.Portal, next.target.calls}, nil
			}
			opts.Settings = func(name string) ui.PortalSettings {
				mu.Lock()
				defer mu.Unlock()
				return opened[name]
			}
		}
		err = ui.Run(ctx, consoleBackend{op.Portal, op.target.calls}, opts)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	})
	return cmd
}

// consoleSettings is what the console shows and allows for an open portal:
// its accent, production guard, read-only mode and the actions its token's
// scopes rule out.
func consoleSettings(op *openedPortal) ui.PortalSettings {
	info := op.Info()
	session := signin.Session{Scopes: info.Scopes, ScopesKnown: info.Scopes != nil}
	disabled := map[string]string{}
	for uiAction, scopeAction := range map[string]string{
		"reassign":               signin.ActionReassign,
		"change-team":            signin.ActionTeamChange,
		"change-secondary-teams": signin.ActionTeamChange,
		"change-role":            signin.ActionRoleChange,
	} {
		if reason := session.DisabledReason(scopeAction); reason != "" {
			disabled[uiAction] = reason
		}
	}
	return ui.PortalSettings{
		Accent:     op.target.accent,
		Production: op.target.production,
		ReadOnly:   info.ReadOnly,
		Disabled:   disabled,
	}
}

// recoverUnfinished settles team and role changes an earlier run left
// unfinished (killed between the request and its check) and says what it
// found, for the status line.
func recoverUnfinished(ctx context.Context, op *openedPortal) string {
	if op.Info().ReadOnly {
		return ""
	}
	recovered, err := op.VerifyUnfinishedChanges(ctx)
	switch {
	case err != nil:
		return "could not check unfinished changes: " + explainErr(err)
	case len(recovered) == 1:
		return "an unfinished change was checked: " + recovered[0].Message + " (:jobs)"
	case len(recovered) > 1:
		return fmt.Sprintf("%s were checked (:jobs lists them)", portal.Plural(len(recovered), "unfinished change"))
	}
	return ""
}

// quietStdio drops messages meant for a terminal the console now owns.
func quietStdio(std stdio) stdio {
	return stdio{in: std.in, out: io.Discard, err: io.Discard, tty: std.tty, clock: std.clock}
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
			Body: c.Call.Body,
		}
	}
	return out
}
