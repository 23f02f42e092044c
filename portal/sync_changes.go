package portal

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// contactOwnerProperties are the discovered owner properties of contacts
// but hubspot_owner_id, which the contacts table keeps: those mirrored in
// record_owners. None when contacts are not among types.
func contactOwnerProperties(types []*syncType) []hubspot.OwnerProperty {
	for _, t := range types {
		if t.Type == hubspot.ObjectContacts {
			return store.CustomOwnerProperties(t.OwnerProperties)
		}
	}
	return nil
}

// contactProperties are the properties a sync reads of each contact: the
// defaults and the custom owner properties owners.
func contactProperties(owners []hubspot.OwnerProperty) []string {
	props := slices.Clone(hubspot.DefaultContactProperties)
	for _, o := range owners {
		props = append(props, o.Name)
	}
	return props
}

// syncContactChanges fetches the contacts modified since the high-water
// mark through search, walking time windows to stay under the search cap.
// Each contact is read with the custom owner properties owners.
func (p *Portal) syncContactChanges(ctx context.Context, progress chan<- SyncProgress, owners []hubspot.OwnerProperty) error {
	st, err := p.mirror.SyncState(ctx, store.PhaseContacts)
	if err != nil {
		return err
	}
	started := time.Now()
	m := newMeter(progress, "contact changes", -1)
	fetch := func(ctx context.Context, emit func(contactPage) bool) error {
		return p.walkChanges(ctx, st.HighWater, contactProperties(owners), emit)
	}
	write := func(pg contactPage) error {
		if m.total < 0 && pg.total >= 0 {
			m.total = pg.total
		}
		if err := p.mirror.PutContactsWithOwners(ctx, pg.contacts, owners, st.Generation, nil); err != nil {
			return err
		}
		m.add(len(pg.contacts))
		return nil
	}
	if err := pipeline(ctx, fetch, write); err != nil {
		return err
	}
	st.HighWater, st.LastSync = started.Add(-changeOverlap), time.Now()
	if err := p.mirror.SaveSyncState(ctx, st); err != nil {
		return err
	}
	m.finish()
	return nil
}

// walkChanges emits every contact with lastmodifieddate >= since, read
// with props (see walkChangesOf).
func (p *Portal) walkChanges(ctx context.Context, since time.Time, props []string, emit func(contactPage) bool) error {
	contacts := changeSearch[hubspot.Contact]{
		search:       p.client.SearchContacts,
		modifiedProp: hubspot.PropLastModifiedDate,
		props:        props,
		modified:     store.ContactModified,
		id:           func(c hubspot.Contact) string { return string(c.ID) },
	}
	return walkChangesOf(ctx, p, contacts, since, func(cs []hubspot.Contact, total int) bool {
		return emit(contactPage{contacts: cs, total: total})
	})
}

// changeSearch is how an incremental sync searches one object type.
type changeSearch[T any] struct {
	search       func(context.Context, hubspot.SearchRequest) (hubspot.SearchPage[T], error)
	modifiedProp string // lastmodifieddate on contacts, hs_lastmodifieddate elsewhere
	props        []string
	modified     func(T) time.Time
	id           func(T) string
}

// walkChangesOf emits every record with modifiedProp >= since. One search
// pages through at most 10,000 results, so results come sorted by the
// last-modified date and, when a window fills up, the next window starts at
// the last timestamp seen. Records sharing that timestamp are fetched again
// (harmless); should 10,000 or more share one timestamp, they are walked by
// ID instead, so the walk always moves forward.
func walkChangesOf[T any](ctx context.Context, p *Portal, cs changeSearch[T], since time.Time, emit func([]T, int) bool) error {
	from := since.UnixMilli()
	total := -1
	for {
		w, err := searchWindow(ctx, p, cs, []hubspot.Filter{cs.dateFilter("GTE", from)}, cs.modifiedProp, &total, emit)
		if err != nil || !w.capped {
			return err
		}
		if w.lastModified > from {
			from = w.lastModified
			continue
		}
		afterID := "0"
		for {
			tied := []hubspot.Filter{cs.dateFilter("EQ", from), {PropertyName: "hs_object_id", Operator: "GT", Value: afterID}}
			w, err := searchWindow(ctx, p, cs, tied, "hs_object_id", &total, emit)
			if err != nil {
				return err
			}
			if !w.capped {
				break
			}
			afterID = w.lastID
		}
		from++
	}
}

func (cs changeSearch[T]) dateFilter(op string, ms int64) hubspot.Filter {
	return hubspot.Filter{PropertyName: cs.modifiedProp, Operator: op, Value: strconv.FormatInt(ms, 10)}
}

// window is where one search window ended.
type window struct {
	capped       bool  // the search cap was reached before the results ended
	lastModified int64 // unix ms of the last result
	lastID       string
}

// searchWindow pages through one search (filters ANDed, sorted ascending by
// sortBy) until its results end or the search cap is reached. *total is set
// from the first window's Total, for progress.
func searchWindow[T any](ctx context.Context, p *Portal, cs changeSearch[T], filters []hubspot.Filter, sortBy string, total *int, emit func([]T, int) bool) (window, error) {
	var w window
	req := hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: filters}},
		Sorts:        []hubspot.Sort{{PropertyName: sortBy, Direction: "ASCENDING"}},
		Properties:   cs.props,
		Limit:        pageSize(p.pages.Search, searchPage),
	}
	fetched := 0
	for {
		sp, err := cs.search(ctx, req)
		if err != nil {
			return w, err
		}
		if *total < 0 {
			*total = sp.Total
		}
		if !emit(sp.Results, *total) {
			return w, ctx.Err()
		}
		if n := len(sp.Results); n > 0 {
			last := sp.Results[n-1]
			w.lastModified, w.lastID = cs.modified(last).UnixMilli(), cs.id(last)
		}
		fetched += len(sp.Results)
		if sp.NextAfter == "" || len(sp.Results) == 0 {
			return w, nil
		}
		if fetched >= searchCap {
			w.capped = true
			return w, nil
		}
		req.After = sp.NextAfter
	}
}
