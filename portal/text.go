package portal

import "fmt"

// Thousands writes n with thousands separators, as counts read in plans,
// progress lines and the console: 1,000,000.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Plural counts what: "1 contact", "2,500 contacts".
func Plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return Thousands(n) + " " + what + "s"
}

// Confirmation thresholds, shared by the console and the commands so that
// both ask the same questions of the same jobs.
const (
	// TypedCountAbove is the size from which a change must be confirmed by
	// typing its number of records.
	TypedCountAbove = 500
	// ProductionConfirmAbove is the job size above which a production
	// portal asks for its name before running (issue 7: "more than 100
	// changes").
	ProductionConfirmAbove = 100
)
