package hubspottest

import (
	"strconv"
	"strings"
)

// The CRM object types beyond contacts: companies, deals, tickets and one
// custom object. Each is described by an objectType, a table the generic
// record store (objectset.go), the wire handlers (objects.go), the
// Properties and Schemas APIs (properties.go) and search all read, so a new
// type is a new table, not new code. Contacts keep their own store for now
// (contactset.go); they could move onto this one later.

// Scopes of the object types (owned-records.md §3, the specs' security sections).
const (
	scopeCompaniesRead     = "crm.objects.companies.read"
	scopeCompaniesWrite    = "crm.objects.companies.write"
	scopeDealsRead         = "crm.objects.deals.read"
	scopeDealsWrite        = "crm.objects.deals.write"
	scopeTickets           = "tickets"
	scopeCustomRead        = "crm.objects.custom.read"
	scopeCustomWrite       = "crm.objects.custom.write"
	scopeSchemasCustomRead = "crm.schemas.custom.read"
	scopeSchemasContacts   = "crm.schemas.contacts.read"
	scopeSchemasCompanies  = "crm.schemas.companies.read"
	scopeSchemasDeals      = "crm.schemas.deals.read"
	scopeSchemasTickets    = "crm.schemas.tickets.read"
)

// objectScopes are the scopes the object types add to AllScopes.
var objectScopes = []string{
	scopeCompaniesRead, scopeCompaniesWrite, scopeDealsRead, scopeDealsWrite, scopeTickets,
	scopeCustomRead, scopeCustomWrite, scopeSchemasCustomRead,
	scopeSchemasContacts, scopeSchemasCompanies, scopeSchemasDeals, scopeSchemasTickets,
}

// propDef is one property of an object type, in the Properties API's terms.
type propDef struct {
	name, label, group string
	typ, fieldType     string // "string"/"text", "number"/"number", "datetime"/"date", "enumeration"/"select"|"checkbox", "bool"/"booleancheckbox"
	owner              bool   // referencedObjectType OWNER: values are owner IDs
	readOnly           bool   // set by HubSpot, READ_ONLY_VALUE on write
	hubspotDefined     bool
	options            []propOption // for enumerations that are not owner properties
}

type propOption struct {
	label, value string
	displayOrder int
}

func (d *propDef) multi() bool  { return d.owner && d.fieldType == "checkbox" }
func (d *propDef) isDate() bool { return d.typ == "datetime" || d.typ == "date" }
func (d *propDef) numeric() bool {
	return d.typ == "number" || d.name == "hubspot_owner_id" || d.name == "hs_object_id"
}

// pipeline is a deal or ticket pipeline (Pipelines API).
type pipeline struct {
	id, label string
	stages    []stage
}

type stage struct {
	id, label   string
	closed      bool   // deals: metadata.isClosed; tickets: ticketState CLOSED
	won         bool   // deals: the won stage
	probability string // deals: metadata.probability
}

// objectType is one CRM object type of the sandbox.
type objectType struct {
	name     string // "companies"
	typeID   string // "0-2", or "2-…" for the custom object
	singular string // "company", as the v4 API also accepts
	labels   [2]string
	fqn      string // custom object: fullyQualifiedName "p{hubId}_{name}"

	readScope, writeScope string
	schemaScope           string // crm.schemas.*.read, for its properties

	idBase  uint64 // record IDs: idBase + i*idStride + jitter
	salt    uint64 // keeps each type's generated stream apart
	display string // primary display property
	created string // creation date property
	search  []string

	props     []propDef
	byName    map[string]*propDef
	defaults  []string // properties a read returns when none are asked for
	pipelines []pipeline
	stages    []propOption // every pipeline's stages, for generating records
}

const objectIDStride = 3

func (t *objectType) prop(name string) *propDef { return t.byName[name] }
func (t *objectType) custom() bool              { return strings.HasPrefix(t.typeID, "2-") }

func (t *objectType) index() {
	t.byName = map[string]*propDef{}
	for k := range t.props {
		t.byName[t.props[k].name] = &t.props[k]
	}
	t.stages = stageOptions(t.pipelines)
}

// stage finds a pipeline stage by ID in any of the type's pipelines.
func (t *objectType) stage(id string) (*pipeline, *stage) {
	for pi := range t.pipelines {
		for si := range t.pipelines[pi].stages {
			if t.pipelines[pi].stages[si].id == id {
				return &t.pipelines[pi], &t.pipelines[pi].stages[si]
			}
		}
	}
	return nil, nil
}

