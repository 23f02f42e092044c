package hubspot

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CRM objects v3: contacts and CRM user records share these shapes.
const (
	maxObjectPage = 100 // list pages
	maxBatch      = 100 // inputs per batch request
)

func objectPath(objectType string) string { return "/crm/v3/objects/" + objectType }

// crmObject is a record type of the CRM objects API.
type crmObject interface{ Contact | CRMUser | Record }

// objectJSON is a CRM record as it arrives. Its properties decode as a plain
// map: a custom UnmarshalJSON per record (Properties has one) makes
// encoding/json scan each record twice, a third of a sync's CPU time.
type objectJSON struct {
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
	CreatedAt  time.Time         `json:"createdAt"`
	UpdatedAt  time.Time         `json:"updatedAt"`
	Archived   bool              `json:"archived"`
}

// record converts o to T. Null values decoded as "" are dropped, so that
// null and absent read the same, as Properties promises.
func record[T crmObject](o objectJSON) T {
	props := Properties(o.Properties)
	for k, v := range props {
		if v == "" {
			delete(props, k)
		}
	}
	var out T
	switch p := any(&out).(type) {
	case *Contact:
		*p = Contact{ID: ContactID(o.ID), Properties: props, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Archived: o.Archived}
	case *CRMUser:
		*p = CRMUser{ID: CRMUserID(o.ID), Properties: props, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Archived: o.Archived}
	case *Record: // its Type is set by the caller, who knows it
		*p = Record{ID: RecordID(o.ID), Properties: props, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Archived: o.Archived}
	}
	return out
}

func records[T crmObject](in []objectJSON) []T {
	out := make([]T, len(in))
	for i, o := range in {
		out[i] = record[T](o)
	}
	return out
}

// listObjects reads one page of a CRM object list.
func listObjects[T crmObject](ctx context.Context, c *Client, objectType, after string, limit int, props []string) (Page[T], error) {
	q := url.Values{"limit": {strconv.Itoa(clampLimit(limit, maxObjectPage, maxObjectPage))}}
	if len(props) > 0 {
		q.Set("properties", strings.Join(props, ","))
	}
	if after != "" {
		q.Set("after", after)
	}
	w, _, err := call[wirePage[objectJSON]](ctx, c, request{method: "GET", path: objectPath(objectType), query: q, replaySafe: true})
	p := w.page()
	return Page[T]{Results: records[T](p.Results), NextAfter: p.NextAfter}, err
}

// getObject reads one CRM object; idProperty names a unique property to look
// it up by instead of its record ID ("" for the record ID).
func getObject[T crmObject](ctx context.Context, c *Client, objectType, id, idProperty string, props []string) (T, error) {
	q := url.Values{}
	if len(props) > 0 {
		q.Set("properties", strings.Join(props, ","))
	}
	if idProperty != "" {
		q.Set("idProperty", idProperty)
	}
	o, _, err := call[objectJSON](ctx, c, request{method: "GET", path: objectPath(objectType) + "/" + url.PathEscape(id), query: q, replaySafe: true})
	if err != nil {
		var zero T
		return zero, err
	}
	return record[T](o), nil
}

// BatchInput is one record of a batch update: the properties to set on ID.
type BatchInput struct {
	ID         ContactID  `json:"id"`
	Properties Properties `json:"properties"`
}

// BatchResult holds what a batch call did. HubSpot answers 207 when some
// inputs failed; those failures are in Errors rather than dropped.
type BatchResult[T any] struct {
	Results []T
	Errors  []BatchError
}

// BatchError is one group of failed inputs, e.g. every ID that was not found.
type BatchError struct {
	Category string
	Message  string
	IDs      []string // the record IDs this error is about (context.ids)
	Context  map[string][]string
}

// FailedIDs lists the IDs of every failed input, each once.
func (r BatchResult[T]) FailedIDs() []string {
	var ids []string
	for _, e := range r.Errors {
		for _, id := range e.IDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

type wireBatch struct {
	Results []objectJSON `json:"results"`
	Errors  []struct {
		Category string              `json:"category"`
		Message  string              `json:"message"`
		ID       string              `json:"id"`
		Context  map[string][]string `json:"context"`
	} `json:"errors"`
}

func batchResult[T crmObject](w wireBatch) BatchResult[T] {
	r := BatchResult[T]{Results: records[T](w.Results)}
	for _, e := range w.Errors {
		be := BatchError{Category: e.Category, Message: e.Message, Context: e.Context}
		for _, id := range e.Context["ids"] {
			// HubSpot echoes an unknown ID that is not a number as "":
			// it names no input, so it is kept in Context only.
			if id != "" {
				be.IDs = append(be.IDs, id)
			}
		}
		if e.ID != "" && !slices.Contains(be.IDs, e.ID) {
			be.IDs = append(be.IDs, e.ID)
		}
		r.Errors = append(r.Errors, be)
	}
	return r
}

func checkBatchSize(n int, what string) error {
	if n > maxBatch {
		return fmt.Errorf("hubspot: %d %s in one batch; HubSpot takes at most %d, split them", n, what, maxBatch)
	}
	return nil
}

// batchRead reads up to 100 records by ID.
func batchRead[T crmObject](ctx context.Context, c *Client, objectType string, ids []string, props []string) (BatchResult[T], error) {
	if err := checkBatchSize(len(ids), "IDs"); err != nil {
		return BatchResult[T]{}, err
	}
	if len(ids) == 0 {
		return BatchResult[T]{}, nil
	}
	type input struct {
		ID string `json:"id"`
	}
	body := struct {
		Properties []string `json:"properties"`
		Inputs     []input  `json:"inputs"`
	}{Properties: props, Inputs: make([]input, len(ids))}
	if body.Properties == nil {
		body.Properties = []string{}
	}
	for i, id := range ids {
		body.Inputs[i] = input{ID: id}
	}
	w, _, err := call[wireBatch](ctx, c, request{method: "POST", path: objectPath(objectType) + "/batch/read", body: body, replaySafe: true, readsOnly: true})
	if err != nil {
		return BatchResult[T]{}, err
	}
	return batchResult[T](w), nil
}
