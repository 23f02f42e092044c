package hubspottest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The CRM objects v3 endpoints for companies, deals, tickets and the custom
// object, with contacts' wire behaviour: list pages with `after` (100 at
// most), GET by ID, batch read and update (100 inputs, 207 for unknown IDs,
// one 400 for property errors), search (200 a page, 10,000 in all). The
// object type is a path segment, so scopes are checked here, per type.

func init() {
	routes = append(routes,
		routeEntry{"GET", pat("crm/v3/objects/*"), bearer(nil, (*call).listRecords)},
		routeEntry{"POST", pat("crm/v3/objects/*/batch/read"), bearer(nil, (*call).batchReadRecords)},
		routeEntry{"POST", pat("crm/v3/objects/*/batch/update"), bearer(nil, (*call).batchUpdateRecords)},
		routeEntry{"POST", pat("crm/v3/objects/*/search"), searchEndpoint(nil, (*call).searchRecords)},
		routeEntry{"GET", pat("crm/v3/objects/*/*"), bearer(nil, (*call).getRecord)},
		routeEntry{"PATCH", pat("crm/v3/objects/*/*"), bearer(nil, (*call).patchRecord)},

		routeEntry{"GET", pat("crm/v3/properties/*"), bearer(nil, (*call).listProperties)},
		routeEntry{"GET", pat("crm/v3/properties/*/*"), bearer(nil, (*call).getProperty)},
		routeEntry{"GET", pat("crm/v3/schemas"), bearer([]string{scopeSchemasCustomRead}, (*call).listSchemas)},
		routeEntry{"GET", pat("crm/v3/schemas/*"), bearer([]string{scopeSchemasCustomRead}, (*call).getSchema)},
		routeEntry{"GET", pat("crm/v3/pipelines/*"), bearer(nil, (*call).listPipelines)},

		routeEntry{"GET", pat("crm/v4/objects/*/*/associations/*"), bearer(nil, (*call).listAssociations)},
		routeEntry{"POST", pat("crm/v4/associations/*/*/batch/read"), bearer(nil, (*call).batchReadAssociations)},
	)
	// HubSpot's official clients still call the Schemas API by its older
	// path, which HubSpot serves too.
	pathAliases = append(pathAliases, struct{ from, to string }{"crm-object-schemas/v3/schemas", "crm/v3/schemas"})
	AllScopes = append(AllScopes, objectScopes...)
}

// objectType resolves a path's object type by name, singular name, type ID,
// or for the custom object its fully qualified name or "p_{name}".
func (p *portal) objectType(name string) *objectType {
	name = strings.ToLower(name)
	for _, t := range p.types {
		if name == t.name || name == t.singular || name == t.typeID || (t.custom() && (name == t.fqn || name == "p_"+t.name)) {
			return t
		}
	}
	return nil
}

// records answers the record set of the path's object type after checking
// the token holds scope (read or write); nil after answering 404 or 403.
func (c *call) records(write bool) *recordSet {
	t := c.s.p.objectType(c.param(0))
	if t == nil {
		if name := strings.ToLower(c.param(0)); name == "contacts" || name == "users" {
			// Their own routes answer every method they support.
			c.fail(http.StatusMethodNotAllowed, validationError("HTTP method "+c.r.Method+" is not supported by this resource"))
			return nil
		}
		c.notFound()
		return nil
	}
	scope := t.readScope
	if write {
		scope = t.writeScope
	}
	if !c.hasScope(scope) {
		writeMissingScopes(c.w, []string{scope})
		return nil
	}
	return c.s.p.objects[t.name]
}

func (p *portal) recordObject(rs *recordSet, r recordView, props []string) wireObject {
	id := strconv.FormatUint(r.numericID(), 10)
	return wireObject{
		ID:         id,
		Properties: selectProperties(r, props, func(n string) bool { return rs.t.byName[n] != nil }),
		CreatedAt:  hubTime(millisTime(r.created())),
		UpdatedAt:  hubTime(millisTime(r.modified())),
		URL:        "https://app.hubspot.com/contacts/" + itoa(p.hubID) + "/record/" + rs.t.typeID + "/" + id,
	}
}

