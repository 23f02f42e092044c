package hubspottest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Associations v4 between contacts, companies, deals and tickets, read-only
// and generated: each record of a link's child type belongs to at most one
// record of its parent type, parent(j) = (j + offset) mod nParent, so a
// parent's children are found by arithmetic, never by scanning a million
// records (spec/crm-associations-v4.json).
//
// Type IDs are HubSpot's defaults from the "HubSpot defined association
// types" table of developers.hubspot.com/docs/guides/api/crm/associations/
// associations-v4 (the spec does not list them): unlabeled types, and
// "Primary" for a record's company.

type assocLink struct {
	child, parent   string // object type names
	toParent, toKid int    // unlabeled type IDs, child→parent and parent→child
	primaryToParent int    // 0 when the pair has no primary type
	primaryToKid    int
	offset          int
	salt            uint64
}

var assocLinks = []assocLink{
	{child: "contacts", parent: "companies", toParent: 279, toKid: 280, primaryToParent: 1, primaryToKid: 2, offset: 0, salt: 0xa1},
	{child: "deals", parent: "companies", toParent: 341, toKid: 342, primaryToParent: 5, primaryToKid: 6, offset: 3, salt: 0xa2},
	{child: "deals", parent: "contacts", toParent: 3, toKid: 4, offset: 11, salt: 0xa3},
	{child: "tickets", parent: "companies", toParent: 339, toKid: 340, primaryToParent: 26, primaryToKid: 25, offset: 7, salt: 0xa4},
	{child: "tickets", parent: "contacts", toParent: 16, toKid: 15, offset: 5, salt: 0xa5},
	{child: "tickets", parent: "deals", toParent: 28, toKid: 27, offset: 1, salt: 0xa6},
}

const (
	defaultAssocPage = 500
	maxAssocPage     = 500
)

// recordIndex is what associations need of a record store.
type recordIndex struct {
	n       int
	id      func(i int) uint64
	indexOf func(id string) (int, bool)
	scope   string
}

// assocType resolves an association path's type: contacts or one of the
// object types with associations.
func (p *portal) assocIndex(name string) (string, *recordIndex) {
	switch strings.ToLower(name) {
	case "contacts", "contact", "0-1":
		cs := p.contacts
		return "contacts", &recordIndex{n: cs.n, id: cs.id, indexOf: cs.indexOf, scope: scopeContactsRead}
	}
	t := p.objectType(name)
	if t == nil || t.custom() {
		return "", nil
	}
	rs := p.objects[t.name]
	return t.name, &recordIndex{n: rs.n, id: rs.id, indexOf: rs.indexOf, scope: t.readScope}
}

// linked reports whether child j has a parent in this link: nine in ten do.
func (p *portal) linked(l assocLink, j int) bool {
	return p.mixSeed(l.salt, j)%10 != 0
}

