package portal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// Syncing the records of every object type beyond contacts: companies,
// deals, tickets and custom objects, each with the owner IDs of its owner
// properties (issue 15). Contacts keep their own path (sync_contacts.go).
//
// A full sync walks each type's list with one cursor, the types at the same
// time, rather than the contacts' parallel ID ranges: the ranges rely on the
// contacts list's cursor being the next contact's ID, a behaviour checked
// against the contacts list only, and a portal's other types together hold
// fewer records than its contacts; walking the types side by side already
// keeps several requests in flight, inside the client's rate budget.

// syncType is a discovered type and what its sync needs.
type syncType struct {
	store.ObjectTypeInfo
	phase     string          // its progress phase: the plural label, lower-cased
	stageProp string          // the pipeline stage property of deals and tickets
	closed    map[string]bool // the closed stage IDs
}

// properties are the properties read of every record.
func (t *syncType) properties() []string {
	props := []string{hubspot.LastModifiedProperty(t.Type)}
	if t.DisplayProperty != "" {
		props = append(props, t.DisplayProperty)
	}
	if t.stageProp != "" {
		props = append(props, t.stageProp)
	}
	for _, op := range t.OwnerProperties {
		props = append(props, op.Name)
	}
	return props
}

// mirrorRecord is what the mirror keeps of r.
func (t *syncType) mirrorRecord(r hubspot.Record) store.MirrorRecord {
	mr := store.MirrorRecord{
		ID: r.ID, Name: r.Properties[t.DisplayProperty], LastModified: recordModified(r),
		Archived: r.Archived, Closed: t.stageProp != "" && t.closed[r.Properties[t.stageProp]],
	}
	for _, op := range t.OwnerProperties {
		for i, id := range store.SplitOwnerIDs(r.Properties[op.Name], op.Multi) {
			mr.Owners = append(mr.Owners, store.RecordOwner{Property: op.Name, OwnerID: id, Position: i})
		}
	}
	return mr
}

func (t *syncType) mirrorRecords(rs []hubspot.Record) []store.MirrorRecord {
	out := make([]store.MirrorRecord, len(rs))
	for i, r := range rs {
		out[i] = t.mirrorRecord(r)
	}
	return out
}

// recordModified is when a record last changed: its hs_lastmodifieddate,
// else the record's updatedAt.
func recordModified(r hubspot.Record) time.Time {
	if v := r.Properties[hubspot.LastModifiedProperty(r.Type)]; v != "" {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t
		}
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.UnixMilli(ms)
		}
	}
	return r.UpdatedAt
}

// recordPage is one page of one type on its way to the mirror.
type recordPage struct {
	t       *syncType
	records []hubspot.Record
	next    string // the cursor after this page; "" on the last
	total   int    // -1 unknown
	done    bool   // the type's list ended with this page
}

// syncRecords syncs every discovered type but contacts: fully when it was
// never synced, a full sync of it was interrupted (resumed from its saved
// cursor) or full is set, else by its changes since the last sync.
// Associations follow.
func (p *Portal) syncRecords(ctx context.Context, progress chan<- SyncProgress, types []*syncType, full bool) error {
	var err error
	var fulls, changes []*syncType
	states := map[*syncType]store.SyncState{}
	for _, t := range types {
		if t.Type == hubspot.ObjectContacts {
			continue // synced by the contacts path
		}
		st, err := p.mirror.SyncState(ctx, store.RecordsPhase(t.Type))
		if err != nil {
			return err
		}
		states[t] = st
		if full || st.InProgress || st.LastFullSync.IsZero() {
			fulls = append(fulls, t)
		} else {
			changes = append(changes, t)
		}
	}
	// The associations of a type listed whole are read as soon as its list
	// is done, while the other types are still listed: the budget the
	// lists leave is theirs.
	listed := map[hubspot.ObjectType]chan struct{}{}
	for _, t := range fulls {
		listed[t.Type] = make(chan struct{})
	}
	if len(fulls) > 0 {
		if err := both(ctx,
			func(ctx context.Context) error { return p.listTypes(ctx, progress, fulls, states, listed) },
			func(ctx context.Context) error { return p.syncAssociations(ctx, progress, types, listed, nil) },
		); err != nil {
			return err
		}
	}
	// Also after a sync interrupted while listing whose types are gone.
	if err := p.mirror.EndBulkRecords(ctx); err != nil {
		return err
	}
	var changed map[hubspot.ObjectType][]hubspot.RecordID
	if changed, err = p.syncTypeChanges(ctx, progress, changes, states); err != nil {
		return err
	}
	if len(changes) == 0 && len(fulls) > 0 {
		return nil
	}
	return p.syncAssociations(ctx, progress, types, nil, changed)
}

