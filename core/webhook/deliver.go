package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// Endpoint is where, and how, one endpoint's deliveries go.
type Endpoint struct {
	URL string
	// Keys sign each delivery (sdk/webhook): the secret's, and during a
	// rotation the one before it too; none delivers unsigned.
	Keys [][]byte
	// Retries is how many times a failed delivery is tried again
	// (DefaultRetries if zero; negative for none).
	Retries int
	// Backoff is the wait before the first retry (DefaultBackoff if zero);
	// each next one waits four times longer.
	Backoff time.Duration
	// refused, if set, fails every attempt before it is made: why nothing
	// may be sent (the guard refuses the URL, or the secret is unusable).
	refused error
}

// The reference's promise: up to 3 retries, with exponential backoff.
const (
	DefaultRetries = 3
	DefaultBackoff = 30 * time.Second
	// MaxWait bounds a wait before a retry, Retry-After's included.
	MaxWait = time.Hour
)

// Attempt is what one delivery attempt did, for the endpoint's delivery
// log.
type Attempt struct {
	At       time.Time
	Duration time.Duration
	// Status is the answer's HTTP status; 0 if none came (Err says why).
	Status int
	Err    string
	// RetryAfter is the wait the endpoint asked for (a 429 or 503 with
	// Retry-After), if any.
	RetryAfter time.Duration
}

// Delivered reports whether the endpoint took the event: a 2xx, and only
// that (a redirect is an answer, not followed).
func (a Attempt) Delivered() bool { return a.Status >= 200 && a.Status < 300 }

// Gone reports whether the endpoint said it is gone for good (410): it is
// disabled, and says so.
func (a Attempt) Gone() bool { return a.Status == http.StatusGone }

// maxAnswer is how much of an answer's body is read (and dropped): enough
// to reuse the connection, not enough to be flooded.
const maxAnswer = 64 << 10

// Deliver posts one event to an endpoint, once, with client (Client): the
// JSON body, the webhook-id (the same on every attempt of an event), the
// timestamp of this attempt and the signatures. now is the clock.
func Deliver(ctx context.Context, client *http.Client, ep Endpoint, id string, body []byte, now func() time.Time) Attempt {
	start := now()
	a := Attempt{At: start}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		a.Err = err.Error()
		return a
	}
	for k, v := range sdkwebhook.Headers(id, start, body, ep.Keys...) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "outreach-webhooks")
	resp, err := client.Do(req)
	if err == nil {
		// The answer is read whole within the client's timeout: an endpoint
		// that trickles it fails the attempt.
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
		resp.Body.Close()
		a.Status = resp.StatusCode
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			a.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), start)
		}
	}
	a.Duration = now().Sub(start)
	if err != nil {
		a.Err = err.Error()
		if a.Status != 0 {
			a.Err = fmt.Sprintf("reading the %d answer: %v", a.Status, err)
			a.Status = 0
		}
	} else if !a.Delivered() {
		a.Err = fmt.Sprintf("the endpoint answered %d %s", a.Status, http.StatusText(a.Status))
	}
	return a
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return min(time.Duration(secs)*time.Second, MaxWait)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), MaxWait)
	}
	return 0
}

// NextTry returns when the event is tried again after its attempt number n
// (1 for the first) failed as a says, and false if it is not: it was
// delivered, the endpoint is gone, or its retries are spent. The wait
// doubles twice each time (30 s, 2 min, 8 min by default), with jitter of
// a quarter either way so that events that failed together do not come
// back together, is at least what the endpoint asked for, and at most
// MaxWait.
func (ep Endpoint) NextTry(a Attempt, n int, rnd *rand.Rand) (time.Time, bool) {
	retries := ep.Retries
	if retries == 0 {
		retries = DefaultRetries
	}
	if a.Delivered() || a.Gone() || n > retries {
		return time.Time{}, false
	}
	base := ep.Backoff
	if base <= 0 {
		base = DefaultBackoff
	}
	wait := base
	for i := 1; i < n && wait < MaxWait; i++ {
		wait *= 4
	}
	wait = min(wait, MaxWait)
	wait = wait*3/4 + time.Duration(rnd.Int64N(int64(wait/2)+1))
	wait = min(max(wait, a.RetryAfter), MaxWait)
	return a.At.Add(wait), true
}
