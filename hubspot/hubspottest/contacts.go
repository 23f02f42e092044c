package hubspottest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	defaultObjectsPage = 10
	maxObjectsPage     = 100
	maxBatchInputs     = 100
)

func knownContactProperty(name string) bool { return slices.Contains(contactPropertyNames, name) }

// contactObject renders one contact with the requested properties.
func (p *portal) contactObject(c contactView, props []string) wireObject {
	id := strconv.FormatUint(c.id(), 10)
	return wireObject{
		ID:         id,
		Properties: selectProperties(c, props, knownContactProperty),
		CreatedAt:  hubTime(millisTime(c.created())),
		UpdatedAt:  hubTime(millisTime(c.modified())),
		URL:        "https://app.hubspot.com/contacts/" + itoa(p.hubID) + "/record/0-1/" + id,
	}
}

func (c *call) requestedProperties(def []string) []string {
	if props := c.queryList("properties"); len(props) > 0 {
		return props
	}
	return def
}

// GET /crm/v3/objects/contacts: one page at a time, never the whole set;
// `after` is the next record's ID.
func (c *call) listContacts() {
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
	props := c.requestedProperties(contactDefaultProperties)
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	cs := p.contacts
	resp := listResponse[wireObject]{Results: []wireObject{}}
	if !c.queryBool("archived") { // the sandbox never archives contacts
		i := cs.firstIndexFrom(from)
		end := min(i+limit, cs.n)
		for ; i < end; i++ {
			resp.Results = append(resp.Results, p.contactObject(cs.view(i), props))
		}
		if end < cs.n {
			next := strconv.FormatUint(cs.id(end), 10)
			resp.Paging = nextPaging(next, "https://api.hubapi.com"+c.r.URL.Path+"?limit="+strconv.Itoa(limit)+"&after="+next)
		}
	}
	c.json(http.StatusOK, resp)
}

// findContact resolves a contact by ID or, with idProperty=email, by email.
func (p *portal) findContact(key, idProperty string) (int, bool) {
	var i int
	var ok bool
	switch strings.ToLower(idProperty) {
	case "", "hs_object_id":
		i, ok = p.contacts.indexOf(key)
	case "email":
		i, ok = p.contacts.indexByEmail(key)
	}
	if !ok {
		return 0, false
	}
	return p.contacts.resolve(i), true
}

func validIDProperty(idp string) bool {
	switch strings.ToLower(idp) {
	case "", "hs_object_id", "email":
		return true
	}
	return false
}

// GET /crm/v3/objects/contacts/{contactId}
func (c *call) getContact() {
	idp := c.query.Get("idProperty")
	if !validIDProperty(idp) {
		c.invalid("Property " + idp + " is not a unique property and cannot be used as idProperty")
		return
	}
	props := c.requestedProperties(contactDefaultProperties)
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	i, ok := c.s.p.findContact(c.param(0), idp)
	if !ok || c.queryBool("archived") {
		c.objectNotFound(idp)
		return
	}
	c.json(http.StatusOK, c.s.p.contactObject(c.s.p.contacts.view(i), props))
}

// PATCH /crm/v3/objects/contacts/{contactId}
func (c *call) patchContact() {
	idp := c.query.Get("idProperty")
	if !validIDProperty(idp) {
		c.invalid("Property " + idp + " is not a unique property and cannot be used as idProperty")
		return
	}
	var in struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if !c.decode(&in) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	p := c.s.p
	i, ok := p.findContact(c.param(0), idp)
	if !ok {
		c.objectNotFound(idp)
		return
	}
	props, problems := p.contactProblems(i, in.Properties)
	if len(problems) > 0 {
		c.fail(http.StatusBadRequest, *propertyError(problems))
		return
	}
	p.contacts.apply(i, props, c.s.now())
	names := slices.Clone(contactDefaultProperties)
	for k := range props {
		if !slices.Contains(names, k) {
			names = append(names, k)
		}
	}
	c.json(http.StatusOK, p.contactObject(p.contacts.view(i), names))
}

