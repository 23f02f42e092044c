package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// teamKillChildEnv carries a teamKillChild to the test binary re-executed
// as the process that gets killed.
const teamKillChildEnv = "HSADMIN_TEAMCHANGE_KILL_CHILD"

type teamKillChild struct {
	childPortal
	Plan   UserChangePlan
	Method Method
}

// TestKillTeamChangeChild is the process TestKillTeamChangeSurvives kills:
// it applies one planned change against the parent's sandbox. Run alone, it
// does nothing.
func TestKillTeamChangeChild(t *testing.T) {
	var job teamKillChild
	p := openKillChild(t, teamKillChildEnv, "TestKillTeamChangeSurvives", &job)
	if _, err := p.ApplyUserChange(context.Background(), job.Plan, job.Method); err != nil {
		t.Fatal(err)
	}
}

// teamScenario is the change a trial makes.
type teamScenario int

const (
	keepRolesOne  teamScenario = iota // Teams API calls for one multi-role user
	putLossyOne                       // a user PUT dropping a multi-role user's roles
	markedSeveral                     // several marked multi-role users, either method
	roleChangeOne                     // a role PUT on a multi-role user (no API keeps the others)
	scenarios
)

// teamKillPoint is where in the change the child dies.
type teamKillPoint int

const (
	killBeforeFirst    teamKillPoint = iota // the first request (the pre-read) never arrives
	killBeforeWrite                         // the item is journalled as sent; the write never arrives
	killBetweenWrites                       // HubSpot applied a write; another of the user's follows
	killAfterLastWrite                      // HubSpot applied the user's last write; no read-back yet
	killMomentLater                         // a moment after any answer: mid-journal write
	killPoints
)

func (k teamKillPoint) String() string {
	return [...]string{"before the first request", "between journal write and request",
		"between Teams API calls", "after the write, before verification", "a moment after a request"}[k]
}

// TestKillTeamChangeSurvives kills a process applying a team or role change at
// chosen points, then opens the portal here as the next start does and
// verifies unfinished changes. Every user must be as before, as planned,
// or part-way through a Teams API sequence the journal explains and that
// planning the change again finishes; the keep-roles path never loses a
// role; a landed PUT lists exactly the roles it dropped on the restore
// checklist; no write reaches HubSpot twice.
func TestKillTeamChangeSurvives(t *testing.T) {
	skipUnlessKillParent(t, teamKillChildEnv, 30)
	rng := rand.New(rand.NewPCG(2026, 8))
	const trials = 30
	killed := 0
	hit := map[teamKillPoint]int{}
	byScenario := map[string]int{}
	byRule := map[hubspottest.AddDefaultRule]int{}
	for trial := range trials {
		sc := teamScenario(trial % int(scenarios))
		point := teamKillPoint(trial % int(killPoints))
		// The Teams API's undocumented answers, spread over the trials
		// rather than multiplying them. Only the keep-roles path depends on
		// them, and its trials are the even ones (a keep-roles and a
		// several-user change): the rule steps with every even trial, the
		// kill point by 2 (mod 5), so every rule meets every kill point on
		// the keep-roles path; both untyped-DELETE rules meet each rule.
		half := trial / 2
		rules := hubspottest.TeamsBeta{AddDefault: addDefaultRules[half%len(addDefaultRules)],
			DeleteUntyped: deleteUntypedRules[(half/len(addDefaultRules))%len(deleteUntypedRules)]}
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			if teamKillTrial(t, rng, sc, point, rules) {
				killed++
				hit[point]++
				byScenario[scenarioName(sc)]++
				byRule[rules.AddDefault]++
			}
		})
	}
	t.Logf("%d trials, %d killed the child; kills by point: %v; by change: %v; by add-DEFAULT rule: %v", trials, killed, hit, byScenario, byRule)
	for k := range killPoints {
		if hit[k] == 0 {
			t.Errorf("no trial killed the child %s", k)
		}
	}
	for _, r := range addDefaultRules {
		if byRule[r] == 0 {
			t.Errorf("no trial killed the child under add-DEFAULT rule %s", r)
		}
	}
}

