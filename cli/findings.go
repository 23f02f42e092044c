package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/portal"
)

func (a *app) findingsCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:   "findings",
		Short: "list ID mismatches: records of every type held by deactivated or unknown owners, owners without users, colliding IDs ...",
	})
	fs := cmd.Flags()
	pf := a.pf
	asJSON := &a.asJSON
	all := fs.Bool("all", false, "list every affected record (default: the first 10 of each finding)")
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		op, err := pf.open(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		findings, err := op.Findings(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(std, findingsJSON(findings))
		}
		printFindings(std.out, findings, *all)
		return nil
	})
	return cmd
}

func printFindings(w io.Writer, findings []portal.Finding, all bool) {
	for _, f := range findings {
		mark := "!"
		switch {
		case f.Info:
			mark = "i"
		case f.Count == 0:
			mark = "✓"
		}
		fmt.Fprintf(w, "%s %-5d %s\n", mark, f.Count, f.Title)
		if f.Count == 0 {
			continue
		}
		fmt.Fprintf(w, "        why: %s\n", f.Why)
		shown := f.Records
		if !all && len(shown) > 10 {
			shown = shown[:10]
		}
		for _, r := range shown {
			fmt.Fprintf(w, "        - %s\n", r.Label)
		}
		if hidden := len(f.Records) - len(shown); hidden > 0 {
			fmt.Fprintf(w, "        … %s more (--all lists them)\n", portal.Thousands(hidden))
		}
		if len(f.Records) < f.Count && all {
			fmt.Fprintf(w, "        (records listed are capped at %s)\n", portal.Thousands(len(f.Records)))
		}
	}
}

type findingOut struct {
	Kind    string      `json:"kind"`
	Title   string      `json:"title"`
	Why     string      `json:"why"`
	Count   int         `json:"count"`
	Info    bool        `json:"informational"`
	Records []recordOut `json:"records"`
	// The group of a per-type finding (records-* kinds).
	ObjectType string `json:"objectType,omitempty"`
	Property   string `json:"property,omitempty"`
}

type recordOut struct {
	Label     string `json:"label"`
	UserID    string `json:"userId,omitempty"`
	OwnerID   string `json:"ownerId,omitempty"`
	ContactID string `json:"contactId,omitempty"`
	CRMUserID string `json:"crmUserId,omitempty"`
}

func findingsJSON(findings []portal.Finding) []findingOut {
	out := make([]findingOut, 0, len(findings))
	for _, f := range findings {
		fo := findingOut{Kind: f.Kind, Title: f.Title, Why: f.Why, Count: f.Count, Info: f.Info, Records: []recordOut{},
			ObjectType: string(f.ObjectType), Property: f.Property}
		for _, r := range f.Records {
			fo.Records = append(fo.Records, recordOut{
				Label: r.Label, UserID: string(r.UserID), OwnerID: string(r.OwnerID),
				ContactID: string(r.ContactID), CRMUserID: string(r.CRMUserID),
			})
		}
		out = append(out, fo)
	}
	return out
}
