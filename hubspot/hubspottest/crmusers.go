package hubspottest

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// CRM users object (0-115): a third ID scheme. Record IDs are large numbers
// unrelated to user IDs; hs_internal_user_id is the user ID and
// hubspot_owner_id the owner ID.

var (
	crmUserPropertyNames = []string{
		"hs_availability_status", "hs_createdate", "hs_deactivated", "hs_email", "hs_family_name",
		"hs_given_name", "hs_internal_user_id", "hs_job_title", "hs_lastmodifieddate", "hs_object_id",
		"hs_searchable_calculated_name", "hs_standard_time_zone", "hubspot_owner_id",
	}
	crmUserDefaultProperties = []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"}
	crmUserSchema            = objectSchema{
		known:      func(n string) bool { return slices.Contains(crmUserPropertyNames, n) },
		dates:      map[string]bool{"hs_createdate": true, "hs_lastmodifieddate": true},
		numeric:    map[string]bool{"hs_object_id": true, "hubspot_owner_id": true, "hs_internal_user_id": true},
		queryProps: []string{"hs_email", "hs_given_name", "hs_family_name", "hs_searchable_calculated_name"},
	}
)

func (u *crmUser) value(prop string) (string, bool) {
	v, ok := u.props[prop]
	return v, ok && v != ""
}

func (u *crmUser) millis(prop string) (int64, bool) {
	v, ok := u.value(prop)
	if !ok {
		return 0, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t.UnixMilli(), err == nil
}

func (u *crmUser) numericID() uint64 {
	n, _ := strconv.ParseUint(string(u.id), 10, 64)
	return n
}

func (p *portal) crmUserObject(u *crmUser, props []string) wireObject {
	return wireObject{
		ID:         string(u.id),
		Properties: selectProperties(u, props, crmUserSchema.known),
		CreatedAt:  hubTime(u.createdAt),
		UpdatedAt:  hubTime(u.updatedAt),
		URL:        "https://app.hubspot.com/contacts/" + itoa(p.hubID) + "/record/0-115/" + string(u.id),
	}
}

// GET /crm/v3/objects/users
func (c *call) listCRMUsers() {
	limit, ok := c.limit(defaultObjectsPage, maxObjectsPage)
	if !ok {
		return
	}
	after := c.query.Get("after")
	if after != "" && !hubspot.IsNumeric(after) {
		c.invalid("Invalid after value " + after)
		return
	}
	props := c.requestedProperties(crmUserDefaultProperties)
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	all := p.crmUsers
	i := 0
	if after != "" {
		i, _ = slices.BinarySearchFunc(all, after, func(u *crmUser, id string) int { return numCompare(string(u.id), id) })
	}
	end := min(i+limit, len(all))
	resp := listResponse[wireObject]{Results: []wireObject{}}
	if !c.queryBool("archived") {
		for _, u := range all[i:end] {
			resp.Results = append(resp.Results, p.crmUserObject(u, props))
		}
		if end < len(all) {
			next := string(all[end].id)
			resp.Paging = nextPaging(next, "https://api.hubapi.com"+c.r.URL.Path+"?limit="+strconv.Itoa(limit)+"&after="+next)
		}
	}
	c.json(http.StatusOK, resp)
}

// GET /crm/v3/objects/users/{id}?idProperty=hs_internal_user_id
func (c *call) getCRMUser() {
	key := c.param(0)
	idp := c.query.Get("idProperty")
	props := c.requestedProperties(crmUserDefaultProperties)
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	var found *crmUser
	switch idp {
	case "", "hs_object_id":
		found = p.crmUsersBy[hubspot.CRMUserID(key)]
	case "hs_internal_user_id", "hs_email":
		for _, u := range p.crmUsers {
			if u.props[idp] == key {
				found = u
				break
			}
		}
	default:
		c.invalid("Property " + idp + " is not a unique property and cannot be used as idProperty")
		return
	}
	if found == nil {
		c.objectNotFound(idp)
		return
	}
	c.json(http.StatusOK, p.crmUserObject(found, props))
}

// POST /crm/v3/objects/users/search
func (c *call) searchCRMUsers() {
	var in searchRequestBody
	if !c.decode(&in) {
		return
	}
	q, msg := compileSearch(in, crmUserSchema, crmUserDefaultProperties)
	if msg != "" {
		c.invalid(msg)
		return
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	total, page := q.run(len(p.crmUsers), func(i int) searchRecord { return p.crmUsers[i] })
	resp := searchResponse{Total: total, Results: make([]wireObject, 0, len(page))}
	for _, i := range page {
		resp.Results = append(resp.Results, p.crmUserObject(p.crmUsers[i], q.properties))
	}
	resp.Paging = nextPaging(q.nextSearchAfter(total), "")
	c.json(http.StatusOK, resp)
}
