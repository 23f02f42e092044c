package hubspot_test

import (
	"context"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// An empty portal answers every list with no results, not with the default
// 5,000 contacts and not with an error.
func TestSandboxEmptyPortal(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: -1})
	c := sb.client()
	ctx := context.Background()
	if n := sb.Summary().Contacts; n != 0 {
		t.Fatalf("summary says %d contacts", n)
	}
	if got := collect(t, c.Contacts(ctx, nil)); len(got) != 0 {
		t.Errorf("listed %d contacts", len(got))
	}
	page, err := c.SearchContacts(ctx, hubspot.SearchRequest{Limit: 10})
	if err != nil || page.Total != 0 || len(page.Results) != 0 {
		t.Errorf("search: %v %+v", err, page)
	}
	if got, err := c.BatchReadContacts(ctx, []hubspot.ContactID{"1"}, nil); err != nil || len(got.Results) != 0 || len(got.Errors) == 0 {
		t.Errorf("batch read of a missing contact: %v %+v", err, got)
	}
	if len(collect(t, c.Users(ctx))) == 0 || len(collect(t, c.Owners(ctx, hubspot.OwnerListOptions{}))) == 0 {
		t.Error("an empty portal still has its users and owners")
	}
}

// A portal with a single user (its super admin) generates and serves.
func TestSandboxOneUserPortal(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Users: 1, Contacts: 200})
	c := sb.client()
	ctx := context.Background()
	users := collect(t, c.Users(ctx))
	if len(users) != 1 || !users[0].SuperAdmin {
		t.Fatalf("users %+v", users)
	}
	owners := collect(t, c.Owners(ctx, hubspot.OwnerListOptions{}))
	mine := false
	for _, o := range owners {
		mine = mine || o.UserID == users[0].ID
	}
	if !mine {
		t.Errorf("the only user has no owner: %+v", owners)
	}
	contacts := collect(t, c.Contacts(ctx, []string{"hubspot_owner_id"}))
	if len(contacts) != 200 {
		t.Errorf("%d contacts", len(contacts))
	}
}
