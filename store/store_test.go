package store

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

func openTestMirror(t *testing.T, dir string) *Mirror {
	t.Helper()
	m, notice, err := OpenMirror(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if notice != "" {
		t.Fatalf("unexpected notice %q", notice)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestMigrationsApplyOnceAndSetWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for range 2 { // the second open finds everything applied
		m, _, err := OpenMirror(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		var version int
		var mode string
		if err := m.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			t.Fatal(err)
		}
		if err := m.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if version != newestMigration(t, "mirror") || mode != "wal" {
			t.Fatalf("user_version %d, journal_mode %s", version, mode)
		}
		for _, table := range []string{"users", "user_roles", "user_teams", "roles", "teams", "owners", "owner_teams", "crm_users", "contacts", "sync_state", "sync_ranges", "contacts_fts", "object_types", "owner_properties", "records", "record_owners", "record_associations", "departures"} {
			if ok, err := m.exists(ctx, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, table); err != nil || !ok {
				t.Fatalf("table %s missing (%v)", table, err)
			}
		}
		m.Close()
	}
	j, err := OpenJournal(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if ok, _ := exists(j, "jobs"); !ok {
		t.Fatal("journal has no jobs table")
	}
}

func exists(j *Journal, table string) (bool, error) {
	var n int
	err := j.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n)
	return n == 1, err
}

func TestCorruptMirrorIsRebuiltAndJournalKept(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	j, err := OpenJournal(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := j.CreateJob(ctx, "reassign", "move 3 contacts", json.RawMessage(`{"to":"1"}`))
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	journalBefore, _ := os.ReadFile(filepath.Join(dir, JournalFile))

	garbage := []byte(strings.Repeat("this is not a database ", 400))
	if err := os.WriteFile(filepath.Join(dir, MirrorFile), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	m, notice, err := OpenMirror(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !strings.Contains(notice, "damaged") || !strings.Contains(notice, "journal") {
		t.Fatalf("notice %q does not explain the rebuild", notice)
	}
	aside, _ := filepath.Glob(filepath.Join(dir, MirrorFile+".broken-*"))
	if len(aside) != 1 {
		t.Fatalf("moved-aside files: %v", aside)
	}
	if kept, _ := os.ReadFile(aside[0]); string(kept) != string(garbage) {
		t.Fatal("the damaged file was not kept as it was")
	}
	if err := m.ReplaceDirectory(ctx, sampleDirectory(), time.Now()); err != nil {
		t.Fatalf("the rebuilt mirror does not work: %v", err)
	}
	if journalAfter, _ := os.ReadFile(filepath.Join(dir, JournalFile)); string(journalAfter) != string(journalBefore) {
		t.Fatal("the journal file changed")
	}
	j, err = OpenJournal(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	jobs, err := j.Jobs(ctx)
	if err != nil || len(jobs) != 1 || jobs[0].ID != id {
		t.Fatalf("journal after rebuild: %+v, %v", jobs, err)
	}
}

func TestJournal(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	id, err := j.CreateJob(ctx, "team-change", "move Ann to Sales", json.RawMessage(`{"team":"7"}`))
	if err != nil {
		t.Fatal(err)
	}
	items := []JobItem{
		{SubjectID: "101", Before: json.RawMessage(`{"owner":"1"}`), After: json.RawMessage(`{"owner":"2"}`)},
		{SubjectID: "102", Before: json.RawMessage(`{"owner":"1"}`), After: json.RawMessage(`{"owner":"2"}`)},
	}
	if err := j.AddItems(ctx, id, items); err != nil {
		t.Fatal(err)
	}
	if err := j.AddItems(ctx, id, items[:1]); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkItem(ctx, id, 2, ItemFailed, "INVALID_OWNER_ID"); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkItem(ctx, id, 9, ItemDone, ""); err == nil {
		t.Fatal("marking a missing item succeeded")
	}
	if err := j.FinishJob(ctx, id, JobFailed); err != nil {
		t.Fatal(err)
	}
	got, err := j.JobItems(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Seq != 1 || got[2].Seq != 3 || got[0].State != ItemPending ||
		got[1].State != ItemFailed || got[1].Error != "INVALID_OWNER_ID" || string(got[1].After) != `{"owner":"2"}` {
		t.Fatalf("items %+v", got)
	}
	jobs, _ := j.Jobs(ctx)
	if len(jobs) != 1 || jobs[0].State != JobFailed || jobs[0].Kind != "team-change" || string(jobs[0].Plan) != `{"team":"7"}` {
		t.Fatalf("jobs %+v", jobs)
	}
}

// sampleDirectory is a tiny portal with one of each oddity.
func sampleDirectory() Directory {
	return Directory{
		Roles: []hubspot.Role{{ID: "10", Name: "Sales"}, {ID: "11", Name: "Marketing"}},
		Teams: []hubspot.Team{{ID: "70", Name: "East"}, {ID: "71", Name: "West"}},
		Users: []hubspot.User{
			{ID: "500", Email: "ann@x.test", FirstName: "Ann", LastName: "Lee", RoleID: "10", RoleIDs: []hubspot.RoleID{"11", "10"}, PrimaryTeamID: "70", SecondaryTeamIDs: []hubspot.TeamID{"71"}},
			{ID: "501", Email: "bob@x.test", FirstName: "Bob", LastName: "Ng", RoleID: "10", RoleIDs: []hubspot.RoleID{"10"}},
			{ID: "502", Email: "cy@x.test", FirstName: "Cy", LastName: "Oz"}, // no owner
		},
		Owners: []hubspot.Owner{
			{ID: "900", Email: "ann@x.test", Type: hubspot.OwnerPerson, FirstName: "Ann", LastName: "Lee", UserID: "500", UserIDIncludingInactive: "500", Teams: []hubspot.OwnerTeam{{ID: "70", Name: "East", Primary: true}}},
			{ID: "502", Email: "robert@x.test", Type: hubspot.OwnerPerson, FirstName: "Bob", LastName: "Ng", UserID: "501", UserIDIncludingInactive: "501"}, // owner ID = Cy's user ID; email differs
			{ID: "902", Email: "dee@x.test", Type: hubspot.OwnerPerson, FirstName: "Dee", LastName: "Po", UserIDIncludingInactive: "503", Archived: true},
			{ID: "903", Type: hubspot.OwnerQueue, FirstName: "Inbound", LastName: "Queue"},
		},
		CRMUsers: []hubspot.CRMUser{
			{ID: "7001", Properties: hubspot.Properties{"hs_email": "ann@x.test", "hs_internal_user_id": "500", "hubspot_owner_id": "900"}},
			{ID: "7002", Properties: hubspot.Properties{"hs_email": "bob@x.test", "hs_internal_user_id": "501", "hubspot_owner_id": "900"}}, // wrong owner
			{ID: "7003", Properties: hubspot.Properties{"hs_email": "gone@x.test", "hs_internal_user_id": "777"}},                           // no such user
		},
	}
}

func contact(id, first, email string, owner hubspot.OwnerID) hubspot.Contact {
	return hubspot.Contact{ID: hubspot.ContactID(id), Properties: hubspot.Properties{
		"firstname": first, "lastname": "Smith", "email": email, "hubspot_owner_id": string(owner),
		"lastmodifieddate": "2025-03-01T10:00:00.123Z",
	}}
}

func sampleMirror(t *testing.T) *Mirror {
	t.Helper()
	ctx := context.Background()
	m := openTestMirror(t, t.TempDir())
	if err := m.ReplaceDirectory(ctx, sampleDirectory(), time.Now()); err != nil {
		t.Fatal(err)
	}
	contacts := []hubspot.Contact{
		contact("1", "Zed", "zed@a.test", "900"),
		contact("2", "Yan", "yan@a.test", "902"), // archived owner
		contact("3", "Xia", "xia@a.test", "501"), // a user ID: matches no owner
		contact("4", "Wes", "WES@B.test", ""),    // no owner
		contact("5", "Vic", "vic@b.test", "903"), // queue
		contact("6", "Uma", "uma@b.test", "900"),
	}
	if err := m.PutContacts(ctx, contacts, 1, nil); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestHubIDIsRememberedPerKey(t *testing.T) {
	dir := t.TempDir()
	if _, ok := RecallHubID(dir, "env-abc"); ok {
		t.Fatal("recalled a hub never remembered")
	}
	if err := RememberHubID(dir, "env-abc", 62515); err != nil {
		t.Fatal(err)
	}
	if err := RememberHubID(dir, "../env-other", 7); err != nil {
		t.Fatal(err)
	}
	if hub, ok := RecallHubID(dir, "env-abc"); !ok || hub != 62515 {
		t.Fatalf("recalled %d %v, want 62515", hub, ok)
	}
	if hub, ok := RecallHubID(dir, "../env-other"); !ok || hub != 7 {
		t.Fatalf("recalled %d %v, want 7", hub, ok)
	}
	if err := os.WriteFile(filepath.Join(dir, "keys", "env-bad"), []byte("not a number"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := RecallHubID(dir, "env-bad"); ok {
		t.Fatal("an unreadable note was recalled")
	}
}

// newestMigration is the number of the last migration of schema.
func newestMigration(t *testing.T, schema string) int {
	t.Helper()
	entries, err := fs.ReadDir(migrations, "migrations/"+schema)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.SplitN(entries[len(entries)-1].Name(), "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
