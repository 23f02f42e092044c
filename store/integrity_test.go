package store

import (
	"context"
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
