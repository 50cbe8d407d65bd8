package xsim

import "time"

// endpoint names one operation of the API, for routing and rate limits.
type endpoint int

const (
	epUserByUsername endpoint = iota
	epUserByID
	epUserMe
	epFollowers
	epFollowing
	epDMSend
	epDMEvents
	epDMConversationEvents
	epFollow
	epLike
	epTweetCreate
	epUserTweets
	numEndpoints
)

// rateWindow is X's rate-limit window: limits are per 15 minutes.
const rateWindow = 15 * time.Minute

// rateLimits is the one table of per-user limits per 15-minute window. The
// numbers follow X's documented per-user limits where those are generous
// (shared/x-api-v2/README.md, "Documented rate limits"), and are raised where
// X's current tiers are too tight for a rehearsal to get anywhere (users/me is
// 75 at X; DM lookups 15). bucket lets endpoints share one budget, as X's three
// DM lookups do.
var rateLimits = [numEndpoints]struct {
	bucket endpoint
	limit  int
}{
	epUserByUsername:       {epUserByUsername, 900},
	epUserByID:             {epUserByID, 900},
	epUserMe:               {epUserMe, 900},
	epFollowers:            {epFollowers, 300},
	epFollowing:            {epFollowing, 300},
	epDMSend:               {epDMSend, 200},
	epDMEvents:             {epDMEvents, 300},
	epDMConversationEvents: {epDMEvents, 300},
	epFollow:               {epFollow, 50},
	epLike:                 {epLike, 50},
	epTweetCreate:          {epTweetCreate, 200},
	epUserTweets:           {epUserTweets, 900},
}

type rateKey struct {
	bucket endpoint
	user   uint64
}

// window is one fixed window: it opens with the first request after the
// previous one closed and lasts rateWindow of sim time.
type window struct {
	start time.Time
	used  int
}

// rateLimiter counts requests per (endpoint, user). Not safe for concurrent
// use on its own; the Sim's mutex guards it.
type rateLimiter struct{ windows map[rateKey]*window }

// rateStatus is what the x-rate-limit-* headers report.
type rateStatus struct {
	limit, remaining int
	reset            time.Time
}

// take spends one request of user on ep at now, and reports false (spending
// nothing) when the window's budget is gone.
func (l *rateLimiter) take(ep endpoint, user uint64, now time.Time) (rateStatus, bool) {
	spec := rateLimits[ep]
	k := rateKey{spec.bucket, user}
	w := l.windows[k]
	if w == nil || !now.Before(w.start.Add(rateWindow)) {
		w = &window{start: now}
		l.windows[k] = w
	}
	st := rateStatus{limit: spec.limit, reset: w.start.Add(rateWindow)}
	if w.used >= spec.limit {
		return st, false
	}
	w.used++
	st.remaining = spec.limit - w.used
	return st, true
}

// resetEpoch is the reset time in epoch seconds, rounded up so that a client
// waiting until then finds the window open.
func (st rateStatus) resetEpoch() int64 {
	s := st.reset.Unix()
	if st.reset.Nanosecond() > 0 {
		s++
	}
	return s
}
