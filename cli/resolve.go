package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/store"
)

func (a *app) resolveCommand() *cobra.Command {
	cmd := printsJSON(&cobra.Command{
		Use:   "resolve VALUE",
		Short: "say what an owner ID, user ID, CRM user record ID or email is, and whose",
	})
	cmd.ValidArgsFunction = a.completeFirstOwnerEmail
	pf := a.pf
	asJSON := &a.asJSON
	cmd.RunE = a.run(func(ctx context.Context, std stdio, args []string) error {
		if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
			return usagef("give exactly one value to resolve (an ID or an email)")
		}
		op, err := pf.open(ctx, std)
		if err != nil {
			return err
		}
		defer op.Close()
		res, err := op.Resolve(ctx, args[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(std, resolutionJSON(res))
		}
		printResolution(std.out, res)
		if len(res.Matches) == 0 && len(res.HeldAsOwnerID) == 0 {
			return fmt.Errorf("%q is not an ID or email this portal knows", res.Input)
		}
		return nil
	})
	return cmd
}

func printResolution(w io.Writer, res portal.Resolution) {
	defer printHeldAsOwnerID(w, res)
	switch {
	case len(res.Matches) == 0:
		fmt.Fprintf(w, "%s: no owner, user, CRM user record or email matches it\n", res.Input)
		return
	case res.Ambiguous:
		fmt.Fprintf(w, "%s is AMBIGUOUS: it means different people in different ID schemes\n", res.Input)
	}
	for _, m := range res.Matches {
		c := m.Card
		fmt.Fprintf(w, "%s is the %s of %s\n", res.Input, m.Scheme, personLabel(c))
		fmt.Fprintf(w, "  user ID %s · owner ID %s · CRM user record %s · hs_internal_user_id %s\n",
			orNone(string(c.UserID)), orNone(string(c.OwnerID)), orNone(string(c.CRMUserID)), orNone(string(c.InternalUserID)))
		fmt.Fprintf(w, "  %s", personState(c))
		if c.OwnerID != "" {
			fmt.Fprintf(w, " · %s", portal.Plural(c.ContactCount, "contact"))
		}
		fmt.Fprintln(w)
		if len(c.Roles) > 0 {
			fmt.Fprintf(w, "  roles: %s\n", roleList(c.Roles))
		}
		for _, h := range c.Holdings {
			fmt.Fprintf(w, "  holds %s through %s (%s)%s\n", h.Records(), h.PropertyLabel, h.Property, closedNote(h))
		}
		if d := c.Departure; d != nil {
			fmt.Fprintf(w, "  %s\n", portal.DepartureText(*d))
		}
		for _, mm := range c.Mismatches {
			fmt.Fprintf(w, "  ! %s\n", mm)
		}
	}
}

// printHeldAsOwnerID says what records hold the value as an owner ID
// though no owner has it.
func printHeldAsOwnerID(w io.Writer, res portal.Resolution) {
	if len(res.HeldAsOwnerID) == 0 {
		return
	}
	fmt.Fprintf(w, "! records hold %s as an owner ID, but no owner has that ID:\n", res.Input)
	for _, h := range res.HeldAsOwnerID {
		fmt.Fprintf(w, "  %s through %s (%s)%s\n", h.Records(), h.PropertyLabel, h.Property, closedNote(h))
	}
}

// closedNote says how many of a holding's records are closed deals or
// tickets, when any are.
func closedNote(h store.Holding) string {
	if closed := h.Count - h.Open; closed > 0 {
		return fmt.Sprintf(", %s closed", portal.Thousands(closed))
	}
	return ""
}

func personLabel(c store.IDCard) string {
	name := c.Name
	if name == "" {
		name = "(no name)"
	}
	if c.Email != "" {
		return name + " <" + c.Email + ">"
	}
	return name
}

func personState(c store.IDCard) string {
	var parts []string
	switch {
	case c.OwnerType == hubspot.OwnerQueue:
		parts = append(parts, "queue")
	case c.NoUser:
		parts = append(parts, "active owner with no HubSpot user (e.g. synced from Salesforce)")
	case c.Active:
		parts = append(parts, "active")
	default:
		parts = append(parts, "deactivated")
	}
	if c.OwnerArchived {
		parts = append(parts, "owner deactivated")
	}
	if c.SuperAdmin {
		parts = append(parts, "super admin")
	}
	return strings.Join(parts, ", ")
}

