package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/credentials"
)

// portalListing is one row of `hsadmin portals`; its JSON form is stable
// for scripts.
type portalListing struct {
	Name       string `json:"name"`
	Default    bool   `json:"default"`
	Auth       string `json:"auth"`
	BaseURL    string `json:"base_url"`
	HubID      int64  `json:"hub_id,omitempty"`
	ReadOnly   bool   `json:"read_only"`
	Production bool   `json:"production"`
	Accent     string `json:"accent,omitempty"`
	SignedIn   bool   `json:"signed_in"`
	StoredIn   string `json:"stored_in,omitempty"` // "OS keyring" or the credentials file
	// CredentialProblem says why saved credentials cannot be used (a
	// damaged file, one others can read); empty when there are none or
	// they are fine.
	CredentialProblem string `json:"credential_problem,omitempty"`
}

func (a *app) portalsCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:   "portals",
		Short: "list the configured portals and whether each is signed in",
	})
	asJSON := &a.asJSON
	cmd.RunE = a.run(func(ctx context.Context, io stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		cfg, err := a.loadConfig()
		if err != nil {
			return err
		}
		store, err := a.openCredentials()
		if err != nil {
			return err
		}
		rows := make([]portalListing, 0, len(cfg.Portals))
		for _, p := range cfg.Portals {
			where := store.Where(p.Name)
			problem := ""
			if where == "" {
				if _, err := store.Load(p.Name); err != nil && !errors.Is(err, credentials.ErrNotFound) {
					problem = oneLine(err.Error())
				}
			}
			rows = append(rows, portalListing{
				Name: p.Name, Default: p.Name == cfg.DefaultPortal, Auth: string(p.Auth), BaseURL: p.BaseURL, HubID: p.HubID,
				ReadOnly: p.ReadOnly, Production: p.Production, Accent: p.Accent, SignedIn: where != "", StoredIn: where,
				CredentialProblem: problem,
			})
		}
		if *asJSON {
			enc := json.NewEncoder(io.out)
			enc.SetIndent("", "  ")
			return enc.Encode(rows)
		}
		if len(rows) == 0 {
			fmt.Fprintf(io.out, "No portals configured in %s.\nAdd one with: hsadmin login --token  (or --oauth --client-id ID)\n", cfg.Path)
			return nil
		}
		tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tAUTH\tBASE URL\tHUB\tFLAGS\tSIGNED IN")
		for _, r := range rows {
			name := r.Name
			if r.Default {
				name += " (default)"
			}
			hub := "-"
			if r.HubID != 0 {
				hub = fmt.Sprint(r.HubID)
			}
			signed := "no"
			switch {
			case r.SignedIn:
				signed = "yes, " + r.StoredIn
			case r.CredentialProblem != "":
				signed = "unusable: " + r.CredentialProblem
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", name, r.Auth, r.BaseURL, hub, portalFlagsText(r), signed)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(io.out, "\nConfig: %s\n", cfg.Path)
		return nil
	})
	return cmd
}

func portalFlagsText(r portalListing) string {
	s := ""
	add := func(f string) {
		if s != "" {
			s += ","
		}
		s += f
	}
	if r.Production {
		add("production")
	}
	if r.ReadOnly {
		add("read-only")
	}
	if s == "" {
		return "-"
	}
	return s
}
