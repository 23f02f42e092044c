package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

func seatLeft(t *testing.T, c *hubspot.Client, name string) int {
	t.Helper()
	seats, err := c.Seats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seats {
		if s.Name == name {
			return s.Remaining
		}
	}
	t.Fatalf("no seat %q in %+v", name, seats)
	return 0
}

func TestCreateUserAndSeatsAgainstTheSandbox(t *testing.T) {
	ctx := context.Background()
	sb := newSandbox(t, hubspottest.Config{Contacts: -1})
	c := sb.client()
	const seat = "Core Seat"
	sb.SetRemainingSeats(seat, 1)
	teams := sb.Fixtures().Teams
	u, err := c.CreateUser(ctx, hubspot.UserProvision{
		Email: "ana.new@example.com", FirstName: "Ana", LastName: "New",
		PrimaryTeamID: teams[0], SecondaryTeamIDs: []hubspot.TeamID{teams[1]}, SeatNames: []string{seat},
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || u.Email != "ana.new@example.com" || u.PrimaryTeamID != teams[0] || len(u.SeatNames) != 1 {
		t.Errorf("created %+v", u)
	}
	if left := seatLeft(t, c, seat); left != 0 {
		t.Errorf("%d left after taking the last seat", left)
	}

	_, err = c.CreateUser(ctx, hubspot.UserProvision{Email: "ANA.NEW@example.com"})
	if !hubspot.IsDuplicateUser(err) || !strings.Contains(err.Error(), "already has a HubSpot user") {
		t.Errorf("duplicate: %v", err)
	}
	_, err = c.CreateUser(ctx, hubspot.UserProvision{Email: "bo@example.com", SeatNames: []string{seat}})
	if !hubspot.IsNoSeatLeft(err) || !strings.Contains(err.Error(), "hsadmin seats") {
		t.Errorf("no seat left: %v", err)
	}

	noBilling := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithAccessToken(sb.IssueToken("settings.users.write", "settings.users.read")), hubspot.WithRateBudget(0, 0))
	_, err = noBilling.SetUserSeats(ctx, u.ID, nil)
	if !hubspot.IsBillingRefusal(err) || !strings.Contains(err.Error(), hubspot.ScopeBillingWrite) {
		t.Errorf("freeing without the billing scope: %v", err)
	}
	if _, err := noBilling.Seats(ctx); err == nil {
		t.Error("seats without the billing scope answered")
	} else if scopes, ok := hubspot.MissingScopes(err); !ok || len(scopes) != 1 || scopes[0] != hubspot.ScopeBillingWrite {
		t.Errorf("seats without the billing scope: %v (%v)", err, scopes)
	}

	freed, err := c.SetUserSeats(ctx, u.ID, nil)
	if err != nil || len(freed.SeatNames) != 0 {
		t.Fatalf("freeing: %+v, %v", freed, err)
	}
	if left := seatLeft(t, c, seat); left != 1 {
		t.Errorf("%d left after freeing the seat, want 1", left)
	}
	if _, err := c.CreateUser(ctx, hubspot.UserProvision{Email: "x@example.com", RoleID: "1;2"}); err == nil {
		t.Error("a joined role ID was sent")
	}
}

func TestCreateUserIsNeverReplayed(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: -1})
	sb.SetFaults(hubspottest.Faults{Seed: 3, ServerErrors: 1})
	_, err := sb.client(hubspot.WithRetry(5)).CreateUser(context.Background(), hubspot.UserProvision{Email: "once@example.com"})
	if err == nil {
		t.Fatal("want the 5xx")
	}
	posts := 0
	for _, r := range sb.Requests() {
		if r.Method == "POST" {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("%d POSTs, want 1: a create is never replayed", posts)
	}
}