// propertyProblem is one entry of the JSON array HubSpot embeds in the
// message of a "Property values were not valid" error.
type propertyProblem struct {
	IsValid               bool   `json:"isValid"`
	Message               string `json:"message"`
	Error                 string `json:"error"`
	Name                  string `json:"name"`
	LocalizedErrorMessage string `json:"localizedErrorMessage,omitempty"`
	PortalID              int64  `json:"portalId,omitempty"`
}

// contactProblems checks a property update of contact i the way HubSpot
// does: unknown and read-only properties, and hubspot_owner_id, which must
// be the ID of an active owner (a user ID is not one; an archived owner is
// not a valid target), a non-integer being INVALID_INTEGER and "" clearing
// it; and a contact the RejectWrites knob names refuses every property.
func (p *portal) contactProblems(i int, raw map[string]json.RawMessage) (map[string]string, []propertyProblem) {
	if p.contacts.rejects[i] {
		return nil, rejectProblems(raw)
	}
	props := map[string]string{}
	var problems []propertyProblem
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		v, isText := flexString(raw[name])
		if string(raw[name]) == "null" {
			v, isText = "", true
		}
		switch {
		case !contactWritable[name] && !contactReadOnly[name]:
			msg := `Property "` + name + `" does not exist`
			problems = append(problems, propertyProblem{Message: msg, Error: "PROPERTY_DOESNT_EXIST", Name: name, LocalizedErrorMessage: msg, PortalID: p.hubID})
		case contactReadOnly[name]:
			msg := `"` + name + `" is a read only property; its value cannot be set.`
			problems = append(problems, propertyProblem{Message: msg, Error: "READ_ONLY_VALUE", Name: name, LocalizedErrorMessage: msg, PortalID: p.hubID})
		case !isText:
			msg := name + " must be a string value"
			problems = append(problems, propertyProblem{Message: msg, Error: "INVALID_PROPERTY_VALUE", Name: name})
		case name == "hubspot_owner_id" && v != "":
			if _, err := strconv.ParseInt(v, 10, 32); err != nil {
				problems = append(problems, propertyProblem{Message: v + " was not a valid integer (for owner ID).", Error: "INVALID_INTEGER", Name: name})
			} else if p.activeOwner(v) == nil {
				msg := v + " is not a valid owner id"
				problems = append(problems, propertyProblem{Message: msg, Error: "INVALID_OWNER_ID", Name: name, LocalizedErrorMessage: msg, PortalID: p.hubID})
			} else {
				props[name] = v
			}
		case contactOwnerProp(name) != nil && v != "":
			if msg, code := p.checkOwnerValue(v, contactOwnerProp(name).multi()); code != "" {
				problems = append(problems, propertyProblem{Message: msg, Error: code, Name: name, LocalizedErrorMessage: msg, PortalID: p.hubID})
			} else {
				props[name] = v
			}
		default:
			props[name] = v
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return props, nil
}

// propertyError is HubSpot's "Property values were not valid" 400: the
// problems embedded as JSON text in the message, and one errors[] entry
// each.
func propertyError(problems []propertyProblem) *apiError {
	embedded, _ := json.Marshal(problems)
	e := &apiError{Category: "VALIDATION_ERROR", Message: "Property values were not valid: " + string(embedded)}
	for _, pr := range problems {
		e.Errors = append(e.Errors, errorDetail{Message: pr.Message, Code: pr.Error, Context: map[string][]string{"propertyName": {pr.Name}}})
	}
	return e
}

// batchResponse is the 200/207 body of batch endpoints.
type batchResponse struct {
	Status      string          `json:"status"`
	Results     []wireObject    `json:"results"`
	NumErrors   int             `json:"numErrors,omitempty"`
	Errors      []standardError `json:"errors,omitempty"`
	StartedAt   string          `json:"startedAt"`
	CompletedAt string          `json:"completedAt"`
}

type standardError struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Context  map[string][]string `json:"context"`
	Errors   []errorDetail       `json:"errors"`
	Links    map[string]string   `json:"links"`
}

