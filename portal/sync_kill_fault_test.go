package portal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// syncKillChildEnv carries a syncChild to the test binary re-executed as the
// process that gets killed.
const syncKillChildEnv = "HSADMIN_SYNC_KILL_CHILD"

type syncChild struct{ childPortal }

// TestSyncKillChild is the process TestSyncSurvivesKills kills: it runs one
// Sync against the parent's sandbox. Run alone, it does nothing.
func TestSyncKillChild(t *testing.T) {
	var job syncChild
	p := openKillChild(t, syncKillChildEnv, "TestSyncSurvivesKills", &job)
	if err := p.Sync(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

// TestSyncSurvivesKills kills a process running a sync at a random request
// (during the directory, the span search, any contacts page, or a moment
// after one while the page is being written or the search index rebuilt),
// then opens the mirror here as the next run of hsadmin would: it must open
// without a rebuild, and the next sync must complete with a mirror equal to
// the sandbox, its search index included. A third of the trials kill an
// incremental sync after changes in HubSpot instead of a first full one.
func TestSyncSurvivesKills(t *testing.T) {
	skipUnlessKillParent(t, syncKillChildEnv, 15)
	rng := rand.New(rand.NewPCG(2026, 8))
	const trials = 15
	killed := 0
	for trial := range trials {
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			if syncKillTrial(t, rng, trial%3 == 2) {
				killed++
			}
		})
	}
	t.Logf("%d trials, %d killed the child mid-sync, %d let it finish; every next run was consistent and completed", trials, killed, trials-killed)
	if killed < trials/2 {
		t.Errorf("only %d of %d trials killed the child; the kill points are not spread over the sync", killed, trials)
	}
}

// syncKillTrial runs one trial and reports whether the child was killed.
func syncKillTrial(t *testing.T, rng *rand.Rand, incremental bool) bool {
	const contacts = 3000
	// A full sync of 3,000 contacts makes about 45 requests; an
	// incremental one about 12. Now and then the kill point lies past the
	// end and the child finishes.
	killAt := 1 + rng.IntN(48)
	if incremental {
		killAt = 1 + rng.IntN(14)
	}
	delay := time.Duration(rng.IntN(4000)) * time.Microsecond

	var mu sync.Mutex
	var child *exec.Cmd
	requests := 0
	killedIt := false
	kill := func() {
		mu.Lock()
		defer mu.Unlock()
		if child != nil && !killedIt {
			killedIt = true
			_ = child.Process.Kill()
		}
	}
	killer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			if child != nil {
				requests++
			}
			now := child != nil && requests == killAt
			mu.Unlock()
			next.ServeHTTP(w, r)
			if now {
				time.AfterFunc(delay, kill)
			}
		})
	}
	e := newEnv(t, hubspottest.Config{Contacts: contacts}, killer)
	ctx := context.Background()
	if incremental {
		e.sync(t)
		f := e.sb.Fixtures()
		rows := allContacts(t, e.p)
		for i := range 25 {
			if _, err := e.client.UpdateContact(ctx, rows[i*97].ContactID, hubspot.Properties{"hubspot_owner_id": string(f.ActiveOwner)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The child owns the mirror while it runs, as a second hsadmin would.
	e.p.Close()

	runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd, out := killChildCommand(runCtx, "TestSyncKillChild", syncKillChildEnv, syncChild{e.childPortal()})
	mu.Lock()
	if err := cmd.Start(); err != nil {
		mu.Unlock()
		t.Fatal(err)
	}
	child = cmd
	mu.Unlock()
	waitErr := cmd.Wait()
	mu.Lock()
	wasKilled := killedIt
	child = nil // the parent's own requests are not counted
	mu.Unlock()
	if waitErr != nil && !wasKilled {
		t.Fatalf("the child failed on its own: %v\n%s", waitErr, out.String())
	}

	// The next run: the mirror opens as it is (e.open fails on a rebuild
	// notice), and one sync makes it whole.
	e.p = e.open(t)
	if err := e.p.Sync(ctx, nil); err != nil {
		t.Fatalf("the sync after a kill at request %d (+%v): %v", killAt, delay, err)
	}
	assertMirrorEqualsSandbox(t, e)
	assertSearchIndexWhole(t, e)
	if st, _ := e.p.Mirror().SyncState(ctx, store.PhaseContacts); st.InProgress || st.LastFullSync.IsZero() {
		t.Fatalf("after the kill and a sync: %+v", st)
	}
	return wasKilled
}

// assertSearchIndexWhole checks that filtering finds contacts by email: a
// kill during a bulk load must not leave the search index behind.
func assertSearchIndexWhole(t *testing.T, e *env) {
	t.Helper()
	rows := allContacts(t, e.p)
	for _, i := range []int{0, len(rows) / 2, len(rows) - 1} {
		email := rows[i].Email
		if email == "" {
			continue
		}
		found, err := e.p.Contacts(context.Background(), store.Query{Filter: email})
		if err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, r := range found {
			ok = ok || (r.ContactID == rows[i].ContactID && strings.EqualFold(r.Email, email))
		}
		if !ok {
			t.Fatalf("filtering on %q does not find contact %s (found %d rows)", email, rows[i].ContactID, len(found))
		}
	}
}
