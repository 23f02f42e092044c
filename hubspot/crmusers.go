package hubspot

import (
	"context"
	"iter"
)

// The CRM users object (0-115): one record per HubSpot user, with a record ID
// of its own (a third ID scheme) and the user ID in hs_internal_user_id.
const crmUsersType = "users"

// DefaultCRMUserProperties are the properties hsadmin reads from CRM user records.
var DefaultCRMUserProperties = []string{PropUserEmail, PropUserGivenName, PropUserFamilyName, PropUserInternalUserID, PropOwnerID, PropUserDeactivated}

func crmUserProps(props []string) []string {
	if len(props) == 0 {
		return DefaultCRMUserProperties
	}
	return props
}

// CRMUsersPage returns one page of CRM user records (at most 100).
func (c *Client) CRMUsersPage(ctx context.Context, after string, limit int, props []string) (Page[CRMUser], error) {
	return listObjects[CRMUser](ctx, c, crmUsersType, after, limit, crmUserProps(props))
}

// CRMUsers iterates over every CRM user record.
func (c *Client) CRMUsers(ctx context.Context, props []string) iter.Seq2[CRMUser, error] {
	props = crmUserProps(props)
	return paginate(ctx, func(ctx context.Context, after string) (Page[CRMUser], error) {
		return c.CRMUsersPage(ctx, after, maxObjectPage, props)
	})
}

// SearchCRMUsers runs one page of a CRM user search, e.g. hubspot_owner_id EQ
// an owner ID to go from an owner to its user.
func (c *Client) SearchCRMUsers(ctx context.Context, req SearchRequest) (SearchPage[CRMUser], error) {
	if len(req.Properties) == 0 {
		req.Properties = DefaultCRMUserProperties
	}
	return search[CRMUser](ctx, c, crmUsersType, req)
}

// GetCRMUserByInternalID reads the CRM user record of a Settings user.
func (c *Client) GetCRMUserByInternalID(ctx context.Context, id UserID, props []string) (CRMUser, error) {
	if err := checkID("user ID", string(id)); err != nil {
		return CRMUser{}, err
	}
	return getObject[CRMUser](ctx, c, crmUsersType, string(id), PropUserInternalUserID, crmUserProps(props))
}
