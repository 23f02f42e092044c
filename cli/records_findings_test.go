package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// findings and resolve cover every object type and owner property, not
// only contacts, in text and in JSON.
func TestFindingsAndResolveCoverEveryType(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	code, out, errOut := e.runCLI(t, "findings", "--json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var findings []findingOut
	if err := json.Unmarshal([]byte(out), &findings); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	i := slices.IndexFunc(findings, func(f findingOut) bool {
		return f.Kind == "records-deactivated-owner" && f.ObjectType == "companies" && f.Property == "account_team"
	})
	if i < 0 || findings[i].Count == 0 || len(findings[i].Records) == 0 || findings[i].Records[0].OwnerID == "" {
		t.Fatalf("no group of companies held by deactivated owners through account_team in %+v", findings)
	}
	if code, out, _ = e.runCLI(t, "findings"); code != exitOK || !strings.Contains(out, "Companies held by deactivated owners through Account team (account_team)") {
		t.Errorf("findings: exit %d\n%s", code, out)
	}

	j := slices.IndexFunc(findings, func(f findingOut) bool { return f.Kind == "records-unknown-owner" })
	if j < 0 {
		t.Fatal("no records held by unknown owner IDs")
	}
	unknown := findings[j].Records[0].OwnerID
	if code, out, _ = e.runCLI(t, "resolve", unknown); code != exitOK || !strings.Contains(out, "records hold "+unknown+" as an owner ID, but no owner has that ID") {
		t.Errorf("resolve %s (an unknown owner ID): exit %d\n%s", unknown, code, out)
	}

	owner := findings[i].Records[0].OwnerID
	code, out, errOut = e.runCLI(t, "resolve", owner)
	if code != exitOK || !strings.Contains(out, "through Account team (account_team)") {
		t.Errorf("resolve %s: exit %d, stderr %q\n%s", owner, code, errOut, out)
	}
	code, out, _ = e.runCLI(t, "resolve", "--json", owner)
	var res resolutionOut
	if err := json.Unmarshal([]byte(out), &res); code != exitOK || err != nil || len(res.Matches) == 0 {
		t.Fatalf("resolve --json %s: exit %d, %v\n%s", owner, code, err, out)
	}
	if !slices.ContainsFunc(res.Matches[0].Person.Holdings, func(h holdingOut) bool {
		return h.ObjectType == "companies" && h.Property == "account_team" && h.Records > 0
	}) {
		t.Errorf("resolve --json %s holds %+v", owner, res.Matches[0].Person.Holdings)
	}
}
