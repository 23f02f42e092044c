package hubspottest

import (
	"bytes"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault injection: each request draws its fate from one seeded stream, in
// arrival order, so a run with the same seed and request order sees the same
// faults. Every request makes the same number of draws whatever happens, so
// one outcome never shifts the next.

type faultKind int

const (
	faultNone faultKind = iota
	faultServerError
	faultRateLimited
	faultReset
	faultTruncate
	faultHTML
	faultNonJSON
	faultOversized
)

type faultDecision struct {
	kind    faultKind
	latency time.Duration
	status  int    // for faultServerError
	policy  string // for faultRateLimited
	size    int    // for faultOversized
}

type faultInjector struct {
	mu  sync.Mutex
	f   Faults
	rng *rand.Rand
	n   FaultCounts
}

func (fi *faultInjector) counts() FaultCounts {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.n
}

func (fi *faultInjector) count(k faultKind) {
	switch k {
	case faultServerError:
		fi.n.ServerErrors++
	case faultRateLimited:
		fi.n.RateLimited++
	case faultReset:
		fi.n.Resets++
	case faultTruncate:
		fi.n.Truncated++
	case faultHTML:
		fi.n.HTML++
	case faultNonJSON:
		fi.n.NonJSON++
	case faultOversized:
		fi.n.Oversized++
	}
}

func newFaultInjector(f Faults) *faultInjector {
	fi := &faultInjector{}
	fi.set(f)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.f = f
	fi.rng = rand.New(rand.NewPCG(uint64(f.Seed), 0x5eed_fa17))
	fi.n = FaultCounts{}
}

var serverErrorStatuses = []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}

func (fi *faultInjector) decide() faultDecision {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f := fi.f
	d := faultDecision{latency: f.Latency, policy: f.RateLimitPolicy}
	if f.ServerErrors+f.RateLimited+f.Resets+f.Truncated+f.HTML+f.NonJSON+f.Oversized <= 0 {
		return d
	}
	u := fi.rng.Float64()
	pick := fi.rng.IntN(len(serverErrorStatuses))
	for _, c := range []struct {
		p    float64
		kind faultKind
	}{
		{f.ServerErrors, faultServerError},
		{f.RateLimited, faultRateLimited},
		{f.Resets, faultReset},
		{f.Truncated, faultTruncate},
		{f.HTML, faultHTML},
		{f.NonJSON, faultNonJSON},
		{f.Oversized, faultOversized},
	} {
		if u < c.p {
			d.kind = c.kind
			break
		}
		u -= c.p
	}
	d.size = f.OversizedBytes
	fi.count(d.kind)
	d.status = serverErrorStatuses[pick]
	return d
}

// writeFault answers a request the handler never sees.
func (s *Server) writeFault(w http.ResponseWriter, d faultDecision) {
	switch d.kind {
	case faultServerError:
		writeError(w, d.status, apiError{Category: "INTERNAL_ERROR", Message: http.StatusText(d.status) + ": the server encountered a temporary error. Please retry."})
	case faultRateLimited:
		group := "publicapi:private_app-api-calls-ten-secondly:" + strconv.Itoa(privateAppID) + ":" + strconv.FormatInt(s.cfg.HubID, 10)
		writeJSON(w, http.StatusTooManyRequests, rateLimitResponse(d.policy, group))
	case faultHTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(htmlProxyPage))
	case faultNonJSON:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(captivePortalPage))
	case faultOversized:
		writeOversized(w, d.size)
	case faultReset:
		resetConnection(w)
	}
}

const captivePortalPage = `<!DOCTYPE html>
<html><head><title>Sign in to the network</title></head>
<body><form action="/login"><p>Accept the terms to continue browsing.</p><button>Accept</button></form></body></html>
`

const defaultOversizedBytes = 72 << 20

// writeOversized streams a valid JSON page padded to about size bytes,
// without a Content-Length, as a broken proxy or endpoint might: a client
// must stop reading it rather than hold it all.
func writeOversized(w http.ResponseWriter, size int) {
	if size <= 0 {
		size = defaultOversizedBytes
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(`{"results":[],"padding":"`)); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for written := 0; written < size; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return // the client hung up, as it should
		}
	}
	_, _ = w.Write([]byte(`"}`))
}

const htmlProxyPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>cloudflare</center>
</body>
</html>
`

// resetConnection drops the connection without a response, with a TCP RST
// where possible.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2 or a wrapper that cannot hijack
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// serveTruncated handles the request for real (a write is applied), then
// sends the response headers announcing the full body and only half of it,
// and aborts the connection.
func (s *Server) serveTruncated(w http.ResponseWriter, r *http.Request, body []byte) {
	buf := &bufferedResponse{header: http.Header{}}
	s.serve(buf, r, body)
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	full := buf.body.Bytes()
	if len(full) == 0 {
		w.WriteHeader(buf.status)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(full)))
	w.WriteHeader(buf.status)
	_, _ = w.Write(full[:len(full)/2])
	_ = http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
