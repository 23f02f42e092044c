package hubspot

import "time"

// RateBudgets reports the client's current general and secondly budgets, for
// tests outside the package: (0, 0) when a budget is unlimited or not
// announced.
func (c *Client) RateBudgets() (general int, window time.Duration, secondly int) {
	general, window = c.limits.general.budget()
	secondly, _ = c.limits.secondly.budget()
	return general, window, secondly
}
