package portal

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

func TestPlanRangesPartitionsTheIDs(t *testing.T) {
	ranges := planRanges(10_001, 16_000, 8)
	if len(ranges) != 9 {
		t.Fatalf("%d ranges, want 8 and the open top one: %+v", len(ranges), ranges)
	}
	if r := ranges[0]; r.Lo != 0 || r.Cursor != "" {
		t.Fatalf("first range %+v, want it to start at the list's beginning", r)
	}
	for k, r := range ranges[1:] {
		if prev := ranges[k]; prev.Hi != r.Lo || r.Cursor != strconv.FormatUint(r.Lo, 10) {
			t.Fatalf("range %+v does not start where %+v ends", r, prev)
		}
	}
	if top := ranges[8]; top.Lo != 16_001 || top.Hi != 0 {
		t.Fatalf("top range %+v, want [16001, ∞)", top)
	}
	if got := planRanges(100, 150, 8); len(got) != 2 || got[0].Hi != 151 {
		t.Fatalf("a span narrower than two pages: %+v, want one range and the top", got)
	}
}

func TestClipKeepsARangeAndChecksTheCursor(t *testing.T) {
	page := func(next string, ids ...string) hubspot.Page[hubspot.Contact] {
		pg := hubspot.Page[hubspot.Contact]{NextAfter: next}
		for _, id := range ids {
			pg.Results = append(pg.Results, hubspot.Contact{ID: hubspot.ContactID(id)})
		}
		return pg
	}
	r := &rangeWalk{SyncRange: store.SyncRange{Lo: 100, Hi: 200}}
	out, err := r.clip("100", page("260", "100", "150", "250"))
	if err != nil || len(out.contacts) != 2 || !out.done {
		t.Fatalf("page crossing the bound: %d contacts, done %v, %v; want 2, done", len(out.contacts), out.done, err)
	}
	out, err = r.clip("100", page("180", "100", "150"))
	if err != nil || len(out.contacts) != 2 || out.done || out.next != "180" {
		t.Fatalf("page inside the range: %+v, %v", out, err)
	}
	for name, pg := range map[string]hubspot.Page[hubspot.Contact]{
		"below the cursor":     page("", "90"),
		"descending":           page("", "150", "120"),
		"repeated":             page("", "150", "150"),
		"opaque next cursor":   page("NTI1Cg==", "150"),
		"next behind the page": page("140", "150"),
	} {
		if _, err := r.clip("100", pg); !errors.Is(err, errCursorNotID) {
			t.Errorf("%s: %v, want errCursorNotID", name, err)
		}
	}
}

// gate holds the requests match selects until n of them wait at once, then
// lets every request through: proof that n were in flight together. If
// they never are, it gives up after a while, and reached stays false.
type gate struct {
	n     int
	match func(*http.Request) bool

	mu      sync.Mutex
	waiting int
	opened  bool
	reached bool
	open    chan struct{}
}

func newGate(n int, match func(*http.Request) bool) *gate {
	return &gate{n: n, match: match, open: make(chan struct{})}
}

func (g *gate) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.match(r) && g.hold() {
			select {
			case <-g.open:
			case <-time.After(10 * time.Second): // only when the test is failing
				g.release(false)
			}
		}
		h.ServeHTTP(w, r)
	})
}

// hold counts a request in and reports whether it must wait.
func (g *gate) hold() bool {
	g.mu.Lock()
	if g.opened {
		g.mu.Unlock()
		return false
	}
	g.waiting++
	full := g.waiting == g.n
	g.mu.Unlock()
	if full {
		g.release(true)
		return false
	}
	return true
}

func (g *gate) release(reached bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.opened {
		g.opened, g.reached = true, reached
		close(g.open)
	}
}

func (g *gate) wasReached() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.reached
}

func isList(r *http.Request) bool { return r.Method == "GET" && r.URL.Path == contactsPath }

// About six requests in flight spend HubSpot's budget at 300 ms each.
func TestFullSyncListsRangesAtOnce(t *testing.T) {
	g := newGate(6, isList)
	e := newEnv(t, hubspottest.Config{Contacts: 3000}, g.wrap)
	e.sync(t)
	if !g.wasReached() {
		t.Fatal("never 6 contact list requests in flight at once")
	}
	assertFullSyncComplete(t, e, 3000)
}