var (
	addDefaultRules    = []hubspottest.AddDefaultRule{hubspottest.AddDefaultMoves, hubspottest.AddDefaultRefused, hubspottest.AddDefaultKeepsBoth}
	deleteUntypedRules = []hubspottest.DeleteUntypedRule{hubspottest.DeleteUntypedDefault, hubspottest.DeleteUntypedBoth}
)

// teamKiller kills the child at the kill point: the n-th request it makes,
// before or after HubSpot answers it.
type teamKiller struct {
	mu      sync.Mutex
	child   *exec.Cmd
	armed   bool
	seen    int
	at      int
	before  bool          // kill before serving request at; else after
	delay   time.Duration // after serving, wait this long first
	killed  bool
	handler http.Handler
}

func (k *teamKiller) kill() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.child != nil && !k.killed {
		k.killed = true
		_ = k.child.Process.Kill()
	}
}

func (k *teamKiller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	if k.killed && k.armed {
		// A dying child's last request: it must not reach HubSpot.
		k.mu.Unlock()
		panic(http.ErrAbortHandler)
	}
	now := false
	if k.armed {
		k.seen++
		now = k.seen == k.at
	}
	k.mu.Unlock()
	if now && k.before {
		k.kill()
		panic(http.ErrAbortHandler)
	}
	k.handler.ServeHTTP(w, r)
	if now {
		if k.delay == 0 {
			k.kill()
		} else {
			time.AfterFunc(k.delay, k.kill)
		}
	}
}

// userOfRequest is the user a Settings request reads or writes.
func userOfRequest(r hubspottest.Request) (hubspot.UserID, bool) {
	switch {
	case strings.HasPrefix(r.Path, "/settings/v3/users/"):
		return hubspot.UserID(strings.TrimPrefix(r.Path, "/settings/v3/users/")), true
	case strings.HasPrefix(r.Path, "/settings/teams/") && r.Method == "DELETE":
		return hubspot.UserID(r.Path[strings.LastIndex(r.Path, "/")+1:]), true
	case strings.HasPrefix(r.Path, "/settings/teams/") && r.Method == "POST":
		var m struct {
			UserID string `json:"userId"`
		}
		_ = json.Unmarshal(r.Body, &m)
		return hubspot.UserID(m.UserID), true
	}
	return "", false
}

