package hubspot

import (
	"context"
	"fmt"
	"strconv"
)

// CRM search. Searches have their own budget (5 requests a second per
// account), at most 200 results a page and 10,000 results a query.
const (
	defaultSearchPage = 100
	maxSearchPage     = 200
	maxSearchResults  = 10000
)

// Filter is one search condition. Operators: EQ, NEQ, LT, LTE, GT, GTE,
// BETWEEN (Value..HighValue), IN and NOT_IN (Values), HAS_PROPERTY,
// NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN.
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
	Values       []string `json:"values,omitempty"`
}

// FilterGroup ANDs its filters; a request ORs its groups.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Sort orders results; Direction is ASCENDING or DESCENDING.
type Sort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

// SearchRequest is a CRM search. Limit defaults to 100 (at most 200); After
// is the previous page's NextAfter.
type SearchRequest struct {
	FilterGroups []FilterGroup `json:"filterGroups,omitempty"`
	Sorts        []Sort        `json:"sorts,omitempty"`
	Query        string        `json:"query,omitempty"`
	Properties   []string      `json:"properties,omitempty"`
	Limit        int           `json:"limit"`
	After        string        `json:"after,omitempty"`
}

// SearchPage is one page of search results. Total counts every match, also
// those beyond the 10,000 a query can page through.
type SearchPage[T any] struct {
	Total     int
	Results   []T
	NextAfter string
}

type wireSearch struct {
	Total int `json:"total"`
	wirePage[objectJSON]
}

// SearchContacts runs one page of a contact search.
func (c *Client) SearchContacts(ctx context.Context, req SearchRequest) (SearchPage[Contact], error) {
	if len(req.Properties) == 0 {
		req.Properties = DefaultContactProperties
	}
	return search[Contact](ctx, c, contactsType, req)
}

func search[T crmObject](ctx context.Context, c *Client, objectType string, req SearchRequest) (SearchPage[T], error) {
	req.Limit = clampLimit(req.Limit, defaultSearchPage, maxSearchPage)
	if n, err := strconv.Atoi(req.After); err == nil {
		if n >= maxSearchResults {
			return SearchPage[T]{}, fmt.Errorf("hubspot: a search can page through at most %d results; narrow the filters (e.g. by createdate or hs_object_id ranges) instead of paging past %s", maxSearchResults, req.After)
		}
		// Never ask for a result past the 10,000th: the last page of a
		// capped search is shortened to end at the cap, whatever the page
		// size (after=9900 with 150 a page asks for 100).
		req.Limit = min(req.Limit, maxSearchResults-n)
	}
	// Replay-safe: a search is a read sent as POST.
	w, _, err := call[wireSearch](ctx, c, request{method: "POST", path: objectPath(objectType) + "/search", body: req, replaySafe: true, search: true})
	if err != nil {
		return SearchPage[T]{}, err
	}
	p := w.page()
	return SearchPage[T]{Total: w.Total, Results: records[T](p.Results), NextAfter: p.NextAfter}, nil
}