const msgBatchNotFound = "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid."

// writeBatch answers 200, or 207 with one grouped OBJECT_NOT_FOUND error
// listing every missing ID.
func (c *call) writeBatch(started time.Time, results []wireObject, missing []string) {
	resp := batchResponse{Status: "COMPLETE", Results: results, StartedAt: hubTime(started), CompletedAt: hubTime(c.s.now())}
	status := http.StatusOK
	if len(missing) > 0 {
		status = http.StatusMultiStatus
		resp.Errors = []standardError{{
			Status: "error", Category: "OBJECT_NOT_FOUND", Message: msgBatchNotFound,
			Context: map[string][]string{"ids": missing}, Errors: []errorDetail{}, Links: map[string]string{},
		}}
		resp.NumErrors = len(resp.Errors)
	}
	c.json(status, resp)
}

type batchInput struct {
	ID         json.RawMessage            `json:"id"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// POST /crm/v3/objects/contacts/batch/read
func (c *call) batchReadContacts() {
	var in struct {
		Properties []string     `json:"properties"`
		IDProperty string       `json:"idProperty"`
		Inputs     []batchInput `json:"inputs"`
	}
	if !c.decode(&in) {
		return
	}
	keys, ok := c.checkBatchInputs(in.Inputs)
	if !ok {
		return
	}
	if !validIDProperty(in.IDProperty) {
		c.invalid("Property " + in.IDProperty + " is not a unique property and cannot be used as idProperty")
		return
	}
	props := in.Properties
	if len(props) == 0 {
		props = contactDefaultProperties
	}
	started := c.s.now()
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	p := c.s.p
	results := []wireObject{}
	var missing []string
	seen := map[int]bool{}
	for _, key := range keys {
		i, ok := p.findContact(key, in.IDProperty)
		switch {
		case !ok:
			missing = append(missing, notFoundKey(key))
		case !seen[i]:
			seen[i] = true
			results = append(results, p.contactObject(p.contacts.view(i), props))
		}
	}
	c.writeBatch(started, results, missing)
}

// POST /crm/v3/objects/contacts/batch/update: a property error of any
// input fails the whole request (one 400 listing every input's problems);
// unknown IDs are reported in a 207 while the others are updated. A
// merged-away ID updates its survivor, which answers under its own ID.
func (c *call) batchUpdateContacts() {
	var in struct {
		Inputs []batchInput `json:"inputs"`
	}
	if !c.decode(&in) {
		return
	}
	keys, ok := c.checkBatchInputs(in.Inputs)
	if !ok {
		return
	}
	started := c.s.now()
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	p := c.s.p
	type update struct {
		index  int
		props  map[string]string
		merged bool
	}
	var updates []update
	var missing []string
	var problems []propertyProblem
	for k, input := range in.Inputs {
		i, found := p.findContact(keys[k], "")
		if !found {
			missing = append(missing, notFoundKey(keys[k]))
			continue
		}
		props, bad := p.contactProblems(i, input.Properties)
		problems = append(problems, bad...)
		asSent, _ := p.contacts.indexOf(keys[k])
		updates = append(updates, update{i, props, asSent != i})
	}
	if len(problems) > 0 {
		c.fail(http.StatusBadRequest, batchPropertyError(problems))
		return
	}
	results := []wireObject{}
	answered := map[int]bool{}
	for _, u := range updates {
		p.contacts.apply(u.index, u.props, c.s.now())
		if answered[u.index] || (u.merged && p.contacts.mergedLeftOut) {
			continue
		}
		answered[u.index] = true
		names := slices.Clone(contactDefaultProperties)
		for k := range u.props {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
		results = append(results, p.contactObject(p.contacts.view(u.index), names))
	}
	c.writeBatch(started, results, missing)
}
