package hubspottest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// HubSpot's rate limits, enforced only when Config.RateLimit is set:
//   - a rolling 10-second window per private app (Config.RateLimitMax,
//     default 100) or per OAuth app install (110), reported in the
//     X-HubSpot-RateLimit-* headers on every non-search response;
//   - optionally a per-second budget per app (Config.RateLimitSecondly),
//     reported in X-HubSpot-RateLimit-Secondly and -Secondly-Remaining as
//     some portals do (Max 200 with Secondly 20 was captured);
//   - a daily budget per account for private apps (none for OAuth);
//   - search at SearchPerSecond (default 5) per account, with no headers.
//
// HubSpot always announces its budget. An unthrottled sandbox announces a
// budget no client will reach (unthrottledMax …), so a client that keeps to
// the announced budget runs at full speed instead of at a cautious default.
//
// Time comes from the injectable clock, so tests never sleep.

const (
	rateWindow          = 10 * time.Second
	defaultRateMax      = 100
	oauthRateMax        = 110
	defaultSearchPerSec = 5
	defaultDailyLimit   = 250_000

	unthrottledMax      = 1_000_000     // per 10 s
	unthrottledSecondly = 100_000       // per second
	unthrottledDaily    = 1_000_000_000 // per day
)

type rateLimiter struct {
	enabled      bool
	max          int
	secondly     int // per second per app; 0: none
	searchPerSec int
	daily        int
	hubID        int64

	mu         sync.Mutex
	windows    map[string][]time.Time // request times within the window, oldest first
	seconds    map[string][]time.Time // request times within the last second, for the secondly budget
	searches   []time.Time            // search request times within the last second
	day        string
	dailyCount int
}

func newRateLimiter(cfg Config) *rateLimiter {
	l := &rateLimiter{
		enabled: cfg.RateLimit, max: cfg.RateLimitMax, secondly: max(0, cfg.RateLimitSecondly), searchPerSec: cfg.SearchPerSecond,
		daily: cfg.DailyLimit, hubID: cfg.HubID, windows: map[string][]time.Time{}, seconds: map[string][]time.Time{},
	}
	if l.max <= 0 {
		l.max = defaultRateMax
	}
	if l.searchPerSec <= 0 {
		l.searchPerSec = defaultSearchPerSec
	}
	if l.daily <= 0 {
		l.daily = defaultDailyLimit
	}
	return l
}

// rateLimitBody is the old-style 429 envelope: errorType, not category.
type rateLimitBody struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	ErrorType     string `json:"errorType"`
	CorrelationID string `json:"correlationId"`
	PolicyName    string `json:"policyName"`
	GroupName     string `json:"groupName,omitempty"`
	RequestID     string `json:"requestId,omitempty"`
}

const (
	policyTenSecondly = "TEN_SECONDLY_ROLLING"
	policySecondly    = "SECONDLY"
	policyDaily       = "DAILY"
)

func rateLimitResponse(policy, group string) rateLimitBody {
	b := rateLimitBody{Status: "error", ErrorType: "RATE_LIMIT", CorrelationID: newCorrelationID(), PolicyName: policy}
	switch policy {
	case policySecondly:
		b.Message = "You have reached your secondly limit."
	case policyDaily:
		b.Message = "You have reached your daily limit."
		b.RequestID = newCorrelationID()
	default:
		b.PolicyName = policyTenSecondly
		b.Message = "You have reached your ten_secondly_rolling limit."
		b.GroupName = group
	}
	return b
}

// admit counts a request and reports whether it may proceed; when it may
// not, the 429 has been written.
func (l *rateLimiter) admit(w http.ResponseWriter, t *token, search bool, now time.Time) bool {
	if !l.enabled {
		if !search {
			writeUnthrottledHeaders(w, t.kind == tokenPrivateApp)
		}
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	private := t.kind == tokenPrivateApp

	if d := now.UTC().Format(time.DateOnly); d != l.day {
		l.day, l.dailyCount = d, 0
	}
	if private && l.dailyCount >= l.daily {
		if !search {
			l.writeHeaders(w, t, true)
		}
		writeJSON(w, http.StatusTooManyRequests, rateLimitResponse(policyDaily, ""))
		return false
	}

	if search {
		l.searches = trimBefore(l.searches, now.Add(-time.Second))
		if len(l.searches) >= l.searchPerSec {
			writeJSON(w, http.StatusTooManyRequests, rateLimitResponse(policySecondly, ""))
			return false
		}
		l.searches = append(l.searches, now)
		l.dailyCount++
		return true
	}

	key := t.rateKey()
	win := trimBefore(l.windows[key], now.Add(-rateWindow))
	l.windows[key] = win
	if len(win) >= l.maxFor(t) {
		l.writeHeaders(w, t, private)
		kind := "private_app"
		if !private {
			kind = "oauth"
		}
		group := "publicapi:" + kind + "-api-calls-ten-secondly:" + strconv.FormatInt(t.appID, 10) + ":" + strconv.FormatInt(l.hubID, 10)
		writeJSON(w, http.StatusTooManyRequests, rateLimitResponse(policyTenSecondly, group))
		return false
	}
	if l.secondly > 0 {
		sec := trimBefore(l.seconds[key], now.Add(-time.Second))
		l.seconds[key] = sec
		if len(sec) >= l.secondly {
			l.writeHeaders(w, t, private)
			writeJSON(w, http.StatusTooManyRequests, rateLimitResponse(policySecondly, ""))
			return false
		}
		l.seconds[key] = append(sec, now)
	}
	l.windows[key] = append(win, now)
	l.dailyCount++
	l.writeHeaders(w, t, private)
	return true
}

func (l *rateLimiter) maxFor(t *token) int {
	if t.kind == tokenOAuth {
		return oauthRateMax
	}
	return l.max
}

// writeHeaders sets the X-HubSpot-RateLimit-* headers; the daily ones only
// for private apps, as HubSpot omits them for OAuth.
func (l *rateLimiter) writeHeaders(w http.ResponseWriter, t *token, daily bool) {
	h := w.Header()
	maxN := l.maxFor(t)
	h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(maxN))
	h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(max(0, maxN-len(l.windows[t.rateKey()]))))
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.Itoa(int(rateWindow/time.Millisecond)))
	if l.secondly > 0 {
		h.Set("X-HubSpot-RateLimit-Secondly", strconv.Itoa(l.secondly))
		h.Set("X-HubSpot-RateLimit-Secondly-Remaining", strconv.Itoa(max(0, l.secondly-len(l.seconds[t.rateKey()]))))
	}
	if daily {
		h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(l.daily))
		h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(max(0, l.daily-l.dailyCount)))
	}
}

// writeUnthrottledHeaders announces the unthrottled sandbox's budget: one
// nothing reaches, so Remaining stays at the maximum.
func writeUnthrottledHeaders(w http.ResponseWriter, daily bool) {
	h := w.Header()
	h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(unthrottledMax))
	h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(unthrottledMax))
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.Itoa(int(rateWindow/time.Millisecond)))
	h.Set("X-HubSpot-RateLimit-Secondly", strconv.Itoa(unthrottledSecondly))
	h.Set("X-HubSpot-RateLimit-Secondly-Remaining", strconv.Itoa(unthrottledSecondly))
	if daily {
		h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(unthrottledDaily))
		h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(unthrottledDaily))
	}
}

// trimBefore drops the times at or before cutoff from an ascending slice.
func trimBefore(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}
