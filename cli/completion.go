package cli

// Dynamic shell completion: `hsadmin completion SHELL` prints the script
// (cobra's), and the script asks `hsadmin __complete ...` for the words
// below, read from the config file and the chosen portal's mirror and
// journal. Completion never syncs, never prompts and gives up quickly.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

// completionTimeout bounds how long a tab press may wait for a portal.
const completionTimeout = 3 * time.Second

// completionLimit is how many owners a completion offers.
const completionLimit = 200

func (a *app) registerCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("portal", a.completePortals)
}

// completePortals offers the configured portals' names.
func (a *app) completePortals(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []cobra.Completion
	for _, p := range cfg.Portals {
		if !strings.HasPrefix(p.Name, toComplete) {
			continue
		}
		desc := p.BaseURL
		if p.HubID != 0 {
			desc = fmt.Sprintf("hub %d, %s", p.HubID, p.BaseURL)
		}
		out = append(out, cobra.CompletionWithDesc(p.Name, desc))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeJobs offers the journal's jobs that keep: a job ID and what
// the job did.
func (a *app) completeJobs(keep func(portal.JobSummary) bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		err := a.withCompletionPortal(cmd, func(ctx context.Context, op *openedPortal) error {
			jobs, err := op.JobHistory(ctx)
			for _, j := range jobs {
				id := strconv.FormatInt(j.ID, 10)
				if keep(j) && strings.HasPrefix(id, toComplete) {
					out = append(out, cobra.CompletionWithDesc(id, j.Summary+" ("+j.Outcome()+")"))
				}
			}
			return err
		})
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// completeOwnerEmails offers the emails of the mirror's owners.
func (a *app) completeOwnerEmails(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	err := a.withCompletionPortal(cmd, func(ctx context.Context, op *openedPortal) error {
		owners, err := op.Owners(ctx, store.Query{Filter: toComplete, Limit: completionLimit})
		for _, o := range owners {
			if o.Email != "" && strings.HasPrefix(strings.ToLower(o.Email), strings.ToLower(toComplete)) {
				out = append(out, cobra.CompletionWithDesc(o.Email, strings.TrimSpace(o.Name+" · owner "+string(o.OwnerID))))
			}
		}
		return err
	})
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeFirstOwnerEmail completes a command's single argument with owner
// emails.
func (a *app) completeFirstOwnerEmail(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return a.completeOwnerEmails(cmd, args, toComplete)
}

// withCompletionPortal opens the chosen portal's mirror and journal, quietly
// and without syncing, for one completion. With nothing configured there is
// nothing to complete: the built-in sandbox is not started for a tab press.
func (a *app) withCompletionPortal(cmd *cobra.Command, use func(context.Context, *openedPortal) error) error {
	if a.pf.wouldUseBuiltIn() {
		return nil
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	op, err := a.pf.openMirror(ctx, quietStdio(a.stdio()))
	if err != nil {
		return err
	}
	defer op.Close()
	return use(ctx, op)
}

// wouldUseBuiltIn reports whether dial would fall back to the built-in
// sandbox: no --portal, no token, no default portal.
func (pf *portalFlags) wouldUseBuiltIn() bool {
	if pf.name != "" || pf.baseURL != "" || pf.app.getenv("HUBSPOT_ACCESS_TOKEN") != "" || pf.app.getenv("HUBSPOT_BASE_URL") != "" {
		return false
	}
	cfg, err := pf.app.loadConfig()
	return err == nil && cfg.DefaultPortal == ""
}
