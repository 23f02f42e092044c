package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// mirrorWithSalesforceOwner is the sample portal plus an active PERSON owner
// with no HubSpot user (userId and userIdIncludingInactive null, no teams),
// as HubSpot lists owners synced from Salesforce, holding two contacts.
func mirrorWithSalesforceOwner(t *testing.T) *Mirror {
	t.Helper()
	ctx := context.Background()
	m := openTestMirror(t, t.TempDir())
	d := sampleDirectory()
	d.Owners = append(d.Owners, hubspot.Owner{ID: "904", Email: "sam@x.test", Type: hubspot.OwnerPerson, FirstName: "Sam", LastName: "Rae"})
	if err := m.ReplaceDirectory(ctx, d, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := m.PutContacts(ctx, []hubspot.Contact{contact("1", "Zed", "zed@a.test", "904"), contact("2", "Yan", "yan@a.test", "904")}, 1, nil); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOwnerWithoutUserFindings(t *testing.T) {
	m := mirrorWithSalesforceOwner(t)
	findings, err := m.Findings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		var label string
		for _, r := range f.Records {
			if r.OwnerID == "904" {
				label = r.Label
			}
		}
		switch f.Kind {
		case FindingOwnersWithoutUser:
			if label != "Sam Rae (owner 904): active, no HubSpot user (e.g. synced from Salesforce)" {
				t.Errorf("%s: label %q", f.Kind, label)
			}
			if !strings.Contains(f.Why, "synced from Salesforce") {
				t.Errorf("%s: why %q", f.Kind, f.Why)
			}
		default:
			// Not archived, not unknown, not a queue, no user to collide
			// with: no other finding is about this owner.
			if label != "" {
				t.Errorf("%s lists the owner without a user: %q", f.Kind, label)
			}
		}
	}
}

func TestOwnerWithoutUserIDCard(t *testing.T) {
	m := mirrorWithSalesforceOwner(t)
	ctx := context.Background()
	card, err := m.IDCardForOwner(ctx, "904")
	if err != nil {
		t.Fatal(err)
	}
	if !card.Active || !card.NoUser || card.OwnerArchived || card.UserID != "" || card.ContactCount != 2 {
		t.Fatalf("card %+v", card)
	}
	if len(card.Mismatches) != 1 || !strings.Contains(card.Mismatches[0], "an owner with no HubSpot user, e.g. synced from Salesforce") {
		t.Errorf("mismatches %q", card.Mismatches)
	}
	res, err := m.Resolve(ctx, "904")
	if err != nil || len(res.Matches) != 1 || res.Matches[0].Scheme != SchemeOwnerID || !res.Matches[0].Card.NoUser {
		t.Fatalf("Resolve(904) = %+v, %v", res, err)
	}
	res, err = m.Resolve(ctx, "sam@x.test")
	if err != nil || len(res.Matches) != 1 || !res.Matches[0].Card.NoUser {
		t.Fatalf("Resolve(sam@x.test) = %+v, %v", res, err)
	}
	// A queue and an archived owner are not "without a user" in this sense.
	for _, id := range []hubspot.OwnerID{"902", "903"} {
		if c, _ := m.IDCardForOwner(ctx, id); c.NoUser {
			t.Errorf("owner %s: NoUser", id)
		}
	}
}
