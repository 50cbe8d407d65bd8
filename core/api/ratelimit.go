package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// rateWindow is the length of a rate-limit window; the hosted API counts
// requests per minute.
const rateWindow = time.Minute

const (
	headerRateLimitLimit     = "X-RateLimit-Limit"
	headerRateLimitRemaining = "X-RateLimit-Remaining"
	headerRateLimitReset     = "X-RateLimit-Reset"
	headerRetryAfter         = "Retry-After"
)

// rateLimiter counts requests per key in fixed windows aligned to the clock's
// minutes. Aligned windows make the reset time the same for every key, and
// let the limiter forget every count at once when a window ends, so its
// memory is bounded by the keys seen in the last minute.
type rateLimiter struct {
	limit int
	now   func() time.Time

	mu     sync.Mutex
	start  time.Time      // start of the current window
	counts map[string]int // requests per key in the current window
}

func newRateLimiter(limit int, now func() time.Time) *rateLimiter {
	return &rateLimiter{limit: limit, now: now, counts: map[string]int{}}
}

// quota is the outcome of one request against its key's window.
type quota struct {
	limit     int
	remaining int
	reset     time.Time // end of the window
	allowed   bool
	// retryAfter is the whole number of seconds until reset, at least 1.
	retryAfter int
}

// take counts one request for key. Refused requests count too, so a client
// that ignores 429 does not get its window back early.
func (l *rateLimiter) take(key string) quota {
	now := l.now()
	start := now.Truncate(rateWindow)

	l.mu.Lock()
	if !start.Equal(l.start) {
		l.start = start
		l.counts = map[string]int{}
	}
	l.counts[key]++
	n := l.counts[key]
	l.mu.Unlock()

	reset := start.Add(rateWindow)
	return quota{
		limit:      l.limit,
		remaining:  max(l.limit-n, 0),
		reset:      reset,
		allowed:    n <= l.limit,
		retryAfter: max(int(math.Ceil(reset.Sub(now).Seconds())), 1),
	}
}

// setHeaders writes the X-RateLimit-* headers that every /api/v1 response
// carries.
func (q quota) setHeaders(h http.Header) {
	h.Set(headerRateLimitLimit, strconv.Itoa(q.limit))
	h.Set(headerRateLimitRemaining, strconv.Itoa(q.remaining))
	h.Set(headerRateLimitReset, strconv.FormatInt(q.reset.Unix(), 10))
}

// rateLimitError is the 429 the hosted API sends, with retry_after in the
// body and Retry-After in the headers.
func (q quota) rateLimitError() *Error {
	e := newError(http.StatusTooManyRequests, msgRateLimited)
	e.RetryAfter = q.retryAfter
	return e
}

// rateLimitHeaders documents the X-RateLimit-* headers and Retry-After for
// the OpenAPI document's components.
func rateLimitHeaders() map[string]*huma.Param {
	integer := func(description string, example any) *huma.Param {
		return &huma.Param{Description: description, Schema: &huma.Schema{Type: "integer", Examples: []any{example}}}
	}
	return map[string]*huma.Param{
		headerRateLimitLimit:     integer("Requests allowed per minute for this API key.", 60),
		headerRateLimitRemaining: integer("Requests left in the current one-minute window.", 45),
		headerRateLimitReset:     integer("When the current window ends, in Unix epoch seconds.", 1709234567),
		headerRetryAfter:         integer("Seconds to wait before retrying: until the current window ends. Only on 429.", 45),
	}
}
