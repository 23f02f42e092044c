package hubspot

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxSuccessBody bounds a 2xx answer; HubSpot's largest pages (500 owners,
// 200 search results) are far below it.
const maxSuccessBody = 64 << 20

// request is one API operation.
type request struct {
	method string
	path   string // escaped, starting with "/"
	query  url.Values
	body   any // JSON-encoded when non-nil

	// replaySafe marks operations HubSpot may receive twice without harm:
	// reads, searches, and writes of absolute values. Others (creates) get
	// one attempt, except after a 429, which HubSpot refuses unprocessed.
	replaySafe bool
	search     bool // waits on the search budget instead of the general one
	// readsOnly marks a POST that changes nothing (batch read); read-only
	// clients send it. Searches are read-only too.
	readsOnly bool

	// shownPath replaces path in Call reports and errors when path holds a
	// secret; secrets are scrubbed from anything HubSpot echoes back.
	shownPath string
	secrets   []string
}

// NetworkError means no usable answer arrived: the connection failed, timed
// out, or the answer broke off. Err says which.
type NetworkError struct {
	Method, Path string
	Attempts     int
	Err          error
}

func (e *NetworkError) Error() string {
	s := fmt.Sprintf("no usable answer from HubSpot to %s %s: %v", e.Method, e.Path, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *NetworkError) Unwrap() error { return e.Err }

// errTruncated is a 2xx answer whose body broke off or is not valid JSON.
var errTruncated = errors.New("the answer was cut short (truncated body)")

// errNotJSON is a 2xx answer that is a web page, not JSON: a captive portal,
// a login page of a corporate proxy, or a misrouted request.
var errNotJSON = errors.New("the answer was a web page, not JSON (a proxy or captive portal answered instead of HubSpot)")

// errClosed is a connection closed before any answer.
var errClosed = errors.New("the connection closed before an answer arrived")

// outcome is one attempt's result.
type outcome struct {
	status  int
	header  http.Header
	err     error
	verdict verdict
	wait    time.Duration // minimum wait before the next attempt
	exact   bool          // wait is what HubSpot asked for: no backoff on top
	body    string        // a 207's body (some inputs failed), scrubbed, for the API log
}

// call runs r with retries and decodes a 2xx body into a fresh T. It returns
// the final HTTP status (to tell 200 from 207).
func call[T any](ctx context.Context, c *Client, r request) (T, int, error) {
	var zero T
	shown := r.path
	if r.shownPath != "" {
		shown = r.shownPath
	}
	if c.readOnly && r.writes() {
		return zero, 0, &ReadOnlyError{Method: r.method, Path: shown}
	}
	var payload []byte
	if r.body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.body); err != nil {
			return zero, 0, fmt.Errorf("hubspot: encoding the body of %s %s: %w", r.method, shown, err)
		}
		payload = buf.Bytes()
	}
	target := c.baseURL + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	secrets := c.secrets
	if len(r.secrets) > 0 {
		secrets = append(append([]string(nil), secrets...), r.secrets...)
	}

	for attempt := 1; ; attempt++ {
		ticket, err := c.limits.take(ctx, r.search)
		if err != nil {
			return zero, 0, fmt.Errorf("hubspot: %s %s: waiting for the rate limit: %w", r.method, shown, ctxErrOr(ctx, err))
		}
		var result T
		start := time.Now()
		o := c.attempt(ctx, &r, shown, target, secrets, payload, func(body []byte) error {
			return jsonUnmarshal(body, &result)
		})
		// HubSpot counted the request at the latest when it answered.
		c.limits.answered(ticket, time.Now())
		latency := time.Since(start)

		// Give errors their context before anyone sees them.
		switch e := o.err.(type) { //nolint:errorlint // attempt returns these unwrapped; wrapping comes after
		case *APIError:
			e.Method, e.Path, e.Attempts = r.method, shown, attempt
			if e.StatusCode == http.StatusUnauthorized {
				e.Token = c.tokenKind
			}
			e.scrub(secrets)
		case *RateLimitError:
			e.Method, e.Path, e.Attempts = r.method, shown, attempt
			e.scrub(secrets)
		case *NetworkError:
			e.Method, e.Path, e.Attempts = r.method, shown, attempt
		}
		if c.observer != nil {
			rem := -1
			if o.header != nil {
				rem = rateRemaining(o.header)
			}
			c.observer(Call{Method: r.method, Path: shown, Status: o.status, Latency: latency,
				RateRemaining: rem, Attempt: attempt, Err: o.err, Body: o.loggedBody()})
		}

		if o.err == nil {
			return result, o.status, nil
		}
		again := attempt < c.maxAttempts &&
			(o.verdict == rateRetry || (o.verdict == retry && r.replaySafe))
		if !again {
			return zero, o.status, o.err
		}
		wait := o.wait
		if !o.exact {
			wait = max(wait, backoff(attempt))
		}
		sleep := c.sleep
		if o.verdict == rateRetry { // HubSpot said how long its limit holds us: say so
			sleep = func(ctx context.Context, d time.Duration) error {
				return c.limits.waits.sleepPosted(ctx, time.Now(), d, c.sleep)
			}
		}
		if err := sleep(ctx, wait); err != nil {
			return zero, 0, fmt.Errorf("hubspot: %s %s: waiting to retry: %w", r.method, shown, ctxErrOr(ctx, err))
		}
	}
}

