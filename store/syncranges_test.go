package store

import (
	"context"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

func TestFullSyncRangesLifecycle(t *testing.T) {
	ctx := context.Background()
	m := openTestMirror(t, t.TempDir())
	if err := m.PutContacts(ctx, []hubspot.Contact{contact("5", "Old", "old@a.test", "7")}, 1, nil); err != nil {
		t.Fatal(err)
	}
	st := SyncState{Phase: PhaseContacts, Generation: 2, InProgress: true}
	plan := []SyncRange{{ID: 0, Lo: 0, Hi: 100}, {ID: 1, Lo: 100, Hi: 0, Cursor: "100"}}
	if err := m.StartFullSync(ctx, st, plan); err != nil {
		t.Fatal(err)
	}
	if got, err := m.SyncRanges(ctx, PhaseContacts); err != nil || !slices.Equal(got, plan) {
		t.Fatalf("ranges %+v, %v; want %+v", got, err, plan)
	}
	if ok, _ := m.exists(ctx, `SELECT 1 FROM sqlite_master WHERE name = 'contacts_owner'`); ok {
		t.Fatal("the owner index is kept up during the full sync")
	}

	// A page of range 0, then range 0 split at 50.
	if err := m.PutRangeContacts(ctx, []hubspot.Contact{contact("10", "Ann", "ann@a.test", "7")}, 2,
		RangeProgress{Phase: PhaseContacts, Range: 0, Cursor: "20"}); err != nil {
		t.Fatal(err)
	}
	if err := m.SplitSyncRange(ctx, PhaseContacts, 0, SyncRange{ID: 2, Lo: 50, Hi: 100, Cursor: "50"}); err != nil {
		t.Fatal(err)
	}
	if err := m.PutRangeContacts(ctx, nil, 2, RangeProgress{Phase: PhaseContacts, Range: 1, Cursor: "", Done: true}); err != nil {
		t.Fatal(err)
	}
	want := []SyncRange{{ID: 0, Lo: 0, Hi: 50, Cursor: "20"}, {ID: 2, Lo: 50, Hi: 100, Cursor: "50"}, {ID: 1, Lo: 100, Cursor: "", Done: true}}
	if got, err := m.SyncRanges(ctx, PhaseContacts); err != nil || !slices.Equal(got, want) {
		t.Fatalf("ranges %+v, %v; want %+v", got, err, want)
	}

	st.InProgress = false
	dropped, err := m.FinishFullSync(ctx, st)
	if err != nil || dropped != 1 {
		t.Fatalf("FinishFullSync dropped %d, %v; want the one contact generation 2 never saw", dropped, err)
	}
	if got, _ := m.SyncRanges(ctx, PhaseContacts); len(got) != 0 {
		t.Fatalf("ranges left after the full sync: %+v", got)
	}
	if ok, _ := m.exists(ctx, `SELECT 1 FROM sqlite_master WHERE name = 'contacts_owner'`); !ok {
		t.Fatal("the owner index was not built again")
	}
	if got, _ := m.SyncState(ctx, PhaseContacts); got.InProgress || got.Generation != 2 {
		t.Fatalf("state after the full sync %+v", got)
	}
}

// A mirror whose full sync was interrupted before ranges existed resumes
// its one cursor as a range.
func TestMigrationMovesAnInterruptedCursorToARange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m, _, err := OpenMirror(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE sync_ranges`,
		// and what later migrations add (0004: the records of other types)
		`DROP TABLE object_types`, `DROP TABLE owner_properties`, `DROP TABLE records`,
		`DROP TABLE record_owners`, `DROP TABLE record_associations`,
		`ALTER TABLE users DROP COLUMN seat_names`, // 0010: users' seats
		`PRAGMA user_version = 2`,
		`INSERT INTO sync_state (phase, cursor, in_progress, generation) VALUES ('contacts', '12345', 1, 4)`,
	} {
		if _, err := m.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()

	m = openTestMirror(t, dir)
	got, err := m.SyncRanges(ctx, PhaseContacts)
	if want := []SyncRange{{ID: 0, Cursor: "12345"}}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("ranges %+v, %v; want %+v", got, err, want)
	}
	if st, _ := m.SyncState(ctx, PhaseContacts); !st.InProgress || st.Cursor != "" || st.Generation != 4 {
		t.Fatalf("state %+v, want the interrupted sync with its cursor moved", st)
	}
}
