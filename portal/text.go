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
