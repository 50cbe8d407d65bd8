package xsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// FaultsPath is the simulator's own endpoint for the faults in force. Like
// LoginPath it exists only in the simulator and takes no credentials.
//
//	GET  /sandbox/v1/faults -> 200 {the faults in force}
//	POST /sandbox/v1/faults {"rate_limit_storm": {"for": "30s"}} -> 200 {the faults now in force}
//
// A POST changes only the fields it names, with the names of the sandbox's
// HCL block: error_rate, reset_rate (0..1), latency ("150ms"), reply_rate
// (0..1, null for the default), reply_delay ("2s-8s" or "5s"), limits
// ("rehearsal" or "x"), rate_limit_storm ({"after", "for", "every"} as
// durations, or "starts_at" in RFC 3339 instead of "after"; null ends it),
// accounts ({"handle": {"session_expired", "suspended", "locked",
// "client_forbidden", "automated_after"}}, an entry replaced whole, null
// to remove it), prospects ({"handle": {"intents": ["interested",
// "ask_call"], "delay": "30s"}}, see ProspectScript: intents are the
// Intent constants' values, delay is optional; an entry replaced whole,
// null to remove it), profiles ({"handle": {"name", "description",
// "location", "url"}}, see Profile: a field left out keeps what the
// population drew; an entry replaced whole, null to remove it). A storm's "after" counts from the request. A body
// that does not parse or validate changes nothing and gets 400 naming the
// field (and the value, for an unknown intent).
const FaultsPath = "/sandbox/v1/faults"

// faultsJSON is the faults endpoint's answer.
type faultsJSON struct {
	ErrorRate      float64                 `json:"error_rate"`
	ResetRate      float64                 `json:"reset_rate"`
	Latency        string                  `json:"latency"`
	ReplyRate      float64                 `json:"reply_rate"`
	ReplyDelay     string                  `json:"reply_delay"`
	Limits         string                  `json:"limits"`
	RateLimitStorm *stormJSON              `json:"rate_limit_storm"`
	Accounts       map[string]accountJSON  `json:"accounts"`
	Prospects      map[string]prospectJSON `json:"prospects"`
	Profiles       map[string]profileJSON  `json:"profiles"`
}

type stormJSON struct {
	After    string `json:"after,omitempty"`
	For      string `json:"for"`
	Every    string `json:"every,omitempty"`
	StartsAt string `json:"starts_at,omitempty"`
}

type accountJSON struct {
	SessionExpired  bool `json:"session_expired"`
	Suspended       bool `json:"suspended"`
	Locked          bool `json:"locked"`
	ClientForbidden bool `json:"client_forbidden"`
	AutomatedAfter  *int `json:"automated_after"`
}

type prospectJSON struct {
	Intents []Intent `json:"intents"`
	Delay   string   `json:"delay,omitempty"`
}

func (s *Sim) handleGetFaults(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := s.faultsJSONLocked()
	s.mu.Unlock()
	writeResult(w, answerOK(out))
}

func (s *Sim) handlePostFaults(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(data) > maxBody {
		writeResult(w, invalidBody("Could not read the request body, or it is larger than %d bytes", maxBody))
		return
	}
	s.mu.Lock()
	now := s.clock.Now()
	f, stormSet, err := patchFaults(s.faults, data, now)
	if err == nil {
		err = f.Validate()
	}
	if err != nil {
		s.mu.Unlock()
		writeResult(w, invalidBody("%v", err))
		return
	}
	s.setFaultsLocked(f, now, stormSet)
	out := s.faultsJSONLocked()
	s.mu.Unlock()
	writeResult(w, answerOK(out))
}

func (s *Sim) faultsJSONLocked() faultsJSON {
	f := s.faults
	out := faultsJSON{
		ErrorRate:  f.ErrorRate,
		ResetRate:  f.ResetRate,
		Latency:    f.Latency.String(),
		ReplyRate:  float64(s.replyPerMilleLocked()) / 1000,
		ReplyDelay: FormatReplyDelay(s.replyMin, s.replyMax),
		Limits:     f.Limits,
		Accounts:   map[string]accountJSON{},
		Prospects:  map[string]prospectJSON{},
		Profiles:   map[string]profileJSON{},
	}
	if st := s.storm; st != nil {
		out.RateLimitStorm = &stormJSON{For: st.for_.String(), StartsAt: st.start.UTC().Format(time.RFC3339Nano)}
		if st.every > 0 {
			out.RateLimitStorm.Every = st.every.String()
		}
	}
	for h, af := range f.Accounts {
		out.Accounts[h] = accountJSON{af.SessionExpired, af.Suspended, af.Locked, af.ClientForbidden, af.AutomatedAfter}
	}
	for h, ps := range f.Prospects {
		p := prospectJSON{Intents: ps.Intents}
		if ps.Delay > 0 {
			p.Delay = ps.Delay.String()
		}
		out.Prospects[h] = p
	}
	for h, p := range f.Profiles {
		out.Profiles[h] = profileJSON(p)
	}
	return out
}

// patchFaults applies a POST body to base, at now, and reports whether it
// set (or ended) the storm. Errors name the field.
func patchFaults(base Faults, data []byte, now time.Time) (Faults, bool, error) {
	var fields map[string]json.RawMessage
	if err := strictDecode(data, &fields); err != nil || fields == nil {
		return base, false, fmt.Errorf("the body must be a JSON object of fault settings (%s)", knownFaultFields)
	}
	f := base.clone()
	for _, name := range sortedKeys(fields) {
		set, ok := faultFields[name]
		if !ok {
			return base, false, fmt.Errorf("unknown field %q; known fields: %s", name, knownFaultFields)
		}
		if err := set(&f, fields[name], now); err != nil {
			return base, false, fmt.Errorf("%s: %w", name, err)
		}
	}
	_, stormSet := fields["rate_limit_storm"]
	return f, stormSet, nil
}

