package store

import (
	"context"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

func TestUsersSeatsAndNewOwnerReachTheMirror(t *testing.T) {
	ctx := context.Background()
	m := openTestMirror(t, t.TempDir())
	u := hubspot.User{ID: "1500001", Email: "new@example.com", FirstName: "New", LastName: "Hire",
		RoleIDs: []hubspot.RoleID{}, SeatNames: []string{"Sales Hub Professional", "Core Seat"}}
	if err := m.PutUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := m.PutOwner(ctx, hubspot.Owner{ID: "170100001", Type: hubspot.OwnerPerson, Email: u.Email,
		FirstName: "New", LastName: "Hire", UserID: u.ID, UserIDIncludingInactive: u.ID}); err != nil {
		t.Fatal(err)
	}
	rows, err := m.Users(ctx, Query{UserID: u.ID})
	if err != nil || len(rows) != 1 {
		t.Fatalf("users %v, %v", rows, err)
	}
	if !slices.Equal(rows[0].SeatNames, u.SeatNames) || rows[0].OwnerID != "170100001" {
		t.Errorf("row %+v: want the seats and the new owner", rows[0])
	}
	card, err := m.IDCardForUser(ctx, u.ID)
	if err != nil || !slices.Equal(card.Seats, u.SeatNames) || card.OwnerID != "170100001" {
		t.Errorf("card %+v, %v", card, err)
	}
	held, err := m.SeatNamesHeld(ctx)
	if want := []string{"Core Seat", "Sales Hub Professional"}; err != nil || !slices.Equal(held, want) {
		t.Errorf("seats held %v, %v; want %v", held, err, want)
	}
	// Freeing the seats clears them.
	u.SeatNames = nil
	if err := m.PutUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if rows, _ := m.Users(ctx, Query{UserID: u.ID}); len(rows) != 1 || len(rows[0].SeatNames) != 0 {
		t.Errorf("after freeing: %+v", rows)
	}
}
