package hubspot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// TestNotFoundAgainstTheSandbox: an unknown contact is "not found"; a base
// URL that points at no API gets HubSpot's HTML 404, which must not read as
// "this contact does not exist" and must point at the base URL.
func TestNotFoundAgainstTheSandbox(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 10})
	ctx := context.Background()

	_, err := sb.client(hubspot.WithRetry(1)).GetContact(ctx, "999999999", nil)
	if !hubspot.IsNotFound(err) || hubspot.IsUnknownRoute(err) || !strings.Contains(err.Error(), "OBJECT_NOT_FOUND: resource not found") {
		t.Errorf("unknown contact: %v", err)
	}

	wrongBase := hubspot.New(hubspot.WithBaseURL(sb.URL+"/api"), hubspot.WithAccessToken(sb.Token), hubspot.WithRetry(1))
	for name, call := range map[string]func() error{
		"contact": func() error { _, err := wrongBase.GetContact(ctx, "1", nil); return err },
		"owner":   func() error { _, err := wrongBase.GetOwner(ctx, "1"); return err },
		"page":    func() error { _, err := wrongBase.ContactsPage(ctx, "", 10, nil); return err },
	} {
		err := call()
		if hubspot.IsNotFound(err) || !hubspot.IsUnknownRoute(err) {
			t.Errorf("%s on a wrong base URL: IsNotFound %v, IsUnknownRoute %v: %v", name, hubspot.IsNotFound(err), hubspot.IsUnknownRoute(err), err)
			continue
		}
		msg := err.Error()
		for _, want := range []string{"404", "an HTML page, not an API answer", "no HubSpot API serves this path", "check the base URL"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q lacks %q", name, msg, want)
			}
		}
		if strings.Contains(msg, "not found") || strings.Contains(msg, "proxy") {
			t.Errorf("%s: %q reads like a missing object or a proxy", name, msg)
		}
	}
}

// TestNotFoundEnvelopesAsCaptured: HubSpot's 404 bodies, as captured, all
// mean "no such object", with or without a category.
func TestNotFoundEnvelopesAsCaptured(t *testing.T) {
	for name, body := range map[string]string{
		"non-numeric ID": `{"status":"error","message":"Object not found.  objectId are usually numeric.","correlationId":"c1","context":{"id":["3f8d2a4e"]},"category":"OBJECT_NOT_FOUND"}`,
		"numeric ID":     `{"status":"error","message":"resource not found","correlationId":"c2","category":"OBJECT_NOT_FOUND"}`,
		"no category":    `{"status":"error","message":"resource not found","correlationId":"c3"}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(body))
		}))
		c := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken("pat-na1-3f8d2a4e-1b2c-4d5e-8f90-123456789abc"), hubspot.WithRetry(1))
		_, err := c.GetContact(context.Background(), "1", nil)
		srv.Close()
		if !hubspot.IsNotFound(err) || hubspot.IsUnknownRoute(err) || strings.Contains(err.Error(), "base URL") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
