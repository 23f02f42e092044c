package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// jsonAnnotation marks the commands that honour --json.
const jsonAnnotation = "hsadmin/json"

// printsJSON marks cmd as one that prints one JSON document with --json.
func printsJSON(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[jsonAnnotation] = "yes"
	return cmd
}

const rootLong = `With no command, hsadmin opens the console. With no credentials it works on a
built-in sandbox portal, so you can try everything without a HubSpot account.

Choosing a portal (the first that applies):
  --portal NAME            a portal signed in with "hsadmin login"
  HUBSPOT_ACCESS_TOKEN     a private app, service key or OAuth access token,
                           with --base-url URL (or HUBSPOT_BASE_URL) for EU hosts
  default_portal           from the config file (see "hsadmin portals")
  otherwise                a built-in sandbox portal that lives for one run

The flags --portal, --data-dir, --base-url, --read-only and --json go before or
after the command. Run "hsadmin COMMAND --help" for a command's own flags.
Exit status: 0 success, 1 failure, 2 bad usage, 130 interrupted (Ctrl+C: the first
stops a job after the batch in flight, the second at once).`

// Command groups of the help screen.
const (
	groupPortal  = "portal"
	groupChanges = "changes"
	groupSetup   = "setup"
)

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:               "hsadmin",
		Short:             "a keyboard console for HubSpot portal administrators",
		Long:              rootLong,
		Args:              subcommandArgs,
		PersistentPreRunE: a.checkJSON,
		SilenceErrors:     true,
		SilenceUsage:      true,
	}
	root.SetVersionTemplate("hsadmin {{.Version}}\n")
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(flagError)
	a.pf = a.addPortalFlags(root.PersistentFlags())
	root.PersistentFlags().BoolVar(&a.asJSON, "json", false, "print one JSON document on stdout instead of text (commands that list things)")
	console := a.consoleCommand()
	root.RunE = console.RunE
	root.AddGroup(
		&cobra.Group{ID: groupPortal, Title: "Look at a portal:"},
		&cobra.Group{ID: groupChanges, Title: "Change a portal (journaled, resumable, undoable):"},
		&cobra.Group{ID: groupSetup, Title: "Sign in and try things:"},
	)
	root.SetHelpCommandGroupID(groupSetup)
	root.SetCompletionCommandGroupID(groupSetup)
	for _, c := range []struct {
		group string
		cmd   *cobra.Command
	}{
		{groupPortal, console},
		{groupPortal, a.syncCommand()},
		{groupPortal, a.resolveCommand()},
		{groupPortal, a.findingsCommand()},
		{groupPortal, a.seatsCommand()},
		{groupChanges, a.reassignCommand()},
		{groupChanges, a.offboardCommand()},
		{groupChanges, a.jobsCommand()},
		{groupChanges, a.userCommand()},
		{groupChanges, a.restoreCommand()},
		{groupSetup, a.loginCommand()},
		{groupSetup, a.logoutCommand()},
		{groupSetup, a.portalsCommand()},
		{groupSetup, a.sandboxCommand()},
	} {
		c.cmd.GroupID = c.group
		root.AddCommand(c.cmd)
	}
	root.AddCommand(a.oldSpellings()...)
	a.registerCompletions(root)
	return root
}

// oldSpellings are the commands as hsadmin spelt them before the noun-verb
// groups, hidden from the help but kept so scripts keep working.
func (a *app) oldSpellings() []*cobra.Command {
	resume, undo, restoreList := a.resumeCommand(), a.undoCommand(), a.restoreListCommand()
	restoreList.Use = "restore-list"
	version := &cobra.Command{
		Use:   "version",
		Short: "print hsadmin's version",
		Args:  cobra.NoArgs,
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintf(cmd.OutOrStdout(), "hsadmin %s\n", a.version()) },
	}
	old := []*cobra.Command{resume, undo, restoreList, version}
	for _, c := range old {
		c.Hidden = true
	}
	return old
}

// checkJSON refuses --json on a command that prints no JSON, rather than
// leave a script parsing text.
func (a *app) checkJSON(cmd *cobra.Command, _ []string) error {
	if !a.asJSON || cmd.Annotations[jsonAnnotation] != "" {
		return nil
	}
	return &commandError{path: cmd.CommandPath(), err: usagef("--json: this command prints text only; drop --json")}
}

// subcommandArgs refuses an argument where a subcommand's name belongs,
// suggesting the nearest one.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	cmd.SuggestionsMinimumDistance = 2
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &commandError{path: cmd.CommandPath(), err: usageError{msg}}
}

// needsSubcommand is a group's answer when it is run without a subcommand.
func needsSubcommand(cmd *cobra.Command, _ []string) error {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return &commandError{path: cmd.CommandPath(), err: usagef("name a subcommand: %s", strings.Join(names, ", "))}
}

// flagError makes a flag mistake a usage error, with the nearest flag's name
// for a misspelt one.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		if near := nearestFlag(cmd.Flags(), name); near != "" {
			msg += "; did you mean --" + near + "?"
		}
	}
	return &commandError{path: cmd.CommandPath(), err: usageError{msg}}
}

// nearestFlag is the visible flag of fs closest to name, within two edits,
// or "".
func nearestFlag(fs *pflag.FlagSet, name string) string {
	best, bestDistance := "", 3
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if d := editDistance(name, f.Name); d < bestDistance {
			best, bestDistance = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// normalizeArgs rewrites the single-dash long flags the standard flag
// package accepted (-json, -base-url=URL) to the --json spelling, so
// scripts written for earlier versions keep working. Only names of real
// flags are rewritten, and nothing after "--".
func normalizeArgs(root *cobra.Command, args []string) []string {
	known := map[string]bool{"help": true, "version": true}
	var collect func(c *cobra.Command)
	collect = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		}
		for _, sub := range c.Commands() {
			collect(sub)
		}
	}
	collect(root)
	out := make([]string, len(args))
	for i, arg := range args {
		if arg == "--" {
			copy(out[i:], args[i:])
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(arg, "-"), "=")
		if strings.HasPrefix(arg, "-") && !strings.HasPrefix(arg, "--") && len(name) > 1 && known[name] {
			arg = "-" + arg
		}
		out[i] = arg
	}
	return out
}
