package xsim

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// Faults are the ways the simulated X fails, as the real one does, so that a
// rehearsal can meet them before a campaign does. The zero value fails
// never and limits as the rehearsal profile does. Every setting can change
// while the Sim serves (SetFaults, or POST FaultsPath).
type Faults struct {
	// ErrorRate is the share (0..1) of X API requests answered 500 or 503
	// with X's error body. Half of the DM sends among them are delivered
	// first, as happens on X when it fails after the write.
	ErrorRate float64
	// ResetRate is the share (0..1) of X API requests whose connection is cut
	// after the request was read, with no answer. Half of the DM sends among
	// them are delivered first.
	ResetRate float64
	// Latency is how long each X API request takes to answer, give or take
	// a quarter (uniformly), so that answers do not arrive in lockstep.
	Latency time.Duration
	// ReplyRate is the share (0..1) of prospects who reply to a first DM;
	// nil means the default, 0.35. Scripted prospects (Prospects) always
	// play their script.
	ReplyRate *float64
	// ReplyDelayMin and ReplyDelayMax bound how long after a message a
	// prospect answers it (sim time), unless its ProspectScript sets a
	// Delay. Zero means Options.ReplyDelayMin/Max.
	ReplyDelayMin, ReplyDelayMax time.Duration
	// Limits is the rate-limit profile: LimitsRehearsal (the default, "")
	// or LimitsX.
	Limits string
	// RateLimitStorm, if set, is when every authenticated call answers 429.
	RateLimitStorm *Storm
	// Accounts are faults of one account holder, keyed by the handle it
	// logs in with (case-insensitive).
	Accounts map[string]AccountFaults
	// Prospects script what prospects answer, keyed by handle
	// (case-insensitive); a prospect not here follows its default script.
	Prospects map[string]ProspectScript
	// Profiles replace what population users show, keyed by handle
	// (case-insensitive); see Profile.
	Profiles map[string]Profile
}

// Rate-limit profiles.
const (
	// LimitsRehearsal is loose: per-user 15-minute limits generous enough
	// for rehearsals and tests to finish in minutes.
	LimitsRehearsal = "rehearsal"
	// LimitsX follows X's current table (shared/x-api-v2/rate_limits.current.json):
	// per user and per app, 15-minute and 24-hour windows.
	LimitsX = "x"
)

// Storm is a rate-limit storm: windows of sim time in which every
// authenticated call answers 429, with x-rate-limit-reset at the window's end.
type Storm struct {
	// After is how long after the storm is set (the Sim's creation for
	// Options, the request for POST FaultsPath) the first window opens;
	// negative means it opened that long ago.
	After time.Duration
	// For is how long each window lasts; it must be positive.
	For time.Duration
	// Every, if positive, repeats the window at this period (which must be
	// longer than For); zero means one window.
	Every time.Duration
}

// AccountFaults are the faults of one account holder.
type AccountFaults struct {
	// SessionExpired answers 401 to every call with the account's token.
	SessionExpired bool
	// Suspended answers 403 with X's body for a suspended account.
	Suspended bool
	// Locked answers 403 with X's temporarily-locked account (code 326).
	Locked bool
	// ClientForbidden answers 403 with X's client-forbidden problem (the
	// app is not enrolled for the endpoint).
	ClientForbidden bool
	// AutomatedAfter, if set, answers every DM send after the account has
	// sent that many DMs (since the Sim started) with 403 code 226, "this
	// request looks like it might be automated".
	AutomatedAfter *int
}

// storm is a Storm anchored on the sim clock.
type storm struct {
	start       time.Time
	for_, every time.Duration
}

// at reports whether t is in a storm window, and when that window ends.
func (s *storm) at(t time.Time) (time.Time, bool) {
	if s == nil || t.Before(s.start) {
		return time.Time{}, false
	}
	since := t.Sub(s.start)
	var opened time.Duration
	if s.every > 0 {
		opened = since - since%s.every
	}
	if since-opened >= s.for_ {
		return time.Time{}, false
	}
	return s.start.Add(opened + s.for_), true
}