func (p *portal) mixSeed(salt uint64, j int) uint64 {
	z := p.objectSeed*0x9e3779b97f4a7c15 + salt*0xbf58476d1ce4e5b9 + uint64(j)*0x94d049bb133111eb
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

type wireAssocType struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

// wireAssociated is one associated record. toObjectId is a JSON number, as
// HubSpot sends it (the spec says string).
type wireAssociated struct {
	ToObjectID       uint64          `json:"toObjectId"`
	AssociationTypes []wireAssocType `json:"associationTypes"`
}

func assocTypes(unlabeled, primary int) []wireAssocType {
	var out []wireAssocType
	if primary != 0 {
		label := "Primary"
		out = append(out, wireAssocType{Category: "HUBSPOT_DEFINED", TypeID: primary, Label: &label})
	}
	return append(out, wireAssocType{Category: "HUBSPOT_DEFINED", TypeID: unlabeled})
}

// associated lists the records of type `to` associated with record i of
// type `from`, in ascending ID order.
func (p *portal) associated(from string, fromIdx *recordIndex, i int, to string, toIdx *recordIndex) []wireAssociated {
	out := []wireAssociated{}
	if toIdx.n == 0 {
		return out
	}
	for _, l := range assocLinks {
		switch {
		case l.child == from && l.parent == to:
			if p.linked(l, i) {
				out = append(out, wireAssociated{ToObjectID: toIdx.id((i + l.offset) % toIdx.n), AssociationTypes: assocTypes(l.toParent, l.primaryToParent)})
			}
		case l.parent == from && l.child == to:
			// Children j with (j + offset) mod nParent == i.
			first := ((i-l.offset)%fromIdx.n + fromIdx.n) % fromIdx.n
			for j := first; j < toIdx.n; j += fromIdx.n {
				if p.linked(l, j) {
					out = append(out, wireAssociated{ToObjectID: toIdx.id(j), AssociationTypes: assocTypes(l.toKid, l.primaryToKid)})
				}
			}
		}
	}
	return out
}

// assocPair resolves and scope-checks the two types of an association
// request; ok false after answering.
func (c *call) assocPair(fromName, toName string) (from string, fi *recordIndex, to string, ti *recordIndex, ok bool) {
	from, fi = c.s.p.assocIndex(fromName)
	to, ti = c.s.p.assocIndex(toName)
	if fi == nil || ti == nil {
		bad := fromName
		if fi != nil {
			bad = toName
		}
		c.invalid("Unable to infer object type from: " + bad)
		return "", nil, "", nil, false
	}
	for _, s := range []string{fi.scope, ti.scope} {
		if !c.hasScope(s) {
			writeMissingScopes(c.w, []string{s})
			return "", nil, "", nil, false
		}
	}
	return from, fi, to, ti, true
}

// GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}
func (c *call) listAssociations() {
	limit, ok := c.limit(defaultAssocPage, maxAssocPage)
	if !ok {
		return
	}
	offset := 0
	if after := c.query.Get("after"); after != "" {
		n, err := strconv.Atoi(after)
		if err != nil || n < 0 {
			c.invalid("Invalid after value " + after)
			return
		}
		offset = n
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	from, fi, to, ti, ok := c.assocPair(c.param(0), c.param(2))
	if !ok {
		return
	}
	i, found := fi.indexOf(c.param(1))
	if !found {
		c.notFound()
		return
	}
	all := c.s.p.associated(from, fi, i, to, ti)
	resp := listResponse[wireAssociated]{Results: []wireAssociated{}}
	if offset < len(all) {
		end := min(offset+limit, len(all))
		resp.Results = all[offset:end]
		if end < len(all) {
			next := strconv.Itoa(end)
			resp.Paging = nextPaging(next, "https://api.hubapi.com"+c.r.URL.Path+"?limit="+strconv.Itoa(limit)+"&after="+next)
		}
	}
	c.json(http.StatusOK, resp)
}

type wireAssocBatchResult struct {
	From struct {
		ID string `json:"id"`
	} `json:"from"`
	To     []wireAssociated `json:"to"`
	Paging *paging          `json:"paging,omitempty"`
}

type wireAssocBatch struct {
	Status      string                 `json:"status"`
	Results     []wireAssocBatchResult `json:"results"`
	NumErrors   int                    `json:"numErrors,omitempty"`
	Errors      []standardError        `json:"errors,omitempty"`
	StartedAt   string                 `json:"startedAt"`
	CompletedAt string                 `json:"completedAt"`
}

// POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read:
// up to 100 inputs; unknown IDs are reported in a 207; each record lists at
// most 500 associations, with a paging cursor for the rest.
func (c *call) batchReadAssociations() {
	var in struct {
		Inputs []batchInput `json:"inputs"`
	}
	if !c.decode(&in) {
		return
	}
	if len(in.Inputs) > maxBatchInputs {
		c.invalid(msgTooManyInputs)
		return
	}
	started := c.s.now()
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	from, fi, to, ti, ok := c.assocPair(c.param(0), c.param(1))
	if !ok {
		return
	}
	resp := wireAssocBatch{Status: "COMPLETE", Results: []wireAssocBatchResult{}}
	var missing []string
	for _, input := range in.Inputs {
		key, _ := flexString(input.ID)
		i, found := fi.indexOf(key)
		if !found {
			missing = append(missing, key)
			continue
		}
		r := wireAssocBatchResult{To: c.s.p.associated(from, fi, i, to, ti)}
		r.From.ID = key
		if len(r.To) > maxAssocPage {
			r.To = r.To[:maxAssocPage]
			r.Paging = nextPaging(strconv.Itoa(maxAssocPage), "")
		}
		resp.Results = append(resp.Results, r)
	}
	c.writeAssocBatch(resp, started, from, missing)
}

func (c *call) writeAssocBatch(resp wireAssocBatch, started time.Time, from string, missing []string) {
	resp.StartedAt, resp.CompletedAt = hubTime(started), hubTime(c.s.now())
	status := http.StatusOK
	if len(missing) > 0 {
		status = http.StatusMultiStatus
		resp.Errors = []standardError{{
			Status: "error", Category: "OBJECT_NOT_FOUND",
			Message: "Could not find some " + strings.ToUpper(strings.TrimSuffix(from, "s")) + " objects, they may be deleted or not exist. Check that ids are valid.",
			Context: map[string][]string{"ids": missing}, Errors: []errorDetail{}, Links: map[string]string{},
		}}
		resp.NumErrors = 1
	}
	c.json(status, resp)
}