// listTypes lists every record of types, the types side by side, closing
// listed[t] when t's list is written whole.
func (p *Portal) listTypes(ctx context.Context, progress chan<- SyncProgress, types []*syncType, states map[*syncType]store.SyncState, listed map[hubspot.ObjectType]chan struct{}) error {
	if len(types) == 0 {
		return nil
	}
	meters := map[*syncType]*meter{}
	defer func() { // a list that fails ends without finish
		for _, m := range meters {
			m.release()
		}
	}()
	for _, t := range types {
		st := states[t]
		if !st.InProgress {
			st.Generation++
			st.InProgress, st.Cursor = true, ""
			st.HighWater = time.Now().Add(-changeOverlap) // later changes: the next incremental sync
			if err := p.mirror.SaveSyncState(ctx, st); err != nil {
				return err
			}
		}
		states[t] = st
		m := newMeter(progress, t.phase, p.recordTotal(ctx, t))
		if st.Cursor != "" {
			n, err := p.mirror.CountRecords(ctx, t.Type, st.Generation)
			if err != nil {
				return err
			}
			m.resumeFrom(n)
		}
		m.limitedBy(p.client, pageSize(p.pages.Contacts, listPage))
		meters[t] = m
	}
	cursors := map[*syncType]string{} // the walkers' own copy: the writer updates states
	for _, t := range types {
		cursors[t] = states[t].Cursor
	}
	fetch := func(ctx context.Context, emit func(recordPage) bool) error {
		return p.walkTypes(ctx, types, cursors, emit)
	}
	// Writing is faster without upkeep of the owner index; syncRecords
	// builds it again once every list is done.
	if err := p.mirror.BeginBulkRecords(ctx); err != nil {
		return err
	}
	write := func(pg recordPage) error {
		st := states[pg.t]
		st.Cursor = pg.next
		if pg.done {
			if err := p.mirror.PutRecords(ctx, pg.t.Type, pg.t.mirrorRecords(pg.records), st.Generation, nil); err != nil {
				return err
			}
			now := time.Now()
			st.InProgress, st.Cursor, st.LastFullSync, st.LastSync = false, "", now, now
			if _, err := p.mirror.FinishRecordsFullSync(ctx, pg.t.Type, st); err != nil {
				return err
			}
			close(listed[pg.t.Type])
		} else if err := p.mirror.PutRecords(ctx, pg.t.Type, pg.t.mirrorRecords(pg.records), st.Generation, &st); err != nil {
			return err
		}
		states[pg.t] = st
		meters[pg.t].add(len(pg.records))
		if pg.done {
			meters[pg.t].finish()
		}
		return nil
	}
	return pipeline(ctx, fetch, write)
}

// recordTotal is how many records of t search knows; -1 when it cannot say.
func (p *Portal) recordTotal(ctx context.Context, t *syncType) int {
	sp, err := p.client.SearchRecords(ctx, t.Type, hubspot.SearchRequest{Properties: []string{"hs_object_id"}, Limit: 1})
	if err != nil {
		return -1
	}
	return sp.Total
}

