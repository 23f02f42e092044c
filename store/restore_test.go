package store

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

func TestRestoreChecklist(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	job, err := j.CreateJob(ctx, "team-change", "move Ann", nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.UnixMilli(1_700_000_000_000)
	if err := j.AddRestoreItems(ctx, []RestoreItem{
		{JobID: job, UserID: "100", UserName: "Ann", RoleID: "2", RoleName: "Marketing", Link: "l", DroppedAt: t0},
		{JobID: job, UserID: "100", UserName: "Ann", RoleID: "3", RoleName: "Service", Link: "l", DroppedAt: t0},
	}); err != nil {
		t.Fatal(err)
	}
	n, err := j.TickRestored(ctx, t0.Add(time.Hour), func(u hubspot.UserID, r hubspot.RoleID) bool { return u == "100" && r == "2" })
	if err != nil || n != 1 {
		t.Fatalf("ticked %d, %v", n, err)
	}
	open, _ := j.RestoreItems(ctx, false)
	all, _ := j.RestoreItems(ctx, true)
	if len(open) != 1 || open[0].RoleName != "Service" || !open[0].Open() || !open[0].DroppedAt.Equal(t0) {
		t.Fatalf("open %+v", open)
	}
	if len(all) != 2 || all[1].RoleID != "2" || !all[1].RestoredAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("all %+v", all)
	}
	// Ticking again finds nothing new.
	if n, _ := j.TickRestored(ctx, time.Now(), func(hubspot.UserID, hubspot.RoleID) bool { return false }); n != 0 {
		t.Fatalf("ticked %d", n)
	}
}

// A role is listed once per job and user, however often it is added (a
// killed run's check adds it again at the next start).
func TestRestoreItemListedOnce(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	job, err := j.CreateJob(ctx, "team-change", "move Ann", nil)
	if err != nil {
		t.Fatal(err)
	}
	item := RestoreItem{JobID: job, UserID: "100", UserName: "Ann", RoleID: "2", RoleName: "Marketing", Link: "l"}
	for range 2 {
		if err := j.AddRestoreItems(ctx, []RestoreItem{item}); err != nil {
			t.Fatal(err)
		}
	}
	other, err := j.CreateJob(ctx, "team-change", "move Ann again", nil)
	if err != nil {
		t.Fatal(err)
	}
	item.JobID = other // another job dropping the same role is another entry
	if err := j.AddRestoreItems(ctx, []RestoreItem{item}); err != nil {
		t.Fatal(err)
	}
	if all, _ := j.RestoreItems(ctx, true); len(all) != 2 {
		t.Fatalf("checklist %+v; want one entry per job", all)
	}
}

func TestCompleteItemKeepsTheOutcome(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	job, _ := j.CreateJob(ctx, "role-change", "s", nil)
	if err := j.AddItems(ctx, job, []JobItem{{SubjectID: "1"}}); err != nil {
		t.Fatal(err)
	}
	if raw, err := j.ItemOutcome(ctx, job, 1); err != nil || string(raw) != "null" {
		t.Fatalf("outcome before completion %s %v", raw, err)
	}
	if err := j.CompleteItem(ctx, job, 1, ItemFailed, "roles differ", json.RawMessage(`{"roleIds":["4"]}`)); err != nil {
		t.Fatal(err)
	}
	items, _ := j.JobItems(ctx, job)
	raw, err := j.ItemOutcome(ctx, job, 1)
	if err != nil || string(raw) != `{"roleIds":["4"]}` || items[0].State != ItemFailed || items[0].Error != "roles differ" {
		t.Fatalf("%s %v %+v", raw, err, items)
	}
	if err := j.CompleteItem(ctx, job, 2, ItemDone, "", nil); err == nil {
		t.Fatal("completed a missing item")
	}
}

