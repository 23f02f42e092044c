package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

func TestUserCreateOnePerson(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	args := append([]string{"user", "create", "nia.new@example.com", "--first", "Nia", "--last", "New", "--role", "Sales Rep",
		"--team", "West Coast Sales", "--secondary-team", "EMEA Sales", "--seat", "Core Seat", "--send-welcome-email"}, dataDir...)

	code, out, errOut := tp.runCLI(t, append(args, "--dry-run")...)
	if code != exitOK || !strings.Contains(out, "+ Nia New <nia.new@example.com>: role Sales Rep, team West Coast Sales, secondary EMEA Sales, seat Core Seat, welcome email") ||
		!strings.Contains(out, "Dry run: nothing was sent.") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	if w := writeRequests(sb); len(w) != 0 {
		t.Fatalf("a dry run sent %+v", w)
	}
	code, out, errOut = tp.runCLI(t, append(args, "--yes")...)
	if code != exitOK || !strings.Contains(out, "created nia.new@example.com: user ") || !strings.Contains(out, "1 created, 0 failed, 0 not sent") {
		t.Fatalf("create: exit %d\n%s\n%s", code, out, errOut)
	}
	// Again: the email has a user now; nothing is sent.
	code, out, errOut = tp.runCLI(t, append(args, "--yes")...)
	if code == exitOK || !strings.Contains(out, "already in the portal") || !strings.Contains(errOut, "nothing to create") {
		t.Fatalf("duplicate: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(writeRequests(sb)); n != 1 {
		t.Errorf("%d writes, want the one POST", n)
	}
	code, _, errOut = tp.runCLI(t, append([]string{"user", "create", "x@example.com"}, dataDir...)...)
	if code != exitUsage || !strings.Contains(errOut, "--first and --last") {
		t.Errorf("missing names: exit %d, %s", code, errOut)
	}
}

func TestUserCreateFromCSV(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	csv := filepath.Join(t.TempDir(), "people.csv")
	body := "email,first,last,role,team,secondary-team,seat,send-welcome-email\n" +
		"ana.csv@example.com,Ana,Csv,Sales Rep;Marketing Manager,West Coast Sales,,,yes\n" +
		"bo.csv@example.com,Bo,Csv,Sales Reep,,,,\n" +
		"cy.csv@example.com,Cy,Csv,,,,,no\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := tp.runCLI(t, append([]string{"user", "create", "--csv", csv, "--yes", "--json"}, dataDir...)...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var doc struct {
		Plan struct {
			Rows []struct {
				Line           int
				Problems       []string
				ChecklistRoles []struct{ Name string } `json:"checklistRoles"`
			}
		}
		Result struct {
			JobID int64
			Rows  []struct {
				Line   int
				State  string
				UserID hubspot.UserID `json:"userId"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(doc.Plan.Rows) != 3 || len(doc.Plan.Rows[0].ChecklistRoles) != 1 || !strings.Contains(strings.Join(doc.Plan.Rows[1].Problems, " "), `did you mean "Sales Rep"`) {
		t.Errorf("plan %+v", doc.Plan)
	}
	states := []string{doc.Result.Rows[0].State, doc.Result.Rows[1].State, doc.Result.Rows[2].State}
	if strings.Join(states, ",") != "done,skipped,done" {
		t.Errorf("states %v", states)
	}
	code, out, _ = tp.runCLI(t, append([]string{"restore", "list"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "Marketing Manager") || !strings.Contains(out, "/users/user/"+string(doc.Result.Rows[0].UserID)) {
		t.Errorf("restore list: exit %d\n%s", code, out)
	}
	code, _, errOut = tp.runCLI(t, append([]string{"user", "create", "--csv", csv, "--first", "X"}, dataDir...)...)
	if code != exitUsage || !strings.Contains(errOut, "--csv takes everyone from the file") {
		t.Errorf("csv with flags: exit %d, %s", code, errOut)
	}
}

func TestSeatsCommand(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	tp.sb.SetRemainingSeats("Service Hub Professional", 0)
	code, out, errOut := tp.runCLI(t, append([]string{"seats"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "Sales Hub Professional") || !strings.Contains(out, "none left") {
		t.Fatalf("seats: exit %d\n%s\n%s", code, out, errOut)
	}
	tp.setenv("HUBSPOT_ACCESS_TOKEN", tp.sb.IssueToken("settings.users.read"))
	code, _, errOut = tp.runCLI(t, append([]string{"seats"}, dataDir...)...)
	if code == exitOK || !strings.Contains(errOut, "lacks") || !strings.Contains(errOut, "settings.billing.write") {
		t.Fatalf("without the billing scope: exit %d, %s", code, errOut)
	}
}

func TestCompleteUserCreateNames(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	tp.sync(t)
	for _, c := range []struct {
		flag, typed, want string
	}{
		{"--role", "sales r", "Sales Rep"},
		{"--team", "west", "West Coast Sales"},
		{"--secondary-team", "EMEA", "EMEA Sales"},
		{"--seat", "core", "Core Seat"},
	} {
		_, out, errOut := tp.runCLI(t, append(append([]string{"__complete", "user", "create"}, dataDir...), c.flag, c.typed)...)
		if got := completions(out); !slices.Equal(got, []string{c.want}) {
			t.Errorf("%s %s<tab>: %q, stderr %s", c.flag, c.typed, got, errOut)
		}
	}
}
