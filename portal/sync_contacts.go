package portal

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

const (
	// listPage is the largest page the contacts list returns.
	listPage = 100
	// searchPage is the largest page a search returns.
	searchPage = 200
	// searchCap is how many results one search can page through; HubSpot
	// answers 400 beyond it.
	searchCap = 10_000
	// changeOverlap is how far before a sync's start the next incremental
	// sync looks again: search is eventually consistent and clocks differ,
	// and fetching a contact twice is harmless.
	changeOverlap = 5 * time.Minute
)

// syncAllContacts lists every contact over ID ranges walked in parallel
// (see sync_ranges.go), saving each range's cursor with each page so that an
// interrupted run resumes every range where it stopped. When every range is
// done, contacts this full sync never saw are dropped.
func (p *Portal) syncAllContacts(ctx context.Context, progress chan<- SyncProgress, owners []hubspot.OwnerProperty) error {
	st, err := p.mirror.SyncState(ctx, store.PhaseContacts)
	if err != nil {
		return err
	}
	var ranges []store.SyncRange
	if st.InProgress {
		if ranges, err = p.mirror.SyncRanges(ctx, store.PhaseContacts); err != nil {
			return err
		}
	} else {
		st.Generation++
		st.InProgress, st.Cursor = true, ""
		// Contacts changed after this moment may be missed by the list;
		// the next incremental sync asks for them.
		st.HighWater = time.Now().Add(-changeOverlap)
	}
	span := p.contactSpan(ctx)
	m := newMeter(progress, "contacts", span.total)
	m.limitedBy(p.client, pageSize(p.pages.Contacts, listPage))
	defer m.release()
	if st.InProgress && len(ranges) > 0 {
		n, err := p.mirror.CountContactsOfGeneration(ctx, st.Generation)
		if err != nil {
			return err
		}
		m.resumeFrom(n)
	} else {
		ranges = span.plan()
		if err := p.mirror.StartFullSync(ctx, st, ranges); err != nil {
			return err
		}
	}

	// Writing every contact is far faster without upkeep of the search
	// index; it is rebuilt once the list is complete. (The owner index of
	// their custom owner properties is fullSync's.)
	if err := p.mirror.BeginBulkContacts(ctx); err != nil {
		return err
	}
	err = p.listRanges(ctx, st.Generation, ranges, owners, m)
	if errors.Is(err, errCursorNotID) {
		// HubSpot's cursor is not the ID it appeared to be: list again with
		// one cursor, keeping what was written (it is rewritten, harmlessly).
		ranges = singleRange()
		m.resumeFrom(0) // the count starts over with the list
		if err = p.mirror.StartFullSync(ctx, st, ranges); err == nil {
			err = p.listRanges(ctx, st.Generation, ranges, owners, m)
		}
	}
	if err != nil {
		return err
	}
	now := time.Now()
	st.InProgress, st.Cursor, st.LastFullSync, st.LastSync = false, "", now, now
	if _, err := p.mirror.FinishFullSync(ctx, st); err != nil {
		return err
	}
	m.finish()
	idx := newMeter(progress, "search index", -1)
	if err := p.mirror.EndBulkContacts(ctx); err != nil {
		return err
	}
	idx.finish()
	return nil
}

// listRanges walks ranges, the next pages being fetched while earlier ones
// are written, one transaction per page. Each contact is read with the
// custom owner properties owners, written with it.
func (p *Portal) listRanges(ctx context.Context, gen int64, ranges []store.SyncRange, owners []hubspot.OwnerProperty, m *meter) error {
	pl := newRangePlan(p.mirror, ranges)
	pl.props = contactProperties(owners)
	fetch := func(ctx context.Context, emit func(contactPage) bool) error {
		return p.walk(ctx, pl, emit)
	}
	write := func(pg contactPage) error {
		rp := store.RangeProgress{Phase: store.PhaseContacts, Range: pg.rng, Cursor: pg.next, Done: pg.done}
		if err := p.mirror.PutRangeContactsWithOwners(ctx, pg.contacts, owners, gen, rp); err != nil {
			return err
		}
		m.add(len(pg.contacts))
		return nil
	}
	return pipeline(ctx, fetch, write)
}

// contactSpan is what search says of the contacts: how many there are and
// their lowest and highest IDs. Unknown (total -1) when search fails, e.g.
// for want of a scope.
type contactSpan struct {
	total           int
	lowest, highest uint64
}

func (p *Portal) contactSpan(ctx context.Context) contactSpan {
	span := contactSpan{total: -1}
	// end is the lowest or highest ID, and how many contacts there are.
	end := func(dir string) (id uint64, total int, err error) {
		sp, err := p.client.SearchContacts(ctx, hubspot.SearchRequest{
			Sorts: []hubspot.Sort{{PropertyName: "hs_object_id", Direction: dir}}, Properties: []string{"hs_object_id"}, Limit: 1})
		if err != nil || len(sp.Results) == 0 {
			return 0, sp.Total, err
		}
		id, err = strconv.ParseUint(string(sp.Results[0].ID), 10, 64)
		return id, sp.Total, err
	}
	lowest, total, err := end("ASCENDING")
	if err != nil {
		return span
	}
	span.total, span.lowest = total, lowest
	if highest, _, err := end("DESCENDING"); err == nil && highest >= lowest {
		span.highest = highest
	}
	return span
}

// plan is how to list the contacts: ID ranges when the span is known and
// more than a page, else one cursor.
func (s contactSpan) plan() []store.SyncRange {
	if s.total <= listPage || s.highest == 0 {
		return singleRange()
	}
	return planRanges(s.lowest, s.highest, listWalkers)
}
