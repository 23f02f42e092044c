package portal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal/explain"
	"github.com/hsadmin/hsadmin/store"
)

// A first sync that cannot reach HubSpot leaves nothing to browse: its
// error carries store.ErrNoMirror and its explanation does not promise a
// mirror. A later sync's network failure does.
func TestOfflineSyncSaysWhetherThereIsAMirror(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 40, Users: 5}, nil)
	e.srv.Close()
	err := e.p.Sync(context.Background(), nil)
	if !errors.Is(err, store.ErrNoMirror) {
		t.Fatalf("first sync offline: %v; want ErrNoMirror", err)
	}
	if msg := explain.Explain(err); msg == "" || strings.Contains(msg, explain.Offline) || !strings.Contains(msg, "no local mirror") {
		t.Errorf("first sync offline explained as %q", msg)
	}

	synced := newEnv(t, hubspottest.Config{Contacts: 40, Users: 5}, nil)
	synced.sync(t)
	synced.srv.Close()
	err = synced.p.Sync(context.Background(), nil)
	if err == nil || errors.Is(err, store.ErrNoMirror) || !strings.Contains(explain.Explain(err), explain.Offline) {
		t.Errorf("later sync offline: %v, explained as %q", err, explain.Explain(err))
	}
}

// A token's portal opens offline from the hub noted at an earlier start.
func TestOpenOfflineFindsTheTokensMirror(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 40, Users: 5}, nil)
	cfg := Config{Client: e.client, DataDir: e.dir, AccessToken: e.token, DirKey: "env-test"}
	p, _, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Sync(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	want := p.Info().Dir
	p.Close()
	e.srv.Close()

	p, notice, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("offline open: %v", err)
	}
	defer p.Close()
	if p.Info().Dir != want || !strings.Contains(notice, "cannot be reached") {
		t.Errorf("offline open: dir %s (want %s), notice %q", p.Info().Dir, want, notice)
	}

	other := cfg
	other.DirKey = "env-never-seen"
	if _, _, err := Open(context.Background(), other); !errors.Is(err, store.ErrNoMirror) {
		t.Errorf("offline open of an unknown token: %v; want ErrNoMirror", err)
	}
}

// An env token's scopes are learnt with its hub, so actions it cannot do
// are refused up front with the scope named.
func TestOpenLearnsATokensScopes(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 10, Users: 5}, nil)
	limited := e.sb.IssueToken("settings.users.read", "crm.objects.owners.read", "crm.objects.contacts.read")
	p, _, err := Open(context.Background(), Config{Client: e.client, DataDir: e.dir, AccessToken: limited, DirKey: "env-limited"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	info := p.Info()
	if info.HubID != e.sb.HubID() || len(info.Scopes) != 3 {
		t.Fatalf("info %+v", info)
	}
	if miss := info.MissingScope("crm.objects.contacts.write"); !strings.Contains(miss, "crm.objects.contacts.write") {
		t.Errorf("MissingScope(contacts.write) = %q", miss)
	}
	if miss := info.MissingScope("crm.objects.owners.read"); miss != "" {
		t.Errorf("MissingScope(owners.read) = %q for a granted scope", miss)
	}
}
