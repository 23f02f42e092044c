package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

func init() {
	register(command{
		name: "restore",
		args: "list [--all] [--json]\n" +
			"       hsadmin restore tick ITEM...",
		summary: "the restore checklist of roles HubSpot dropped: list it, or tick items off by hand once given back (a sync ticks off those it sees back)",
		flags:   restoreCommand,
	})
}

func restoreCommand(fs *flag.FlagSet) func(context.Context, stdio, []string) error {
	pf := addPortalFlags(fs)
	all, asJSON := addRestoreListFlags(fs)
	list := restoreList(pf, all, asJSON)
	return func(ctx context.Context, std stdio, args []string) error {
		if len(args) == 0 {
			return usagef("name a subcommand: list or tick")
		}
		switch args[0] {
		case "list":
			return list(ctx, std, args[1:])
		case "tick":
			return restoreTick(ctx, std, pf, args[1:])
		}
		return usagef("unknown subcommand %q: use list or tick", args[0])
	}
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