// Contact IDs crowded at the bottom of the span: the walkers whose ranges
// are empty split the crowded range among themselves.
func TestSkewedIDsAreSplitAmongWalkers(t *testing.T) {
	const fakeHighest = 10_000_000
	// The first planned range ends near fakeHighest/8 and holds every contact.
	inFirstRange := func(r *http.Request) bool {
		if !isList(r) {
			return false
		}
		after := r.URL.Query().Get("after")
		id, err := strconv.ParseUint(after, 10, 64)
		return after == "" || (err == nil && id < fakeHighest/8)
	}
	g := newGate(4, inFirstRange)
	descending := func(r *http.Request, body []byte) bool {
		return r.Method == "POST" && r.URL.Path == searchPath && strings.Contains(string(body), "DESCENDING")
	}
	e := newEnv(t, hubspottest.Config{Contacts: 3000}, func(h http.Handler) http.Handler {
		return g.wrap(editJSON(t, h, descending, func(v map[string]any) {
			results, _ := v["results"].([]any)
			if len(results) == 1 {
				results[0].(map[string]any)["id"] = strconv.Itoa(fakeHighest)
			}
		}))
	})
	e.sync(t)
	if !g.wasReached() {
		t.Fatal("the crowded range was never walked by several walkers at once")
	}
	assertFullSyncComplete(t, e, 3000)
}

// A HubSpot whose list cursor is opaque (it refuses cursors it did not
// issue) is listed with one cursor after all.
func TestOpaqueCursorFallsBackToOneCursor(t *testing.T) {
	var o opaqueCursors
	e := newEnv(t, hubspottest.Config{Contacts: 1500}, func(h http.Handler) http.Handler { return o.wrap(t, h) })
	e.sync(t)
	assertFullSyncComplete(t, e, 1500)
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.tokens) < 14 {
		t.Fatalf("%d opaque cursors handed out, want the whole list paged through them", len(o.tokens))
	}
}

// An interrupted parallel full sync resumes every range from its saved
// cursor, fetches nothing it already wrote, and ends complete.
func TestInterruptedParallelFullSyncResumes(t *testing.T) {
	const contacts = 4000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var run atomic.Int32
	run.Store(1)
	var mu sync.Mutex
	afters := map[int32][]string{} // the after of each list request, by run
	var lists atomic.Int32
	e := newEnv(t, hubspottest.Config{Contacts: contacts}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isList(r) {
				k := run.Load()
				mu.Lock()
				afters[k] = append(afters[k], r.URL.Query().Get("after"))
				mu.Unlock()
				if k == 1 && lists.Add(1) == 20 {
					cancel() // "kill" the sync while it is half-way through the contacts
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	if err := e.p.Sync(ctx, nil); err == nil {
		t.Fatal("the cancelled sync reported success")
	}
	st, err := e.p.Mirror().SyncState(context.Background(), store.PhaseContacts)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := e.p.Mirror().SyncRanges(context.Background(), store.PhaseContacts)
	if err != nil {
		t.Fatal(err)
	}
	if !st.InProgress || len(saved) <= 2 {
		t.Fatalf("after the interruption: %+v with ranges %+v, want an unfinished parallel full sync", st, saved)
	}
	half, _ := e.p.CountContacts(context.Background(), store.Query{})
	if half == 0 || half >= contacts {
		t.Fatalf("%d contacts mirrored before the interruption", half)
	}

	// Reopen, as a new run of hsadmin would.
	e.p.Close()
	e.p = e.open(t)
	run.Store(2)
	e.sync(t)

	mu.Lock()
	second := afters[2]
	mu.Unlock()
	asked := map[string]bool{}
	for _, after := range second {
		asked[after] = true
		r, ok := rangeOf(saved, after)
		if !ok {
			t.Fatalf("after=%q is in no saved range %+v", after, saved)
		}
		pos, _ := cursorID(r.Cursor, r.Lo)
		id, _ := cursorID(after, 0)
		if r.Done || id < pos {
			t.Fatalf("the resumed sync fetched after=%q again, written before: its range was saved as %+v", after, r)
		}
	}
	for _, r := range saved {
		if !r.Done && !asked[r.Cursor] {
			t.Errorf("the resumed sync never asked for the saved cursor of %+v (asked %q)", r, second)
		}
	}
	assertFullSyncComplete(t, e, contacts)
}

// rangeOf finds the saved range an after cursor falls in.
func rangeOf(ranges []store.SyncRange, after string) (store.SyncRange, bool) {
	id, ok := cursorID(after, 0)
	if !ok {
		return store.SyncRange{}, false
	}
	for _, r := range ranges {
		if id >= r.Lo && (r.Hi == 0 || id < r.Hi) {
			return r, true
		}
	}
	return store.SyncRange{}, false
}
