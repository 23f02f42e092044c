package hubspottest

import (
	"net/http"
	"strings"
)

// The Properties, Schemas and Pipelines APIs, read-only, answered from the
// object type tables (spec/crm-properties-v3.json, crm-schemas-v3.json).

// contactPropDefs describes the contact properties the sandbox knows, for
// the Properties API; contacts themselves live in contactSet.
var contactPropDefs = []propDef{
	{name: "createdate", label: "Create Date", group: "contactinformation", typ: "datetime", fieldType: "date", readOnly: true, hubspotDefined: true},
	text("email", "Email", "contactinformation"),
	text("firstname", "First Name", "contactinformation"),
	{name: "hs_object_id", label: "Record ID", group: "contactinformation", typ: "number", fieldType: "number", readOnly: true, hubspotDefined: true},
	{name: "hubspot_owner_id", label: "Contact owner", group: "contactinformation", typ: "enumeration", fieldType: "select", owner: true, hubspotDefined: true},
	text("jobtitle", "Job Title", "contactinformation"),
	{name: "lastmodifieddate", label: "Last Modified Date", group: "contactinformation", typ: "datetime", fieldType: "date", readOnly: true, hubspotDefined: true},
	text("lastname", "Last Name", "contactinformation"),
	enum("lifecyclestage", "Lifecycle Stage", "contactinformation", lifecycleStages...),
	text("phone", "Phone Number", "contactinformation"),
	// The portal's own properties follow HubSpot's, as for the other types.
	contactOwnerPropDefs[0],
	contactOwnerPropDefs[1],
}

// wireProperty is the Properties API's Property.
type wireProperty struct {
	Name                 string               `json:"name"`
	Label                string               `json:"label"`
	Type                 string               `json:"type"`
	FieldType            string               `json:"fieldType"`
	Description          string               `json:"description"`
	GroupName            string               `json:"groupName"`
	Options              []wireOption         `json:"options"`
	DisplayOrder         int                  `json:"displayOrder"`
	Calculated           bool                 `json:"calculated"`
	ExternalOptions      bool                 `json:"externalOptions"`
	HasUniqueValue       bool                 `json:"hasUniqueValue"`
	Hidden               bool                 `json:"hidden"`
	HubspotDefined       bool                 `json:"hubspotDefined"`
	FormField            bool                 `json:"formField"`
	ReferencedObjectType string               `json:"referencedObjectType,omitempty"`
	ModificationMetadata wireModificationMeta `json:"modificationMetadata"`
	CreatedAt            string               `json:"createdAt"`
	UpdatedAt            string               `json:"updatedAt"`
	Archived             bool                 `json:"archived"`
}

type wireOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

type wireModificationMeta struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

func (p *portal) toWireProperty(d propDef, order int) wireProperty {
	created := hubTime(p.anchor.Add(-1000 * day))
	w := wireProperty{
		Name: d.name, Label: d.label, Type: d.typ, FieldType: d.fieldType, GroupName: d.group,
		Options: []wireOption{}, DisplayOrder: order, HubspotDefined: d.hubspotDefined,
		Calculated: d.readOnly && d.name != "hs_object_id", HasUniqueValue: d.name == "hs_object_id",
		FormField: !d.readOnly,
		ModificationMetadata: wireModificationMeta{
			Archivable: !d.hubspotDefined, ReadOnlyDefinition: d.hubspotDefined, ReadOnlyValue: d.readOnly,
		},
		CreatedAt: created, UpdatedAt: created,
	}
	if d.owner {
		// Owner properties pull their options from the portal's owners.
		w.ReferencedObjectType, w.ExternalOptions = "OWNER", true
	}
	for _, o := range d.options {
		w.Options = append(w.Options, wireOption{Label: o.label, Value: o.value, DisplayOrder: o.displayOrder})
	}
	return w
}

// propertyDefs resolves the path's object type to its property table after
// the scope check: crm.schemas.<type>.read or the type's read scope, as the
// spec's alternatives allow. nil after answering.
func (c *call) propertyDefs() (string, []propDef) {
	name := strings.ToLower(c.param(0))
	if name == "contacts" || name == "contact" || name == "0-1" {
		if !c.hasScope(scopeSchemasContacts) && !c.hasScope(scopeContactsRead) {
			writeMissingScopes(c.w, []string{scopeSchemasContacts, scopeContactsRead})
			return "", nil
		}
		return "contacts", contactPropDefs
	}
	t := c.s.p.objectType(name)
	if t == nil {
		c.fail(http.StatusBadRequest, validationError("Unable to infer object type from: "+c.param(0)))
		return "", nil
	}
	if !c.hasScope(t.schemaScope) && !c.hasScope(t.readScope) {
		writeMissingScopes(c.w, []string{t.schemaScope, t.readScope})
		return "", nil
	}
	return t.name, t.props
}

// GET /crm/v3/properties/{objectType}
func (c *call) listProperties() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	_, defs := c.propertyDefs()
	if defs == nil {
		return
	}
	resp := listResponse[wireProperty]{Results: []wireProperty{}}
	if !c.queryBool("archived") {
		for k, d := range defs {
			resp.Results = append(resp.Results, c.s.p.toWireProperty(d, k))
		}
	}
	c.json(http.StatusOK, resp)
}