func TestPutUserReplacesOneUser(t *testing.T) {
	ctx := context.Background()
	m := sampleMirror(t)
	users, err := m.Users(ctx, Query{})
	if err != nil || len(users) == 0 {
		t.Fatal(users, err)
	}
	roles, err := m.RoleList(ctx)
	if err != nil || len(roles) == 0 {
		t.Fatal(roles, err)
	}
	teams, err := m.TeamList(ctx)
	if err != nil || len(teams) == 0 {
		t.Fatal(teams, err)
	}
	u := users[0]
	put := hubspot.User{ID: u.UserID, Email: u.Email, FirstName: u.Name, RoleID: roles[0].ID,
		RoleIDs: []hubspot.RoleID{roles[0].ID}, PrimaryTeamID: teams[0].ID}
	if err := m.PutUser(ctx, put); err != nil {
		t.Fatal(err)
	}
	got, _ := m.Users(ctx, Query{UserID: u.UserID})
	if len(got) != 1 || len(got[0].RoleIDs) != 1 || got[0].RoleIDs[0] != roles[0].ID || got[0].PrimaryTeamID != teams[0].ID || len(got[0].SecondaryTeamIDs) != 0 {
		t.Fatalf("after PutUser %+v", got)
	}
	if held, err := m.HoldsRole(ctx, u.UserID, roles[0].ID); err != nil || !held {
		t.Fatalf("HoldsRole %v %v", held, err)
	}
	if all, _ := m.Users(ctx, Query{}); len(all) != len(users) {
		t.Fatalf("PutUser changed the number of users: %d → %d", len(users), len(all))
	}
}

// Ticking by hand is recorded as such, with who and when; a later sync
// does not overwrite it, and an item a sync ticked stays "seen at sync".
func TestRestoreTickByHand(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	job, err := j.CreateJob(ctx, "team-change", "move Ann", nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.UnixMilli(1_700_000_000_000)
	if err := j.AddRestoreItems(ctx, []RestoreItem{
		{JobID: job, UserID: "100", UserName: "Ann", RoleID: "2", RoleName: "Marketing", Link: "l", DroppedAt: t0},
		{JobID: job, UserID: "100", UserName: "Ann", RoleID: "3", RoleName: "Service", Link: "l", DroppedAt: t0},
	}); err != nil {
		t.Fatal(err)
	}
	items, _ := j.RestoreItems(ctx, false)
	byRole := map[hubspot.RoleID]int64{}
	for _, it := range items {
		byRole[it.RoleID] = it.ID
	}
	if _, err := j.TickByHand(ctx, []int64{byRole["2"], 999}, "ann", t0); !errors.Is(err, ErrNoSuchRestoreItem) {
		t.Fatalf("an unknown item: %v", err)
	}
	if open, _ := j.RestoreItems(ctx, false); len(open) != 2 {
		t.Fatalf("a failed tick ticked something: %+v", open)
	}
	ticked, err := j.TickByHand(ctx, []int64{byRole["2"], byRole["2"]}, "ann", t0.Add(time.Minute))
	if err != nil || len(ticked) != 1 {
		t.Fatalf("ticked %v, %v", ticked, err)
	}
	if again, err := j.TickByHand(ctx, []int64{byRole["2"]}, "bo", t0.Add(2*time.Minute)); err != nil || len(again) != 0 {
		t.Fatalf("ticking again: %v, %v", again, err)
	}
	if n, err := j.TickRestored(ctx, t0.Add(time.Hour), func(hubspot.UserID, hubspot.RoleID) bool { return true }); err != nil || n != 1 {
		t.Fatalf("sync ticked %d, %v", n, err)
	}
	all, _ := j.RestoreItems(ctx, true)
	got := map[hubspot.RoleID]RestoreItem{}
	for _, it := range all {
		got[it.RoleID] = it
	}
	if h := got["2"]; h.RestoredHow != RestoredByHand || h.RestoredBy != "ann" || !h.RestoredAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("ticked by hand: %+v", h)
	}
	if s := got["3"]; s.RestoredHow != RestoredAtSync || s.RestoredBy != "" || !s.RestoredAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("ticked at sync: %+v", s)
	}
}