// loggedBody is what the API log keeps of the answer: the body of an
// error, or of a 207 whose errors name the inputs HubSpot refused.
func (o outcome) loggedBody() string {
	var e *APIError
	if errors.As(o.err, &e) {
		return e.Body
	}
	return o.body
}

// attempt sends the request once.
func (c *Client) attempt(ctx context.Context, r *request, shown, target string, secrets []string, payload []byte, decode func([]byte) error) outcome {
	method := r.method
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		// The URL is not repeated: it may hold a secret.
		return outcome{err: fmt.Errorf("hubspot: cannot build the request (check the base URL): %w", stripURL(err))}
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	// An OAuth token that cannot be had is a sign-in problem, not a network
	// blip: asking the token source first tells the two apart, and retrying
	// would only hammer HubSpot's token endpoint.
	if c.tokens != nil {
		tok, err := c.tokens.Token()
		if err != nil {
			return outcome{err: newTokenError(method, shown, err, secrets), verdict: done}
		}
		// An answer may echo the token it was sent with: it is a secret too.
		secrets = append(slices.Clip(secrets), tok.AccessToken, tok.RefreshToken)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return outcome{err: fmt.Errorf("hubspot: %s %s: %w", method, shown, ctx.Err())}
		}
		err = stripURL(err)
		if isTokenSourceError(err) {
			return outcome{err: newTokenError(method, shown, err, secrets), verdict: done}
		}
		v := retry
		if isPermanentTransportError(err) {
			v = done
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errClosed
		}
		return outcome{err: &NetworkError{Err: err}, verdict: v}
	}
	defer resp.Body.Close()
	c.limits.observe(resp.Header)
	o := outcome{status: resp.StatusCode, header: resp.Header}

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		data, err := readBody(resp)
		if err != nil {
			if ctx.Err() != nil {
				o.err = fmt.Errorf("hubspot: %s %s: %w", method, shown, ctx.Err())
				return o
			}
			if !errors.Is(err, errTooLarge) {
				err = errTruncated
			}
			o.err, o.verdict = &NetworkError{Err: err}, retry
			return o
		}
		if len(bytes.TrimSpace(data)) == 0 {
			return o // 204, or an empty 200
		}
		if resp.StatusCode == http.StatusMultiStatus {
			o.body = scrubText(string(data[:min(len(data), maxLoggedBody)]), secrets)
		}
		if err := decode(data); err != nil {
			var syntaxErr *json.SyntaxError
			if errors.As(err, &syntaxErr) || errors.Is(err, io.ErrUnexpectedEOF) {
				cause := errTruncated
				if bytes.HasPrefix(bytes.TrimSpace(data), []byte("<")) {
					cause = errNotJSON
				}
				o.err, o.verdict = &NetworkError{Err: cause}, retry
				return o
			}
			// Valid JSON of a shape we do not understand: retrying will not
			// change it. The decoder may quote the answer, so it is scrubbed.
			o.err = fmt.Errorf("hubspot: %s %s: HubSpot's answer has an unexpected shape: %s", method, shown, scrubText(err.Error(), secrets))
		}
		return o
	}

	apiErr, _ := readAPIError(resp)
	apiErr.scrub(secrets)
	if resp.StatusCode == http.StatusTooManyRequests {
		policy := apiErr.PolicyName
		wait, ok := rateLimitWait(policy, resp.Header, r.search)
		o.err = &RateLimitError{Policy: policy, RetryAfter: wait, APIError: apiErr}
		if ok && wait <= maxServerWait {
			o.verdict, o.wait, o.exact = rateRetry, wait, true
		}
		return o
	}
	o.err = apiErr
	o.verdict = statusVerdict(resp.StatusCode)
	if o.verdict == retry {
		o.wait, o.exact = serverWait(resp.StatusCode, resp.Header)
		if o.wait > maxServerWait {
			o.verdict = done
		}
	}
	return o
}

// stripURL drops *url.Error's URL, which may carry a secret (the token-info
// path), keeping the operation and the cause.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// isPermanentTransportError tells failures that another attempt cannot fix.
func isPermanentTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	return errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		strings.Contains(err.Error(), "unsupported protocol scheme")
}

func ctxErrOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// errTooLarge is a 2xx answer bigger than any page HubSpot sends: a broken
// proxy or endpoint. It is not read to the end, so it cannot exhaust memory.
var errTooLarge = fmt.Errorf("the answer was larger than %d MiB, more than any HubSpot page (a proxy or HubSpot itself misbehaved)", maxSuccessBody>>20)

// readBody reads a 2xx body, in one allocation when HubSpot announced its
// length (list pages are read by the thousand during a sync).
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n > maxSuccessBody {
		return nil, errTooLarge
	} else if n > 0 {
		data := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, data); err != nil {
			return nil, err
		}
		return data, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	if err == nil && len(data) > maxSuccessBody {
		return nil, errTooLarge
	}
	return data, err
}