func roleList(roles []store.RoleRef) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Name
		if r.Primary {
			names[i] += " (primary: the one a user update keeps)"
		}
	}
	return strings.Join(names, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// The JSON shapes below are hsadmin's documented output, independent of the
// store's Go types.

type resolutionOut struct {
	Input         string       `json:"input"`
	Ambiguous     bool         `json:"ambiguous"`
	Matches       []matchOut   `json:"matches"`
	HeldAsOwnerID []holdingOut `json:"heldAsOwnerId,omitempty"` // records holding the value though no owner has it
}

type matchOut struct {
	Scheme string  `json:"scheme"`
	Person idCardJ `json:"person"`
}

type idCardJ struct {
	Name           string       `json:"name"`
	Email          string       `json:"email,omitempty"`
	UserID         string       `json:"userId,omitempty"`
	OwnerID        string       `json:"ownerId,omitempty"`
	CRMUserID      string       `json:"crmUserId,omitempty"`
	InternalUserID string       `json:"hsInternalUserId,omitempty"`
	Active         bool         `json:"active"`
	OwnerType      string       `json:"ownerType,omitempty"`
	OwnerArchived  bool         `json:"ownerArchived"`
	NoUser         bool         `json:"noUser,omitempty"` // an active owner with no HubSpot user (e.g. synced from Salesforce)
	SuperAdmin     bool         `json:"superAdmin"`
	PrimaryTeam    string       `json:"primaryTeam,omitempty"`
	SecondaryTeams []string     `json:"secondaryTeams,omitempty"`
	Roles          []roleOut    `json:"roles,omitempty"`
	ContactCount   int          `json:"contactCount"`
	Holdings       []holdingOut `json:"holdings,omitempty"`
	Mismatches     []string     `json:"mismatches,omitempty"`
	Left           *leftOut     `json:"left,omitempty"` // offboarded by hsadmin
}

// leftOut is when and by which job hsadmin offboarded the person.
type leftOut struct {
	At       time.Time `json:"at"`
	Job      int64     `json:"job"`
	KeptUser bool      `json:"keptUser"`
}

// holdingOut is what an owner ID holds of one type through one property.
type holdingOut struct {
	ObjectType string `json:"objectType"`
	Property   string `json:"property"`
	Label      string `json:"propertyLabel"`
	Records    int    `json:"records"`
	Open       int    `json:"open"`
}

type roleOut struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

func resolutionJSON(res portal.Resolution) resolutionOut {
	out := resolutionOut{Input: res.Input, Ambiguous: res.Ambiguous, Matches: []matchOut{}}
	for _, m := range res.Matches {
		out.Matches = append(out.Matches, matchOut{Scheme: m.Scheme, Person: idCardJSON(m.Card)})
	}
	out.HeldAsOwnerID = holdingsJSON(res.HeldAsOwnerID)
	return out
}

func idCardJSON(c store.IDCard) idCardJ {
	j := idCardJ{
		Name: c.Name, Email: c.Email, UserID: string(c.UserID), OwnerID: string(c.OwnerID),
		CRMUserID: string(c.CRMUserID), InternalUserID: string(c.InternalUserID),
		Active: c.Active, OwnerType: string(c.OwnerType), OwnerArchived: c.OwnerArchived, NoUser: c.NoUser,
		SuperAdmin: c.SuperAdmin, PrimaryTeam: c.PrimaryTeam, SecondaryTeams: c.SecondaryTeams,
		ContactCount: c.ContactCount, Mismatches: c.Mismatches,
	}
	for _, r := range c.Roles {
		j.Roles = append(j.Roles, roleOut{ID: string(r.ID), Name: r.Name, Primary: r.Primary})
	}
	j.Holdings = holdingsJSON(c.Holdings)
	if d := c.Departure; d != nil {
		j.Left = &leftOut{At: d.At.UTC(), Job: d.JobID, KeptUser: d.KeptUser}
	}
	return j
}

func holdingsJSON(hs []store.Holding) []holdingOut {
	var out []holdingOut
	for _, h := range hs {
		out = append(out, holdingOut{ObjectType: string(h.Type), Property: h.Property, Label: h.PropertyLabel, Records: h.Count, Open: h.Open})
	}
	return out
}