// teamKillTrial runs one trial and reports whether the child was killed.
func teamKillTrial(t *testing.T, rng *rand.Rand, sc teamScenario, point teamKillPoint, rules hubspottest.TeamsBeta) bool {
	ctx := context.Background()
	k := &teamKiller{}
	cfg := hubspottest.Config{Contacts: 10, Users: 24, TeamsBeta: rules}
	e := newEnv(t, cfg, func(h http.Handler) http.Handler {
		k.handler = h
		return k
	})
	e.sync(t)

	plan, replan, m := plannedTeamChange(t, e, rng, sc, rules.AddDefault != hubspottest.AddDefaultMoves)
	users := plan.Changing()
	// The child's requests in order, as the same change makes them on an
	// identical portal: per user a pre-read, membership reads and writes
	// (how many depends on the rules), a read-back. Choose the request the
	// kill point names.
	type req struct {
		write, lastWrite bool
	}
	var seq []req
	reqs := rehearse(t, cfg, plan, m)
	lastOf := map[hubspot.UserID]int{}
	for i, r := range reqs {
		if id, ok := userOfRequest(r); ok && r.Writes() {
			lastOf[id] = i
		}
	}
	for i, r := range reqs {
		id, _ := userOfRequest(r)
		seq = append(seq, req{write: r.Writes(), lastWrite: r.Writes() && lastOf[id] == i})
	}
	var candidates []int // 1-based request numbers
	for i, r := range seq {
		switch point {
		case killBeforeWrite:
			if r.write {
				candidates = append(candidates, i+1)
			}
		case killBetweenWrites:
			if r.write && !r.lastWrite {
				candidates = append(candidates, i+1)
			}
		case killAfterLastWrite:
			if r.lastWrite {
				candidates = append(candidates, i+1)
			}
		case killMomentLater:
			candidates = append(candidates, i+1)
		}
	}
	// Between Teams API calls, prefer the call that leaves the state only
	// this rule makes: a second DEFAULT kept, or no DEFAULT after the old
	// one was removed to make room.
	if point == killBetweenWrites && m == MethodKeepRoles {
		if telling := tellingWrites(reqs, rules.AddDefault, candidates); len(telling) > 0 {
			candidates = telling
		}
	}
	switch {
	case point == killBeforeFirst:
		k.at, k.before = 1, true
	case len(candidates) == 0:
		// A PUT is one write: between writes means after it.
		for i, r := range seq {
			if r.lastWrite {
				candidates = append(candidates, i+1)
			}
		}
		k.at = candidates[rng.IntN(len(candidates))]
	default:
		k.at = candidates[rng.IntN(len(candidates))]
		k.before = point == killBeforeWrite
	}
	if point == killMomentLater {
		k.delay = time.Duration(1+rng.IntN(2000)) * time.Microsecond
	}

	// The child is the only process using the data directory while it runs.
	if err := e.p.Close(); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd, out := killChildCommand(runCtx, "TestKillTeamChangeChild", teamKillChildEnv, teamKillChild{e.childPortal(), plan, m})
	k.mu.Lock()
	if err := cmd.Start(); err != nil {
		k.mu.Unlock()
		t.Fatal(err)
	}
	k.child, k.armed = cmd, true
	k.mu.Unlock()
	waitErr := cmd.Wait()
	k.mu.Lock()
	k.armed = false
	wasKilled := k.killed
	k.mu.Unlock()
	if waitErr != nil && !wasKilled {
		t.Fatalf("the child failed on its own: %v\n%s", waitErr, out.String())
	}
	what := fmt.Sprintf("%s change by %s, killed %s (request %d of %d, killed %v)", scenarioName(sc), m, point, k.at, len(seq), wasKilled)

	// The next start: open the same data directory, verify what was left.
	p := e.open(t)
	assertOutcomesTrue(t, p) // no job running once its process is gone
	recovered, err := p.VerifyUnfinishedChanges(ctx)
	if err != nil {
		t.Fatalf("%s: verify: %v", what, err)
	}
	if again, err := p.VerifyUnfinishedChanges(ctx); err != nil || len(again) != 0 {
		t.Fatalf("%s: a second start still finds %+v, %v", what, again, err)
	}
	if !wasKilled && len(recovered) != 0 {
		t.Errorf("%s: the child finished, yet the next start recovered %+v", what, recovered)
	}
	jobs, err := p.Journal().Jobs(ctx)
	if err != nil || len(jobs) > 1 {
		t.Fatalf("%s: jobs %+v, %v", what, jobs, err)
	}
	if len(jobs) == 0 {
		return wasKilled // killed before the journal was written: nothing to check but HubSpot
	}
	job := jobs[0]
	if store.Unfinished(job.State) || job.State == store.JobPlanned {
		t.Fatalf("%s: the job is still %s after the next start", what, job.State)
	}
	items, err := p.Journal().JobItems(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(users) {
		t.Fatalf("%s: %d journal items for %d users", what, len(items), len(users))
	}
	restore, err := p.Journal().RestoreItems(ctx, true)
	if err != nil {
		t.Fatal(err)
	}

	var redo []hubspot.UserID
	for i, u := range users {
		it := items[i]
		w := fmt.Sprintf("%s, user %s (item %s: %s)", what, u.UserID, it.State, it.Error)
		now := StateOfUser(sandboxUser(t, e, u.UserID))
		want := u.Expected(m)
		steps := MembershipSteps(u.Before, u.Target)
		landed := landedWrites(e.sb, u.UserID)
		// A second DEFAULT HubSpot kept is not in the users API: the
		// member lists show it.
		hidden := hiddenDefaults(t, p, u, now)
		switch it.State {
		case store.ItemDone:
			if !now.SameTeams(want) || !now.SameRoles(want) || len(hidden) > 0 {
				t.Errorf("%s: done, but HubSpot reports %+v (hidden DEFAULT %v), planned %+v", w, now, hidden, want)
			}
		case store.ItemSkipped:
			if len(landed) != 0 || !now.SameTeams(u.Before) || !now.SameRoles(u.Before) {
				t.Errorf("%s: skipped, but %d writes landed and HubSpot reports %+v", w, len(landed), now)
			}
		case store.ItemFailed:
			// Only an interrupted write explains a failure here: the
			// user is as before, or part-way through the Teams API calls,
			// and the item says which.
			n, ok := StepsLanded(u.Before, steps, now)
			switch {
			case now.SameTeams(u.Before) && now.SameRoles(u.Before) && len(hidden) == 0:
				if len(landed) != 0 || !strings.Contains(it.Error, "nothing changed") {
					t.Errorf("%s: failed as unchanged, yet %d writes landed", w, len(landed))
				}
			case m == MethodKeepRoles && ok && n > 0 && n < len(steps) && len(hidden) == 0 && rules.AddDefault == hubspottest.AddDefaultMoves:
				if n != len(landed) || !strings.Contains(it.Error, fmt.Sprintf("interrupted after %d of %d Teams API calls", n, len(steps))) {
					t.Errorf("%s: part-way after %d calls (%d landed), not explained", w, n, len(landed))
				}
			case m == MethodKeepRoles && len(landed) > 0:
				// Under the other rules the calls differ from the plan's:
				// the item must say it stopped part-way and how to finish.
				if !strings.Contains(it.Error, "interrupted") || !strings.Contains(it.Error, "plan the same change again to finish it") {
					t.Errorf("%s: part-way (%d landed, hidden DEFAULT %v), not explained", w, len(landed), hidden)
				}
			default:
				t.Errorf("%s: failed in a state the journal does not explain: %+v", w, now)
			}
			redo = append(redo, u.UserID)
		default:
			t.Errorf("%s: item left in state %q", w, it.State)
		}
		outcome, err := p.Journal().ItemOutcome(ctx, job.ID, it.Seq)
		if err != nil {
			t.Fatal(err)
		}
		var recorded UserState
		if it.State != store.ItemSkipped || string(outcome) != "null" {
			if err := json.Unmarshal(outcome, &recorded); err != nil || !recorded.SameTeams(now) || !recorded.SameRoles(now) {
				t.Errorf("%s: journal outcome %s, HubSpot reports %+v", w, outcome, now)
			}
		}
		if m == MethodKeepRoles && !now.SameRoles(u.Before) {
			t.Errorf("%s: the keep-roles path changed roles: %v, before %v", w, now.RoleIDs, u.Before.RoleIDs)
		}
		var listed []hubspot.RoleID
		for _, r := range restore {
			if r.UserID == u.UserID {
				listed = append(listed, r.RoleID)
			}
		}
		wantListed := []hubspot.RoleID{}
		if m == MethodPut && len(landed) == 1 {
			for _, l := range u.Lost {
				wantListed = append(wantListed, l.ID)
			}
		}
		slices.Sort(listed)
		slices.Sort(wantListed)
		if !slices.Equal(nonNilIDs(listed), wantListed) {
			t.Errorf("%s: restore checklist lists %v, the landed PUT dropped %v", w, listed, wantListed)
		}
	}

	// Planning the same change again from the mirror the next start
	// refreshed brings everyone who failed to the plan, sending only what
	// is left.
	if len(redo) > 0 {
		again, err := replan(p, redo)
		if err != nil {
			t.Fatalf("%s: planning again: %v", what, err)
		}
		res, err := p.ApplyUserChange(ctx, again, m)
		if err != nil || res.Count(store.ItemDone) != len(redo) {
			t.Fatalf("%s: applying again: %+v, %v", what, res, err)
		}
		for _, u := range users {
			if !slices.Contains(redo, u.UserID) {
				continue
			}
			now := StateOfUser(sandboxUser(t, e, u.UserID))
			if want := u.Expected(m); !now.SameTeams(want) || !now.SameRoles(want) || len(hiddenDefaults(t, p, u, now)) > 0 {
				t.Errorf("%s: user %s after planning again: %+v, planned %+v", what, u.UserID, now, want)
			}
		}
	}
	for _, u := range users {
		seen := map[string]int{}
		for _, r := range landedWrites(e.sb, u.UserID) {
			key := r.Method + " " + r.Path + "?" + r.RawQuery
			if seen[key]++; seen[key] > 1 {
				t.Errorf("%s: %s applied twice to user %s", what, key, u.UserID)
			}
		}
	}
	assertOutcomesTrue(t, p)
	return wasKilled
}

// tellingWrites are the candidate requests (1-based) after which rule
// leaves a state the other rules never do: the add of a DEFAULT that
// keeps-both keeps beside the old one, the removal of the old DEFAULT after
// a refused add.
func tellingWrites(reqs []hubspottest.Request, rule hubspottest.AddDefaultRule, candidates []int) []int {
	var out []int
	for _, n := range candidates {
		r := reqs[n-1]
		addDefault := r.Method == "POST" && strings.Contains(string(r.Body), `"DEFAULT"`) && r.Status < 300
		removeDefault := r.Method == "DELETE" && r.RawQuery == "type=DEFAULT"
		if (rule == hubspottest.AddDefaultKeepsBoth && addDefault) || (rule == hubspottest.AddDefaultRefused && removeDefault) {
			out = append(out, n)
		}
	}
	return out
}

// rehearse applies plan by m on a fresh portal generated from cfg, the
// twin of a trial's, and returns the requests the change made there: the
// ones the child will make, in order.
func rehearse(t *testing.T, cfg hubspottest.Config, plan UserChangePlan, m Method) []hubspottest.Request {
	t.Helper()
	twin := newEnv(t, cfg, nil)
	twin.sync(t)
	from := len(twin.sb.Requests())
	res, err := twin.p.ApplyUserChange(context.Background(), plan, m)
	if err != nil || res.Count(store.ItemDone) != len(plan.Changing()) {
		t.Fatalf("rehearsing the change: %+v, %v", res, err)
	}
	return twin.sb.Requests()[from:]
}

// replanner plans a trial's change again for some of its users.
type replanner func(p *Portal, users []hubspot.UserID) (UserChangePlan, error)

// plannedTeamChange plans the scenario's change on multi-role users from
// the synced mirror.
func plannedTeamChange(t *testing.T, e *env, rng *rand.Rand, sc teamScenario, keepRolesOnly bool) (UserChangePlan, replanner, Method) {
	t.Helper()
	ctx := context.Background()
	teams := e.sb.Fixtures().Teams
	rows, err := e.p.Users(ctx, store.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	multi := slices.DeleteFunc(rows, func(u store.UserRow) bool {
		return len(u.RoleIDs) < 2 || u.PrimaryTeamID == "" || u.UserID == e.sb.Fixtures().MultiRoleUser
	})
	first, err := e.p.FindUser(ctx, string(e.sb.Fixtures().MultiRoleUser))
	if err != nil {
		t.Fatal(err)
	}
	marked := []store.UserRow{first}
	m := MethodKeepRoles
	switch sc {
	case roleChangeOne:
		return plannedRoleChange(t, e, rng, first)
	case putLossyOne:
		m = MethodPut
	case markedSeveral:
		if len(multi) < 2 {
			t.Fatalf("the sandbox has %d more multi-role users", len(multi))
		}
		rng.Shuffle(len(multi), func(i, j int) { multi[i], multi[j] = multi[j], multi[i] })
		marked = append(marked, multi[:2]...)
		// Under the other add-DEFAULT rules the trial is there for the
		// Teams API calls.
		if rng.IntN(2) == 1 && !keepRolesOnly {
			m = MethodPut
		}
	}
	// A primary team none of them has (it may be a secondary team, so the
	// calls first remove it), and a secondary team the first user lacks.
	var candidates []hubspot.TeamID
	for _, id := range teams {
		if !slices.ContainsFunc(marked, func(u store.UserRow) bool { return u.PrimaryTeamID == id }) {
			candidates = append(candidates, id)
		}
	}
	ch := TeamChange{Primary: candidates[rng.IntN(len(candidates))]}
	var others []hubspot.TeamID
	for _, id := range teams {
		if id != ch.Primary && id != first.PrimaryTeamID && !slices.Contains(first.SecondaryTeamIDs, id) {
			others = append(others, id)
		}
	}
	if sc != putLossyOne || rng.IntN(2) == 0 {
		ch.Secondary, ch.SetSecondary = []hubspot.TeamID{others[rng.IntN(len(others))]}, true
	}
	ids := make([]hubspot.UserID, len(marked))
	for i, u := range marked {
		ids[i] = u.UserID
	}
	plan, err := e.p.PlanTeamChange(ctx, ids, ch)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Changing()) != len(ids) || !plan.Availability(m).OK() || (m == MethodPut && plan.LostCount() == 0) {
		t.Fatalf("plan %+v", plan)
	}
	return plan, func(p *Portal, users []hubspot.UserID) (UserChangePlan, error) {
		return p.PlanTeamChange(context.Background(), users, ch)
	}, m
}

// plannedRoleChange plans giving u a role it does not hold: a PUT that
// keeps only that role.
func plannedRoleChange(t *testing.T, e *env, rng *rand.Rand, u store.UserRow) (UserChangePlan, replanner, Method) {
	t.Helper()
	var candidates []hubspot.RoleID
	for _, r := range e.sb.Fixtures().Roles {
		if !slices.Contains(u.RoleIDs, r) {
			candidates = append(candidates, r)
		}
	}
	role := candidates[rng.IntN(len(candidates))]
	plan, err := e.p.PlanRoleChange(context.Background(), []hubspot.UserID{u.UserID}, role)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Changing()) != 1 || !plan.Availability(MethodPut).OK() || plan.LostCount() == 0 {
		t.Fatalf("role plan %+v", plan)
	}
	return plan, func(p *Portal, users []hubspot.UserID) (UserChangePlan, error) {
		return p.PlanRoleChange(context.Background(), users, role)
	}, MethodPut
}

