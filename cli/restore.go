package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

// restoreCommand is the restore checklist's group: the roles HubSpot
// dropped during changes made here, to give back in HubSpot's settings
// (list them; tick them off by hand once given back).
func (a *app) restoreCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "the checklist of roles HubSpot dropped during changes made here: list it, tick items off by hand (a sync ticks off those it sees back)",
		Args:  subcommandArgs,
		RunE:  needsSubcommand,
	}
	cmd.AddCommand(a.restoreListCommand(), a.restoreTickCommand())
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
	ID         int64      `json:"id"` // the number hsadmin restore tick takes
	UserID     string     `json:"userId"`
	User       string     `json:"user"`
	Email      string     `json:"email,omitempty"`
	RoleID     string     `json:"roleId"`
	Role       string     `json:"role"`
	Link       string     `json:"link"`
	DroppedAt  time.Time  `json:"droppedAt"`
	RestoredAt *time.Time `json:"restoredAt,omitempty"`
	// RestoredHow is "sync" (a sync saw the role back) or "hand" (ticked
	// off by RestoredBy).
	RestoredHow string `json:"restoredHow,omitempty"`
	RestoredBy  string `json:"restoredBy,omitempty"`
	JobID       int64  `json:"jobId"`
}

func restoreOut(items []store.RestoreItem) []restoreItemJ {
	out := []restoreItemJ{}
	for _, it := range items {
		j := restoreItemJ{ID: it.ID, UserID: string(it.UserID), User: it.UserName, Email: it.UserEmail, RoleID: string(it.RoleID),
			Role: it.RoleName, Link: it.Link, DroppedAt: it.DroppedAt.UTC(), JobID: it.JobID}
		if !it.Open() {
			at := it.RestoredAt.UTC()
			j.RestoredAt = &at
			j.RestoredHow, j.RestoredBy = it.RestoredHow, it.RestoredBy
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
	defer fmt.Fprintln(w, "Tick an item off once the role is back (or should stay away): hsadmin restore tick ITEM")
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
		role := fmt.Sprintf("%4d  re-add %s (dropped %s)", it.ID, it.RoleName, it.DroppedAt.Local().Format("2006-01-02 15:04"))
		if !it.Open() {
			role = fmt.Sprintf("%4d  done   %s (%s)", it.ID, it.RoleName, restoredWords(it))
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

func (a *app) restoreTickCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tick ITEM...",
		Short: "tick restore checklist items off by hand, once the role is back in HubSpot (or should stay away)",
	}
	pf := a.pf
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error { return restoreTick(ctx, std, pf, args) })
	return cmd
}

// restoreTick ticks items off by hand.
func restoreTick(ctx context.Context, std stdio, pf *portalFlags, args []string) error {
	if len(args) == 0 {
		return usagef("name the items to tick off by their number (hsadmin restore list shows them)")
	}
	var ids []int64
	for _, a := range args {
		id, err := strconv.ParseInt(strings.TrimPrefix(a, "#"), 10, 64)
		if err != nil || id <= 0 {
			return usagef("%q is not an item number (hsadmin restore list shows them)", a)
		}
		ids = append(ids, id)
	}
	op, err := pf.openMirror(ctx, std)
	if err != nil {
		return err
	}
	defer op.Close()
	ticked, err := op.TickRestoreItems(ctx, ids)
	if errors.Is(err, store.ErrNoSuchRestoreItem) {
		return fmt.Errorf("%w; nothing was ticked off (hsadmin restore list --all shows every item)", err)
	}
	if err != nil {
		return err
	}
	items, err := op.RestoreList(ctx)
	if err != nil {
		return err
	}
	for _, it := range items {
		for _, id := range ids {
			if it.ID != id {
				continue
			}
			what := "already ticked off: " + restoredWords(it)
			for _, t := range ticked {
				if t == id {
					what = "ticked off by hand"
				}
			}
			fmt.Fprintf(std.out, "item %d: %s for %s: %s\n", it.ID, it.RoleName, it.UserName, what)
		}
	}
	if open := countOpen(items); open > 0 {
		fmt.Fprintf(std.out, "%s still to give back: hsadmin restore list\n", portal.Plural(open, "role"))
	}
	return nil
}

func countOpen(items []store.RestoreItem) int {
	n := 0
	for _, it := range items {
		if it.Open() {
			n++
		}
	}
	return n
}

// restoredWords says how and when an item was ticked off.
func restoredWords(it store.RestoreItem) string {
	when := it.RestoredAt.Local().Format("2006-01-02 15:04")
	if it.RestoredHow == store.RestoredByHand {
		by := ""
		if it.RestoredBy != "" {
			by = " by " + it.RestoredBy
		}
		return "ticked by hand" + by + " " + when
	}
	return "seen restored at sync " + when
}
