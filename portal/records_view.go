package portal

import (
	"context"

	"github.com/hsadmin/hsadmin/hubspot"
)

// What the console reads about records beyond contacts: the types the
// mirror holds and a page of one type's records.

// RecordTypes lists the object types the last sync discovered, contacts
// left out (they keep their own queries), in discovery order.
func (p *Portal) RecordTypes(ctx context.Context) ([]RecordType, error) {
	all, err := p.mirror.ObjectTypes(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, t := range all {
		if t.Type != hubspot.ObjectContacts {
			out = append(out, t)
		}
	}
	return out, nil
}

// Records lists a page of one type's records with their owners resolved.
func (p *Portal) Records(ctx context.Context, q RecordQuery) ([]RecordRow, error) {
	return p.mirror.Records(ctx, q)
}

// CountRecords counts the records Records would list without paging.
func (p *Portal) CountRecords(ctx context.Context, q RecordQuery) (int, error) {
	return p.mirror.CountRecordsShown(ctx, q)
}

// WriteScope is the scope writing type t's records needs, for the console
// to say why a reassignment cannot run before planning it.
func WriteScope(t hubspot.ObjectType) string { return writeScope(t) }