// Validate checks f, naming the setting at fault with the snake_case names
// that the sandbox's HCL block and faults endpoint use.
func (f Faults) Validate() error {
	if err := checkRate("error_rate", f.ErrorRate); err != nil {
		return err
	}
	if err := checkRate("reset_rate", f.ResetRate); err != nil {
		return err
	}
	if f.ErrorRate+f.ResetRate > 1 {
		return fmt.Errorf("error_rate %v and reset_rate %v: together they must be at most 1", f.ErrorRate, f.ResetRate)
	}
	if f.Latency < 0 {
		return fmt.Errorf("latency %v: give a duration of 0 or more", f.Latency)
	}
	if f.ReplyRate != nil {
		if err := checkRate("reply_rate", *f.ReplyRate); err != nil {
			return err
		}
	}
	if f.ReplyDelayMin < 0 || f.ReplyDelayMax < 0 || (f.ReplyDelayMax > 0 && f.ReplyDelayMax < f.ReplyDelayMin) {
		return fmt.Errorf("reply_delay %v-%v: give a duration, or MIN-MAX with 0 <= MIN <= MAX", f.ReplyDelayMin, f.ReplyDelayMax)
	}
	if _, ok := profiles[f.Limits]; !ok {
		return fmt.Errorf("limits %q: want %q or %q", f.Limits, LimitsRehearsal, LimitsX)
	}
	if s := f.RateLimitStorm; s != nil {
		switch {
		case s.For <= 0:
			return fmt.Errorf("rate_limit_storm.for %v: give how long the storm lasts, more than 0", s.For)
		case s.Every < 0 || (s.Every > 0 && s.Every <= s.For):
			return fmt.Errorf("rate_limit_storm.every %v: give 0 (one storm) or a period longer than for (%v)", s.Every, s.For)
		}
	}
	for _, handle := range sortedKeys(f.Accounts) {
		if !validUsername(handle) {
			return fmt.Errorf("accounts.%s: not a username: a username is 1 to 15 letters, digits or underscores", handle)
		}
		if n := f.Accounts[handle].AutomatedAfter; n != nil && *n < 0 {
			return fmt.Errorf("accounts.%s.automated_after %d: give a number of DMs, 0 or more", handle, *n)
		}
	}
	if err := checkProspects(f.Prospects); err != nil {
		return err
	}
	return checkProfiles(f.Profiles)
}

func checkRate(name string, v float64) error {
	if !(v >= 0 && v <= 1) { // also refuses NaN
		return fmt.Errorf("%s %v: give a share between 0 and 1", name, v)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// SetFaults replaces the faults in force. A storm's After counts from now
// on the sim clock. It refuses (changing nothing) faults that do not
// validate, naming the setting.
func (s *Sim) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setFaultsLocked(f, s.clock.Now(), true)
	return nil
}

// Faults returns the faults in force.
func (s *Sim) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.clone()
}

// setFaultsLocked puts f in force at now. A storm is anchored at now if
// newStorm, and otherwise keeps the windows it has.
func (s *Sim) setFaultsLocked(f Faults, now time.Time, newStorm bool) {
	f = f.clone()
	if f.Limits == "" {
		f.Limits = LimitsRehearsal
	}
	if f.ReplyDelayMin <= 0 && f.ReplyDelayMax <= 0 {
		f.ReplyDelayMin, f.ReplyDelayMax = s.defaultReplyMin, s.defaultReplyMax
	}
	if f.ReplyDelayMax < f.ReplyDelayMin {
		f.ReplyDelayMax = f.ReplyDelayMin
	}
	s.replyMin, s.replyMax = f.ReplyDelayMin, f.ReplyDelayMax
	s.limits.profile = profiles[f.Limits]
	if newStorm {
		s.storm = nil
		if st := f.RateLimitStorm; st != nil {
			s.storm = &storm{start: now.Add(st.After), for_: st.For, every: st.Every}
		}
	}
	accounts := map[string]AccountFaults{}
	for h, af := range f.Accounts {
		accounts[strings.ToLower(h)] = af
	}
	s.accountFaults = accounts
	prospects := map[string]ProspectScript{}
	for h, ps := range f.Prospects {
		prospects[strings.ToLower(h)] = ps
	}
	s.prospectScripts = prospects
	profiles := map[string]Profile{}
	for h, p := range f.Profiles {
		profiles[strings.ToLower(h)] = p
	}
	s.profiles = profiles
	s.faults = f
}

// clone copies f deeply enough that callers cannot change the Sim's copy.
func (f Faults) clone() Faults {
	if f.ReplyRate != nil {
		r := *f.ReplyRate
		f.ReplyRate = &r
	}
	if f.RateLimitStorm != nil {
		st := *f.RateLimitStorm
		f.RateLimitStorm = &st
	}
	if f.Accounts != nil {
		accounts := make(map[string]AccountFaults, len(f.Accounts))
		for h, af := range f.Accounts {
			if af.AutomatedAfter != nil {
				n := *af.AutomatedAfter
				af.AutomatedAfter = &n
			}
			accounts[h] = af
		}
		f.Accounts = accounts
	}
	if f.Prospects != nil {
		prospects := make(map[string]ProspectScript, len(f.Prospects))
		for h, ps := range f.Prospects {
			ps.Intents = slices.Clone(ps.Intents)
			prospects[h] = ps
		}
		f.Prospects = prospects
	}
	if f.Profiles != nil {
		f.Profiles = maps.Clone(f.Profiles)
	}
	return f
}

// replyPerMilleLocked is the reply odds in force, per mille of first DMs.
func (s *Sim) replyPerMilleLocked() int {
	if s.faults.ReplyRate == nil {
		return defaultReplyPerMille
	}
	return int(*s.faults.ReplyRate*1000 + 0.5)
}
