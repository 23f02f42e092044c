package hubspot

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// PropertyProblem is one entry of the list HubSpot embeds, as JSON text, in
// the message of a "Property values were not valid" 400.
type PropertyProblem struct {
	Message string `json:"message"`
	Error   string `json:"error"` // e.g. INVALID_OWNER_ID, PROPERTY_DOESNT_EXIST
	Name    string `json:"name"`  // the property
}

const propertyErrorPrefix = "Property values were not valid: "

// PropertyProblems returns the problems of HubSpot's "Property values were
// not valid" 400. A batch update gets one such answer for the whole
// request, listing the problems of every input and naming none of them;
// the list in the message is the whole one (errors[] may be shorter). ok is
// false for any other error, or when the list cannot be read.
func PropertyProblems(err error) (problems []PropertyProblem, ok bool) {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != 400 {
		return nil, false
	}
	return e.propertyProblems()
}

func (e *APIError) propertyProblems() ([]PropertyProblem, bool) {
	embedded, found := strings.CutPrefix(e.Message, propertyErrorPrefix)
	if !found {
		return nil, false
	}
	var problems []PropertyProblem
	if json.Unmarshal([]byte(embedded), &problems) != nil || len(problems) == 0 {
		return nil, false
	}
	return problems, true
}

// ProblemsOfEveryInput reports whether problems are what n inputs would
// produce if every one of them failed alike: each distinct problem listed
// exactly n times. That is the answer when the batch's common values are
// wrong (every input's hubspot_owner_id naming a deactivated owner), which
// no splitting of the batch can get past.
func ProblemsOfEveryInput(problems []PropertyProblem, n int) bool {
	if n <= 0 || len(problems)%n != 0 {
		return false
	}
	counts := map[PropertyProblem]int{}
	for _, p := range problems {
		counts[p]++
	}
	for _, c := range counts {
		if c != n {
			return false
		}
	}
	return true
}

// WithoutProblems is problems less one occurrence of each of sub: what is
// left for the other inputs when some of a batch's inputs answered sub.
func WithoutProblems(problems, sub []PropertyProblem) []PropertyProblem {
	left := slices.Clone(problems)
	for _, s := range sub {
		if i := slices.Index(left, s); i >= 0 {
			left = slices.Delete(left, i, i+1)
		}
	}
	return left
}

// ProblemText is the distinct messages of problems, in order, as one line.
func ProblemText(problems []PropertyProblem) string {
	var msgs []string
	for _, p := range problems {
		if p.Message != "" && !slices.Contains(msgs, p.Message) {
			msgs = append(msgs, p.Message)
		}
	}
	return strings.Join(msgs, "; ")
}
