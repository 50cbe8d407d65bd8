package xsim

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// failure is how a request is made to fail by Faults.ErrorRate and
// Faults.ResetRate.
type failure int

const (
	failNone failure = iota
	fail500
	fail503
	failReset
)

// answerLocked decides the answer to one authenticated request of user on
// ep at now, running the endpoint (run) only if the faults in force let the
// request through, and returns it with the rate-limit status to report (nil
// for none) and the failure drawn. A failed DM send is delivered first half
// of the time, as X sometimes fails after the write took effect.
func (s *Sim) answerLocked(ep endpoint, user uint64, now time.Time, run func() result) (result, *rateStatus, failure) {
	af := s.accountFaultsOf(user)
	switch {
	case af.SessionExpired:
		return unauthorized(), nil, failNone
	case af.Suspended:
		return accountSuspended(), nil, failNone
	case af.Locked:
		return accountLocked(), nil, failNone
	case af.ClientForbidden:
		return clientForbidden(), nil, failNone
	}
	if end, in := s.storm.at(now); in {
		st := rateStatus{limit: s.limits.profile[ep][0].max, reset: end}
		return rateLimited(), &st, failNone
	}
	st, allowed := s.limits.take(ep, user, now)
	if !allowed {
		return rateLimited(), &st, failNone
	}
	fail := s.drawFailure()
	if fail != failNone && (ep != epDMSend || s.chaos.intn(2) == 0) {
		return failureResult(fail), &st, fail
	}
	res := s.runLocked(ep, user, af, run)
	if fail != failNone {
		return failureResult(fail), &st, fail // delivered, then failed
	}
	return res, &st, failNone
}

// runLocked runs the endpoint, refusing a DM send with code 226 once the
// account has sent AutomatedAfter DMs, and counting the DMs it sends.
func (s *Sim) runLocked(ep endpoint, user uint64, af AccountFaults, run func() result) result {
	if ep != epDMSend {
		return run()
	}
	if af.AutomatedAfter != nil && s.dmsSent[user] >= *af.AutomatedAfter {
		return looksAutomated()
	}
	res := run()
	if res.status == http.StatusCreated {
		s.dmsSent[user]++
	}
	return res
}

// accountFaultsOf returns the faults of the account holder user.
func (s *Sim) accountFaultsOf(user uint64) AccountFaults {
	a := s.owners[user]
	if a == nil || len(s.accountFaults) == 0 {
		return AccountFaults{}
	}
	return s.accountFaults[strings.ToLower(a.handle)]
}

// drawFailure draws whether this request fails, and how, from the seeded
// source: the same seed and the same sequence of requests fail the same way.
func (s *Sim) drawFailure() failure {
	f := s.faults
	if f.ErrorRate <= 0 && f.ResetRate <= 0 {
		return failNone
	}
	switch x := s.chaos.float(); {
	case x < f.ErrorRate:
		if s.chaos.intn(2) == 0 {
			return fail500
		}
		return fail503
	case x < f.ErrorRate+f.ResetRate:
		return failReset
	}
	return failNone
}

func failureResult(f failure) result {
	if f == fail500 {
		return serverError(http.StatusInternalServerError)
	}
	return serverError(http.StatusServiceUnavailable)
}

// latency is how long the next request takes: Faults.Latency, give or take
// a quarter, drawn uniformly from the seeded source.
func (s *Sim) latency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return jitter(s.faults.Latency, s.chaos)
}

// jitter spreads d uniformly over [0.75d, 1.25d].
func jitter(d time.Duration, r *rng) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(float64(d) * (0.75 + 0.5*r.float()))
}

// sleepTimer waits d on a real timer, or until ctx is done.
func sleepTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
