package hubspottest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// apiError is HubSpot's standard error envelope. Field order follows what
// HubSpot sends; every error gets a fresh correlationId when written.
type apiError struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   string              `json:"subCategory,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Links         map[string]string   `json:"links,omitempty"`
}

type errorDetail struct {
	Message     string              `json:"message"`
	Code        string              `json:"code,omitempty"`
	In          string              `json:"in,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

const (
	msgInvalidAuth   = "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
	msgMissingScopes = "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes."
	scopesLink       = "https://developers.hubspot.com/scopes"
	msgNotFound      = "resource not found"
)

const jsonContentType = "application/json;charset=utf-8"

func newCorrelationID() string { return uuid.NewString() }

func writeJSON(w http.ResponseWriter, status int, v any) {
	// HubSpot does not HTML-escape JSON ("&" stays "&" in paging links).
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		// Every value written here is built from plain structs; failing to
		// encode one is a bug in the sandbox, so say so loudly.
		panic(fmt.Sprintf("hubspottest: encoding response: %v", err))
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, e apiError) {
	e.Status = "error"
	e.CorrelationID = newCorrelationID()
	writeJSON(w, status, e)
}

func validationError(msg string) apiError {
	return apiError{Category: "VALIDATION_ERROR", Message: msg}
}

func notFound() apiError { return apiError{Category: "OBJECT_NOT_FOUND", Message: msgNotFound} }

func writeMissingScopes(w http.ResponseWriter, required []string) {
	writeError(w, http.StatusForbidden, apiError{
		Category: "MISSING_SCOPES",
		Message:  msgMissingScopes,
		Errors: []errorDetail{{
			Message: "One or more of the following scopes are required.",
			Context: map[string][]string{"requiredGranularScopes": append([]string(nil), required...)},
		}},
		Links: map[string]string{"scopes": scopesLink},
	})
}

// decodeBody decodes a JSON request body, answering HubSpot's "Invalid input
// JSON" 400 and returning false when it is not valid JSON for v.
func decodeBody(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		line, col := 1, 1
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		offset := int64(len(body))
		switch {
		case errors.As(err, &syn):
			offset = syn.Offset
		case errors.As(err, &typ):
			offset = typ.Offset
		}
		for i := int64(0); i < offset && i < int64(len(body)); i++ {
			if body[i] == '\n' {
				line++
				col = 1
			} else {
				col++
			}
		}
		writeError(w, http.StatusBadRequest, validationError(
			fmt.Sprintf("Invalid input JSON on line %d, column %d: %s", line, col, err.Error())))
		return false
	}
	return true
}

// hubTime formats a time the way HubSpot does: UTC, milliseconds, Z.
func hubTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func millisTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// paging is the forward-paging envelope; absent on the last page.
type paging struct {
	Next nextPage `json:"next"`
}

type nextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

func nextPaging(after, link string) *paging {
	if after == "" {
		return nil
	}
	return &paging{Next: nextPage{After: after, Link: link}}
}
