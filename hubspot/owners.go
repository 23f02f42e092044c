package hubspot

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// CRM Owners v3 (read-only). An owner ID is what hubspot_owner_id holds; it
// is not the user ID, although the two are sometimes equal by coincidence.
const (
	ownersPath       = "/crm/v3/owners"
	defaultOwnerPage = 500
	maxOwnerPage     = 500
)

// OwnerListOptions filters the owners list. Archived lists only archived
// owners (those of deactivated users); Email filters by exact address.
type OwnerListOptions struct {
	Archived bool
	Email    string
	Limit    int // default and maximum 500
}

// OwnersPage returns one page of owners.
func (c *Client) OwnersPage(ctx context.Context, opts OwnerListOptions, after string) (Page[Owner], error) {
	q := url.Values{"limit": {strconv.Itoa(clampLimit(opts.Limit, defaultOwnerPage, maxOwnerPage))}}
	if opts.Archived {
		q.Set("archived", "true")
	}
	if opts.Email != "" {
		q.Set("email", opts.Email)
	}
	if after != "" {
		q.Set("after", after)
	}
	w, _, err := call[wirePage[Owner]](ctx, c, request{method: "GET", path: ownersPath, query: q, replaySafe: true})
	return w.page(), err
}

// Owners iterates over the owners opts selects (active ones unless Archived).
func (c *Client) Owners(ctx context.Context, opts OwnerListOptions) iter.Seq2[Owner, error] {
	return paginate(ctx, func(ctx context.Context, after string) (Page[Owner], error) {
		return c.OwnersPage(ctx, opts, after)
	})
}

// GetOwner reads an owner by owner ID, active or archived.
func (c *Client) GetOwner(ctx context.Context, id OwnerID) (Owner, error) {
	if err := checkID("owner ID", string(id)); err != nil {
		return Owner{}, err
	}
	return c.getOwner(ctx, string(id), nil)
}

// GetOwnerByUserID reads the owner of a user (idProperty=userId), active or
// archived.
func (c *Client) GetOwnerByUserID(ctx context.Context, id UserID) (Owner, error) {
	if err := checkID("user ID", string(id)); err != nil {
		return Owner{}, err
	}
	return c.getOwner(ctx, string(id), url.Values{"idProperty": {"userId"}})
}

// getOwner looks among active owners, then among archived ones: HubSpot finds
// an archived owner only when asked with archived=true.
func (c *Client) getOwner(ctx context.Context, id string, q url.Values) (Owner, error) {
	r := request{method: "GET", path: ownersPath + "/" + url.PathEscape(id), query: q, replaySafe: true}
	o, _, err := call[Owner](ctx, c, r)
	if !IsNotFound(err) {
		return o, err
	}
	archived := url.Values{"archived": {"true"}}
	for k, v := range q {
		archived[k] = v
	}
	r.query = archived
	o, _, err2 := call[Owner](ctx, c, r)
	if IsNotFound(err2) {
		return Owner{}, err // the first answer says it best: no such owner
	}
	return o, err2
}
