package portal

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// The fault suite: sync runs against a sandbox injecting every kind of fault
// it knows. Each run must either finish with a mirror equal to the sandbox
// or stop with an error that says what happened, leaving a state the next
// run completes from. Never a success with something missing.
//
// No test here waits on the wall clock: the client's waits (backoff,
// Retry-After, rate-limit windows) are recorded instead of slept, injected
// latency is microseconds, and every loop has a fixed bound.

// faultEnv is an env whose client retries up to attempts times and records
// the waits it asks for instead of sleeping.
type faultEnv struct {
	*env
	mu    sync.Mutex
	waits []time.Duration
}

func newFaultEnv(t *testing.T, cfg hubspottest.Config, attempts int, wrap func(http.Handler) http.Handler) *faultEnv {
	t.Helper()
	fe := &faultEnv{env: &env{sb: hubspottest.New(cfg), dir: t.TempDir()}}
	var h http.Handler = fe.sb
	if wrap != nil {
		h = wrap(h)
	}
	fe.srv = httptest.NewServer(h)
	t.Cleanup(fe.srv.Close)
	fe.token = fe.sb.IssueToken()
	fe.client = hubspot.New(hubspot.WithBaseURL(fe.srv.URL), hubspot.WithAccessToken(fe.token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0), hubspot.WithRetry(attempts),
		hubspot.WithSleep(fe.sleep))
	fe.p = fe.open(t)
	return fe
}

func (fe *faultEnv) sleep(ctx context.Context, d time.Duration) error {
	fe.mu.Lock()
	fe.waits = append(fe.waits, d)
	fe.mu.Unlock()
	return ctx.Err()
}

func (fe *faultEnv) recordedWaits() []time.Duration {
	fe.mu.Lock()
	defer fe.mu.Unlock()
	return append([]time.Duration(nil), fe.waits...)
}

// faultTally adds up, across the suite, the faults injected and the sync
// runs that survived them; go test -v prints it.
var faultTally struct {
	sync.Mutex
	injected hubspottest.FaultCounts
	runs     int // sync runs under faults
	finished int // ... that finished with a mirror equal to the sandbox
	stopped  int // ... that stopped with a clear error and resumed later
}

func tally(c hubspottest.FaultCounts, runs, finished, stopped int) {
	faultTally.Lock()
	defer faultTally.Unlock()
	t := &faultTally.injected
	t.ServerErrors += c.ServerErrors
	t.RateLimited += c.RateLimited
	t.Resets += c.Resets
	t.Truncated += c.Truncated
	t.HTML += c.HTML
	t.NonJSON += c.NonJSON
	t.Oversized += c.Oversized
	faultTally.runs += runs
	faultTally.finished += finished
	faultTally.stopped += stopped
}

// assertMirrorEqualsSandbox checks every count and every contact's owner,
// email and modification time against the sandbox.
func assertMirrorEqualsSandbox(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	sum := e.sb.Summary()
	got, err := e.p.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Counts{Users: sum.Users, MultiRoleUsers: sum.MultiRoleUsers, Roles: sum.Roles, Teams: sum.Teams,
		Owners: sum.Owners, ArchivedOwners: sum.ArchivedOwners, QueueOwners: sum.QueueOwners, CRMUsers: sum.CRMUsers, Contacts: sum.Contacts}
	if got != want {
		t.Fatalf("silent loss: the sync succeeded but the mirror counts %+v\nthe sandbox holds %+v", got, want)
	}
	for _, row := range allContacts(t, e.p) {
		c, ok := e.sb.Contact(row.ContactID)
		switch {
		case !ok:
			t.Fatalf("the mirror holds contact %s, which the sandbox does not", row.ContactID)
		case string(row.OwnerID) != c.Properties["hubspot_owner_id"] || !strings.EqualFold(row.Email, c.Properties["email"]):
			t.Fatalf("contact %s mirrored as owner %q email %q; the sandbox has %q %q",
				row.ContactID, row.OwnerID, row.Email, c.Properties["hubspot_owner_id"], c.Properties["email"])
		}
	}
	assertContactOwnersEqualSandbox(t, e)
}

