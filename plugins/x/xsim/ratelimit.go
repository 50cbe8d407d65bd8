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

const (
	window15m = 15 * time.Minute
	window24h = 24 * time.Hour
)

// limitScope says whose requests a limit counts: one user's, or the whole
// app's (every account holder of the Sim is a user of the one app).
type limitScope int

const (
	perUser limitScope = iota
	perApp
)

// limit is one of X's rate limits: max requests per window, counted per
// user or per app. Endpoints whose limits name the same bucket share their
// budget, as X's three DM sends do.
type limit struct {
	bucket endpoint
	scope  limitScope
	window time.Duration
	max    int
}

// profile is the limits of every endpoint; a request must fit all of its
// endpoint's limits.
type profile [numEndpoints][]limit

func user15m(bucket endpoint, max int) limit { return limit{bucket, perUser, window15m, max} }

// rehearsalLimits are the default profile: per-user limits per 15-minute
// window that follow X's documented per-user limits where those are
// generous (shared/x-api-v2/README.md, "Documented rate limits"), and are
// raised where X's current tiers are too tight for a rehearsal to get
// anywhere (users/me is 75 at X; DM lookups 15; DM sends 15; follows and
// likes 50, when a campaign follows and likes each lead before its DM).
var rehearsalLimits = profile{
	epUserByUsername:       {user15m(epUserByUsername, 900)},
	epUserByID:             {user15m(epUserByID, 900)},
	epUserMe:               {user15m(epUserMe, 900)},
	epFollowers:            {user15m(epFollowers, 300)},
	epFollowing:            {user15m(epFollowing, 300)},
	epDMSend:               {user15m(epDMSend, 200)},
	epDMEvents:             {user15m(epDMEvents, 300)},
	epDMConversationEvents: {user15m(epDMEvents, 300)},
	epFollow:               {user15m(epFollow, 300)},
	epLike:                 {user15m(epLike, 300)},
	epTweetCreate:          {user15m(epTweetCreate, 200)},
	epUserTweets:           {user15m(epUserTweets, 900)},
}

// xLimits are X's current table (shared/x-api-v2/rate_limits.current.json,
// copied to testdata and checked by TestXLimitsFollowTheTable): per user and
// per app, with the 24-hour windows. The three DM sends share one budget
// (X: "shared across all dm_conversations POST endpoints"); the DM lookups
// are 15 each, the two conversation lookups being one endpoint here.
var xLimits = profile{
	epUserByUsername:       {user15m(epUserByUsername, 900), {epUserByUsername, perApp, window15m, 300}},
	epUserByID:             {user15m(epUserByID, 900), {epUserByID, perApp, window15m, 300}},
	epUserMe:               {user15m(epUserMe, 75)},
	epFollowers:            {user15m(epFollowers, 300), {epFollowers, perApp, window15m, 300}},
	epFollowing:            {user15m(epFollowing, 300), {epFollowing, perApp, window15m, 300}},
	epDMSend:               {user15m(epDMSend, 15), {epDMSend, perUser, window24h, 1440}, {epDMSend, perApp, window24h, 1440}},
	epDMEvents:             {user15m(epDMEvents, 15)},
	epDMConversationEvents: {user15m(epDMConversationEvents, 15)},
	epFollow:               {user15m(epFollow, 50)},
	epLike:                 {user15m(epLike, 50), {epLike, perUser, window24h, 1000}},
	epTweetCreate:          {user15m(epTweetCreate, 100), {epTweetCreate, perApp, window24h, 10000}},
	epUserTweets:           {user15m(epUserTweets, 900), {epUserTweets, perApp, window15m, 10000}},
}

// profiles are the rate-limit profiles by name ("" is the default).
var profiles = map[string]*profile{"": &rehearsalLimits, LimitsRehearsal: &rehearsalLimits, LimitsX: &xLimits}

type rateKey struct {
	bucket endpoint
	scope  limitScope
	window time.Duration
	user   uint64 // 0 for a per-app limit
}

// window is one fixed window: it opens with the first request after the
// previous one closed and lasts its limit's window of sim time.
type window struct {
	start time.Time
	used  int
}

// rateLimiter counts requests per limit and user. Not safe for concurrent
// use on its own; the Sim's mutex guards it.
type rateLimiter struct {
	profile *profile
	windows map[rateKey]*window
}

// rateStatus is what the x-rate-limit-* headers report.
type rateStatus struct {
	limit, remaining int
	reset            time.Time
}

// take spends one request of user on ep at now, against every limit of ep,
// and reports false (spending nothing) when one of them has no budget left.
// The status is that of the exhausted limit, or else of the one with the
// fewest requests left, so a client pacing on the headers meets no surprise.
func (l *rateLimiter) take(ep endpoint, user uint64, now time.Time) (rateStatus, bool) {
	limits := l.profile[ep]
	ws := make([]*window, len(limits))
	for i, lim := range limits {
		ws[i] = l.windowOf(lim, user, now)
		if ws[i].used >= lim.max {
			return rateStatus{limit: lim.max, reset: ws[i].start.Add(lim.window)}, false
		}
	}
	var st rateStatus
	for i, lim := range limits {
		ws[i].used++
		left := lim.max - ws[i].used
		if i == 0 || left < st.remaining {
			st = rateStatus{limit: lim.max, remaining: left, reset: ws[i].start.Add(lim.window)}
		}
	}
	return st, true
}

// windowOf is the window of lim that now falls in, opening a new one if the
// last has closed.
func (l *rateLimiter) windowOf(lim limit, user uint64, now time.Time) *window {
	k := rateKey{lim.bucket, lim.scope, lim.window, user}
	if lim.scope == perApp {
		k.user = 0
	}
	w := l.windows[k]
	if w == nil || !now.Before(w.start.Add(lim.window)) {
		w = &window{start: now}
		l.windows[k] = w
	}
	return w
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
