package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/store"
)

// restoreCommand is the restore checklist's group: the roles HubSpot
// dropped during changes made here, to give back in HubSpot's settings
// (a new verb, such as tick, is one more AddCommand below).
func (a *app) restoreCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "the checklist of roles HubSpot dropped during changes made here",
		Args:  subcommandArgs,
		RunE:  needsSubcommand,
	}
	cmd.AddCommand(a.restoreListCommand())
	return cmd
}

func (a *app) restoreListCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "list roles HubSpot dropped during changes made here, to give back in HubSpot's settings",
	})
	fs := cmd.Flags()
	pf := a.pf
	all := fs.Bool("all", false, "include roles already given back")
	asJSON := &a.asJSON
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("restore list takes no arguments")
		}
		op, err := pf.openMirror(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		if err := verifyUnfinished(ctx, std, op.Portal); err != nil {
			return err
		}
		items, err := op.RestoreList(ctx)
		if err != nil {
			return err
		}
		var shown []store.RestoreItem
		for _, it := range items {
			if *all || it.Open() {
				shown = append(shown, it)
			}
		}
		if *asJSON {
			return printJSON(std, restoreOut(shown))
		}
		printRestoreList(std.out, shown)
		return nil
	})
	return cmd
}

type restoreItemJ struct {
	UserID     string     `json:"userId"`
	User       string     `json:"user"`
	Email      string     `json:"email,omitempty"`
	RoleID     string     `json:"roleId"`
	Role       string     `json:"role"`
	Link       string     `json:"link"`
	DroppedAt  time.Time  `json:"droppedAt"`
	RestoredAt *time.Time `json:"restoredAt,omitempty"`
	JobID      int64      `json:"jobId"`
}

func restoreOut(items []store.RestoreItem) []restoreItemJ {
	out := []restoreItemJ{}
	for _, it := range items {
		j := restoreItemJ{UserID: string(it.UserID), User: it.UserName, Email: it.UserEmail, RoleID: string(it.RoleID),
			Role: it.RoleName, Link: it.Link, DroppedAt: it.DroppedAt.UTC(), JobID: it.JobID}
		if !it.Open() {
			at := it.RestoredAt.UTC()
			j.RestoredAt = &at
		}
		out = append(out, j)
	}
	return out
}

// printRestoreList groups the items by user: one block per user with the
// roles to give back and where.
func printRestoreList(w io.Writer, items []store.RestoreItem) {
	if len(items) == 0 {
		fmt.Fprintln(w, "Nothing to restore: no role dropped by a change made here is missing.")
		return
	}
	type block struct {
		head  string
		link  string
		roles []string
	}
	var order []string
	blocks := map[string]*block{}
	for _, it := range items {
		key := string(it.UserID) + "\x00" + strconv.FormatBool(it.Open())
		b := blocks[key]
		if b == nil {
			label := it.UserName
			if it.UserEmail != "" && it.UserEmail != label {
				label += " <" + it.UserEmail + ">"
			}
			b = &block{head: fmt.Sprintf("%s (user %s)", label, it.UserID), link: it.Link}
			blocks[key], order = b, append(order, key)
		}
		role := fmt.Sprintf("re-add %s (dropped %s)", it.RoleName, it.DroppedAt.Local().Format("2006-01-02 15:04"))
		if !it.Open() {
			role = fmt.Sprintf("done   %s (back since %s)", it.RoleName, it.RestoredAt.Local().Format("2006-01-02 15:04"))
		}
		b.roles = append(b.roles, role)
	}
	for _, key := range order {
		b := blocks[key]
		fmt.Fprintln(w, b.head)
		for _, r := range b.roles {
			fmt.Fprintf(w, "  %s\n", r)
		}
		fmt.Fprintf(w, "  %s\n", b.link)
	}
}
