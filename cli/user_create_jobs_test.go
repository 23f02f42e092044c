package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// A user creation HubSpot could not be reached for stays in the journal as
// an interrupted job; jobs list and show describe it, and jobs resume
// creates the person, looking the email up first.
func TestUserCreateJobResumes(t *testing.T) {
	t.Parallel()
	// A gateway in front of HubSpot fails the creates while down is set.
	var down atomic.Bool
	tp := &tokenPortal{testEnv: cliEnv(t), sb: hubspottest.New(hubspottest.Config{Contacts: 30, Users: 24}), dataDir: t.TempDir()}
	tp.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() && r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/settings/v3/users") {
			http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
			return
		}
		tp.sb.ServeHTTP(w, r)
	}))
	t.Cleanup(tp.srv.Close)
	tp.token = tp.sb.IssueToken()
	tp.setenv("HUBSPOT_ACCESS_TOKEN", tp.token)
	tp.setenv("HUBSPOT_BASE_URL", tp.srv.URL)
	dataDir := []string{"--data-dir", tp.dataDir}
	tp.sync(t)
	down.Store(true)
	code, out, errOut := tp.runCLI(t, append([]string{"user", "create", "res.new@example.com", "--first", "Res", "--last", "New", "--yes"}, dataDir...)...)
	if code == exitOK || !strings.Contains(errOut, "hsadmin jobs resume 1") {
		t.Fatalf("create under 5xx: exit %d\n%s\n%s", code, out, errOut)
	}
	down.Store(false)
	code, out, errOut = tp.runCLI(t, append([]string{"jobs", "list"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "Create Res New") {
		t.Fatalf("jobs list: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = tp.runCLI(t, append([]string{"jobs", "show", "1"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "new user res.new@example.com Res New · create: no role (minimal permissions)") {
		t.Fatalf("jobs show: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = tp.runCLI(t, append([]string{"jobs", "resume", "1", "--yes"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "created res.new@example.com: user ") {
		t.Fatalf("jobs resume: exit %d\n%s\n%s", code, out, errOut)
	}
	n := 0
	for _, r := range tp.sb.Requests() {
		if r.Method == "POST" && strings.Contains(string(r.Body), "res.new@example.com") && r.Status == 201 {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d users created, want 1", n)
	}
}
