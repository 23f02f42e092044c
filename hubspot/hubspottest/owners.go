package hubspottest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

const (
	defaultOwnersPage = 100
	maxOwnersPage     = 500
)

// GET /crm/v3/owners: active owners, or with archived=true ONLY archived
// ones; optional exact email filter; `after` is the next owner's ID.
func (c *call) listOwners() {
	limit, ok := c.limit(defaultOwnersPage, maxOwnersPage)
	if !ok {
		return
	}
	after := c.query.Get("after")
	if after != "" && !hubspot.IsNumeric(after) {
		c.invalid("Invalid after value " + after)
		return
	}
	archived := c.queryBool("archived")
	email := c.query.Get("email")

	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	owners := p.owners
	i := 0
	if after != "" {
		i, _ = slices.BinarySearchFunc(owners, after, func(o *owner, id string) int { return numCompare(string(o.id), id) })
	}
	resp := listResponse[wireOwner]{Results: []wireOwner{}}
	for ; i < len(owners); i++ {
		o := owners[i]
		if o.archived != archived || (email != "" && !strings.EqualFold(o.email, email)) {
			continue
		}
		if len(resp.Results) == limit {
			resp.Paging = nextPaging(string(o.id), c.link(string(o.id)))
			break
		}
		resp.Results = append(resp.Results, p.toWireOwner(o))
	}
	c.json(http.StatusOK, resp)
}

// GET /crm/v3/owners/{ownerId}?idProperty=id|userId&archived=
func (c *call) getOwner() {
	key := c.param(0)
	if !hubspot.IsNumeric(key) {
		c.invalid("Unable to parse " + key + " as an owner id: expected an integer")
		return
	}
	archived := c.queryBool("archived")
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	var o *owner
	switch idp := c.query.Get("idProperty"); idp {
	case "", "id":
		if found := p.ownerByID[hubspot.OwnerID(key)]; found != nil && found.archived == archived {
			o = found
		}
	case "userId":
		o = p.ownerOfUser(hubspot.UserID(key), archived)
	default:
		c.invalid("Invalid idProperty " + idp + ": expected id or userId")
		return
	}
	if o == nil {
		c.notFound()
		return
	}
	c.json(http.StatusOK, p.toWireOwner(o))
}
