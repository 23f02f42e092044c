package signin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

func TestSessionFromPrivateAppToken(t *testing.T) {
	sb := hubspottest.New(hubspottest.Config{Contacts: 10, Users: 5})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	tok := sb.IssueToken("settings.users.read", "settings.users.write", "crm.objects.owners.read", "crm.objects.contacts.read")
	sess, err := Introspect(context.Background(), hubspot.New(hubspot.WithBaseURL(srv.URL)), tok)
	if err != nil {
		t.Fatal(err)
	}
	if sess.HubID != sb.HubID() || !sess.ScopesKnown || sess.UserID == "" {
		t.Errorf("session %+v", sess)
	}
	tests := map[string][]string{
		ActionSync:                nil,
		ActionTeamChange:          nil,
		ActionRoleChange:          nil,
		ActionReassign:            {"crm.objects.contacts.write"},
		ActionUndoReassign:        {"crm.objects.contacts.write"},
		ActionTeamChangeKeepRoles: {"settings.users.teams.write"},
		ActionPaidSeatRoleChange:  {"settings.billing.write"},
		"reasign":                 {"(unknown action reasign)"},
	}
	for action, want := range tests {
		if got := sess.MissingFor(action); !reflect.DeepEqual(got, want) {
			t.Errorf("MissingFor(%s) = %v, want %v", action, got, want)
		}
	}
	if got := sess.DisabledReason(ActionTeamChangeKeepRoles); got != "needs the scope settings.users.teams.write (add it to the app and run hsadmin login)" {
		t.Errorf("DisabledReason = %q", got)
	}
	if got := sess.DisabledReason(ActionSync); got != "" {
		t.Errorf("DisabledReason(sync) = %q", got)
	}
	for _, a := range Actions() {
		if _, ok := actionScopes[a]; !ok {
			t.Errorf("Actions lists %s", a)
		}
	}
}

func TestSessionAlternativeScopes(t *testing.T) {
	// crm.objects.users.* stand in for settings.users.* on the user endpoints.
	s := Session{ScopesKnown: true, Scopes: []string{"crm.objects.users.read", "crm.objects.users.write", "crm.objects.owners.read"}}
	if got := s.MissingFor(ActionTeamChange); got != nil {
		t.Errorf("team-change: %v", got)
	}
	if got := s.MissingFor(ActionSync); !reflect.DeepEqual(got, []string{"crm.objects.contacts.read"}) {
		t.Errorf("sync: %v", got)
	}
	if got := s.DisabledReason(ActionPaidSeatRoleChange); !strings.Contains(got, "needs the scope settings.billing.write") {
		t.Errorf("paid seat: %q", got)
	}
	none := Session{ScopesKnown: true}
	if got := none.DisabledReason(ActionPaidSeatRoleChange); got != "needs the scopes settings.users.write, settings.billing.write (add them to the app and run hsadmin login)" {
		t.Errorf("DisabledReason = %q", got)
	}
}

func TestUnknownTokenGivesUnknownScopes(t *testing.T) {
	// HubSpot's OAuth endpoint answers 404 for a private app token.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		w.Write([]byte(`{"status":"error","message":"Token not found","category":"OBJECT_NOT_FOUND"}`))
	}))
	defer srv.Close()
	sess, err := Introspect(context.Background(), hubspot.New(hubspot.WithBaseURL(srv.URL)), "pat-na1-unknown")
	if err != nil {
		t.Fatal(err)
	}
	if sess.ScopesKnown || !sess.HasScope("anything") || sess.MissingFor(ActionReassign) != nil {
		t.Errorf("unknown scopes should disable nothing: %+v", sess)
	}
}

func TestIntrospectErrorHidesToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		w.Write([]byte(`{"status":"error","message":"failed for ` + strings.TrimPrefix(r.URL.Path, "/oauth/v1/access-tokens/") + `"}`))
	}))
	defer srv.Close()
	const tok = "CN-secret-access-token"
	_, err := Introspect(context.Background(), hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithRetry(1)), tok)
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), tok) {
		t.Errorf("token in error: %v", err)
	}
}
