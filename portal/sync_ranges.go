package portal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// Listing contacts in parallel.
//
// One cursor pages at one request per round trip: over a real network
// (~300 ms) that is ~330 contacts a second, a fifth of what HubSpot's budget
// of 190 requests per 10 s allows for 100-contact pages. Search cannot make
// up the difference: at 5 requests a second and 200 results a page its
// ceiling is 1,000 a second, and every window stops at 10,000 results.
//
// The contacts list's after cursor is the ID of the next record to return,
// the list being in ID order (HubSpot's own example pages with
// after=513881705058, the next contact's ID; the sandbox does the same), so
// a list can be started at any ID. A full
// sync therefore learns the lowest and highest contact IDs from search,
// splits the span into ranges and walks several at once, each from its
// lower bound until it reaches its upper bound. The client's rate limiter
// keeps the walkers together inside the budget, so more walkers never mean
// 429s, only fuller use of it.
//
// HubSpot calls the cursor opaque, so this is checked as it is used: every
// page must start at or after the cursor asked for and ascend by ID, and the
// next cursor must be an ID beyond the page. Should HubSpot ever answer
// otherwise (or refuse a cursor it did not issue), the sync falls back to a
// single cursor from the start, which relies on nothing.
//
// IDs are rarely spread evenly (imports create dense runs), so a walker that
// finishes its range takes half of what is left of the widest range still
// being walked: the walkers stay busy until the very end.

// listWalkers is how many ranges are listed at once. About six requests in
// flight spend 19 requests a second at 300 ms each; eight leave room for
// slower answers.
const listWalkers = 8

// minSplitWidth is the narrowest remaining range worth splitting: at most
// two pages of IDs.
const minSplitWidth = 2 * listPage

// errCursorNotID reports a list answer showing that its after cursor is not
// a record ID: the ranges cannot be walked, a single cursor must be.
var errCursorNotID = errors.New("the contacts list cursor does not behave as a record ID")

// rangeWalk is a range being listed. Its Cursor runs ahead of the saved one
// by the pages fetched and not yet written.
type rangeWalk struct {
	store.SyncRange
	claimed bool
}

// rangePlan hands ranges to walkers and splits them. Walkers only read and
// write a range's fields under mu.
type rangePlan struct {
	mirror   *store.Mirror
	parallel bool     // the ranges are ID ranges, not one opaque cursor
	props    []string // the properties read of each contact; nil: the defaults

	mu     sync.Mutex
	ranges []*rangeWalk
	nextID int
}

func newRangePlan(mirror *store.Mirror, ranges []store.SyncRange) *rangePlan {
	pl := &rangePlan{mirror: mirror, parallel: len(ranges) > 1}
	for _, r := range ranges {
		if r.Done {
			continue
		}
		pl.ranges = append(pl.ranges, &rangeWalk{SyncRange: r})
	}
	for _, r := range ranges {
		pl.nextID = max(pl.nextID, r.ID+1)
	}
	return pl
}

// walkers is how many walkers are worth starting.
func (pl *rangePlan) walkers() int {
	if !pl.parallel {
		return min(1, len(pl.ranges))
	}
	return listWalkers
}

// take claims a range nobody walks yet or, when none is left, splits the
// widest range being walked and claims its upper half. nil: nothing is
// left worth a walker.
func (pl *rangePlan) take(ctx context.Context) (*rangeWalk, error) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for _, r := range pl.ranges {
		if !r.claimed && !r.Done {
			r.claimed = true
			return r, nil
		}
	}
	if !pl.parallel {
		return nil, nil
	}
	var widest *rangeWalk
	var from, width uint64
	for _, r := range pl.ranges {
		if r.Done || r.Hi == 0 { // the open top range has no known width
			continue
		}
		pos, ok := cursorID(r.Cursor, r.Lo)
		if ok && pos < r.Hi && r.Hi-pos > width {
			widest, from, width = r, pos, r.Hi-pos
		}
	}
	if widest == nil || width < minSplitWidth {
		return nil, nil
	}
	at := from + width/2
	half := store.SyncRange{ID: pl.nextID, Lo: at, Hi: widest.Hi, Cursor: strconv.FormatUint(at, 10)}
	// Saved before the walker of the lower half can see its new bound, so
	// the saved ranges always cover every ID.
	if err := pl.mirror.SplitSyncRange(ctx, store.PhaseContacts, widest.ID, half); err != nil {
		return nil, err
	}
	pl.nextID++
	widest.Hi = at
	r := &rangeWalk{SyncRange: half, claimed: true}
	pl.ranges = append(pl.ranges, r)
	return r, nil
}

// next is the cursor r's next page is fetched at, or done when r has
// nothing left (its cursor reached its bound, perhaps lowered by a split).
func (pl *rangePlan) next(r *rangeWalk) (cursor string, done bool) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if pl.parallel && r.Hi != 0 {
		if pos, ok := cursorID(r.Cursor, r.Lo); ok && pos >= r.Hi {
			r.Done = true
		}
	}
	return r.Cursor, r.Done
}