// assertClearStop checks an error a sync stopped with: it says what failed
// in words and holds no token, and the contacts phase is left resumable.
func assertClearStop(t *testing.T, e *env, err error, wantText string) {
	t.Helper()
	msg := err.Error()
	if strings.Contains(msg, e.token) {
		t.Fatalf("the error shows the token: %v", err)
	}
	if !strings.Contains(msg, wantText) {
		t.Fatalf("the sync stopped with %q, which does not say %q", msg, wantText)
	}
}

// syncUntilDone runs Sync under faults at most runs times, the fault
// stream restarting for each run. Each run either succeeds (and the mirror
// must equal the sandbox) or stops with an error stopOK checks, and the next
// run reopens the mirror as a new hsadmin would. If no run succeeded, the
// faults are lifted and one more run must finish. It returns the faults
// injected and how many runs stopped.
func syncUntilDone(t *testing.T, e *env, faults hubspottest.Faults, runs int, stopOK func(error)) (injected hubspottest.FaultCounts, stopped int) {
	t.Helper()
	ctx := context.Background()
	for range runs {
		e.sb.SetFaults(faults)
		err := e.p.Sync(ctx, nil)
		injected = addCounts(injected, e.sb.InjectedFaults())
		e.sb.SetFaults(hubspottest.Faults{})
		if err == nil {
			assertMirrorEqualsSandbox(t, e)
			return injected, stopped
		}
		stopOK(err)
		stopped++
		e.p.Close()
		e.p = e.open(t)
	}
	if err := e.p.Sync(ctx, nil); err != nil {
		t.Fatalf("with the faults gone the sync still fails: %v", err)
	}
	assertMirrorEqualsSandbox(t, e)
	return injected, stopped
}

// Transient faults of every kind at once are retried away.
func TestSyncSurvivesTransientFaults(t *testing.T) {
	for seed := range int64(5) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			fe := newFaultEnv(t, hubspottest.Config{Contacts: 3000, Seed: seed + 1}, 8, nil)
			// 40% of requests fail: now and then eight in a row do, and the
			// run must stop clearly and resume.
			faults := hubspottest.Faults{Seed: seed, Latency: 200 * time.Microsecond,
				ServerErrors: 0.1, RateLimited: 0.06, Resets: 0.06, Truncated: 0.06, HTML: 0.06, NonJSON: 0.06}
			injected, stopped := syncUntilDone(t, fe.env, faults, 3, func(err error) {
				assertClearStop(t, fe.env, err, "HubSpot")
			})
			if injected.Total() == 0 {
				t.Fatal("no fault was injected")
			}
			tally(injected, 1+stopped, 1, stopped)
			t.Logf("faults injected %+v (%d), runs stopped %d", injected, injected.Total(), stopped)
		})
	}
}

func addCounts(a, b hubspottest.FaultCounts) hubspottest.FaultCounts {
	return hubspottest.FaultCounts{ServerErrors: a.ServerErrors + b.ServerErrors, RateLimited: a.RateLimited + b.RateLimited,
		Resets: a.Resets + b.Resets, Truncated: a.Truncated + b.Truncated, HTML: a.HTML + b.HTML,
		NonJSON: a.NonJSON + b.NonJSON, Oversized: a.Oversized + b.Oversized}
}

