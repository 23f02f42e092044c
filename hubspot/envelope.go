package hubspot

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// maxErrorBody is how much of an error answer is read. HubSpot's envelopes
// are small; anything larger is a proxy page or garbage.
const maxErrorBody = 1 << 20

// envelope is HubSpot's error body. Rate-limit answers use the older shape
// (errorType instead of category), so both are read.
type envelope struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	Category      string              `json:"category"`
	ErrorType     string              `json:"errorType"`
	SubCategory   string              `json:"subCategory"`
	CorrelationID string              `json:"correlationId"`
	PolicyName    string              `json:"policyName"`
	Errors        []ErrorDetail       `json:"errors"`
	Context       map[string][]string `json:"context"`
}

// readAPIError builds an *APIError from a non-2xx answer. It never fails: a
// body that is not HubSpot's envelope is described in BodyProblem instead.
// readErr reports a body that broke off while being read.
// maxLoggedBody bounds the error body an APIError keeps for the API log:
// HubSpot's envelopes are a few KiB; a proxy's HTML page needs no more.
const maxLoggedBody = 64 << 10

func readAPIError(resp *http.Response) (apiErr *APIError, readErr error) {
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+1))
	e := &APIError{StatusCode: resp.StatusCode}
	tooLong := len(body) > maxErrorBody
	if tooLong {
		body = body[:maxErrorBody]
	}
	trimmed := bytes.TrimSpace(body)
	e.Body = string(trimmed[:min(len(trimmed), maxLoggedBody)])

	var env envelope
	switch {
	case len(trimmed) == 0 && readErr != nil:
		e.BodyProblem = "a body that broke off before any of it arrived"
	case len(trimmed) == 0:
		e.BodyProblem = "an empty body"
	case trimmed[0] != '{':
		e.BodyProblem = describeNonJSON(resp.StatusCode, resp.Header.Get("Content-Type"), trimmed)
	case jsonUnmarshal(trimmed, &env) != nil:
		switch {
		case tooLong:
			e.BodyProblem = "a JSON body over 1 MiB (not read further)"
		case readErr != nil:
			e.BodyProblem = "a truncated JSON body (the connection broke off)"
		default:
			e.BodyProblem = "a truncated or malformed JSON body"
		}
	default:
		e.Status = env.Status
		e.Message = env.Message
		e.Category = env.Category
		if e.Category == "" {
			e.Category = env.ErrorType
		}
		e.SubCategory = env.SubCategory
		e.CorrelationID = env.CorrelationID
		e.PolicyName = env.PolicyName
		e.Errors = env.Errors
		e.Context = env.Context
	}
	return e, readErr
}

// describeNonJSON names what a proxy or load balancer sent instead of JSON,
// or HubSpot itself: its 404 for a path no API serves is a web page.
func describeNonJSON(status int, contentType string, body []byte) string {
	lower := strings.ToLower(string(body[:min(len(body), 512)]))
	switch {
	case strings.Contains(contentType, "html") || strings.HasPrefix(lower, "<!doctype html") || strings.HasPrefix(lower, "<html") || strings.Contains(lower, "<body"):
		if status == http.StatusNotFound {
			return "an HTML page, not an API answer"
		}
		return "a non-JSON body (looks like an HTML page from a proxy)"
	case contentType != "":
		mt, _, _ := strings.Cut(contentType, ";")
		return "a non-JSON body (" + strings.TrimSpace(mt) + ")"
	default:
		return "a non-JSON body"
	}
}
