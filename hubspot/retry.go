package hubspot

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

const (
	defaultMaxAttempts = 4
	backoffBase        = 500 * time.Millisecond
	backoffCap         = 8 * time.Second
	lockedMinWait      = 2 * time.Second // HubSpot asks for ≥2 s after a 423
	secondlyWait       = time.Second
	// maxServerWait bounds a wait HubSpot asks for (Retry-After, a rate
	// window). Asked to wait longer, the client gives up at once and reports
	// the wait instead of hanging an interactive console.
	maxServerWait = 2 * time.Minute
)

// verdict is what one attempt's outcome means for the next.
type verdict int

const (
	done      verdict = iota // success, or an error retrying cannot fix
	retry                    // transient; retry if the operation is replay-safe
	rateRetry                // refused by a rate limit before any processing: safe to retry for every operation
)

// backoff is the jittered exponential wait before attempt n+1 (n ≥ 1): half
// the nominal delay fixed, half random, so that concurrent clients spread out.
func backoff(n int) time.Duration {
	d := backoffBase << (n - 1)
	if d > backoffCap || d <= 0 {
		d = backoffCap
	}
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter parses a Retry-After header (delay seconds or an HTTP date).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// statusVerdict classifies a non-2xx status other than 429.
func statusVerdict(status int) verdict {
	switch {
	case status >= 500, status == http.StatusLocked, status == 477:
		return retry
	}
	return done
}

// serverWait is the minimum wait before retrying a transient status: exactly
// Retry-After when HubSpot sent one; otherwise at least 2 s after a 423, and
// the caller's backoff on top.
func serverWait(status int, h http.Header) (d time.Duration, exact bool) {
	if d, ok := retryAfter(h, time.Now()); ok {
		return d, true
	}
	if status == http.StatusLocked {
		return lockedMinWait, false
	}
	return 0, false
}

// rateLimitWait is how long to wait out a 429 by policy; ok is false for the
// DAILY policy, which no wait within reason fixes.
func rateLimitWait(policy string, h http.Header, search bool) (time.Duration, bool) {
	if policy == "DAILY" {
		return 0, false
	}
	if d, ok := retryAfter(h, time.Now()); ok {
		return d, true
	}
	switch policy {
	case "SECONDLY":
		return secondlyWait, true
	case "TEN_SECONDLY_ROLLING":
		return rateWindow(h), true
	}
	if search {
		return secondlyWait, true
	}
	return rateWindow(h), true
}