func (t *objectType) searchSchema() objectSchema {
	s := objectSchema{known: func(n string) bool { return t.byName[n] != nil }, dates: map[string]bool{}, numeric: map[string]bool{}, queryProps: t.search}
	for _, d := range t.props {
		if d.isDate() {
			s.dates[d.name] = true
		}
		if d.numeric() {
			s.numeric[d.name] = true
		}
	}
	return s
}

// Properties every object type has.
func commonProps(created string) []propDef {
	return []propDef{
		{name: "hs_object_id", label: "Record ID", group: "objectinformation", typ: "number", fieldType: "number", readOnly: true, hubspotDefined: true},
		{name: created, label: "Create date", group: "objectinformation", typ: "datetime", fieldType: "date", readOnly: true, hubspotDefined: true},
		{name: "hs_lastmodifieddate", label: "Last modified date", group: "objectinformation", typ: "datetime", fieldType: "date", readOnly: true, hubspotDefined: true},
		{name: "hubspot_owner_id", label: "Owner", group: "objectinformation", typ: "enumeration", fieldType: "select", owner: true, hubspotDefined: true},
	}
}

func text(name, label, group string) propDef {
	return propDef{name: name, label: label, group: group, typ: "string", fieldType: "text", hubspotDefined: true}
}

func enum(name, label, group string, values ...string) propDef {
	d := propDef{name: name, label: label, group: group, typ: "enumeration", fieldType: "select", hubspotDefined: true}
	for k, v := range values {
		d.options = append(d.options, propOption{label: strings.ToUpper(v[:1]) + v[1:], value: v, displayOrder: k})
	}
	return d
}

var dealPipelines = []pipeline{
	{id: "default", label: "Sales Pipeline", stages: []stage{
		{id: "appointmentscheduled", label: "Appointment Scheduled", probability: "0.2"},
		{id: "qualifiedtobuy", label: "Qualified To Buy", probability: "0.4"},
		{id: "presentationscheduled", label: "Presentation Scheduled", probability: "0.6"},
		{id: "decisionmakerboughtin", label: "Decision Maker Bought-In", probability: "0.8"},
		{id: "contractsent", label: "Contract Sent", probability: "0.9"},
		{id: "closedwon", label: "Closed Won", closed: true, won: true, probability: "1.0"},
		{id: "closedlost", label: "Closed Lost", closed: true, probability: "0.0"},
	}},
	{id: "75261473", label: "Renewals", stages: []stage{
		{id: "138902841", label: "Renewal due", probability: "0.5"},
		{id: "138902842", label: "Renewed", closed: true, won: true, probability: "1.0"},
		{id: "138902843", label: "Churned", closed: true, probability: "0.0"},
	}},
}

var ticketPipelines = []pipeline{
	{id: "0", label: "Support Pipeline", stages: []stage{
		{id: "1", label: "New"},
		{id: "2", label: "Waiting on contact"},
		{id: "3", label: "Waiting on us"},
		{id: "4", label: "Closed", closed: true},
	}},
}

func stageOptions(ps []pipeline) []propOption {
	var out []propOption
	for _, p := range ps {
		for _, s := range p.stages {
			out = append(out, propOption{label: s.label, value: s.id, displayOrder: len(out)})
		}
	}
	return out
}

func pipelineOptions(ps []pipeline) []propOption {
	var out []propOption
	for k, p := range ps {
		out = append(out, propOption{label: p.label, value: p.id, displayOrder: k})
	}
	return out
}

// customObjectTypeID is the sandbox's custom object type ID: "2-" and a
// portal-specific number, as HubSpot assigns them.
func customObjectTypeID(hubID int64) string {
	return "2-" + strconv.FormatInt(40_000_000+hubID%1_000_000*7, 10)
}

