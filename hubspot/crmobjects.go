package hubspot

import (
	"context"
	"fmt"
	"iter"
	"time"
)

// Any CRM object type: companies, deals, tickets, custom objects (and
// contacts, through the same calls). With many types, one ID type per
// object type would multiply the API by the types a portal defines at run
// time, so a record is addressed by a typed pair, ObjectType + RecordID:
// neither can be passed where a UserID, OwnerID or ContactID is expected,
// and RecordRef carries both where a record of any type is meant.

// ObjectType names a CRM object type as its API paths do: "companies",
// "deals", "tickets", or an object type ID ("0-2", "2-1234567") or a custom
// object's fully qualified name.
type ObjectType string

// The object types HubSpot defines that hsadmin reads.
const (
	ObjectContacts  ObjectType = "contacts"
	ObjectCompanies ObjectType = "companies"
	ObjectDeals     ObjectType = "deals"
	ObjectTickets   ObjectType = "tickets"
)

// RecordID identifies a record within its object type. HubSpot sends it as
// a string on objects and as a number on associations; both decode here.
type RecordID string

func (t ObjectType) String() string               { return string(t) }
func (id RecordID) String() string                { return string(id) }
func (id *RecordID) UnmarshalJSON(b []byte) error { return decodeID(b, (*string)(id)) }

// PropLastModified is the last-modified property of every type but
// contacts (which use PropLastModifiedDate), for incremental syncs.
const PropLastModified = "hs_lastmodifieddate"

// LastModifiedProperty is the property an incremental sync of t filters on.
func LastModifiedProperty(t ObjectType) string {
	if t == ObjectContacts || t == "0-1" {
		return PropLastModifiedDate
	}
	return PropLastModified
}

// RecordRef is one record of any object type.
type RecordRef struct {
	Type ObjectType
	ID   RecordID
}

// Record is a record of any CRM object type.
type Record struct {
	Type       ObjectType
	ID         RecordID
	Properties Properties
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Archived   bool
}

// Ref is the record's type and ID.
func (r Record) Ref() RecordRef { return RecordRef{Type: r.Type, ID: r.ID} }

// OwnerID is the record's hubspot_owner_id.
func (r Record) OwnerID() OwnerID { return OwnerID(r.Properties[PropOwnerID]) }

// checkObjectType refuses a type that cannot be one path segment.
func checkObjectType(t ObjectType) error {
	if t == "" || len(t) > 100 {
		return fmt.Errorf("hubspot: object type %q is not a type name or ID", string(t))
	}
	for _, r := range string(t) {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("hubspot: object type %q is not a type name or ID", string(t))
		}
	}
	return nil
}

func typed(t ObjectType, rs []Record) []Record {
	for i := range rs {
		rs[i].Type = t
	}
	return rs
}

// RecordsPage returns one page of records of type t (at most 100; limit
// <= 0 means 100) with props (HubSpot's defaults for the type when empty).
func (c *Client) RecordsPage(ctx context.Context, t ObjectType, after string, limit int, props []string) (Page[Record], error) {
	if err := checkObjectType(t); err != nil {
		return Page[Record]{}, err
	}
	p, err := listObjects[Record](ctx, c, string(t), after, limit, props)
	p.Results = typed(t, p.Results)
	return p, err
}

// Records iterates over every record of type t, 100 a page.
func (c *Client) Records(ctx context.Context, t ObjectType, props []string) iter.Seq2[Record, error] {
	return paginate(ctx, func(ctx context.Context, after string) (Page[Record], error) {
		return c.RecordsPage(ctx, t, after, maxObjectPage, props)
	})
}

// GetRecord reads one record.
func (c *Client) GetRecord(ctx context.Context, t ObjectType, id RecordID, props []string) (Record, error) {
	if err := checkObjectType(t); err != nil {
		return Record{}, err
	}
	if err := checkID("record ID", string(id)); err != nil {
		return Record{}, err
	}
	r, err := getObject[Record](ctx, c, string(t), string(id), "", props)
	r.Type = t
	return r, err
}

// BatchReadRecords reads up to 100 records of type t. IDs HubSpot does not
// know are reported in the result's Errors (HubSpot's 207).
func (c *Client) BatchReadRecords(ctx context.Context, t ObjectType, ids []RecordID, props []string) (BatchResult[Record], error) {
	if err := checkObjectType(t); err != nil {
		return BatchResult[Record]{}, err
	}
	raw := make([]string, len(ids))
	for i, id := range ids {
		if err := checkID("record ID", string(id)); err != nil {
			return BatchResult[Record]{}, err
		}
		raw[i] = string(id)
	}
	r, err := batchRead[Record](ctx, c, string(t), raw, props)
	r.Results = typed(t, r.Results)
	return r, err
}

// RecordInput is one record of a batch update: the properties to set on ID.
// A multi-select owner property is one ";"-joined string of owner IDs.
type RecordInput struct {
	ID         RecordID   `json:"id"`
	Properties Properties `json:"properties"`
}

// BatchUpdateRecords sets properties on up to 100 records of type t.
// Unknown IDs are reported in the result's Errors (HubSpot's 207); an
// invalid property value fails the whole batch with an *APIError.
func (c *Client) BatchUpdateRecords(ctx context.Context, t ObjectType, inputs []RecordInput) (BatchResult[Record], error) {
	if err := checkObjectType(t); err != nil {
		return BatchResult[Record]{}, err
	}
	if err := checkBatchSize(len(inputs), "inputs"); err != nil {
		return BatchResult[Record]{}, err
	}
	if len(inputs) == 0 {
		return BatchResult[Record]{}, nil
	}
	for _, in := range inputs {
		if err := checkID("record ID", string(in.ID)); err != nil {
			return BatchResult[Record]{}, err
		}
	}
	body := struct {
		Inputs []RecordInput `json:"inputs"`
	}{inputs}
	// Replay-safe: every input carries absolute values.
	w, _, err := call[wireBatch](ctx, c, request{method: "POST", path: objectPath(string(t)) + "/batch/update", body: body, replaySafe: true})
	if err != nil {
		return BatchResult[Record]{}, err
	}
	r := batchResult[Record](w)
	r.Results = typed(t, r.Results)
	return r, nil
}

// SearchRecords runs one page of a search over type t, within the search
// budget (5 requests a second) and the 10,000-result cap.
func (c *Client) SearchRecords(ctx context.Context, t ObjectType, req SearchRequest) (SearchPage[Record], error) {
	if err := checkObjectType(t); err != nil {
		return SearchPage[Record]{}, err
	}
	p, err := search[Record](ctx, c, string(t), req)
	p.Results = typed(t, p.Results)
	return p, err
}
