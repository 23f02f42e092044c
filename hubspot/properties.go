package hubspot

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// Property is a property definition (Properties API v3).
type Property struct {
	Name                 string           `json:"name"`
	Label                string           `json:"label"`
	Type                 string           `json:"type"`      // string, number, date, datetime, enumeration, bool
	FieldType            string           `json:"fieldType"` // text, select, checkbox, radio, date, …
	Description          string           `json:"description"`
	GroupName            string           `json:"groupName"`
	Options              []PropertyOption `json:"options"`
	ReferencedObjectType string           `json:"referencedObjectType,omitempty"`
	ExternalOptions      bool             `json:"externalOptions"`
	HubSpotDefined       bool             `json:"hubspotDefined"`
	Calculated           bool             `json:"calculated"`
	Hidden               bool             `json:"hidden"`
	ModificationMetadata struct {
		ReadOnlyValue bool `json:"readOnlyValue"`
	} `json:"modificationMetadata"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	Archived  bool      `json:"archived"`
}

// PropertyOption is one choice of an enumeration property.
type PropertyOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// IsOwnerProperty reports whether the property's values are owner IDs:
// hubspot_owner_id, or any property whose options are the portal's owners.
func (p Property) IsOwnerProperty() bool {
	return p.Name == PropOwnerID || p.ReferencedObjectType == "OWNER"
}

// ReadOnly reports whether HubSpot refuses writes to the property's value.
func (p Property) ReadOnly() bool { return p.ModificationMetadata.ReadOnlyValue }

// OwnerProperty is a property of an object type that holds owner IDs.
type OwnerProperty struct {
	Name  string
	Label string
	// Multi is a multi-select ("checkbox"): the value is owner IDs joined
	// by ";", so changing one owner rewrites the string with only that ID
	// replaced.
	Multi          bool
	HubSpotDefined bool // hubspot_owner_id and HubSpot's own owner properties
	ReadOnly       bool
}

// ObjectProperties lists the property definitions of object type t.
func (c *Client) ObjectProperties(ctx context.Context, t ObjectType) ([]Property, error) {
	if err := checkObjectType(t); err != nil {
		return nil, err
	}
	q := url.Values{"archived": {strconv.FormatBool(false)}}
	w, _, err := call[wirePage[Property]](ctx, c, request{method: "GET", path: "/crm/v3/properties/" + string(t), query: q, replaySafe: true})
	if err != nil {
		return nil, err
	}
	return w.Results, nil
}

// GetProperty reads one property definition.
func (c *Client) GetProperty(ctx context.Context, t ObjectType, name string) (Property, error) {
	if err := checkObjectType(t); err != nil {
		return Property{}, err
	}
	p, _, err := call[Property](ctx, c, request{method: "GET", path: "/crm/v3/properties/" + string(t) + "/" + url.PathEscape(name), replaySafe: true})
	return p, err
}

// OwnerProperties lists the owner properties of type t: hubspot_owner_id
// and every property with referencedObjectType OWNER, in HubSpot's order.
func (c *Client) OwnerProperties(ctx context.Context, t ObjectType) ([]OwnerProperty, error) {
	props, err := c.ObjectProperties(ctx, t)
	if err != nil {
		return nil, err
	}
	return OwnerPropertiesOf(props), nil
}

// OwnerPropertiesOf picks the owner properties out of a property list.
func OwnerPropertiesOf(props []Property) []OwnerProperty {
	var out []OwnerProperty
	for _, p := range props {
		if !p.IsOwnerProperty() || p.Archived {
			continue
		}
		out = append(out, OwnerProperty{
			Name: p.Name, Label: p.Label, Multi: p.FieldType == "checkbox",
			HubSpotDefined: p.HubSpotDefined, ReadOnly: p.ReadOnly(),
		})
	}
	return out
}