// walkTypes lists each type from its saved cursor, one walker a type,
// until every list ends or one walker fails (which stops the others).
func (p *Portal) walkTypes(ctx context.Context, types []*syncType, cursors map[*syncType]string, emit func(recordPage) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for _, t := range types {
		cursor := cursors[t]
		wg.Go(func() {
			if err := p.walkType(ctx, t, cursor, emit); err != nil {
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

// walkType lists one type page by page from cursor to its end.
func (p *Portal) walkType(ctx context.Context, t *syncType, cursor string, emit func(recordPage) bool) error {
	defer holdForCursor(ctx)()
	props := t.properties()
	for {
		pg, err := p.client.RecordsPage(ctx, t.Type, cursor, pageSize(p.pages.Contacts, listPage), props)
		if err != nil {
			return fmt.Errorf("listing %s: %w", t.phase, err)
		}
		if pg.NextAfter != "" && pg.NextAfter == cursor {
			return fmt.Errorf("listing %s: %w", t.phase, hubspot.ErrRepeatedCursor)
		}
		done := pg.NextAfter == ""
		if !emit(recordPage{t: t, records: pg.Results, next: pg.NextAfter, done: done, total: -1}) {
			return ctx.Err()
		}
		if done {
			return nil
		}
		cursor = pg.NextAfter
	}
}

// syncTypeChanges fetches each type's records modified since its
// high-water mark through search (the contacts' window walk), one type
// after the other: searches share one budget of 5 requests a second. It
// returns the IDs of the records it wrote, per type.
func (p *Portal) syncTypeChanges(ctx context.Context, progress chan<- SyncProgress, types []*syncType, states map[*syncType]store.SyncState) (map[hubspot.ObjectType][]hubspot.RecordID, error) {
	changed := map[hubspot.ObjectType][]hubspot.RecordID{}
	for _, t := range types {
		st := states[t]
		started := time.Now()
		m := newMeter(progress, t.phase+" changes", -1)
		cs := changeSearch[hubspot.Record]{
			search: func(ctx context.Context, req hubspot.SearchRequest) (hubspot.SearchPage[hubspot.Record], error) {
				return p.client.SearchRecords(ctx, t.Type, req)
			},
			modifiedProp: hubspot.LastModifiedProperty(t.Type),
			props:        t.properties(),
			modified:     recordModified,
			id:           func(r hubspot.Record) string { return string(r.ID) },
		}
		fetch := func(ctx context.Context, emit func(recordPage) bool) error {
			return walkChangesOf(ctx, p, cs, st.HighWater, func(rs []hubspot.Record, total int) bool {
				return emit(recordPage{t: t, records: rs, total: total})
			})
		}
		write := func(pg recordPage) error {
			if m.total < 0 && pg.total >= 0 {
				m.total = pg.total
			}
			if err := p.mirror.PutRecords(ctx, t.Type, t.mirrorRecords(pg.records), st.Generation, nil); err != nil {
				return err
			}
			for _, r := range pg.records {
				changed[t.Type] = append(changed[t.Type], r.ID)
			}
			m.add(len(pg.records))
			return nil
		}
		if err := pipeline(ctx, fetch, write); err != nil {
			return nil, fmt.Errorf("searching %s changes: %w", t.phase, err)
		}
		st.HighWater, st.LastSync = started.Add(-changeOverlap), time.Now()
		if err := p.mirror.SaveSyncState(ctx, st); err != nil {
			return nil, err
		}
		m.finish()
	}
	return changed, nil
}

// errSkipped is a phase the token cannot read, already reported.
var errSkipped = errors.New("skipped")

// skipped reports phase as skipped for want of scopes, once, when err says
// the token lacks them; it returns errSkipped then, else err.
func skipped(progress chan<- SyncProgress, phase string, err error) error {
	scopes, missing := hubspot.MissingScopes(err)
	if !missing {
		return err
	}
	m := newMeter(progress, fmt.Sprintf("%s skipped: the token lacks %s", phase, strings.Join(scopes, ", ")), -1)
	m.finish()
	return errSkipped
}
