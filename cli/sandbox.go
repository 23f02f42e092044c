package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// sandboxKnobs are the sandbox's configuration flags, shared by `hsadmin
// sandbox` and the built-in sandbox other commands fall back to.
type sandboxKnobs struct {
	contacts, users int
	// Records of the other owned types; 0 is none here (the generator
	// reads 0 as its default and negative as none).
	companies, deals, tickets, customRecords int
	seed                                     int64
	hubID                                    int64
	rateLimit                                bool
	rateLimitMax                             int
	rateSecondly                             int
	searchRate                               int
	latency                                  time.Duration
	fail5xx                                  float64
	fail429                                  float64
	fail429Policy                            string
	failReset                                float64
	failTruncate                             float64
	failHTML                                 float64
	failNonJSON                              float64
	failOversized                            float64
	faultSeed                                int64
	addDefault                               string
	deleteUntyped                            string
	rejectWrites                             string // contact IDs whose writes fail validation
	merged                                   string // away=survivor pairs
}

func addSandboxKnobs(fs *pflag.FlagSet) *sandboxKnobs {
	k := &sandboxKnobs{}
	fs.IntVar(&k.contacts, "contacts", 5000, "number of generated contacts (0 for an empty portal, up to 1000000)")
	fs.IntVar(&k.companies, "companies", 400, "number of generated companies (0 for none, up to 1000000)")
	fs.IntVar(&k.deals, "deals", 600, "number of generated deals (0 for none, up to 1000000)")
	fs.IntVar(&k.tickets, "tickets", 300, "number of generated tickets (0 for none, up to 1000000)")
	fs.IntVar(&k.customRecords, "custom-records", 150, "number of generated records of the custom object (0 for none, up to 1000000)")
	fs.IntVar(&k.users, "users", 60, "number of generated users")
	fs.Int64Var(&k.seed, "seed", 1, "seed of the deterministic portal generator")
	fs.Int64Var(&k.hubID, "hub-id", 62515, "the portal's hub ID (give two sandboxes different IDs: hsadmin keeps one mirror per hub ID)")
	fs.BoolVar(&k.rateLimit, "rate-limit", false, "enforce HubSpot's rate limits (rolling 10 s window, search 5/s)")
	fs.IntVar(&k.rateLimitMax, "rate-limit-max", 100, "requests per 10 s window per token when --rate-limit is on")
	fs.IntVar(&k.rateSecondly, "rate-limit-secondly", 0, "requests per second per token when --rate-limit is on, announced in X-HubSpot-RateLimit-Secondly (0: none)")
	fs.IntVar(&k.searchRate, "search-rate", 5, "search requests per second when --rate-limit is on")
	fs.DurationVar(&k.latency, "latency", 0, "latency added to every response, e.g. 80ms")
	fs.Float64Var(&k.fail5xx, "fail-5xx", 0, "fraction of requests answered 502/503/504")
	fs.Float64Var(&k.fail429, "fail-429", 0, "fraction of requests answered 429")
	fs.StringVar(&k.fail429Policy, "fail-429-policy", "TEN_SECONDLY_ROLLING", "the policyName of injected 429s: TEN_SECONDLY_ROLLING, SECONDLY or DAILY")
	fs.Float64Var(&k.failReset, "fail-reset", 0, "fraction of connections reset")
	fs.Float64Var(&k.failTruncate, "fail-truncate", 0, "fraction of responses with a truncated body")
	fs.Float64Var(&k.failHTML, "fail-html", 0, "fraction of requests answered with an HTML proxy error page")
	fs.Float64Var(&k.failNonJSON, "fail-nonjson", 0, "fraction of requests answered 200 with an HTML page instead of JSON")
	fs.Float64Var(&k.failOversized, "fail-oversized", 0, "fraction of requests answered 200 with a 72 MiB JSON body")
	fs.Int64Var(&k.faultSeed, "fault-seed", 1, "seed of the fault injection")
	fs.StringVar(&k.addDefault, "teams-add-default", string(hubspottest.AddDefaultMoves),
		"Teams API: adding a DEFAULT membership while the user has one elsewhere "+string(hubspottest.AddDefaultMoves)+" the primary team, is "+
			string(hubspottest.AddDefaultRefused)+" (400) or "+string(hubspottest.AddDefaultKeepsBoth)+" (undocumented by HubSpot)")
	fs.StringVar(&k.deleteUntyped, "teams-delete-untyped", string(hubspottest.DeleteUntypedDefault),
		"Teams API: a member DELETE without type ends the "+string(hubspottest.DeleteUntypedDefault)+" membership (the spec) or "+string(hubspottest.DeleteUntypedBoth))
	fs.StringVar(&k.rejectWrites, "reject-writes", "", "comma-separated contact IDs whose writes fail with a property validation error (failing their whole batch update, as on HubSpot)")
	fs.StringVar(&k.merged, "merged", "", "comma-separated AWAY=SURVIVOR contact ID pairs: AWAY is merged into SURVIVOR, which answers for it")
	return k
}

