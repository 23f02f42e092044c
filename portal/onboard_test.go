package portal

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

const usersPath = "/settings/v3/users"

func newOnboardEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, hubspottest.Config{Contacts: 10, Users: 24}, nil)
	e.sync(t)
	return e
}

func postsFor(sb *hubspottest.Server, email string) int {
	n := 0
	for _, r := range sb.Requests() {
		if r.Method == "POST" && strings.TrimSuffix(r.Path, "/") == usersPath && strings.Contains(strings.ToLower(string(r.Body)), strings.ToLower(email)) {
			n++
		}
	}
	return n
}

func usersWithEmail(t *testing.T, e *env, email string) []hubspot.User {
	t.Helper()
	var out []hubspot.User
	for u, err := range e.client.Users(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if strings.EqualFold(u.Email, email) {
			out = append(out, u)
		}
	}
	return out
}

func seatsLeft(sb *hubspottest.Server, name string) int {
	for _, s := range sb.Seats() {
		if s.Name == name {
			return s.Remaining
		}
	}
	return -1
}

func TestOnboardOnePerson(t *testing.T) {
	ctx := context.Background()
	e := newOnboardEnv(t)
	left := seatsLeft(e.sb, "Core Seat")
	plan, err := e.p.PlanOnboard(ctx, "", []NewUser{{
		Email: "ines.new@example.com", First: "Ines", Last: "New", Roles: []string{"sales rep"},
		Team: "West Coast Sales", SecondaryTeams: []string{"EMEA Sales"}, Seats: []string{"core seat"}, SendWelcomeEmail: true,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Sendable()) != 1 {
		t.Fatalf("plan %v", plan.Lines())
	}
	row := plan.Rows[0]
	if row.Role == nil || row.Role.Name != "Sales Rep" || row.PrimaryTeam.Name != "West Coast Sales" || !slices.Equal(row.Seats, []string{"Core Seat"}) {
		t.Errorf("row %+v", row)
	}
	if writes := e.sb.WriteRequests(); len(writes) != 0 {
		t.Fatalf("planning sent %d writes", len(writes))
	}
	res, err := e.p.StartOnboard(ctx, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.State != store.JobDone || len(res.Rows) != 1 || res.Rows[0].State != store.ItemDone {
		t.Fatalf("result %+v", res)
	}
	got := res.Rows[0]
	u, ok := e.sb.User(got.UserID)
	if !ok || u.Email != "ines.new@example.com" || u.RoleID != row.Role.ID || !slices.Equal(u.SeatNames, []string{"Core Seat"}) {
		t.Fatalf("sandbox user %+v, %v", u, ok)
	}
	if got.OwnerID == "" || string(got.OwnerID) == string(got.UserID) {
		t.Errorf("owner %q for user %q", got.OwnerID, got.UserID)
	}
	if !strings.HasSuffix(got.Link, "/users/user/"+string(got.UserID)) {
		t.Errorf("link %q", got.Link)
	}
	if seatsLeft(e.sb, "Core Seat") != left-1 {
		t.Errorf("Core Seat left %d, want %d", seatsLeft(e.sb, "Core Seat"), left-1)
	}
	// The users pane shows them at once, with their owner and seat.
	rows, err := e.p.Users(ctx, store.Query{UserID: got.UserID})
	if err != nil || len(rows) != 1 || rows[0].OwnerID != got.OwnerID || !slices.Equal(rows[0].SeatNames, []string{"Core Seat"}) {
		t.Errorf("mirror rows %+v, %v", rows, err)
	}
	if n := postsFor(e.sb, "ines.new@example.com"); n != 1 {
		t.Errorf("%d POSTs", n)
	}
	hist, err := e.p.JobHistory(ctx)
	if err != nil || hist[0].Kind != KindOnboard || hist[0].Items.Done != 1 || hist[0].Resumable() {
		t.Errorf("history %+v, %v", hist[0], err)
	}
}

const onboardCSV = `email,first,last,role,team,secondary-team,seat,send-welcome-email
multi@example.com,Mia,Multi,Sales Rep;Marketing Manager;Read Only,West Coast Sales,EMEA Sales;Marketing,,yes
typo@example.com,Tim,Typo,Sales Repp,West Coast Sale,,Core Sea,no
MULTI@example.com,Mia,Again,,,,,
bad email,Bo,Bad,,,,,
%s,Old,Timer,,,,,
seat1@example.com,Sam,One,,,,Service Hub Professional,
seat2@example.com,Sue,Two,,,,Service Hub Professional,maybe
`

func TestOnboardCSVPlanAndJob(t *testing.T) {
	ctx := context.Background()
	e := newOnboardEnv(t)
	existing, _ := e.sb.User(e.sb.Fixtures().SingleRoleUser)
	e.sb.SetRemainingSeats("Service Hub Professional", 1)
	people, err := ReadNewUsersCSV(strings.NewReader(strings.Replace(onboardCSV, "%s", existing.Email, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 7 || people[0].Line != 2 || !slices.Equal(people[0].Roles, []string{"Sales Rep", "Marketing Manager", "Read Only"}) {
		t.Fatalf("read %+v", people)
	}
	plan, err := e.p.PlanOnboard(ctx, "people.csv", people)
	if err != nil {
		t.Fatal(err)
	}
	wantProblems := map[int][]string{
		3: {`unknown role "Sales Repp" (did you mean "Sales Rep"?)`, `unknown team "West Coast Sale" (did you mean "West Coast Sales"?)`, `unknown seat "Core Sea" (did you mean "Core Seat"?)`},
		4: {"duplicate email: the same as line 2"},
		5: {`bad email "bad email"`},
		6: {"already in the portal: " + existing.Name() + " is user " + string(existing.ID)},
		8: {"no Service Hub Professional seat left", `send-welcome-email "maybe"`},
	}
	for _, r := range plan.Rows {
		want := wantProblems[r.Line]
		if len(want) == 0 && !r.OK() {
			t.Errorf("line %d refused: %v", r.Line, r.Problems)
		}
		for _, w := range want {
			if !slices.ContainsFunc(r.Problems, func(p string) bool { return strings.Contains(p, w) }) {
				t.Errorf("line %d problems %q lack %q", r.Line, r.Problems, w)
			}
		}
	}
	multi := plan.Rows[0]
	if multi.Role.Name != "Sales Rep" || len(multi.ChecklistRoles) != 2 || !multi.SendWelcomeEmail {
		t.Errorf("multi-role row %+v", multi)
	}
	text := strings.Join(plan.Lines(), "\n")
	for _, want := range []string{"the API sets role Sales Rep; add Marketing Manager and Read Only in HubSpot's settings", "restore checklist", "/settings/" + itoa(e.sb.HubID()) + "/users", "✗ line 5: bad email"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan text lacks %q:\n%s", want, text)
		}
	}
	if len(e.sb.WriteRequests()) != 0 {
		t.Fatal("planning sent writes")
	}

	res, err := e.p.StartOnboard(ctx, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 7 || res.Count(store.ItemDone) != 2 || res.Count(store.ItemSkipped) != 5 || res.State != store.JobDone {
		t.Fatalf("result %+v", res)
	}
	for _, r := range res.Rows {
		if r.State == store.ItemSkipped && !strings.HasPrefix(r.Message, "not sent: ") {
			t.Errorf("skipped row %d says %q", r.Line, r.Message)
		}
	}
	if n := len(requestsTo(e.sb, "POST", usersPath+"/")) + len(requestsTo(e.sb, "POST", usersPath)); n != 2 {
		t.Errorf("%d POSTs, want 2 (the wrong rows send nothing)", n)
	}
	created := res.Rows[0]
	u, _ := e.sb.User(created.UserID)
	if !slices.Equal(u.RoleIDs, []hubspot.RoleID{multi.Role.ID}) || len(u.SecondaryTeamIDs) != 2 {
		t.Errorf("multi-role user in HubSpot: %+v", u)
	}
	list, err := e.p.RestoreList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, it := range list {
		if it.UserID == created.UserID && it.Open() {
			roles = append(roles, it.RoleName)
			if it.Link != created.Link || it.JobID != res.JobID {
				t.Errorf("checklist item %+v: want link %s and job %d", it, created.Link, res.JobID)
			}
		}
	}
	slices.Sort(roles)
	if !slices.Equal(roles, []string{"Marketing Manager", "Read Only"}) {
		t.Errorf("checklist roles %v", roles)
	}
	if seatsLeft(e.sb, "Service Hub Professional") != 0 {
		t.Error("the seat was not taken")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestOnboardRefusalsAtHubSpot(t *testing.T) {
	ctx := context.Background()
	e := newOnboardEnv(t)
	plan, err := e.p.PlanOnboard(ctx, "", []NewUser{
		{Email: "late.dup@example.com", First: "Late", Last: "Dup"},
		{Email: "seat.race@example.com", First: "Seat", Last: "Race", Seats: []string{"Core Seat"}},
		{Email: "fine@example.com", First: "Fine", Last: "Person"},
	})
	if err != nil || len(plan.Sendable()) != 3 {
		t.Fatalf("%v %v", plan.Lines(), err)
	}
	// Between plan and run: someone creates the first email in HubSpot, and
	// the last Core Seat goes.
	if _, err := e.client.CreateUser(ctx, hubspot.UserProvision{Email: "late.dup@example.com"}); err != nil {
		t.Fatal(err)
	}
	e.sb.SetRemainingSeats("Core Seat", 0)
	res, err := e.p.StartOnboard(ctx, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	states := []string{res.Rows[0].State, res.Rows[1].State, res.Rows[2].State}
	if !slices.Equal(states, []string{store.ItemSkipped, store.ItemFailed, store.ItemDone}) || res.State != store.JobFailed {
		t.Fatalf("states %v (%s): %+v", states, res.State, res.Rows)
	}
	if !strings.Contains(res.Rows[0].Message, "already has a HubSpot user") || postsFor(e.sb, "late.dup@example.com") != 1 {
		t.Errorf("late duplicate: %q, %d POSTs (want only the other admin's)", res.Rows[0].Message, postsFor(e.sb, "late.dup@example.com"))
	}
	if !strings.Contains(res.Rows[1].Message, "no seat of that kind is left") {
		t.Errorf("seat race: %q", res.Rows[1].Message)
	}
	if len(usersWithEmail(t, e, "seat.race@example.com")) != 0 {
		t.Error("a refused row made a user")
	}
}

func TestOnboardWithoutTheBillingScope(t *testing.T) {
	ctx := context.Background()
	e := newOnboardEnv(t)
	tok := e.sb.IssueToken("settings.users.read", "settings.users.write", "settings.users.teams.read", "crm.objects.owners.read")
	client := hubspot.New(hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(tok), hubspot.WithRateBudget(0, 0))
	p, _, err := Open(ctx, Config{Client: client, DataDir: e.dir, HubID: e.sb.HubID(), BaseURL: e.srv.URL, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	plan, err := p.PlanOnboard(ctx, "", []NewUser{
		{Email: "paid@example.com", First: "Pay", Last: "Role", Roles: []string{"Sales Manager"}},
		{Email: "seat@example.com", First: "Sea", Last: "T", Seats: []string{"Core Seat"}},
		{Email: "free@example.com", First: "Free", Last: "Role", Roles: []string{"Sales Rep"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan.SeatNote, "lacks the settings.billing.write scope") {
		t.Errorf("seat note %q", plan.SeatNote)
	}
	if p0 := plan.Rows[0].Problems; len(p0) != 1 || !strings.Contains(p0[0], "role Sales Manager carries a paid seat") {
		t.Errorf("paid role row: %v", p0)
	}
	if p1 := plan.Rows[1].Problems; len(p1) != 1 || !strings.Contains(p1[0], "seats need the settings.billing.write scope") {
		t.Errorf("seat row: %v", p1)
	}
	res, err := p.StartOnboard(ctx, plan, nil)
	if err != nil || res.Count(store.ItemDone) != 1 || res.Rows[2].State != store.ItemDone {
		t.Fatalf("%+v %v", res, err)
	}
	// Sent anyway (a plan made elsewhere), HubSpot's bare 400 is explained.
	plan.Rows[0].Problems = nil
	plan.Rows = plan.Rows[:1]
	res, err = p.StartOnboard(ctx, plan, nil)
	if err != nil || res.Rows[0].State != store.ItemFailed || !strings.Contains(res.Rows[0].Message, "needs the settings.billing.write scope") {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestOnboardReadOnlySendsNothing(t *testing.T) {
	ctx := context.Background()
	e := newOnboardEnv(t)
	ro := hubspot.New(hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(e.token), hubspot.WithRateBudget(0, 0), hubspot.WithReadOnly())
	p, _, err := Open(ctx, Config{Client: ro, DataDir: e.dir, HubID: e.sb.HubID(), BaseURL: e.srv.URL, Sandbox: true, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	plan, err := p.PlanOnboard(ctx, "", []NewUser{{Email: "ro@example.com", First: "Read", Last: "Only"}})
	if err != nil || len(plan.Sendable()) != 1 {
		t.Fatalf("%v %v", plan.Lines(), err)
	}
	if _, err := p.StartOnboard(ctx, plan, nil); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("read-only start: %v", err)
	}
	if w := e.sb.WriteRequests(); len(w) != 0 {
		t.Errorf("read-only sent %d writes", len(w))
	}
	if jobs, _ := p.Journal().Jobs(ctx); len(jobs) != 0 {
		t.Errorf("read-only journaled %d jobs", len(jobs))
	}
}
