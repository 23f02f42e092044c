package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// standardTypes are the object types HubSpot defines that hold owners, in
// the order hsadmin shows them.
var standardTypes = []store.ObjectTypeInfo{
	{Type: hubspot.ObjectContacts, Singular: "Contact", Plural: "Contacts", DisplayProperty: hubspot.PropEmail},
	{Type: hubspot.ObjectCompanies, Singular: "Company", Plural: "Companies", DisplayProperty: hubspot.DisplayProperty(hubspot.ObjectCompanies)},
	{Type: hubspot.ObjectDeals, Singular: "Deal", Plural: "Deals", DisplayProperty: hubspot.DisplayProperty(hubspot.ObjectDeals)},
	{Type: hubspot.ObjectTickets, Singular: "Ticket", Plural: "Tickets", DisplayProperty: hubspot.DisplayProperty(hubspot.ObjectTickets)},
}

// stageProperties are the pipeline stage properties of the types with
// pipelines.
var stageProperties = map[hubspot.ObjectType]string{
	hubspot.ObjectDeals:   "dealstage",
	hubspot.ObjectTickets: "hs_pipeline_stage",
}

// discoverTypes finds the object types the token can read (contacts,
// companies, deals, tickets and the custom objects of the Schemas API) and
// the owner properties of each, and stores them in the mirror. A type or
// property list the token cannot read is skipped and said once, naming the
// missing scopes.
func (p *Portal) discoverTypes(ctx context.Context, progress chan<- SyncProgress) ([]*syncType, error) {
	candidates := append([]store.ObjectTypeInfo(nil), standardTypes...)
	custom, err := p.customTypes(ctx, progress)
	if err != nil {
		return nil, err
	}
	candidates = append(candidates, custom...)

	m := newMeter(progress, "object types", -1)
	var found []*syncType
	for _, c := range candidates {
		t, err := p.discoverType(ctx, progress, c)
		if errors.Is(err, errSkipped) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found = append(found, t)
		m.add(1)
	}
	m.finish()
	infos := make([]store.ObjectTypeInfo, len(found))
	for i, t := range found {
		infos[i] = t.ObjectTypeInfo
	}
	if err := p.mirror.ReplaceObjectTypes(ctx, infos); err != nil {
		return nil, err
	}
	return found, nil
}

// customTypes are the portal's custom objects; none, said once, when the
// token cannot read their schemas.
func (p *Portal) customTypes(ctx context.Context, progress chan<- SyncProgress) ([]store.ObjectTypeInfo, error) {
	schemas, err := p.client.Schemas(ctx)
	if err = skipped(progress, "custom objects", err); errors.Is(err, errSkipped) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("reading custom object schemas: %w", err)
	}
	var out []store.ObjectTypeInfo
	for _, s := range schemas {
		if s.Archived {
			continue
		}
		out = append(out, store.ObjectTypeInfo{
			Type: s.ObjectTypeID, Singular: firstNonBlank(s.Labels.Singular, s.Name),
			Plural: firstNonBlank(s.Labels.Plural, s.Name), DisplayProperty: s.PrimaryDisplayProperty,
		})
	}
	return out, nil
}

// discoverType checks that the token can read c's records and reads its
// owner properties and, for deals and tickets, their closed stages.
func (p *Portal) discoverType(ctx context.Context, progress chan<- SyncProgress, c store.ObjectTypeInfo) (*syncType, error) {
	t := &syncType{ObjectTypeInfo: c, phase: strings.ToLower(c.Plural), stageProp: stageProperties[c.Type]}
	if c.Type != hubspot.ObjectContacts { // contacts are read by the contacts path, which says so itself
		_, err := p.client.RecordsPage(ctx, c.Type, "", 1, []string{"hs_object_id"})
		if err := skipped(progress, t.phase, err); err != nil {
			return nil, wrapUnless(err, "reading %s", t.phase)
		}
	}
	props, err := p.client.OwnerProperties(ctx, c.Type)
	switch err := skipped(progress, t.phase+" owner properties", err); {
	case errors.Is(err, errSkipped):
		// The records can still be read: their default owner is known.
		props = []hubspot.OwnerProperty{{Name: hubspot.PropOwnerID, Label: c.Singular + " owner", HubSpotDefined: true}}
	case err != nil:
		return nil, fmt.Errorf("reading the properties of %s: %w", t.phase, err)
	}
	t.OwnerProperties = props
	if t.stageProp != "" {
		pipelines, err := p.client.Pipelines(ctx, c.Type)
		switch err := skipped(progress, t.phase+" pipelines", err); {
		case errors.Is(err, errSkipped):
			t.stageProp = "" // closed or open is unknown: every record counts as open
		case err != nil:
			return nil, fmt.Errorf("reading the pipelines of %s: %w", t.phase, err)
		default:
			t.closed = hubspot.ClosedStages(pipelines)
		}
	}
	return t, nil
}

// wrapUnless wraps err with a context, leaving errSkipped as it is.
func wrapUnless(err error, format string, args ...any) error {
	if errors.Is(err, errSkipped) {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

func firstNonBlank(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