func (k *sandboxKnobs) config() (hubspottest.Config, error) {
	for _, c := range []struct {
		flag string
		n    int
	}{{"--companies", k.companies}, {"--deals", k.deals}, {"--tickets", k.tickets}, {"--custom-records", k.customRecords}} {
		if c.n < 0 || c.n > 1_000_000 {
			return hubspottest.Config{}, usagef("%s must be between 0 and 1000000, not %d", c.flag, c.n)
		}
	}
	if k.contacts < 0 || k.contacts > 1_000_000 {
		return hubspottest.Config{}, usagef("--contacts must be between 0 and 1000000, not %d", k.contacts)
	}
	if k.users < 1 || k.users > 10_000 {
		return hubspottest.Config{}, usagef("--users must be between 1 and 10000, not %d", k.users)
	}
	for name, f := range map[string]float64{"--fail-5xx": k.fail5xx, "--fail-429": k.fail429, "--fail-reset": k.failReset, "--fail-truncate": k.failTruncate, "--fail-html": k.failHTML, "--fail-nonjson": k.failNonJSON, "--fail-oversized": k.failOversized} {
		if f < 0 || f > 1 {
			return hubspottest.Config{}, usagef("%s is a fraction between 0 and 1, not %g", name, f)
		}
	}
	switch k.fail429Policy {
	case "TEN_SECONDLY_ROLLING", "SECONDLY", "DAILY":
	default:
		return hubspottest.Config{}, usagef("--fail-429-policy must be TEN_SECONDLY_ROLLING, SECONDLY or DAILY, not %q", k.fail429Policy)
	}
	if k.rateSecondly < 0 {
		return hubspottest.Config{}, usagef("--rate-limit-secondly must be 0 or more, not %d", k.rateSecondly)
	}
	if k.hubID < 0 {
		return hubspottest.Config{}, usagef("--hub-id must be positive, not %d", k.hubID)
	}
	addDefault, err := hubspottest.ParseAddDefaultRule(k.addDefault)
	if err != nil {
		return hubspottest.Config{}, usagef("--teams-add-default: %v", err)
	}
	deleteUntyped, err := hubspottest.ParseDeleteUntypedRule(k.deleteUntyped)
	if err != nil {
		return hubspottest.Config{}, usagef("--teams-delete-untyped: %v", err)
	}
	rejects, merged, err := k.recordKnobs()
	if err != nil {
		return hubspottest.Config{}, err
	}
	contacts := k.contacts
	if contacts == 0 {
		contacts = -1 // the generator reads 0 as "the default 5,000", and negative as none
	}
	return hubspottest.Config{
		Seed:              k.seed,
		HubID:             k.hubID,
		Contacts:          contacts,
		Companies:         noneAsNegative(k.companies),
		Deals:             noneAsNegative(k.deals),
		Tickets:           noneAsNegative(k.tickets),
		CustomRecords:     noneAsNegative(k.customRecords),
		Users:             k.users,
		RateLimit:         k.rateLimit,
		RateLimitMax:      k.rateLimitMax,
		RateLimitSecondly: k.rateSecondly,
		SearchPerSecond:   k.searchRate,
		TeamsBeta:         hubspottest.TeamsBeta{AddDefault: addDefault, DeleteUntyped: deleteUntyped},
		RejectWrites:      rejects,
		Merged:            merged,
		Faults: hubspottest.Faults{
			Seed:            k.faultSeed,
			Latency:         k.latency,
			ServerErrors:    k.fail5xx,
			RateLimited:     k.fail429,
			RateLimitPolicy: k.fail429Policy,
			Resets:          k.failReset,
			Truncated:       k.failTruncate,
			HTML:            k.failHTML,
			NonJSON:         k.failNonJSON,
			Oversized:       k.failOversized,
		},
	}, nil
}