// newObjectTypes builds the object types of a portal. The custom object's
// IDs depend on the portal's hub ID.
func newObjectTypes(hubID int64) []*objectType {
	companies := &objectType{
		name: "companies", typeID: "0-2", singular: "company", labels: [2]string{"Company", "Companies"},
		readScope: scopeCompaniesRead, writeScope: scopeCompaniesWrite, schemaScope: scopeSchemasCompanies,
		idBase: 5_000_000_001, salt: 0x2c0a, display: "name", created: "createdate",
		search: []string{"name", "domain"},
		props: append(commonProps("createdate"),
			text("name", "Company name", "companyinformation"),
			text("domain", "Company domain name", "companyinformation"),
			enum("industry", "Industry", "companyinformation", "software", "manufacturing", "retail", "healthcare", "education"),
			text("city", "City", "companyinformation"),
			propDef{name: "account_team", label: "Account team", group: "companyinformation", typ: "enumeration", fieldType: "checkbox", owner: true},
		),
		defaults: []string{"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"},
	}
	deals := &objectType{
		name: "deals", typeID: "0-3", singular: "deal", labels: [2]string{"Deal", "Deals"},
		readScope: scopeDealsRead, writeScope: scopeDealsWrite, schemaScope: scopeSchemasDeals,
		idBase: 9_000_000_001, salt: 0xdea1, display: "dealname", created: "createdate",
		search: []string{"dealname"}, pipelines: dealPipelines,
		props: append(commonProps("createdate"),
			text("dealname", "Deal Name", "dealinformation"),
			propDef{name: "amount", label: "Amount", group: "dealinformation", typ: "number", fieldType: "number", hubspotDefined: true},
			propDef{name: "pipeline", label: "Pipeline", group: "dealinformation", typ: "enumeration", fieldType: "select", hubspotDefined: true, options: pipelineOptions(dealPipelines)},
			propDef{name: "dealstage", label: "Deal Stage", group: "dealinformation", typ: "enumeration", fieldType: "radio", hubspotDefined: true, options: stageOptions(dealPipelines)},
			propDef{name: "closedate", label: "Close Date", group: "dealinformation", typ: "datetime", fieldType: "date", hubspotDefined: true},
			propDef{name: "hs_is_closed", label: "Is Deal Closed?", group: "dealinformation", typ: "bool", fieldType: "booleancheckbox", readOnly: true, hubspotDefined: true},
			propDef{name: "hs_is_closed_won", label: "Is Closed Won", group: "dealinformation", typ: "bool", fieldType: "booleancheckbox", readOnly: true, hubspotDefined: true},
			propDef{name: "secondary_owner", label: "Secondary owner", group: "dealinformation", typ: "enumeration", fieldType: "select", owner: true},
		),
		defaults: []string{"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"},
	}
	tickets := &objectType{
		name: "tickets", typeID: "0-5", singular: "ticket", labels: [2]string{"Ticket", "Tickets"},
		readScope: scopeTickets, writeScope: scopeTickets, schemaScope: scopeSchemasTickets,
		idBase: 1_800_000_001, salt: 0x71c4, display: "subject", created: "createdate",
		search: []string{"subject", "content"}, pipelines: ticketPipelines,
		props: append(commonProps("createdate"),
			text("subject", "Ticket name", "ticketinformation"),
			text("content", "Ticket description", "ticketinformation"),
			propDef{name: "hs_pipeline", label: "Pipeline", group: "ticketinformation", typ: "enumeration", fieldType: "select", hubspotDefined: true, options: pipelineOptions(ticketPipelines)},
			propDef{name: "hs_pipeline_stage", label: "Ticket status", group: "ticketinformation", typ: "enumeration", fieldType: "select", hubspotDefined: true, options: stageOptions(ticketPipelines)},
			enum("hs_ticket_priority", "Priority", "ticketinformation", "LOW", "MEDIUM", "HIGH"),
		),
		defaults: []string{"content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority", "subject"},
	}
	projects := &objectType{
		name: "projects", typeID: customObjectTypeID(hubID), singular: "project", labels: [2]string{"Project", "Projects"},
		fqn:       "p" + strconv.FormatInt(hubID, 10) + "_projects",
		readScope: scopeCustomRead, writeScope: scopeCustomWrite, schemaScope: scopeSchemasCustomRead,
		idBase: 21_000_000_001, salt: 0x9a0e, display: "project_name", created: "hs_createdate",
		search: []string{"project_name"},
		props: append(commonProps("hs_createdate"),
			propDef{name: "project_name", label: "Project name", group: "projects_information", typ: "string", fieldType: "text"},
			propDef{name: "status", label: "Status", group: "projects_information", typ: "enumeration", fieldType: "select",
				options: []propOption{{"Planned", "planned", 0}, {"Active", "active", 1}, {"Done", "done", 2}}},
			propDef{name: "implementation_lead", label: "Implementation lead", group: "projects_information", typ: "enumeration", fieldType: "select", owner: true},
		),
		defaults: []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id", "project_name"},
	}
	types := []*objectType{companies, deals, tickets, projects}
	for _, t := range types {
		t.index()
	}
	return types
}