// GET /crm/v3/objects/{objectType}
func (c *call) listRecords() {
	limit, ok := c.limit(defaultObjectsPage, maxObjectsPage)
	if !ok {
		return
	}
	var from uint64
	if after := c.query.Get("after"); after != "" {
		n, err := strconv.ParseUint(after, 10, 64)
		if err != nil {
			c.invalid("Invalid after value " + after)
			return
		}
		from = n
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	rs := c.records(false)
	if rs == nil {
		return
	}
	props := c.requestedProperties(rs.t.defaults)
	resp := listResponse[wireObject]{Results: []wireObject{}}
	if !c.queryBool("archived") { // the sandbox never archives records
		i := rs.firstIndexFrom(from)
		end := min(i+limit, rs.n)
		for ; i < end; i++ {
			resp.Results = append(resp.Results, c.s.p.recordObject(rs, rs.view(i), props))
		}
		if end < rs.n {
			next := strconv.FormatUint(rs.id(end), 10)
			resp.Paging = nextPaging(next, "https://api.hubapi.com"+c.r.URL.Path+"?limit="+strconv.Itoa(limit)+"&after="+next)
		}
	}
	c.json(http.StatusOK, resp)
}

func validRecordIDProperty(idp string) bool {
	return idp == "" || strings.EqualFold(idp, "hs_object_id")
}

// GET /crm/v3/objects/{objectType}/{objectId}
func (c *call) getRecord() {
	idp := c.query.Get("idProperty")
	if !validRecordIDProperty(idp) {
		c.invalid("Property " + idp + " is not a unique property and cannot be used as idProperty")
		return
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	rs := c.records(false)
	if rs == nil {
		return
	}
	i, ok := rs.indexOf(c.param(1))
	if !ok || c.queryBool("archived") {
		c.notFound()
		return
	}
	c.json(http.StatusOK, c.s.p.recordObject(rs, rs.view(i), c.requestedProperties(rs.t.defaults)))
}

// PATCH /crm/v3/objects/{objectType}/{objectId}
func (c *call) patchRecord() {
	var in struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if !c.decode(&in) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	rs := c.records(true)
	if rs == nil {
		return
	}
	i, ok := rs.indexOf(c.param(1))
	if !ok {
		c.notFound()
		return
	}
	props, problems := c.s.p.validateRecordProperties(rs.t, in.Properties)
	if len(problems) > 0 {
		c.fail(http.StatusBadRequest, *propertyError(problems))
		return
	}
	rs.apply(i, props, c.s.now())
	c.json(http.StatusOK, c.s.p.recordObject(rs, rs.view(i), writtenProperties(rs.t.defaults, props)))
}

// writtenProperties are what a write answers with: the defaults and every
// property written.
func writtenProperties(defaults []string, props map[string]string) []string {
	names := slices.Clone(defaults)
	for k := range props {
		if !slices.Contains(names, k) {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	return names
}

// validateRecordProperties checks an update as HubSpot does: unknown and
// read-only properties, enumeration options, and every owner property
// (hubspot_owner_id and each referencedObjectType OWNER property): each
// value, or each ";" part of a multi-select, must be the ID of an active
// owner; a non-integer is INVALID_INTEGER, "" clears the property.
func (p *portal) validateRecordProperties(t *objectType, raw map[string]json.RawMessage) (map[string]string, []propertyProblem) {
	props := map[string]string{}
	var problems []propertyProblem
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	slices.Sort(names)
	problem := func(name, code, msg string) {
		problems = append(problems, propertyProblem{Message: msg, Error: code, Name: name, LocalizedErrorMessage: msg, PortalID: p.hubID})
	}
	for _, name := range names {
		v, isText := flexString(raw[name])
		if string(raw[name]) == "null" {
			v, isText = "", true
		}
		d := t.prop(name)
		switch {
		case d == nil:
			problem(name, "PROPERTY_DOESNT_EXIST", `Property "`+name+`" does not exist`)
		case d.readOnly:
			problem(name, "READ_ONLY_VALUE", `"`+name+`" is a read only property; its value cannot be set.`)
		case !isText:
			problem(name, "INVALID_PROPERTY_VALUE", name+" must be a string value")
		case v == "":
			props[name] = v
		case d.owner:
			if msg, code := p.checkOwnerValue(v, d.multi()); code != "" {
				problem(name, code, msg)
			} else {
				props[name] = v
			}
		case len(d.options) > 0 && !slices.ContainsFunc(d.options, func(o propOption) bool { return o.value == v }):
			problem(name, "INVALID_OPTION", v+" was not one of the allowed options: "+optionValues(d.options))
		default:
			props[name] = v
		}
	}
	return props, problems
}

// checkOwnerValue says what is wrong with an owner property value, if anything.
func (p *portal) checkOwnerValue(v string, multi bool) (msg, code string) {
	parts := []string{v}
	if multi {
		parts = strings.Split(v, ";")
	}
	for _, part := range parts {
		if _, err := strconv.ParseInt(part, 10, 32); err != nil {
			return part + " was not a valid integer (for owner ID).", "INVALID_INTEGER"
		}
		if p.activeOwner(part) == nil {
			return part + " is not a valid owner id", "INVALID_OWNER_ID"
		}
	}
	return "", ""
}

func optionValues(opts []propOption) string {
	vals := make([]string, len(opts))
	for k, o := range opts {
		vals[k] = o.value
	}
	return "[" + strings.Join(vals, ", ") + "]"
}

// POST /crm/v3/objects/{objectType}/batch/read
func (c *call) batchReadRecords() {
	var in struct {
		Properties []string     `json:"properties"`
		IDProperty string       `json:"idProperty"`
		Inputs     []batchInput `json:"inputs"`
	}
	if !c.decode(&in) {
		return
	}
	if _, ok := c.checkBatchInputs(in.Inputs); !ok {
		return
	}
	if !validRecordIDProperty(in.IDProperty) {
		c.invalid("Property " + in.IDProperty + " is not a unique property and cannot be used as idProperty")
		return
	}
	started := c.s.now()
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	rs := c.records(false)
	if rs == nil {
		return
	}
	props := in.Properties
	if len(props) == 0 {
		props = rs.t.defaults
	}
	results := []wireObject{}
	var missing []string
	seen := map[int]bool{}
	for _, input := range in.Inputs {
		key, _ := flexString(input.ID)
		i, ok := rs.indexOf(key)
		switch {
		case !ok:
			missing = append(missing, key)
		case !seen[i]:
			seen[i] = true
			results = append(results, c.s.p.recordObject(rs, rs.view(i), props))
		}
	}
	c.writeRecordBatch(rs.t, started, results, missing)
}

// POST /crm/v3/objects/{objectType}/batch/update: property errors fail the
// whole batch in one 400 listing every input's problems; unknown IDs are
// reported in a 207 while the others are updated.
func (c *call) batchUpdateRecords() {
	var in struct {
		Inputs []batchInput `json:"inputs"`
	}
	if !c.decode(&in) {
		return
	}
	if _, ok := c.checkBatchInputs(in.Inputs); !ok {
		return
	}
	started := c.s.now()
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	rs := c.records(true)
	if rs == nil {
		return
	}
	type update struct {
		index int
		props map[string]string
	}
	var updates []update
	var missing []string
	var problems []propertyProblem
	for _, input := range in.Inputs {
		props, perr := c.s.p.validateRecordProperties(rs.t, input.Properties)
		problems = append(problems, perr...)
		key, _ := flexString(input.ID)
		i, ok := rs.indexOf(key)
		if !ok {
			missing = append(missing, key)
			continue
		}
		if rs.rejects[i] {
			problems = append(problems, rejectProblems(input.Properties)...)
		}
		updates = append(updates, update{i, props})
	}
	if len(problems) > 0 {
		c.fail(http.StatusBadRequest, batchPropertyError(problems))
		return
	}
	results := []wireObject{}
	for _, u := range updates {
		rs.apply(u.index, u.props, c.s.now())
		results = append(results, c.s.p.recordObject(rs, rs.view(u.index), writtenProperties(rs.t.defaults, u.props)))
	}
	c.writeRecordBatch(rs.t, started, results, missing)
}

// writeRecordBatch answers 200, or 207 with one OBJECT_NOT_FOUND error
// naming the type and listing every missing ID.
func (c *call) writeRecordBatch(t *objectType, started time.Time, results []wireObject, missing []string) {
	resp := batchResponse{Status: "COMPLETE", Results: results, StartedAt: hubTime(started), CompletedAt: hubTime(c.s.now())}
	status := http.StatusOK
	if len(missing) > 0 {
		status = http.StatusMultiStatus
		resp.Errors = []standardError{{
			Status: "error", Category: "OBJECT_NOT_FOUND",
			Message: "Could not get some " + strings.ToUpper(t.singular) + " objects, they may be deleted or not exist. Check that ids are valid.",
			Context: map[string][]string{"ids": missing}, Errors: []errorDetail{}, Links: map[string]string{},
		}}
		resp.NumErrors = len(resp.Errors)
	}
	c.json(status, resp)
}

// POST /crm/v3/objects/{objectType}/search
func (c *call) searchRecords() {
	var in searchRequestBody
	if !c.decode(&in) {
		return
	}
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	rs := c.records(false)
	if rs == nil {
		return
	}
	q, msg := compileSearch(in, rs.t.searchSchema(), rs.t.defaults)
	if msg != "" {
		c.invalid(msg)
		return
	}
	v := &recordView{rs: rs}
	total, page := q.run(rs.n, func(i int) searchRecord {
		*v = rs.view(i)
		return v
	})
	resp := searchResponse{Total: total, Results: make([]wireObject, 0, len(page))}
	for _, i := range page {
		resp.Results = append(resp.Results, c.s.p.recordObject(rs, rs.view(i), q.properties))
	}
	resp.Paging = nextPaging(q.nextSearchAfter(total), "")
	c.json(http.StatusOK, resp)
}
