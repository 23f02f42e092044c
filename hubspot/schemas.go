package hubspot

import (
	"context"
	"strconv"
	"time"
)

// ObjectSchema is a custom object's definition (Schemas API v3).
type ObjectSchema struct {
	ObjectTypeID       ObjectType `json:"objectTypeId"` // "2-…"
	Name               string     `json:"name"`
	FullyQualifiedName string     `json:"fullyQualifiedName"`
	Labels             struct {
		Singular string `json:"singular"`
		Plural   string `json:"plural"`
	} `json:"labels"`
	PrimaryDisplayProperty string     `json:"primaryDisplayProperty"`
	SearchableProperties   []string   `json:"searchableProperties"`
	Properties             []Property `json:"properties"`
	CreatedAt              time.Time  `json:"createdAt"`
	UpdatedAt              time.Time  `json:"updatedAt"`
	Archived               bool       `json:"archived"`
}

// Schemas lists the portal's custom objects (scope crm.schemas.custom.read).
func (c *Client) Schemas(ctx context.Context) ([]ObjectSchema, error) {
	w, _, err := call[wirePage[ObjectSchema]](ctx, c, request{method: "GET", path: "/crm/v3/schemas", replaySafe: true})
	if err != nil {
		return nil, err
	}
	return w.Results, nil
}

// DisplayProperty is the property that names a record of type t: company
// name, deal name, ticket subject, contact email; for custom objects ask
// their ObjectSchema's PrimaryDisplayProperty.
func DisplayProperty(t ObjectType) string {
	switch t {
	case ObjectCompanies, "0-2":
		return "name"
	case ObjectDeals, "0-3":
		return "dealname"
	case ObjectTickets, "0-5":
		return "subject"
	case ObjectContacts, "0-1":
		return PropEmail
	}
	return ""
}

// Pipeline is a deal or ticket pipeline (Pipelines API v3).
type Pipeline struct {
	ID           string          `json:"id"`
	Label        string          `json:"label"`
	DisplayOrder int             `json:"displayOrder"`
	Stages       []PipelineStage `json:"stages"`
	Archived     bool            `json:"archived"`
}

// PipelineStage is one stage. Metadata holds HubSpot's strings: isClosed and
// probability on deal stages, ticketState (OPEN, CLOSED) on ticket stages.
type PipelineStage struct {
	ID           string            `json:"id"`
	Label        string            `json:"label"`
	DisplayOrder int               `json:"displayOrder"`
	Metadata     map[string]string `json:"metadata"`
	Archived     bool              `json:"archived"`
}

// Closed reports whether records in this stage are closed.
func (s PipelineStage) Closed() bool {
	return s.Metadata["isClosed"] == "true" || s.Metadata["ticketState"] == "CLOSED"
}

// Probability is a deal stage's win probability; false when it has none.
func (s PipelineStage) Probability() (float64, bool) {
	p, err := strconv.ParseFloat(s.Metadata["probability"], 64)
	return p, err == nil
}

// Pipelines lists the pipelines of type t (deals or tickets).
func (c *Client) Pipelines(ctx context.Context, t ObjectType) ([]Pipeline, error) {
	if err := checkObjectType(t); err != nil {
		return nil, err
	}
	w, _, err := call[wirePage[Pipeline]](ctx, c, request{method: "GET", path: "/crm/v3/pipelines/" + string(t), replaySafe: true})
	if err != nil {
		return nil, err
	}
	return w.Results, nil
}

// ClosedStages is the set of closed stage IDs across pipelines.
func ClosedStages(pipelines []Pipeline) map[string]bool {
	out := map[string]bool{}
	for _, p := range pipelines {
		for _, s := range p.Stages {
			if s.Closed() {
				out[s.ID] = true
			}
		}
	}
	return out
}