// 429 storms: the rolling and secondly policies are waited out for exactly
// as long as HubSpot says; the daily one stops the sync at once with a
// clear message, and the next day's run resumes.
func TestSyncUnder429Storms(t *testing.T) {
	for _, tc := range []struct {
		policy string
		wait   time.Duration
	}{{"TEN_SECONDLY_ROLLING", 10 * time.Second}, {"SECONDLY", time.Second}, {"DAILY", 0}} {
		t.Run(tc.policy, func(t *testing.T) {
			fe := newFaultEnv(t, hubspottest.Config{Contacts: 1200}, 8, nil)
			fe.sb.SetFaults(hubspottest.Faults{Seed: 7, RateLimited: 0.3, RateLimitPolicy: tc.policy})
			err := fe.p.Sync(context.Background(), nil)
			injected := fe.sb.InjectedFaults()
			if injected.RateLimited == 0 {
				t.Fatal("no 429 was injected")
			}
			if tc.policy == "DAILY" {
				if err == nil {
					t.Fatal("the sync ignored the daily limit")
				}
				assertClearStop(t, fe.env, err, "daily")
				if w := fe.recordedWaits(); len(w) != 0 {
					t.Errorf("the client waited %v on a daily limit", w)
				}
				if injected.RateLimited != 1 {
					t.Errorf("%d requests after the daily limit, want none", injected.RateLimited-1)
				}
				// Tomorrow: the quota is back.
				fe.sb.SetFaults(hubspottest.Faults{})
				fe.p.Close()
				fe.p = fe.open(t)
				if err := fe.p.Sync(context.Background(), nil); err != nil {
					t.Fatal(err)
				}
				assertMirrorEqualsSandbox(t, fe.env)
				tally(injected, 1, 0, 1)
				return
			}
			if err != nil {
				t.Fatalf("a %s storm at 30%% stopped the sync: %v", tc.policy, err)
			}
			fe.sb.SetFaults(hubspottest.Faults{})
			assertMirrorEqualsSandbox(t, fe.env)
			waits := fe.recordedWaits()
			if len(waits) != injected.RateLimited {
				t.Errorf("%d waits for %d 429s", len(waits), injected.RateLimited)
			}
			for _, w := range waits {
				if w != tc.wait {
					t.Fatalf("waited %v after a %s 429, want %v", w, tc.policy, tc.wait)
				}
			}
			tally(injected, 1, 1, 0)
			t.Logf("%d 429s (%s) waited out", injected.RateLimited, tc.policy)
		})
	}
}

// Answers larger than any page are refused without being read whole, and
// retried.
func TestSyncSurvivesOversizedAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 64 MiB per injected fault")
	}
	fe := newFaultEnv(t, hubspottest.Config{Contacts: 800}, 6, nil)
	injected, stopped := syncUntilDone(t, fe.env, hubspottest.Faults{Seed: 3, Oversized: 0.08}, 2, func(err error) {
		assertClearStop(t, fe.env, err, "larger than")
	})
	if injected.Oversized == 0 {
		t.Fatal("no oversized answer was injected")
	}
	tally(injected, 1+stopped, 1, stopped)
	t.Logf("oversized answers: %d, runs stopped %d", injected.Oversized, stopped)
}

