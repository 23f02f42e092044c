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
