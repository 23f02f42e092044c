package portal

import (
	"context"
	"fmt"
	"sync"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// associationPairs are the associations the mirror keeps, for moving a
// company's deals, tickets and contacts with it. Each pair is read from the
// side with fewer records per association: a company's side (a company has
// many contacts, a contact one company) would page; a deal or ticket has
// few contacts, so contacts are read from them.
var associationPairs = [][2]hubspot.ObjectType{
	{hubspot.ObjectCompanies, hubspot.ObjectContacts},
	{hubspot.ObjectCompanies, hubspot.ObjectDeals},
	{hubspot.ObjectCompanies, hubspot.ObjectTickets},
	{hubspot.ObjectDeals, hubspot.ObjectTickets},
	{hubspot.ObjectDeals, hubspot.ObjectContacts},
	{hubspot.ObjectTickets, hubspot.ObjectContacts},
}

// associationWorkers is how many association batch reads are in flight at
// once, across pairs: one at a time, 300 ms each, would use a sixth of
// HubSpot's budget of 190 requests per 10 s, and the associations of every
// record of a full sync take as many requests as listing the records. The
// client's rate limiter keeps the workers inside the budget.
const associationWorkers = 8

// associationJob is one batch read: the associations of type to of up to
// 100 records of type from.
type associationJob struct {
	from, to hubspot.ObjectType
	ids      []hubspot.RecordID
}

// associationBatch is a job's answer on its way to the mirror.
type associationBatch struct {
	associationJob
	assocs []store.Association
}

// syncAssociations reads the associations of the pairs whose types the
// token reads: every record's when its from-type is being listed whole
// (once listed[from] is closed), else those of the records that changed.
// Batches of every pair are read several at once and written one after the
// other. A pair the token cannot read is skipped and said once.
func (p *Portal) syncAssociations(ctx context.Context, progress chan<- SyncProgress, types []*syncType, listed map[hubspot.ObjectType]chan struct{}, changed map[hubspot.ObjectType][]hubspot.RecordID) error {
	readable := map[hubspot.ObjectType]bool{}
	for _, t := range types {
		readable[t.Type] = true
	}
	var pairs [][2]hubspot.ObjectType
	for _, pair := range associationPairs {
		if readable[pair[0]] && readable[pair[1]] && (listed == nil || listed[pair[0]] != nil) {
			pairs = append(pairs, pair)
		}
	}
	m := newMeter(progress, "associations", -1)
	skips := &skippedPairs{progress: progress, pairs: map[[2]hubspot.ObjectType]bool{}}
	fetch := func(ctx context.Context, emit func(associationBatch) bool) error {
		return p.readAssociations(ctx, pairs, listed, changed, skips, emit)
	}
	write := func(b associationBatch) error {
		if skips.has(b.from, b.to) {
			return nil // a batch read before another of its pair was refused
		}
		if err := p.mirror.PutAssociations(ctx, b.from, b.to, b.ids, b.assocs); err != nil {
			return err
		}
		m.add(len(b.ids))
		return nil
	}
	if err := pipeline(ctx, fetch, write); err != nil {
		return err
	}
	m.finish()
	return nil
}

// skippedPairs are the pairs the token cannot read, each said once.
type skippedPairs struct {
	progress chan<- SyncProgress
	mu       sync.Mutex
	pairs    map[[2]hubspot.ObjectType]bool
}

func (s *skippedPairs) has(from, to hubspot.ObjectType) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pairs[[2]hubspot.ObjectType{from, to}]
}

// check returns nil for a pair's answer that says the token lacks scopes
// (the pair is skipped, said once), else err wrapped with the pair.
func (s *skippedPairs) check(from, to hubspot.ObjectType, err error) error {
	if _, missing := hubspot.MissingScopes(err); !missing {
		return fmt.Errorf("reading associations of %s with %s: %w", from, to, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if key := [2]hubspot.ObjectType{from, to}; !s.pairs[key] {
		s.pairs[key] = true
		_ = skipped(s.progress, fmt.Sprintf("associations of %s with %s", from, to), err)
	}
	return nil
}

// readAssociations reads every batch of pairs with associationWorkers
// workers, emitting each answer, until all are read or one fails.
func (p *Portal) readAssociations(ctx context.Context, pairs [][2]hubspot.ObjectType, listed map[hubspot.ObjectType]chan struct{},
	changed map[hubspot.ObjectType][]hubspot.RecordID, skips *skippedPairs, emit func(associationBatch) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan associationJob)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	fail := func(err error) { once.Do(func() { first = err; cancel() }) }
	for range associationWorkers {
		wg.Go(func() {
			for job := range jobs {
				if skips.has(job.from, job.to) {
					continue
				}
				release, err := acquire(ctx)
				if err != nil {
					fail(err)
					continue
				}
				b, err := p.readAssociationBatch(ctx, job)
				release()
				if err != nil {
					if err = skips.check(job.from, job.to, err); err != nil {
						fail(err)
					}
					continue
				}
				if !emit(b) {
					fail(ctx.Err())
				}
			}
		})
	}
	if err := p.associationJobs(ctx, pairs, listed, changed, skips, jobs); err != nil {
		fail(err)
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// associationJobs sends the batches of every pair, the pairs side by side:
// every mirrored record of a type listed whole once its list is done, else
// the records that changed, 100 at a time.
func (p *Portal) associationJobs(ctx context.Context, pairs [][2]hubspot.ObjectType, listed map[hubspot.ObjectType]chan struct{},
	changed map[hubspot.ObjectType][]hubspot.RecordID, skips *skippedPairs, jobs chan<- associationJob) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(pairs))
	for _, pair := range pairs {
		go func() { errs <- p.pairJobs(ctx, pair[0], pair[1], listed[pair[0]], changed[pair[0]], skips, jobs) }()
	}
	var first error
	for range pairs {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// pairJobs sends the batches of one pair: when ready is nil, those of the
// records ids; else, once ready is closed, every mirrored record's.
func (p *Portal) pairJobs(ctx context.Context, from, to hubspot.ObjectType, ready <-chan struct{}, ids []hubspot.RecordID,
	skips *skippedPairs, jobs chan<- associationJob) error {
	send := func(job associationJob) error {
		select {
		case jobs <- job:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if ready == nil {
		for ; len(ids) > 0; ids = ids[min(len(ids), listPage):] {
			if err := send(associationJob{from: from, to: to, ids: ids[:min(len(ids), listPage)]}); err != nil {
				return err
			}
		}
		return nil
	}
	select {
	case <-ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	var after hubspot.RecordID
	for !skips.has(from, to) {
		ids, err := p.mirror.RecordIDs(ctx, from, after, listPage)
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := send(associationJob{from: from, to: to, ids: ids}); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
	return nil
}

// readAssociationBatch reads the associations of up to 100 records, paging
// through a record's associations when the batch read says it has more.
func (p *Portal) readAssociationBatch(ctx context.Context, job associationJob) (associationBatch, error) {
	out := associationBatch{associationJob: job}
	b, err := p.client.BatchReadAssociations(ctx, job.from, job.to, job.ids)
	if err != nil {
		return out, err
	}
	for _, set := range b.Results {
		tos := set.To
		if set.More {
			if tos, err = collect(ctx, nil, "", p.client.Associations(ctx, job.from, set.From, job.to)); err != nil {
				return out, err
			}
		}
		for _, a := range tos {
			out.assocs = append(out.assocs, store.Association{FromType: job.from, FromID: set.From, ToType: job.to, ToID: a.ToObjectID})
		}
	}
	return out, nil
}
