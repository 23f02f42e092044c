package hubspot

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// Associations v4, read-only.
const maxAssociationPage = 500

// Association is one associated record and the types of the association.
type Association struct {
	ToObjectID RecordID          `json:"toObjectId"`
	Types      []AssociationType `json:"associationTypes"`
}

// AssociationType is one label of an association. Label is "" for
// HubSpot's unlabeled type.
type AssociationType struct {
	Category string `json:"category"` // HUBSPOT_DEFINED, USER_DEFINED, …
	TypeID   int    `json:"typeId"`
	Label    string `json:"label"`
}

// AssociationsPage returns one page of the records of type to associated
// with record id of type from.
func (c *Client) AssociationsPage(ctx context.Context, from ObjectType, id RecordID, to ObjectType, after string) (Page[Association], error) {
	for _, t := range []ObjectType{from, to} {
		if err := checkObjectType(t); err != nil {
			return Page[Association]{}, err
		}
	}
	if err := checkID("record ID", string(id)); err != nil {
		return Page[Association]{}, err
	}
	q := url.Values{"limit": {strconv.Itoa(maxAssociationPage)}}
	if after != "" {
		q.Set("after", after)
	}
	path := "/crm/v4/objects/" + string(from) + "/" + string(id) + "/associations/" + string(to)
	w, _, err := call[wirePage[Association]](ctx, c, request{method: "GET", path: path, query: q, replaySafe: true})
	return w.page(), err
}

// Associations iterates over every record of type to associated with
// record id of type from.
func (c *Client) Associations(ctx context.Context, from ObjectType, id RecordID, to ObjectType) iter.Seq2[Association, error] {
	return paginate(ctx, func(ctx context.Context, after string) (Page[Association], error) {
		return c.AssociationsPage(ctx, from, id, to, after)
	})
}

// AssociationSet is the associations of one record. More is true when the
// record has more than HubSpot returned in a batch read; read the rest with
// Associations.
type AssociationSet struct {
	From RecordID
	To   []Association
	More bool
}

// AssociationBatch is the result of a batch read: one set per known ID;
// unknown IDs are in Errors (HubSpot's 207).
type AssociationBatch struct {
	Results []AssociationSet
	Errors  []BatchError
}

type wireAssociationBatch struct {
	Results []struct {
		From struct {
			ID RecordID `json:"id"`
		} `json:"from"`
		To     []Association `json:"to"`
		Paging *struct {
			Next *struct {
				After string `json:"after"`
			} `json:"next"`
		} `json:"paging"`
	} `json:"results"`
	Errors []struct {
		Category string              `json:"category"`
		Message  string              `json:"message"`
		Context  map[string][]string `json:"context"`
	} `json:"errors"`
}

// BatchReadAssociations reads the associations of up to 100 records of type
// from with records of type to.
func (c *Client) BatchReadAssociations(ctx context.Context, from, to ObjectType, ids []RecordID) (AssociationBatch, error) {
	for _, t := range []ObjectType{from, to} {
		if err := checkObjectType(t); err != nil {
			return AssociationBatch{}, err
		}
	}
	if err := checkBatchSize(len(ids), "IDs"); err != nil {
		return AssociationBatch{}, err
	}
	if len(ids) == 0 {
		return AssociationBatch{}, nil
	}
	type input struct {
		ID RecordID `json:"id"`
	}
	body := struct {
		Inputs []input `json:"inputs"`
	}{Inputs: make([]input, len(ids))}
	for i, id := range ids {
		if err := checkID("record ID", string(id)); err != nil {
			return AssociationBatch{}, err
		}
		body.Inputs[i] = input{ID: id}
	}
	path := "/crm/v4/associations/" + string(from) + "/" + string(to) + "/batch/read"
	w, _, err := call[wireAssociationBatch](ctx, c, request{method: "POST", path: path, body: body, replaySafe: true, readsOnly: true})
	if err != nil {
		return AssociationBatch{}, err
	}
	var out AssociationBatch
	for _, r := range w.Results {
		more := r.Paging != nil && r.Paging.Next != nil && r.Paging.Next.After != ""
		out.Results = append(out.Results, AssociationSet{From: r.From.ID, To: r.To, More: more})
	}
	for _, e := range w.Errors {
		out.Errors = append(out.Errors, BatchError{Category: e.Category, Message: e.Message, IDs: e.Context["ids"], Context: e.Context})
	}
	return out, nil
}
