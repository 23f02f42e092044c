package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// A token without the teams, roles or CRM users scopes still gets a mirror
// of users, owners and contacts; the skipped phases say which scope is
// missing.
func TestSyncSkipsTablesTheTokenCannotRead(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 120, Users: 10}, nil)
	granted := slices.DeleteFunc(slices.Clone(hubspottest.AllScopes), func(s string) bool {
		return strings.HasPrefix(s, "settings.users.teams") || s == "crm.objects.users.read"
	})
	token := e.sb.IssueToken(granted...)
	e.client = hubspot.New(hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	e.token = token
	p := e.open(t)

	progress := make(chan SyncProgress, 1000)
	if err := p.Sync(context.Background(), progress); err != nil {
		t.Fatalf("sync with a narrower token: %v", err)
	}
	var phases []string
	for len(progress) > 0 {
		if sp := <-progress; sp.Finished {
			phases = append(phases, sp.Phase)
		}
	}
	for _, want := range []string{"teams skipped: the token lacks settings.users.teams.read", "CRM users skipped: the token lacks crm.objects.users.read"} {
		if !slices.Contains(phases, want) {
			t.Errorf("no phase %q in %q", want, phases)
		}
	}
	counts, err := p.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts.Users != 10 || counts.Contacts != 120 || counts.Teams != 0 || counts.CRMUsers != 0 {
		t.Errorf("mirror holds %+v", counts)
	}
}