// GET /crm/v3/properties/{objectType}/{propertyName}
func (c *call) getProperty() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	_, defs := c.propertyDefs()
	if defs == nil {
		return
	}
	for k, d := range defs {
		if d.name == c.param(1) {
			c.json(http.StatusOK, c.s.p.toWireProperty(d, k))
			return
		}
	}
	c.fail(http.StatusNotFound, apiError{Category: "OBJECT_NOT_FOUND", Message: "Unable to find property " + c.param(1)})
}

// wireSchema is the Schemas API's ObjectSchema.
type wireSchema struct {
	ID                         string            `json:"id"`
	ObjectTypeID               string            `json:"objectTypeId"`
	Name                       string            `json:"name"`
	FullyQualifiedName         string            `json:"fullyQualifiedName"`
	Labels                     wireSchemaLabels  `json:"labels"`
	PrimaryDisplayProperty     string            `json:"primaryDisplayProperty"`
	RequiredProperties         []string          `json:"requiredProperties"`
	SearchableProperties       []string          `json:"searchableProperties"`
	SecondaryDisplayProperties []string          `json:"secondaryDisplayProperties"`
	Properties                 []wireProperty    `json:"properties"`
	Associations               []wireSchemaAssoc `json:"associations"`
	CreatedAt                  string            `json:"createdAt"`
	UpdatedAt                  string            `json:"updatedAt"`
	Archived                   bool              `json:"archived"`
}

type wireSchemaLabels struct {
	Singular string `json:"singular"`
	Plural   string `json:"plural"`
}

type wireSchemaAssoc struct {
	ID               string `json:"id"`
	FromObjectTypeID string `json:"fromObjectTypeId"`
	ToObjectTypeID   string `json:"toObjectTypeId"`
	Name             string `json:"name,omitempty"`
	CreatedAt        string `json:"createdAt"`
	UpdatedAt        string `json:"updatedAt"`
}

func (p *portal) toWireSchema(t *objectType) wireSchema {
	created := hubTime(p.anchor.Add(-500 * day))
	w := wireSchema{
		ID: strings.TrimPrefix(t.typeID, "2-"), ObjectTypeID: t.typeID, Name: t.name, FullyQualifiedName: t.fqn,
		Labels:                 wireSchemaLabels{Singular: t.labels[0], Plural: t.labels[1]},
		PrimaryDisplayProperty: t.display, RequiredProperties: []string{t.display},
		SearchableProperties: t.search, SecondaryDisplayProperties: []string{},
		Associations: []wireSchemaAssoc{}, CreatedAt: created, UpdatedAt: created,
	}
	for k, d := range t.props {
		w.Properties = append(w.Properties, p.toWireProperty(d, k))
	}
	return w
}

// GET /crm/v3/schemas: the portal's custom objects.
func (c *call) listSchemas() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	resp := listResponse[wireSchema]{Results: []wireSchema{}}
	for _, t := range c.s.p.types {
		if t.custom() {
			resp.Results = append(resp.Results, c.s.p.toWireSchema(t))
		}
	}
	c.json(http.StatusOK, resp)
}

// GET /crm/v3/schemas/{objectType}
func (c *call) getSchema() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	t := c.s.p.objectType(c.param(0))
	if t == nil || !t.custom() {
		c.notFound()
		return
	}
	c.json(http.StatusOK, c.s.p.toWireSchema(t))
}

type wirePipeline struct {
	ID           string      `json:"id"`
	Label        string      `json:"label"`
	DisplayOrder int         `json:"displayOrder"`
	Stages       []wireStage `json:"stages"`
	CreatedAt    string      `json:"createdAt"`
	UpdatedAt    string      `json:"updatedAt"`
	Archived     bool        `json:"archived"`
}

type wireStage struct {
	ID           string            `json:"id"`
	Label        string            `json:"label"`
	DisplayOrder int               `json:"displayOrder"`
	Metadata     map[string]string `json:"metadata"`
	CreatedAt    string            `json:"createdAt"`
	UpdatedAt    string            `json:"updatedAt"`
	Archived     bool              `json:"archived"`
	WritePerm    string            `json:"writePermissions"`
}

// GET /crm/v3/pipelines/{objectType}: deal stages carry isClosed and
// probability, ticket stages ticketState, all as strings as HubSpot sends them.
func (c *call) listPipelines() {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	t := c.s.p.objectType(c.param(0))
	if t == nil || len(t.pipelines) == 0 {
		c.fail(http.StatusBadRequest, validationError("Unable to infer object type from: "+c.param(0)))
		return
	}
	if !c.hasScope(t.readScope) {
		writeMissingScopes(c.w, []string{t.readScope})
		return
	}
	created := hubTime(c.s.p.anchor.Add(-800 * day))
	resp := listResponse[wirePipeline]{Results: []wirePipeline{}}
	for k, pl := range t.pipelines {
		wp := wirePipeline{ID: pl.id, Label: pl.label, DisplayOrder: k, Stages: []wireStage{}, CreatedAt: created, UpdatedAt: created}
		for sk, st := range pl.stages {
			md := map[string]string{}
			if t.name == "deals" {
				md["isClosed"] = boolString(st.closed)
				md["probability"] = st.probability
			} else {
				md["ticketState"] = map[bool]string{true: "CLOSED", false: "OPEN"}[st.closed]
			}
			wp.Stages = append(wp.Stages, wireStage{ID: st.id, Label: st.label, DisplayOrder: sk, Metadata: md, CreatedAt: created, UpdatedAt: created, WritePerm: "CRM_PERMISSIONS_ENFORCEMENT"})
		}
		resp.Results = append(resp.Results, wp)
	}
	c.json(http.StatusOK, resp)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