// advance takes in the page fetched at cursor: it checks that the list
// behaves as an ID-ordered list, keeps the contacts inside r, and moves r's
// cursor. It returns what to write.
func (pl *rangePlan) advance(r *rangeWalk, cursor string, pg hubspot.Page[hubspot.Contact]) (contactPage, error) {
	if pg.NextAfter != "" && pg.NextAfter == cursor {
		return contactPage{}, hubspot.ErrRepeatedCursor
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	out := contactPage{contacts: pg.Results, next: pg.NextAfter, rng: r.ID, total: -1}
	if pl.parallel {
		var err error
		if out, err = r.clip(cursor, pg); err != nil {
			return contactPage{}, err
		}
	}
	out.done = out.done || out.next == ""
	r.Cursor, r.Done = out.next, out.done
	return out, nil
}

// clip checks a page against the ID-cursor contract and keeps the contacts
// below r.Hi; the range is done when the page reaches it.
func (r *rangeWalk) clip(cursor string, pg hubspot.Page[hubspot.Contact]) (contactPage, error) {
	out := contactPage{contacts: pg.Results, next: pg.NextAfter, rng: r.ID, total: -1}
	prev, _ := cursorID(cursor, r.Lo)
	for i, c := range pg.Results {
		id, err := strconv.ParseUint(string(c.ID), 10, 64)
		if err != nil || id < prev || (i > 0 && id == prev) {
			return out, fmt.Errorf("%w: after=%s answered contact %s out of order", errCursorNotID, cursor, c.ID)
		}
		if r.Hi != 0 && id >= r.Hi {
			out.contacts, out.done = pg.Results[:i], true
			return out, nil
		}
		prev = id
	}
	if pg.NextAfter != "" {
		next, err := strconv.ParseUint(pg.NextAfter, 10, 64)
		if err != nil || (len(pg.Results) > 0 && next <= prev) {
			return out, fmt.Errorf("%w: next after %q", errCursorNotID, pg.NextAfter)
		}
		out.done = r.Hi != 0 && next >= r.Hi
	}
	return out, nil
}

// cursorID is the ID a cursor starts at: lo for the list's start.
func cursorID(cursor string, lo uint64) (uint64, bool) {
	if cursor == "" {
		return lo, true
	}
	id, err := strconv.ParseUint(cursor, 10, 64)
	return id, err == nil
}

// walk lists the plan's ranges with its walkers, emitting every page, until
// every range is done or one walker fails (which stops the others).
func (p *Portal) walk(ctx context.Context, pl *rangePlan, emit func(contactPage) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range pl.walkers() {
		wg.Go(func() {
			if err := p.walker(ctx, pl, emit); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		})
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// walker lists ranges until the plan has none left for it.
func (p *Portal) walker(ctx context.Context, pl *rangePlan, emit func(contactPage) bool) error {
	for {
		r, err := pl.take(ctx)
		if err != nil || r == nil {
			return err
		}
		if err := p.walkRange(ctx, pl, r, emit); err != nil {
			return err
		}
	}
}

// walkRange lists one range page by page until it is done.
func (p *Portal) walkRange(ctx context.Context, pl *rangePlan, r *rangeWalk, emit func(contactPage) bool) error {
	for {
		cursor, done := pl.next(r)
		if done { // a split left nothing to fetch: record that it is done
			if !emit(contactPage{next: cursor, rng: r.ID, done: true, total: -1}) {
				return ctx.Err()
			}
			return nil
		}
		release, err := acquire(ctx)
		if err != nil {
			return err
		}
		pg, err := p.client.ContactsPage(ctx, cursor, pageSize(p.pages.Contacts, listPage), pl.props)
		release()
		if err != nil {
			return rangeListError(pl, err)
		}
		out, err := pl.advance(r, cursor, pg)
		if err != nil {
			return err
		}
		if !emit(out) {
			return ctx.Err()
		}
		if out.done {
			return nil
		}
	}
}

// rangeListError marks a 400 answer to a parallel walk's cursor as a cursor
// HubSpot does not accept, so that the sync falls back to one cursor.
func rangeListError(pl *rangePlan, err error) error {
	var apiErr *hubspot.APIError
	if pl.parallel && errors.As(err, &apiErr) && apiErr.StatusCode == 400 {
		return fmt.Errorf("%w: %w", errCursorNotID, err)
	}
	return err
}

// planRanges splits the contact IDs [lowest, highest] into n ranges of
// equal width, plus an open range above highest for contacts created during
// the sync. The first range starts at the list's beginning, in case search
// (eventually consistent) did not yet know the lowest ID.
func planRanges(lowest, highest uint64, n int) []store.SyncRange {
	span := highest - lowest + 1
	n = max(1, min(n, int(span/minSplitWidth)))
	width := span / uint64(n)
	ranges := make([]store.SyncRange, 0, n+1)
	for k := range n {
		lo := lowest + uint64(k)*width
		r := store.SyncRange{ID: k, Lo: lo, Hi: lo + width, Cursor: strconv.FormatUint(lo, 10)}
		if k == 0 {
			r.Lo, r.Cursor = 0, ""
		}
		if k == n-1 {
			r.Hi = highest + 1
		}
		ranges = append(ranges, r)
	}
	return append(ranges, store.SyncRange{ID: n, Lo: highest + 1, Cursor: strconv.FormatUint(highest+1, 10)})
}

// singleRange is the whole list walked with one cursor.
func singleRange() []store.SyncRange { return []store.SyncRange{{ID: 0}} }
