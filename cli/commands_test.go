package cli

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// tokenPortal is a sandbox served over HTTP that outlives single commands,
// reached as an admin with a private app token would: HUBSPOT_BASE_URL and
// HUBSPOT_ACCESS_TOKEN. Commands share its data directory, so one command's
// mirror and journal are seen by the next.
type tokenPortal struct {
	*testEnv
	sb      *hubspottest.Server
	srv     *httptest.Server
	token   string
	dataDir string
}

func newTokenPortal(t *testing.T, cfg hubspottest.Config) *tokenPortal {
	t.Helper()
	tp := &tokenPortal{testEnv: cliEnv(t), sb: hubspottest.New(cfg), dataDir: t.TempDir()}
	tp.srv = httptest.NewServer(tp.sb)
	t.Cleanup(tp.srv.Close)
	tp.token = tp.sb.IssueToken()
	tp.setenv("HUBSPOT_ACCESS_TOKEN", tp.token)
	tp.setenv("HUBSPOT_BASE_URL", tp.srv.URL)
	return tp
}

// sync fills the portal's mirror with hsadmin sync.
func (tp *tokenPortal) sync(t *testing.T) {
	t.Helper()
	if code, _, errOut := tp.runCLI(t, "sync", "--data-dir", tp.dataDir); code != exitOK {
		t.Fatalf("sync: %s", errOut)
	}
}

// builtInFixtures are the fixtures of the portal the built-in sandbox serves.
func builtInFixtures() hubspottest.Fixtures {
	cfg, err := defaultSandboxKnobs().config()
	if err != nil {
		panic(err)
	}
	return hubspottest.New(cfg).Fixtures()
}

func TestResolveOnTheBuiltInSandbox(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	fx := builtInFixtures()

	code, out, errOut := e.runCLI(t, "resolve", string(fx.CollidingUser))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(errOut, "built-in sandbox") {
		t.Errorf("stderr does not say the sandbox is used: %q", errOut)
	}
	for _, want := range []string{"AMBIGUOUS", "is the owner ID of", "is the user ID of"} {
		if !strings.Contains(out, want) {
			t.Errorf("resolve output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = e.runCLI(t, "resolve", "--json", string(fx.ActiveOwner))
	if code != exitOK {
		t.Fatalf("resolve --json: exit %d", code)
	}
	var res resolutionOut
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("resolve --json is not one JSON document: %v\n%s", err, out)
	}
	if res.Ambiguous || len(res.Matches) != 1 || res.Matches[0].Scheme != "owner ID" ||
		res.Matches[0].Person.UserID != string(fx.ActiveOwnerUser) {
		t.Errorf("owner %s resolved to %+v; want its user %s", fx.ActiveOwner, res, fx.ActiveOwnerUser)
	}

	code, _, errOut = e.runCLI(t, "resolve", "999999999999")
	if code != exitFailure || !strings.Contains(errOut, "not an ID or email this portal knows") {
		t.Errorf("unknown value: exit %d, stderr %q", code, errOut)
	}
}

func TestFindingsJSONListsEveryKind(t *testing.T) {
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
	byKind := map[string]findingOut{}
	for _, f := range findings {
		byKind[f.Kind] = f
	}
	for _, kind := range []string{"contacts-archived-owner", "contacts-unknown-owner", "users-without-owner", "colliding-ids", "multi-role-users"} {
		if f, ok := byKind[kind]; !ok || f.Count == 0 || len(f.Records) == 0 {
			t.Errorf("finding %s: %+v; want records", kind, f)
		}
	}
}

func TestSyncReportsWhatItFetched(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	code, out, errOut := e.runCLI(t, "sync", "--data-dir", t.TempDir())
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "5,000 contacts") || !strings.Contains(out, "(5 deactivated, 1 queue)") || !strings.Contains(errOut, "contacts") ||
		!strings.Contains(out, "400 companies, 600 deals, 300 tickets, 150 projects") || !strings.Contains(errOut, "companies") {
		t.Errorf("stdout %q\nstderr %q", out, errOut)
	}
}

func TestBadUsageExitsTwoWithOneLine(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	for _, args := range [][]string{
		{"resolve"},
		{"findings", "extra"},
		{"sync", "--no-such-flag"},
		{"console"}, // not on a terminal
		{"no-such-command"},
	} {
		code, _, errOut := e.runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, errOut)
		}
	}
}

func TestConfigErrorsStopCommandsClearly(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	path := e.configPath()
	writeFile(t, path, "default_portal = \"prod\"\n[portal.prod\n")
	code, _, errOut := e.runCLI(t, "findings")
	if code == exitOK || !strings.Contains(errOut, "config.toml:2") {
		t.Errorf("exit %d, stderr %q; want the file and line", code, errOut)
	}

	// A token portal reads the file too (for its [rate_limit] overrides).
	writeFile(t, path, "[rate_limit]\nrequests_per_10s = 0\n")
	e.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-00000000-0000-0000-0000-000000000000")
	e.setenv("HUBSPOT_BASE_URL", "http://127.0.0.1:1")
	code, _, errOut = e.runCLI(t, "findings")
	if code == exitOK || !strings.Contains(errOut, "config.toml:2") || !strings.Contains(errOut, "requests_per_10s") {
		t.Errorf("token portal, bad [rate_limit]: exit %d, stderr %q; want the file and line", code, errOut)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Flags may follow a command's arguments, as admins type them.
func TestFlagsAfterArguments(t *testing.T) {
	t.Parallel()
	e := cliEnv(t)
	fx := builtInFixtures()
	code, out, errOut := e.runCLI(t, "resolve", string(fx.ActiveOwner), "--json")
	if code != exitOK || !json.Valid([]byte(out)) {
		t.Fatalf("resolve VALUE --json: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if code, _, errOut := e.runCLI(t, "resolve", string(fx.ActiveOwner), "--no-such-flag"); code != exitUsage || !strings.Contains(errOut, "no-such-flag") {
		t.Errorf("an unknown flag after the argument: exit %d, stderr %q", code, errOut)
	}
	if code, out, _ := e.runCLI(t, "resolve", "--", "--json"); code == exitOK || strings.Contains(out, "{") {
		t.Errorf("after --, --json is a value, not a flag: exit %d, stdout %q", code, out)
	}
}
