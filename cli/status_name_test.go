package cli

import (
	"bytes"
	"strings"
	"testing"
)

// A portal opened with HUBSPOT_ACCESS_TOKEN is named by where its token
// came from (the console's status line shows it), never by the token.
func TestEnvPortalIsNamedByWhereTheTokenCameFrom(t *testing.T) {
	e := cliEnv(t)
	var out, errOut bytes.Buffer
	pf := &portalFlags{app: &app{deps: e.deps("", &out, &errOut)}}
	tg, err := pf.dialToken("", "pat-na1-secret", &callLog{})
	if err != nil {
		t.Fatal(err)
	}
	if tg.name != "token from HUBSPOT_ACCESS_TOKEN" || strings.Contains(tg.name, "secret") {
		t.Fatalf("portal name %q", tg.name)
	}
}