func scenarioName(sc teamScenario) string {
	return [...]string{"a keep-roles", "a lossy PUT", "a marked several-user", "a role"}[sc]
}

// hiddenDefaults are u's DEFAULT memberships among the teams of the change
// that the users API, reporting now, does not show.
func hiddenDefaults(t *testing.T, p *Portal, u UserChange, now UserState) []hubspot.TeamID {
	t.Helper()
	order := involvedTeams(u.Before, u.Target)
	ms := memberships{}
	if err := p.readMemberships(context.Background(), u.UserID, order, ms); err != nil {
		t.Fatal(err)
	}
	return ms.hiddenDefaults(order, now)
}

// landedWrites are the writes to user that HubSpot applied.
func landedWrites(sb *hubspottest.Server, user hubspot.UserID) []hubspottest.Request {
	var out []hubspottest.Request
	for _, r := range sb.Requests() {
		if id, ok := userOfRequest(r); ok && id == user && r.Method != "GET" && r.Status < 300 {
			out = append(out, r)
		}
	}
	return out
}

// TestKillTeamChangeAfterChecklistListsRolesOnce replays a kill between
// writing the restore checklist and completing the item: the next start
// verifies the item again and must not list the dropped roles twice.
func TestKillTeamChangeAfterChecklistListsRolesOnce(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	team := otherTeam(t, e, sandboxUser(t, e, id))
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodPut)
	if err != nil || res.Count(store.ItemDone) != 1 || res.DroppedCount() == 0 {
		t.Fatalf("result %+v, %v", res, err)
	}
	// What a kill right after AddRestoreItems leaves behind.
	if err := e.p.Journal().MarkItem(ctx, res.JobID, 1, store.ItemSent, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.p.Journal().FinishJob(ctx, res.JobID, store.JobRunning); err != nil {
		t.Fatal(err)
	}
	rec, err := e.p.VerifyUnfinishedChanges(ctx)
	if err != nil || len(rec) != 1 || rec[0].State != store.ItemDone {
		t.Fatalf("recovered %+v, %v", rec, err)
	}
	items, err := e.p.Journal().RestoreItems(ctx, true)
	if err != nil || len(items) != res.DroppedCount() {
		t.Fatalf("checklist %+v (want %d items), %v", items, res.DroppedCount(), err)
	}
}

// TestKillTeamChangeBeforeItemsCancelsJob replays a kill between creating
// the job and listing its users: nothing was sent, so the next start
// cancels the job rather than calling it done.
func TestKillTeamChangeBeforeItemsCancelsJob(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id, err := e.p.Journal().CreateJob(ctx, string(KindTeamChange), "Give 1 user primary team X", json.RawMessage(`{"kind":"team-change"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.VerifyUnfinishedChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if jb, err := e.p.Journal().Job(ctx, id); err != nil || jb.State != store.JobCancelled {
		t.Fatalf("job %+v, %v", jb, err)
	}
}