const knownFaultFields = "error_rate, reset_rate, latency, reply_rate, reply_delay, limits, rate_limit_storm, accounts, prospects, profiles"

// faultFields set one field of Faults from its JSON value.
var faultFields = map[string]func(f *Faults, raw json.RawMessage, now time.Time) error{
	"error_rate": func(f *Faults, raw json.RawMessage, _ time.Time) error { return strictDecode(raw, &f.ErrorRate) },
	"reset_rate": func(f *Faults, raw json.RawMessage, _ time.Time) error { return strictDecode(raw, &f.ResetRate) },
	"latency":    func(f *Faults, raw json.RawMessage, _ time.Time) error { return decodeDuration(raw, &f.Latency) },
	"limits":     func(f *Faults, raw json.RawMessage, _ time.Time) error { return strictDecode(raw, &f.Limits) },
	"reply_rate": func(f *Faults, raw json.RawMessage, _ time.Time) error {
		f.ReplyRate = nil
		return strictDecode(raw, &f.ReplyRate)
	},
	"reply_delay": func(f *Faults, raw json.RawMessage, _ time.Time) error {
		var s string
		if err := strictDecode(raw, &s); err != nil {
			return err
		}
		var err error
		f.ReplyDelayMin, f.ReplyDelayMax, err = ParseReplyDelay(s)
		return err
	},
	"rate_limit_storm": decodeStorm,
	"accounts":         decodeAccounts,
	"prospects":        decodeProspects,
	"profiles":         decodeProfiles,
}

func decodeStorm(f *Faults, raw json.RawMessage, now time.Time) error {
	var in *stormJSON
	if err := strictDecode(raw, &in); err != nil {
		return err
	}
	if in == nil {
		f.RateLimitStorm = nil
		return nil
	}
	var st Storm
	if in.After != "" && in.StartsAt != "" {
		return fmt.Errorf("give after or starts_at, not both")
	}
	if err := parseDuration("after", in.After, &st.After); err != nil {
		return err
	}
	if err := parseDuration("for", in.For, &st.For); err != nil {
		return err
	}
	if err := parseDuration("every", in.Every, &st.Every); err != nil {
		return err
	}
	if in.StartsAt != "" {
		at, err := time.Parse(time.RFC3339Nano, in.StartsAt)
		if err != nil {
			return fmt.Errorf("starts_at %q: give a time in RFC 3339, like 2026-03-02T09:30:00Z", in.StartsAt)
		}
		st.After = at.Sub(now)
	}
	f.RateLimitStorm = &st
	return nil
}

func decodeAccounts(f *Faults, raw json.RawMessage, _ time.Time) error {
	var in map[string]*accountJSON
	if err := strictDecode(raw, &in); err != nil {
		return err
	}
	accounts := make(map[string]AccountFaults, len(f.Accounts)+len(in))
	for h, af := range f.Accounts {
		accounts[h] = af
	}
	for h, a := range in {
		h = strings.ToLower(h)
		if a == nil {
			delete(accounts, h)
			continue
		}
		accounts[h] = AccountFaults{a.SessionExpired, a.Suspended, a.Locked, a.ClientForbidden, a.AutomatedAfter}
	}
	f.Accounts = accounts
	return nil
}

func decodeProspects(f *Faults, raw json.RawMessage, _ time.Time) error {
	var in map[string]*prospectJSON
	if err := strictDecode(raw, &in); err != nil {
		return err
	}
	prospects := make(map[string]ProspectScript, len(f.Prospects)+len(in))
	for h, ps := range f.Prospects {
		prospects[h] = ps
	}
	for _, h := range sortedKeys(in) {
		p := in[h]
		h = strings.ToLower(h)
		if p == nil {
			delete(prospects, h)
			continue
		}
		ps := ProspectScript{Intents: p.Intents}
		if err := parseDuration(h+".delay", p.Delay, &ps.Delay); err != nil {
			return err
		}
		prospects[h] = ps
	}
	f.Prospects = prospects
	return nil
}

// strictDecode decodes one JSON value into v, refusing unknown object
// fields and trailing data.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the value")
	}
	return nil
}

func decodeDuration(raw json.RawMessage, d *time.Duration) error {
	var s string
	if err := strictDecode(raw, &s); err != nil {
		return fmt.Errorf("give a duration as a string, like \"150ms\": %w", err)
	}
	return parseDuration("", s, d)
}

// parseDuration parses s into d; "" leaves d zero.
func parseDuration(name, s string, d *time.Duration) error {
	*d = 0
	if s == "" {
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		if name != "" {
			return fmt.Errorf("%s %q: give a duration, like \"30s\" or \"15m\"", name, s)
		}
		return fmt.Errorf("%q: give a duration, like \"30s\" or \"15m\"", s)
	}
	*d = v
	return nil
}

// ParseReplyDelay parses a reply delay: one duration ("5s") or a range
// ("2s-8s").
func ParseReplyDelay(s string) (min, max time.Duration, err error) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(s), "-")
	if !isRange {
		hi = lo
	}
	min, err1 := time.ParseDuration(strings.TrimSpace(lo))
	max, err2 := time.ParseDuration(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || min < 0 || max < min {
		return 0, 0, fmt.Errorf("%q: give a duration (\"5s\") or a range MIN-MAX (\"2s-8s\") with MIN <= MAX", s)
	}
	return min, max, nil
}

// FormatReplyDelay writes a reply delay as ParseReplyDelay reads it.
func FormatReplyDelay(min, max time.Duration) string {
	if min == max {
		return min.String()
	}
	return min.String() + "-" + max.String()
}