// A network that breaks down for good half-way through the contacts stops
// the sync with HubSpot's answer; what was written stays, and the next run
// resumes from the saved cursors and ends complete.
func TestSyncStopsCleanlyWhenTheNetworkDies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults hubspottest.Faults
		want   string
	}{
		{"5xx", hubspottest.Faults{ServerErrors: 1}, "HubSpot answered 50"},
		{"resets", hubspottest.Faults{Resets: 1}, "no usable answer"},
		{"html", hubspottest.Faults{HTML: 1}, "HTML"},
		{"truncated", hubspottest.Faults{Truncated: 1}, "cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lists atomic.Int32
			var dead atomic.Bool
			var sb atomic.Pointer[hubspottest.Server]
			var mirror atomic.Pointer[Portal]
			fe := newFaultEnv(t, hubspottest.Config{Contacts: 2000}, 3, func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == "GET" && r.URL.Path == contactsPath && lists.Add(1) >= 6 && !dead.Load() {
						// The network dies from here on, once some pages are
						// written: the walkers list in parallel, so pages in
						// flight when a walker gives up are abandoned.
						waitUntil(10*time.Second, func() bool {
							if dead.Load() || r.Context().Err() != nil {
								return true
							}
							n, _ := mirror.Load().CountContacts(r.Context(), store.Query{})
							return n > 0
						})
						if dead.CompareAndSwap(false, true) {
							sb.Load().SetFaults(tc.faults)
						}
					}
					h.ServeHTTP(w, r)
				})
			})
			sb.Store(fe.sb)
			mirror.Store(fe.p)
			ctx := context.Background()
			err := fe.p.Sync(ctx, nil)
			if err == nil {
				t.Fatal("the sync succeeded on a dead network")
			}
			assertClearStop(t, fe.env, err, tc.want)
			st, err2 := fe.p.Mirror().SyncState(ctx, store.PhaseContacts)
			if err2 != nil {
				t.Fatal(err2)
			}
			ranges, _ := fe.p.Mirror().SyncRanges(ctx, store.PhaseContacts)
			half, _ := fe.p.CountContacts(ctx, store.Query{})
			if !st.InProgress || len(ranges) == 0 || half == 0 || half >= 2000 {
				t.Fatalf("after the breakdown: %+v, %d ranges, %d contacts; want a resumable half-done sync", st, len(ranges), half)
			}
			// The directory was complete before the contacts began.
			if n, _ := fe.p.Counts(ctx); n.Users != fe.sb.Summary().Users {
				t.Fatalf("%d users mirrored, want %d", n.Users, fe.sb.Summary().Users)
			}
			injected := fe.sb.InjectedFaults()

			fe.sb.SetFaults(hubspottest.Faults{})
			before := len(requestsTo(fe.sb, "GET", contactsPath))
			fe.p.Close()
			fe.p = fe.open(t)
			if err := fe.p.Sync(ctx, nil); err != nil {
				t.Fatal(err)
			}
			assertMirrorEqualsSandbox(t, fe.env)
			for _, r := range requestsTo(fe.sb, "GET", contactsPath)[before:] {
				if !strings.Contains(r.RawQuery, "after=") && len(ranges) == 1 {
					t.Fatalf("the resumed sync started over: %s", r.RawQuery)
				}
			}
			tally(injected, 1, 0, 1)
		})
	}
}

// An incremental sync under faults picks up every change, or stops and
// picks them up next time.
func TestIncrementalSyncUnderFaults(t *testing.T) {
	fe := newFaultEnv(t, hubspottest.Config{Contacts: 1500}, 8, nil)
	ctx := context.Background()
	if err := fe.p.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// Thirty contacts change owner in HubSpot.
	f := fe.sb.Fixtures()
	rows := allContacts(t, fe.p)
	for i := 0; i < 30; i++ {
		if _, err := fe.client.UpdateContact(ctx, rows[i*40].ContactID, hubspot.Properties{"hubspot_owner_id": string(f.ActiveOwner)}); err != nil {
			t.Fatal(err)
		}
	}
	faults := hubspottest.Faults{Seed: 11, ServerErrors: 0.08, Resets: 0.05, Truncated: 0.05, HTML: 0.04, NonJSON: 0.04, RateLimited: 0.04}
	injected, stopped := syncUntilDone(t, fe.env, faults, 3, func(err error) {
		assertClearStop(t, fe.env, err, "HubSpot")
	})
	if injected.Total() == 0 {
		t.Fatal("no fault was injected")
	}
	tally(injected, 1+stopped, 1, stopped)
	t.Logf("incremental: faults %+v, runs stopped %d", injected, stopped)
}

// TestFaultSuiteTally prints the suite's totals; it runs last in this file's
// order only when run with the others (go test -v -run 'Fault|Storm|Oversized|Network').
func TestFaultSuiteTally(t *testing.T) {
	faultTally.Lock()
	defer faultTally.Unlock()
	if faultTally.runs == 0 {
		t.Skip("run with the fault suite")
	}
	t.Logf("fault suite: %d faults injected %+v; %d sync runs under faults, %d finished equal to the sandbox, %d stopped with a clear error and completed on resume",
		faultTally.injected.Total(), faultTally.injected, faultTally.runs, faultTally.finished, faultTally.stopped)
}

// waitUntil polls cond until it holds, giving up (without failing: the
// caller's own checks say what went wrong) after limit.
func waitUntil(limit time.Duration, cond func() bool) {
	for deadline := time.Now().Add(limit); !cond() && time.Now().Before(deadline); {
		time.Sleep(2 * time.Millisecond)
	}
}
