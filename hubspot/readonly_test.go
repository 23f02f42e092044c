package hubspot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// A read-only client reads everything and sends the sandbox no write at all.
func TestReadOnlyClientSendsNoWrite(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 50})
	var attempts []hubspot.Call
	c := sb.client(hubspot.WithReadOnly(), hubspot.WithObserver(func(c hubspot.Call) { attempts = append(attempts, c) }))
	ctx := context.Background()
	fx := sb.Fixtures()

	// Reads, including the POSTs that only read.
	users := collect(t, c.Users(ctx))
	page, err := c.ContactsPage(ctx, "", 10, []string{"email"})
	if err != nil {
		t.Fatal(err)
	}
	ids := []hubspot.ContactID{page.Results[0].ID, page.Results[1].ID}
	if got, err := c.BatchReadContacts(ctx, ids, nil); err != nil || len(got.Results) != 2 {
		t.Fatalf("batch read: %v %+v", err, got)
	}
	if _, err := c.SearchContacts(ctx, hubspot.SearchRequest{Limit: 5}); err != nil {
		t.Fatalf("search: %v", err)
	}
	if _, err := c.TokenInfo(ctx, sb.Token); err != nil {
		t.Fatalf("token info: %v", err)
	}
	readAttempts := len(attempts)

	// Every kind of write is refused in the process.
	user := users[0]
	writes := map[string]func() error{
		"PATCH contact": func() error {
			_, err := c.UpdateContact(ctx, ids[0], hubspot.Properties{"firstname": "Mallory"})
			return err
		},
		"batch update": func() error {
			_, err := c.BatchUpdateContacts(ctx, []hubspot.BatchInput{{ID: ids[0], Properties: hubspot.Properties{"hubspot_owner_id": ""}}})
			return err
		},
		"PUT user": func() error {
			_, err := c.UpdateUser(ctx, user.ID, hubspot.UserUpdate{FirstName: "Mallory"})
			return err
		},
		"add team member": func() error {
			return c.AddTeamMember(ctx, fx.Teams[0], hubspot.TeamMember{UserID: fx.UserWithoutOwner, Type: hubspot.MembershipSecondary})
		},
		"remove team member": func() error {
			return c.RemoveTeamMember(ctx, fx.Teams[0], hubspot.TeamMember{UserID: fx.MultiRoleUser, Type: hubspot.MembershipSecondary})
		},
	}
	for name, write := range writes {
		err := write()
		var ro *hubspot.ReadOnlyError
		if !errors.Is(err, hubspot.ErrReadOnly) || !errors.As(err, &ro) || ro.Method == "" || ro.Path == "" {
			t.Errorf("%s: got %v, want a *ReadOnlyError", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s: message %q does not say why", name, err)
		}
	}
	if len(attempts) != readAttempts {
		t.Errorf("refused writes made %d HTTP attempts", len(attempts)-readAttempts)
	}
	for _, r := range sb.Requests() {
		if r.Writes() {
			t.Errorf("the sandbox received a write: %s %s", r.Method, r.Path)
		}
	}
	if c, ok := sb.Contact(ids[0]); !ok || c.Properties["firstname"] == "Mallory" {
		t.Errorf("contact changed: %+v", c)
	}
}

// Without the option the same write goes through: the refusal above comes
// from WithReadOnly, not from the sandbox or the test data.
func TestWritableClientSendsTheWrite(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 5})
	ctx := context.Background()
	page, err := sb.client().ContactsPage(ctx, "", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sb.client().UpdateContact(ctx, page.Results[0].ID, hubspot.Properties{"firstname": "Mallory"}); err != nil {
		t.Fatal(err)
	}
	if c, _ := sb.Contact(page.Results[0].ID); c.Properties["firstname"] != "Mallory" {
		t.Errorf("write lost: %+v", c.Properties)
	}
}
