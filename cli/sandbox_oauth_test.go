package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

func TestSandboxOAuthFlags(t *testing.T) {
	t.Parallel()
	parse := func(args ...string) (*sandboxOAuthApp, error) {
		fs := pflag.NewFlagSet("sandbox", pflag.ContinueOnError)
		a := addSandboxOAuthFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return a, a.check()
	}
	for _, bad := range [][]string{
		{"--oauth-client-id", "cid"},
		{"--oauth-client-secret", "s"},
		{"--oauth-client-id", "cid", "--oauth-client-secret", "s", "--oauth-redirect", "not a url"},
	} {
		if _, err := parse(bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	a, err := parse("--oauth-client-id", "cid", "--oauth-client-secret", "app-secret-xyz", "--rotate-refresh-tokens")
	if err != nil || !a.rotate || a.redirect != defaultSandboxRedirect {
		t.Fatalf("%+v %v", a, err)
	}
	var out bytes.Buffer
	a.register(hubspottest.New(hubspottest.Config{Contacts: -1}), "http://127.0.0.1:4010", &out)
	if !strings.Contains(out.String(), "--client-id cid --listen 127.0.0.1:8765") || strings.Contains(out.String(), "app-secret-xyz") {
		t.Errorf("printed:\n%s", out.String())
	}
	if a, _ := parse(); a.clientID != "" {
		t.Error("an app registered without flags")
	}
}

func TestSandboxZeroContactsIsAnEmptyPortal(t *testing.T) {
	t.Parallel()
	fs := pflag.NewFlagSet("sandbox", pflag.ContinueOnError)
	k := addSandboxKnobs(fs)
	if err := fs.Parse([]string{"--contacts", "0"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := k.config()
	if err != nil {
		t.Fatal(err)
	}
	if n := hubspottest.New(cfg).Summary().Contacts; n != 0 {
		t.Errorf("--contacts 0 serves %d contacts", n)
	}
}
