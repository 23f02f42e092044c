package portal

import (
	"context"
	"errors"
	"fmt"

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

// syncAssociations reads the associations of the pairs whose types the
// token reads: every record's when its from-type was listed whole (fulls),
// else those of the records that changed. A pair the token cannot read is
// skipped and said once.
func (p *Portal) syncAssociations(ctx context.Context, progress chan<- SyncProgress, types []*syncType, fulls []*syncType, changed map[hubspot.ObjectType][]hubspot.RecordID) error {
	readable, listed := map[hubspot.ObjectType]bool{}, map[hubspot.ObjectType]bool{}
	for _, t := range types {
		readable[t.Type] = true
	}
	for _, t := range fulls {
		listed[t.Type] = true
	}
	m := newMeter(progress, "associations", -1)
	for _, pair := range associationPairs {
		from, to := pair[0], pair[1]
		if !readable[from] || !readable[to] {
			continue
		}
		var err error
		if listed[from] {
			err = p.syncAllAssociations(ctx, from, to, m)
		} else {
			err = p.syncSomeAssociations(ctx, from, to, changed[from], m)
		}
		if err = skipped(progress, fmt.Sprintf("associations of %s with %s", from, to), err); errors.Is(err, errSkipped) {
			continue
		} else if err != nil {
			return fmt.Errorf("reading associations of %s with %s: %w", from, to, err)
		}
	}
	m.finish()
	return nil
}

// syncAllAssociations reads the associations of every mirrored record of
// type from, a batch of 100 at a time.
func (p *Portal) syncAllAssociations(ctx context.Context, from, to hubspot.ObjectType, m *meter) error {
	var after hubspot.RecordID
	for {
		ids, err := p.mirror.RecordIDs(ctx, from, after, listPage)
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := p.syncAssociationBatch(ctx, from, to, ids, m); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// syncSomeAssociations reads the associations of the records ids.
func (p *Portal) syncSomeAssociations(ctx context.Context, from, to hubspot.ObjectType, ids []hubspot.RecordID, m *meter) error {
	for len(ids) > 0 {
		n := min(len(ids), listPage)
		if err := p.syncAssociationBatch(ctx, from, to, ids[:n], m); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// syncAssociationBatch reads and stores the associations of up to 100
// records, paging through a record's associations when the batch read
// says it has more.
func (p *Portal) syncAssociationBatch(ctx context.Context, from, to hubspot.ObjectType, ids []hubspot.RecordID, m *meter) error {
	b, err := p.client.BatchReadAssociations(ctx, from, to, ids)
	if err != nil {
		return err
	}
	var assocs []store.Association
	for _, set := range b.Results {
		tos := set.To
		if set.More {
			if tos, err = collect(ctx, nil, "", p.client.Associations(ctx, from, set.From, to)); err != nil {
				return err
			}
		}
		for _, a := range tos {
			assocs = append(assocs, store.Association{FromType: from, FromID: set.From, ToType: to, ToID: a.ToObjectID})
		}
	}
	if err := p.mirror.PutAssociations(ctx, from, to, ids, assocs); err != nil {
		return err
	}
	m.add(len(ids))
	return nil
}
