package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/store"
)

// Object is a declared or stored object, flattened to named attributes so
// the two can be compared and printed the same way.
type Object struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Attrs []Attr `json:"attrs"`
}

// Address is how plans and diagnostics name an object: kind.name.
func (o Object) Address() string { return o.Kind + "." + o.Name }

// Attr is one attribute. A sensitive attribute's Value is a keyed digest of
// the value, never the value: enough to see that it changed, and printed as
// "(sensitive value)".
type Attr struct {
	Name      string `json:"name"`
	Value     string `json:"value"`
	Sensitive bool   `json:"sensitive,omitempty"`
}

// null is the Value of an unset attribute.
const null = "null"

// flattener turns objects into attributes. Values are compared as
// printed, so one flattener must serve both sides of a diff.
type flattener struct {
	// digest is a keyed hash (secrets.Sealer.Digest): a value made from a
	// sensitive variable is compared, and saved in a plan file, by it.
	digest func(string) string
	// sensitive are the values of sensitive variables: an attribute whose
	// value contains one is sensitive wherever it came from.
	sensitive []string
}

// attrs collects one object's attributes.
type attrs struct {
	f   *flattener
	out []Attr
}

func (a *attrs) add(name string, v any) {
	val := format(v)
	if a.f.isSensitive(v) {
		a.out = append(a.out, Attr{Name: name, Value: "digest:" + a.f.digest(val), Sensitive: true})
		return
	}
	a.out = append(a.out, Attr{Name: name, Value: val})
}

// secret adds an attribute whose value is always secret, by its keyed
// digest ("" when unset): both sides of a diff hold digests, never values.
func (a *attrs) secret(name, digest string) {
	if digest == "" {
		a.out = append(a.out, Attr{Name: name, Value: null})
		return
	}
	a.out = append(a.out, Attr{Name: name, Value: "digest:" + digest, Sensitive: true})
}

// isSensitive reports whether a value holds a sensitive variable's value.
func (f *flattener) isSensitive(v any) bool {
	if len(f.sensitive) == 0 {
		return false
	}
	var raws []string
	switch x := v.(type) {
	case string:
		raws = []string{x}
	case []string:
		raws = x
	case [][]string:
		for _, g := range x {
			raws = append(raws, g...)
		}
	default:
		raws = []string{format(v)}
	}
	for _, raw := range raws {
		for _, s := range f.sensitive {
			if strings.Contains(raw, s) {
				return true
			}
		}
	}
	return false
}

func format(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case time.Duration:
		return fmt.Sprintf("%q", formatDuration(x))
	case time.Time:
		if x.IsZero() {
			return null
		}
		return fmt.Sprintf("%q", x.UTC().Format(time.RFC3339))
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case [][]string:
		parts := make([]string, len(x))
		for i, g := range x {
			parts[i] = format(g)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *bool:
		if x == nil {
			return null
		}
		return fmt.Sprint(*x)
	case *int:
		if x == nil {
			return null
		}
		return fmt.Sprint(*x)
	}
	return fmt.Sprint(v)
}

