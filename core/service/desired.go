package service

import (
	"encoding/json"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// The desired side of a plan: a configuration's blocks as the records
// applying them writes, with only the declared fields set. The plan
// compares these records, and apply writes them, so what the plan shows is
// what apply stores.

// desired returns what a configuration declares.
func desired(cfg *config.Config, sl *secrets.Sealer) plan.Objects {
	var o plan.Objects
	for _, a := range cfg.Accounts {
		r := accountRecord(a, sl)
		if r.AISetter {
			r.Setter = setterRecord(cfg)
		}
		o.Accounts = append(o.Accounts, r)
	}
	for _, f := range cfg.Filters {
		o.Filters = append(o.Filters, store.Filter{Address: store.Address(store.KindFilter, f.Name), Name: f.Name, Spec: f.Spec})
	}
	for _, s := range cfg.Sources {
		o.Sources = append(o.Sources, plan.Source{Source: sourceRecord(s), Filter: s.FilterRef})
	}
	for _, c := range cfg.Campaigns {
		r := campaignRecord(c)
		r.Policy = store.Policy(cfg.Policy())
		o.Campaigns = append(o.Campaigns, plan.Campaign{Campaign: r, Sources: c.Sources, Accounts: campaignAccounts(cfg, c)})
	}
	for _, w := range cfg.Webhooks {
		r := store.Webhook{
			Address: store.Address(store.KindWebhook, w.Name), URL: w.URL, Events: w.Events,
			Retries: storeRetries(w.Retries), Backoff: w.Backoff,
		}
		if w.Secret != "" {
			r.SecretDigest = sl.Digest(w.Secret)
		}
		o.Webhooks = append(o.Webhooks, r)
	}
	for _, t := range cfg.Tweets {
		r := store.ScheduledTweet{Address: store.Address(store.KindTweet, t.Name), Text: t.Text, ScheduledAt: t.At}
		o.Tweets = append(o.Tweets, plan.Tweet{ScheduledTweet: r, Account: t.Account})
	}
	return o
}

// storeRetries is a configuration's retries as store.Webhook keeps them,
// where 0 means the default: none is -1.
func storeRetries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// effectiveWebhook is a stored webhook with its zero retries and backoff
// read as the defaults they stand for, so that a plan compares what
// deliveries do: an endpoint stored with 0 and one declared with 3 retry
// alike.
func effectiveWebhook(w store.Webhook) store.Webhook {
	if w.Retries == 0 {
		w.Retries = config.DefaultWebhookRetries
	}
	if w.Backoff == 0 {
		w.Backoff = config.DefaultWebhookBackoff
	}
	return w
}

// secretValues returns an account's secrets by attribute name, each as one
// canonical string: what is sealed when stored, and what the keyed digests
// the plan compares are computed over.
func secretValues(a *config.Account) Credentials {
	out := Credentials{"proxy_auth": a.ProxyAuth, "xchat_pin": a.XChatPIN}
	if len(a.Cookies) > 0 {
		b, _ := json.Marshal(a.Cookies) // sorted by name when decoded
		out["cookies"] = string(b)
	}
	if len(a.Tokens) > 0 {
		b, _ := json.Marshal(a.Tokens) // encoding/json sorts map keys
		out["tokens"] = string(b)
	}
	for k, v := range out {
		if v == "" {
			delete(out, k)
		}
	}
	return out
}

// accountRecord is the declared part of an account's record, its secrets
// by digest.
func accountRecord(a *config.Account, sl *secrets.Sealer) store.Account {
	r := store.Account{
		Address: store.Address(store.KindAccount, a.Name), Handle: a.Handle, Network: a.Network,
		DailyDMLimit: a.DailyDMLimit, DailyFollowLimit: a.DailyFollowLimit,
		DailyLikeLimit: a.DailyLikeLimit, DailyCommentLimit: a.DailyCommentLimit,
		MinGap: a.Pacing.MinGap, MaxGap: a.Pacing.MaxGap, Jitter: a.Pacing.Jitter, PacingDefault: !a.Pacing.Set,
		ActiveHours: windowRecord(a.ActiveHours), AISetter: a.AISetter, Proxy: a.Proxy,
		Paused: a.Paused, FollowupsPaused: a.FollowupsPaused, WarmupPaused: a.WarmupPaused,
	}
	if a.Warmup != nil {
		r.Warmup = &store.Warmup{Start: a.Warmup.Start, Increase: a.Warmup.Increase}
	}
	if values := secretValues(a); len(values) > 0 {
		r.SecretDigests = map[string]string{}
		for k, v := range values {
			r.SecretDigests[k] = sl.Digest(v)
		}
	}
	return r
}

// setterRecord is the AI setter's configuration, as accounts with it on
// record it.
func setterRecord(cfg *config.Config) store.Setter {
	s := cfg.Settings.AISetter
	return store.Setter{
		MaxAnswers: s.MaxAnswers, MinDelay: s.MinDelay, MaxDelay: s.MaxDelay, MinConfidence: s.MinConfidence,
		Instructions: s.Instructions, Policy: store.Policy(cfg.Policy()),
	}
}

// setDeclared copies what configuration declares of an account onto its
// record, leaving what the engine learnt of it alone.
func setDeclared(cur *store.Account, want store.Account) {
	cur.Network, cur.DailyDMLimit = want.Network, want.DailyDMLimit
	cur.DailyFollowLimit, cur.DailyLikeLimit, cur.DailyCommentLimit = want.DailyFollowLimit, want.DailyLikeLimit, want.DailyCommentLimit
	cur.MinGap, cur.MaxGap, cur.Jitter, cur.PacingDefault = want.MinGap, want.MaxGap, want.Jitter, want.PacingDefault
	cur.ActiveHours, cur.Warmup, cur.AISetter, cur.Setter, cur.Proxy = want.ActiveHours, want.Warmup, want.AISetter, want.Setter, want.Proxy
	cur.Paused, cur.FollowupsPaused, cur.WarmupPaused = want.Paused, want.FollowupsPaused, want.WarmupPaused
}

// windowRecord converts a time window; nil stays nil.
func windowRecord(w *config.Window) *store.Window {
	if w == nil {
		return nil
	}
	return &store.Window{Start: w.Start, End: w.End, TimeZone: w.TimeZone, Days: w.Days}
}

// sourceRecord is the declared part of a source's record, without the id
// of its filter.
func sourceRecord(s *config.Source) store.Source {
	r := store.Source{Address: store.Address(store.KindSource, s.Name), Name: s.Name, Filter: s.Filter, MaxLeads: s.MaxLeads, Schedule: s.Schedule}
	for _, t := range s.Targets {
		r.Targets = append(r.Targets, store.Target{Handle: t.Handle, Followers: t.Followers, Following: t.Following})
	}
	return r
}

// campaignRecord is the declared part of a campaign's record, without the
// ids of its sources and accounts, nor the policy the settings give it.
func campaignRecord(c *config.Campaign) store.Campaign {
	r := store.Campaign{
		Address: store.Address(store.KindCampaign, c.Name), Name: c.Name, MaxLeads: c.MaxLeads, Dedupe: c.Dedupe,
		Follow: c.Follow, Like: c.Like, Window: windowRecord(c.Window), Schedule: c.Schedule,
	}
	if c.Comment != nil {
		r.Comment, r.CommentTemplate = true, c.Comment.Template
	}
	// Campaign-level follow-ups go to the variants that declare none.
	for _, v := range c.Variants {
		sv := store.Variant{Message: v.Message, Weight: v.Weight}
		for _, f := range c.FollowupsFor(v) {
			sv.Followups = append(sv.Followups, store.Followup{After: f.After, Message: f.Message})
		}
		r.Variants = append(r.Variants, sv)
	}
	return r
}

// campaignAccounts is the labels of the accounts a campaign sends from:
// the ones it lists, or every account the configuration declares (as the
// API's launch defaults to every account of the workspace).
func campaignAccounts(cfg *config.Config, c *config.Campaign) []string {
	if len(c.Accounts) > 0 {
		return c.Accounts
	}
	names := make([]string, len(cfg.Accounts))
	for i, a := range cfg.Accounts {
		names[i] = a.Name
	}
	return names
}
