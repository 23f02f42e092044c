package hubspot

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func getUserErr(t *testing.T, h http.HandlerFunc) error {
	t.Helper()
	c, _, _ := testClient(t, h, WithRetry(1))
	_, err := c.GetUser(context.Background(), "7")
	if err == nil {
		t.Fatal("want an error")
	}
	return err
}

func TestAPIErrorDecodesTheEnvelope(t *testing.T) {
	err := getUserErr(t, status(400, `{"status":"error","message":"Cannot parse roleId 1;2 to a numerical value.",
		"correlationId":"c0ffee","category":"VALIDATION_ERROR","subCategory":"ValidationErrors.ROLE_ID_NOT_NUMERIC",
		"errors":[{"message":"m","code":"C","in":"roleId","subCategory":"s","context":{"k":["v"]}}],"context":{"top":["1"]}}`))
	var e *APIError
	if !errors.As(err, &e) {
		t.Fatalf("%T is not an *APIError", err)
	}
	want := APIError{StatusCode: 400, Status: "error", Message: "Cannot parse roleId 1;2 to a numerical value.",
		Category: "VALIDATION_ERROR", SubCategory: "ValidationErrors.ROLE_ID_NOT_NUMERIC", CorrelationID: "c0ffee",
		Method: "GET", Path: "/settings/v3/users/7", Attempts: 1}
	got := *e
	got.Errors, got.Context = nil, nil
	if got.StatusCode != want.StatusCode || got.Message != want.Message || got.Category != want.Category ||
		got.SubCategory != want.SubCategory || got.CorrelationID != want.CorrelationID || got.Status != want.Status ||
		got.Method != want.Method || got.Path != want.Path || got.Attempts != 1 || got.BodyProblem != "" {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if len(e.Errors) != 1 || e.Errors[0].In != "roleId" || e.Errors[0].Context["k"][0] != "v" || e.Context["top"][0] != "1" {
		t.Errorf("details: %+v %+v", e.Errors, e.Context)
	}
	msg := err.Error()
	for _, part := range []string{"400", "VALIDATION_ERROR", "ROLE_ID_NOT_NUMERIC", "Cannot parse roleId 1;2", "correlationId c0ffee", "GET /settings/v3/users/7"} {
		if !strings.Contains(msg, part) {
			t.Errorf("message %q lacks %q", msg, part)
		}
	}
}

func TestAPIErrorDescribesBodiesThatAreNotTheEnvelope(t *testing.T) {
	html := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		w.Write([]byte("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"))
	}
	htmlNoType := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		w.Write([]byte("\n<html><body>cloudflare</body></html>"))
	}
	plain := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(503)
		w.Write([]byte("upstream connect error"))
	}
	huge := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		w.Write([]byte(`{"message":"` + strings.Repeat("x", 2<<20) + `"}`))
	}
	brokenOff := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "500")
		w.WriteHeader(500)
		w.Write([]byte(`{"status":"error","mess`))
	}
	tests := []struct {
		name string
		h    http.HandlerFunc
		want string
	}{
		{"HTML from a proxy", html, "HubSpot answered 502 to GET /settings/v3/users/7 with a non-JSON body (looks like an HTML page from a proxy)"},
		{"HTML without content type", htmlNoType, "looks like an HTML page from a proxy"},
		{"plain text", plain, "503 to GET /settings/v3/users/7 with a non-JSON body (text/plain)"},
		{"truncated JSON", status(500, `{"status":"error","message":"Inter`), "with a truncated or malformed JSON body"},
		{"body broken off mid-read", brokenOff, "with a truncated JSON body (the connection broke off)"},
		{"empty body", status(504, ``), "504 to GET /settings/v3/users/7 with an empty body"},
		{"over 1 MiB", huge, "a JSON body over 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := getUserErr(t, tt.h)
			var e *APIError
			if !errors.As(err, &e) || e.BodyProblem == "" {
				t.Fatalf("want an *APIError with a BodyProblem, got %#v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q lacks %q", err.Error(), tt.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("message is %d bytes long; it should summarise, not quote", len(err.Error()))
			}
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	notFound := getUserErr(t, status(404, `{"status":"error","message":"resource not found","correlationId":"x","category":"OBJECT_NOT_FOUND"}`))
	invalidOwner := getUserErr(t, status(400, `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"9586504 is not a valid owner id\",\"error\":\"INVALID_OWNER_ID\",\"name\":\"hubspot_owner_id\"}]","correlationId":"y","errors":[{"message":"9586504 is not a valid owner id","code":"INVALID_OWNER_ID","context":{"propertyName":["hubspot_owner_id"]}}],"category":"VALIDATION_ERROR"}`))
	invalidOwnerMsgOnly := getUserErr(t, status(400, `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"1 is not a valid owner id\",\"error\":\"INVALID_OWNER_ID\",\"name\":\"hubspot_owner_id\"}]","category":"VALIDATION_ERROR"}`))
	invalidInteger := getUserErr(t, status(400, `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"x was not a valid integer (for owner ID).\",\"error\":\"INVALID_INTEGER\",\"name\":\"hubspot_owner_id\"}]","category":"VALIDATION_ERROR"}`))
	granular := getUserErr(t, status(403, `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"z","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.owners.read","crm.objects.users.read"]}}]}`))
	legacy := getUserErr(t, status(403, `{"status":"error","message":"missing","category":"MISSING_SCOPES","errors":[{"message":"m","context":{"requiredScopes":["contacts"]}}]}`))
	noList := getUserErr(t, status(403, `{"status":"error","message":"missing","category":"MISSING_SCOPES"}`))
	forbidden := getUserErr(t, status(403, `{"status":"error","message":"no","category":"FORBIDDEN"}`))
	expired := getUserErr(t, status(401, `{"status":"error","message":"The OAuth token used to make this call expired 5 second(s) ago.","correlationId":"e","category":"EXPIRED_AUTHENTICATION"}`))
	invalid := getUserErr(t, status(401, `{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}`))
	daily := getUserErr(t, status(429, `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"d","policyName":"DAILY"}`))

	if !IsNotFound(notFound) || IsNotFound(invalidOwner) {
		t.Error("IsNotFound")
	}
	if !IsInvalidOwner(invalidOwner) || !IsInvalidOwner(invalidOwnerMsgOnly) || IsInvalidOwner(invalidInteger) || IsInvalidOwner(notFound) {
		t.Error("IsInvalidOwner")
	}
	if !strings.Contains(invalidOwner.Error(), "9586504 is not a valid owner id") || !strings.Contains(invalidOwner.Error(), "not a user ID") {
		t.Errorf("invalid owner message: %s", invalidOwner)
	}
	if s, ok := MissingScopes(granular); !ok || !slices.Equal(s, []string{"crm.objects.owners.read", "crm.objects.users.read"}) {
		t.Errorf("MissingScopes(granular) = %v, %v", s, ok)
	}
	if !strings.Contains(granular.Error(), "grant the app the scope(s) crm.objects.owners.read, crm.objects.users.read") {
		t.Errorf("missing-scopes message: %s", granular)
	}
	if s, ok := MissingScopes(legacy); !ok || !slices.Equal(s, []string{"contacts"}) {
		t.Errorf("MissingScopes(legacy) = %v, %v", s, ok)
	}
	if s, ok := MissingScopes(noList); !ok || len(s) != 0 {
		t.Errorf("MissingScopes(noList) = %v, %v", s, ok)
	}
	if _, ok := MissingScopes(forbidden); ok {
		t.Error("a 403 without MISSING_SCOPES is not a missing scope")
	}
	if !IsAuthError(expired) || !IsAuthError(invalid) || IsAuthError(granular) {
		t.Error("IsAuthError")
	}
	if !strings.Contains(expired.Error(), "expired") || !strings.Contains(expired.Error(), "correlationId e") {
		t.Errorf("expired message: %s", expired)
	}
	if p, ok := IsRateLimited(daily); !ok || p != "DAILY" {
		t.Errorf("IsRateLimited = %q, %v", p, ok)
	}
	if !strings.Contains(daily.Error(), "daily API limit") {
		t.Errorf("daily message: %s", daily)
	}
	var apiErr *APIError
	if !errors.As(daily, &apiErr) || apiErr.Category != "RATE_LIMIT" || apiErr.CorrelationID != "d" {
		t.Errorf("a RateLimitError should unwrap to its APIError, got %+v", apiErr)
	}
	if _, ok := IsRateLimited(notFound); ok {
		t.Error("a 404 is not a rate limit")
	}
	for _, err := range []error{nil, errors.New("plain")} {
		if IsNotFound(err) || IsInvalidOwner(err) || IsAuthError(err) {
			t.Errorf("helpers should be false for %v", err)
		}
		if _, ok := MissingScopes(err); ok {
			t.Errorf("MissingScopes(%v)", err)
		}
	}
}