func (a *app) sandboxCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "serve a sandbox HubSpot portal over HTTP for any client to use",
		Long: `Serve a sandbox HubSpot portal over HTTP for any client to use: it behaves like
HubSpot on the wire, quirks included, and prints a base URL and a token.
The knobs below shape the portal and inject faults.`,
	}
	fs := cmd.Flags()
	listen := fs.String("listen", "127.0.0.1:4010", "address to listen on (loopback only is wise: tokens are printed)")
	scopes := fs.String("scopes", "", "comma-separated scopes for the printed token (default: every scope)")
	knobs := addSandboxKnobs(fs)
	app := addSandboxOAuthFlags(fs)
	cmd.RunE = a.run(func(ctx context.Context, io stdio, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		cfg, err := knobs.config()
		if err != nil {
			return err
		}
		if err := app.check(); err != nil {
			return err
		}
		cfg.RotateRefreshTokens = app.rotate
		var scopeList []string
		for _, s := range strings.Split(*scopes, ",") {
			if s = strings.TrimSpace(s); s != "" {
				scopeList = append(scopeList, s)
			}
		}
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			return fmt.Errorf("cannot listen on %s: %w", *listen, err)
		}
		sb, err := hubspottest.Open(cfg)
		if err != nil {
			return usagef("--reject-writes or --merged: %v", err)
		}
		token := sb.IssueToken(scopeList...)
		base := "http://" + ln.Addr().String()
		sum := sb.Summary()
		fmt.Fprintf(io.out, "HubSpot sandbox portal %d serving at %s\n", sb.HubID(), base)
		fmt.Fprintf(io.out, "  %s\n", portalSummary(store.Counts{
			Users: sum.Users, MultiRoleUsers: sum.MultiRoleUsers, Roles: sum.Roles, Teams: sum.Teams,
			Owners: sum.Owners, ArchivedOwners: sum.ArchivedOwners, QueueOwners: sum.QueueOwners, CRMUsers: sum.CRMUsers,
			Contacts: sum.Contacts,
		}))
		fmt.Fprintf(io.out, "\nexport HUBSPOT_BASE_URL=%s\nexport HUBSPOT_ACCESS_TOKEN=%s\n\n", base, token)
		fmt.Fprintf(io.out, "curl -H \"Authorization: Bearer $HUBSPOT_ACCESS_TOKEN\" %s/crm/v3/owners\n", base)
		app.register(sb, base, io.out)
		fmt.Fprintln(io.err, "Press Ctrl+C to stop.")

		srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ln) }()
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			_ = srv.Shutdown(shutdown)
			if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(io.err, "sandbox stopped")
			return nil
		}
	})
	return cmd
}

// recordKnobs reads --reject-writes and --merged.
func (k *sandboxKnobs) recordKnobs() ([]hubspot.ContactID, map[hubspot.ContactID]hubspot.ContactID, error) {
	var rejects []hubspot.ContactID
	for _, id := range splitComma(k.rejectWrites) {
		if !hubspot.IsNumeric(id) {
			return nil, nil, usagef("--reject-writes takes contact IDs, not %q", id)
		}
		rejects = append(rejects, hubspot.ContactID(id))
	}
	var merged map[hubspot.ContactID]hubspot.ContactID
	for _, pair := range splitComma(k.merged) {
		away, survivor, ok := strings.Cut(pair, "=")
		if !ok || !hubspot.IsNumeric(away) || !hubspot.IsNumeric(survivor) {
			return nil, nil, usagef("--merged takes AWAY=SURVIVOR contact ID pairs, not %q", pair)
		}
		if merged == nil {
			merged = map[hubspot.ContactID]hubspot.ContactID{}
		}
		merged[hubspot.ContactID(away)] = hubspot.ContactID(survivor)
	}
	return rejects, merged, nil
}

func splitComma(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// noneAsNegative turns the flags' 0 ("none") into the generator's negative
// count; the generator reads 0 as its default.
func noneAsNegative(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
