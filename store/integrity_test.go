package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// A big mirror is checked table by table, which must pass on a healthy one
// and read the contacts' first and last rows.
func TestIntegrityCheckOfABigMirror(t *testing.T) {
	m := openTestMirror(t, t.TempDir())
	ctx := context.Background()
	contacts := []hubspot.Contact{
		{ID: "1", Properties: hubspot.Properties{hubspot.PropEmail: "a@example.com"}},
		{ID: "2", Properties: hubspot.Properties{hubspot.PropEmail: "b@example.com"}},
	}
	if err := m.PutContacts(ctx, contacts, 1, nil); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{0, fullCheckLimit + 1} {
		if err := checkIntegrity(ctx, m.db, size); err != nil {
			t.Errorf("size %d: %v", size, err)
		}
	}
	if _, err := m.db.Exec("DROP TABLE owner_teams"); err != nil {
		t.Fatal(err)
	}
	if err := checkIntegrity(ctx, m.db, fullCheckLimit+1); err == nil {
		t.Error("a mirror missing a table passed the check")
	}
}

// A journal that cannot be opened is an error that says what to do, and the
// file is left exactly as it was: it is the record of changes, not a cache.
func TestCorruptJournalIsLeftUntouched(t *testing.T) {
	dir := t.TempDir()
	garbage := bytes.Repeat([]byte("not a database "), 400)
	if err := os.WriteFile(filepath.Join(dir, JournalFile), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := OpenJournal(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "left untouched") || !strings.Contains(err.Error(), "move it aside") {
		t.Fatalf("opening a corrupt journal: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, JournalFile)); !bytes.Equal(got, garbage) {
		t.Error("the corrupt journal was changed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files beside the journal: %v", entries)
	}
}
