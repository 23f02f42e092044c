package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// TestTokensNeverLeave runs commands with a real token against a sandbox
// served over HTTP, then with the same token revoked, and looks for the token
// everywhere hsadmin writes: stdout, stderr, the API log, the mirror and the
// journal files.
func TestTokensNeverLeave(t *testing.T) {
	t.Parallel()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 300, Users: 12})
	sb, token, dataDir := tp.sb, tp.token, tp.dataDir

	var texts []string
	for _, args := range [][]string{
		{"sync", "--data-dir", dataDir},
		{"resolve", "--data-dir", dataDir, string(sb.Fixtures().ActiveOwner)},
		{"findings", "--data-dir", dataDir, "--json"},
	} {
		code, out, errOut := tp.runCLI(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		texts = append(texts, out, errOut)
	}

	sb.RevokeToken(token)
	code, out, errOut := tp.runCLI(t, "sync", "--data-dir", dataDir)
	if code != exitFailure || !strings.Contains(errOut, "HubSpot no longer accepts the token") {
		t.Errorf("revoked token: exit %d, stderr %q", code, errOut)
	}
	texts = append(texts, out, errOut)
	assertNoToken(t, "command output", []string{token}, texts...)

	// The API log the console shows, including the token lookup whose URL
	// holds the token.
	fresh := sb.IssueToken()
	tp.setenv("HUBSPOT_ACCESS_TOKEN", fresh)
	op, err := (&portalFlags{app: tp.app(t), dataDir: dataDir}).openMirror(t.Context(), stdio{out: os.Stdout, err: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	if err := syncWithProgress(t.Context(), stdio{out: os.Stdout, err: &strings.Builder{}}, op.Portal, false); err != nil {
		t.Fatal(err)
	}
	calls := (consoleBackend{op.Portal, op.target.calls}).Calls()
	if len(calls) < 5 {
		t.Fatalf("the API log holds %d calls; want the token lookup and the sync", len(calls))
	}
	for _, c := range calls {
		assertNoToken(t, "API log", []string{token, fresh}, c.Path, c.Method)
	}

	// Every file hsadmin wrote.
	filepath.WalkDir(dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), token) {
			t.Errorf("%s holds the token", path)
		}
		return nil
	})
}