// formatDuration prints whole days as "3d", as a config would say it.
func formatDuration(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	// Go's "1m0s" and "2h0m0s" as "1m" and "2h"; "30s" and "1m30s" as
	// they are.
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// formatClock writes an offset from midnight as HH:MM.
func formatClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

func (a *attrs) window(prefix string, w *store.Window) {
	if w == nil {
		for _, n := range []string{"start", "end", "time_zone", "days"} {
			a.out = append(a.out, Attr{Name: prefix + "." + n, Value: null})
		}
		return
	}
	a.add(prefix+".start", formatClock(w.Start))
	a.add(prefix+".end", formatClock(w.End))
	a.add(prefix+".time_zone", w.TimeZone)
	a.add(prefix+".days", w.Days)
}

// account is an account's attributes, its secrets by their digests.
func (f *flattener) account(r store.Account) Object {
	a := attrs{f: f}
	a.add("handle", r.Handle)
	a.add("network", r.Network)
	a.add("daily_dm_limit", r.DailyDMLimit)
	a.add("daily_follow_limit", r.DailyFollowLimit)
	a.add("daily_like_limit", r.DailyLikeLimit)
	a.add("daily_comment_limit", r.DailyCommentLimit)
	a.add("pacing.min_gap", r.MinGap)
	a.add("pacing.max_gap", r.MaxGap)
	a.add("pacing.jitter", r.Jitter)
	a.add("pacing.set", !r.PacingDefault)
	a.window("active_hours", r.ActiveHours)
	if r.Warmup == nil {
		a.out = append(a.out, Attr{Name: "warmup.start", Value: null}, Attr{Name: "warmup.increase", Value: null})
	} else {
		a.add("warmup.start", r.Warmup.Start)
		a.add("warmup.increase", r.Warmup.Increase)
	}
	a.add("ai_setter", r.AISetter)
	// The setter's settings, null for an account without it.
	for _, s := range []struct {
		name  string
		value any
	}{
		{"max_answers", r.Setter.MaxAnswers}, {"min_delay", r.Setter.MinDelay}, {"max_delay", r.Setter.MaxDelay},
		{"min_confidence", r.Setter.MinConfidence}, {"instructions", r.Setter.Instructions}, {"policy", r.Setter.Policy.String()},
	} {
		if r.AISetter {
			a.add("ai_setter."+s.name, s.value)
		} else {
			a.out = append(a.out, Attr{Name: "ai_setter." + s.name, Value: null})
		}
	}
	a.add("proxy", r.Proxy)
	for _, s := range SecretAttrs {
		a.secret(s, r.SecretDigests[s])
	}
	a.add("paused", r.Paused)
	a.add("followups_paused", r.FollowupsPaused)
	a.add("warmup_paused", r.WarmupPaused)
	return Object{Kind: store.KindAccount, Name: Label(r.Address), Attrs: a.out}
}

func (a *attrs) filter(prefix string, s filter.Spec) {
	a.add(prefix+"include_keywords", s.IncludeKeywords)
	a.add(prefix+"exclude_keywords", s.ExcludeKeywords)
	a.add(prefix+"include_within_logic", string(s.IncludeWithin))
	a.add(prefix+"include_between_logic", string(s.IncludeBetween))
	a.add(prefix+"exclude_within_logic", string(s.ExcludeWithin))
	a.add(prefix+"exclude_between_logic", string(s.ExcludeBetween))
	a.add(prefix+"location_exclude", s.LocationExclude)
	a.add(prefix+"followers.min", s.Followers.Min)
	a.add(prefix+"followers.max", s.Followers.Max)
	a.add(prefix+"following.min", s.Following.Min)
	a.add(prefix+"following.max", s.Following.Max)
	a.add(prefix+"has_website", s.HasWebsite)
	a.add(prefix+"where", s.Where)
}

func (f *flattener) filter(r store.Filter) Object {
	a := attrs{f: f}
	a.filter("", r.Spec)
	return Object{Kind: store.KindFilter, Name: Label(r.Address), Attrs: a.out}
}

func (f *flattener) source(s Source) Object {
	r, a := s.Source, attrs{f: f}
	for _, t := range r.Targets {
		a.add("target."+t.Handle, fmt.Sprintf("followers=%v following=%v", t.Followers, t.Following))
	}
	if r.Filter != nil {
		a.filter("filter.", *r.Filter)
	} else {
		a.add("filter", s.Filter)
	}
	a.add("max_leads", r.MaxLeads)
	a.add("schedule", r.Schedule)
	return Object{Kind: store.KindSource, Name: Label(r.Address), Attrs: a.out}
}

func (f *flattener) campaign(c Campaign) Object {
	r, a := c.Campaign, attrs{f: f}
	a.add("sources", c.Sources)
	a.add("accounts", c.Accounts)
	for i, v := range r.Variants {
		p := fmt.Sprintf("variant[%d].", i)
		a.add(p+"message", v.Message)
		a.add(p+"weight", max(v.Weight, 1))
		for k, fu := range v.Followups {
			a.add(fmt.Sprintf("%sfollowup[%d].after", p, k), fu.After)
			a.add(fmt.Sprintf("%sfollowup[%d].message", p, k), fu.Message)
		}
	}
	a.add("max_leads", r.MaxLeads)
	a.add("dedupe", r.Dedupe)
	a.add("follow", r.Follow)
	a.add("like", r.Like)
	a.add("comment", r.Comment)
	a.add("comment.template", r.CommentTemplate)
	a.window("window", r.Window)
	a.add("schedule", r.Schedule)
	a.add("policy", r.Policy.String())
	return Object{Kind: store.KindCampaign, Name: Label(r.Address), Attrs: a.out}
}

func (f *flattener) webhook(r store.Webhook) Object {
	a := attrs{f: f}
	a.add("url", r.URL)
	a.add("events", r.Events)
	a.secret("secret", r.SecretDigest)
	// A negative count (none) is shown as the configuration says it: 0.
	a.add("retries", max(r.Retries, 0))
	a.add("backoff", r.Backoff)
	return Object{Kind: store.KindWebhook, Name: Label(r.Address), Attrs: a.out}
}

func (f *flattener) tweet(t Tweet) Object {
	a := attrs{f: f}
	a.add("account", t.Account)
	a.add("text", t.Text)
	a.add("at", t.ScheduledAt)
	return Object{Kind: store.KindTweet, Name: Label(t.Address), Attrs: a.out}
}

// flatten flattens every object of a set, in kind order.
func (f *flattener) flatten(o Objects) []Object {
	var out []Object
	for _, a := range o.Accounts {
		out = append(out, f.account(a))
	}
	for _, fl := range o.Filters {
		out = append(out, f.filter(fl))
	}
	for _, s := range o.Sources {
		out = append(out, f.source(s))
	}
	for _, c := range o.Campaigns {
		out = append(out, f.campaign(c))
	}
	for _, w := range o.Webhooks {
		out = append(out, f.webhook(w))
	}
	for _, t := range o.Tweets {
		out = append(out, f.tweet(t))
	}
	return out
}

// SecretAttrs are an account's secret attributes, in plan order: they are
// compared by the keyed digests in Account.SecretDigests.
var SecretAttrs = []string{"cookies", "tokens", "proxy_auth", "xchat_pin"}
