package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// Sync brings the mirror up to date: the directory (users, roles, teams,
// owners active and archived, CRM user records) is always fetched whole;
// contacts are fetched whole when they were never synced or a full sync was
// interrupted (it resumes from its saved cursors), else only those modified
// since the last sync.
//
// Progress goes to progress (which may be nil). Sends never block: a report
// the channel has no room for is dropped, so give it a buffer and drain it;
// the channel is not closed. Cancelling ctx stops the sync; everything
// written so far stays, and the next Sync continues from there.
func (p *Portal) Sync(ctx context.Context, progress chan<- SyncProgress) error {
	st, err := p.mirror.SyncState(ctx, store.PhaseContacts)
	if err != nil {
		return err
	}
	if st.LastFullSync.IsZero() && !st.InProgress {
		// The first sync: if it fails there is nothing to browse yet, and
		// the error must not say otherwise.
		if err := p.fullSync(ctx, progress, false); err != nil {
			return fmt.Errorf("%w (%w)", err, store.ErrNoMirror)
		}
		return nil
	}
	if st.InProgress {
		return p.fullSync(ctx, progress, false)
	}
	if err := p.syncDirectory(ctx, progress); err != nil {
		return err
	}
	types, err := p.discoverTypes(ctx, progress)
	if err != nil {
		return err
	}
	if err := p.syncContactChanges(ctx, progress, contactOwnerProperties(types)); err != nil {
		return err
	}
	return p.syncRecords(ctx, progress, types, false)
}

// FullSync fetches everything, contacts and every other object type's
// records included (see sync_records.go); contacts are listed over
// several ID ranges at once (see sync_ranges.go). An interrupted full sync
// (by this or by Sync) is resumed from its saved cursors rather than started
// over. See Sync for progress and cancellation.
func (p *Portal) FullSync(ctx context.Context, progress chan<- SyncProgress) error {
	return p.fullSync(ctx, progress, true)
}

// fullSync lists the directory and every contact, then the records of
// every other type: all of them listed again when allRecords is set, else
// only the types never synced or whose full sync was interrupted (Sync
// resuming an interrupted contacts sync need not list them again).
func (p *Portal) fullSync(ctx context.Context, progress chan<- SyncProgress, allRecords bool) error {
	if err := p.syncDirectory(ctx, progress); err != nil {
		return err
	}
	// Discovery comes first: contacts are listed with their custom owner
	// properties.
	types, err := p.discoverTypes(ctx, progress)
	if err != nil {
		return err
	}
	// Contacts and the other types are listed at the same time: one
	// type's list is one cursor, one request in flight, so alone the types
	// would leave most of HubSpot's budget unused (and the contacts' ranges
	// take what they leave). The owner index of record_owners, which both
	// write, is built once both are done.
	if err := p.mirror.BeginBulkRecords(ctx); err != nil {
		return err
	}
	ctx = withFlight(ctx)
	err = both(ctx,
		func(ctx context.Context) error {
			return p.syncAllContacts(ctx, progress, contactOwnerProperties(types))
		},
		func(ctx context.Context) error { return p.syncRecords(ctx, progress, types, allRecords) })
	if err != nil {
		return err
	}
	return p.mirror.EndBulkRecords(ctx)
}

// both runs a and b at once; the first to fail stops the other, and its
// error is returned.
func both(ctx context.Context, a, b func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	for _, f := range []func(context.Context) error{a, b} {
		go func() {
			err := f(ctx)
			if err != nil {
				cancel()
			}
			errs <- err
		}()
	}
	first, second := <-errs, <-errs
	switch {
	case first != nil && !(errors.Is(first, context.Canceled) && second != nil):
		return first
	case second != nil:
		return second
	}
	return nil
}

// syncDirectory fetches the small tables whole and replaces them in one
// transaction, so the mirror never mixes two versions of the people.
func (p *Portal) syncDirectory(ctx context.Context, progress chan<- SyncProgress) error {
	var d store.Directory
	var err error
	if d.Users, err = collect(ctx, progress, "users", p.client.Users(ctx)); err != nil {
		return fmt.Errorf("reading users: %w", err)
	}
	// Users, owners and contacts are what hsadmin is for; the rest only
	// enriches them, so a token without those scopes still gets a mirror.
	if d.Roles, err = optional(progress, "roles", func() ([]hubspot.Role, error) { return p.client.Roles(ctx) }); err != nil {
		return fmt.Errorf("reading roles: %w", err)
	}
	if d.Teams, err = optional(progress, "teams", func() ([]hubspot.Team, error) { return p.client.Teams(ctx) }); err != nil {
		return fmt.Errorf("reading teams: %w", err)
	}
	if d.Owners, err = collect(ctx, progress, "owners", p.client.Owners(ctx, hubspot.OwnerListOptions{})); err != nil {
		return fmt.Errorf("reading owners: %w", err)
	}
	archived, err := collect(ctx, progress, "archived owners", p.client.Owners(ctx, hubspot.OwnerListOptions{Archived: true}))
	if err != nil {
		return fmt.Errorf("reading archived owners: %w", err)
	}
	for _, o := range archived {
		o.Archived = true // the listing says so even if a record does not
		d.Owners = append(d.Owners, o)
	}
	if d.CRMUsers, err = optional(progress, "CRM users", func() ([]hubspot.CRMUser, error) {
		return collect(ctx, nil, "CRM users", p.client.CRMUsers(ctx, nil))
	}); err != nil {
		return fmt.Errorf("reading CRM user records: %w", err)
	}
	if err := p.mirror.ReplaceDirectory(ctx, d, time.Now()); err != nil {
		return err
	}
	return p.tickRestoredRoles(ctx) // roles given back in HubSpot's UI leave the restore checklist
}

// optional fetches a table the mirror can do without: when the token lacks
// its scope the phase is reported as skipped, naming the scope, and the
// table stays empty.
func optional[T any](progress chan<- SyncProgress, phase string, fetch func() ([]T, error)) ([]T, error) {
	m := newMeter(progress, phase, -1)
	rows, err := fetch()
	if scopes, missing := hubspot.MissingScopes(err); missing {
		m.phase = fmt.Sprintf("%s skipped: the token lacks %s", phase, strings.Join(scopes, ", "))
		m.finish()
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m.add(len(rows))
	m.finish()
	return rows, nil
}

// collect drains an iterator, reporting progress as phase.
func collect[T any](ctx context.Context, progress chan<- SyncProgress, phase string, seq func(func(T, error) bool)) ([]T, error) {
	m := newMeter(progress, phase, -1)
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		m.add(1)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.finish()
	return out, nil
}
