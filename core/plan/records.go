package plan

import (
	"encoding/json"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

// The *Record functions convert declared objects into the store records
// applying them writes, with only the declared fields set. Both the plan's
// desired side and the service's writes go through them, so what the plan
// shows is what apply stores.

// SecretAttrs are an account's secret attributes, in plan order.
var SecretAttrs = []string{"cookies", "tokens", "proxy_auth", "xchat_pin"}

// SecretValues returns an account's secrets by attribute name, each as one
// canonical string ("" when unset): what is sealed when stored, and what
// the keyed digests the plan compares are computed over.
func SecretValues(a *config.Account) map[string]string {
	out := map[string]string{"proxy_auth": a.ProxyAuth, "xchat_pin": a.XChatPIN}
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

// AccountRecord is the declared part of an account's record.
func AccountRecord(a *config.Account) store.Account {
	return store.Account{
		Name: a.Name, Handle: a.Handle, Network: a.Network,
		DailyDMLimit: a.DailyDMLimit, DailyFollowLimit: a.DailyFollowLimit,
		DailyLikeLimit: a.DailyLikeLimit, DailyCommentLimit: a.DailyCommentLimit,
		MinGap: a.Pacing.MinGap, MaxGap: a.Pacing.MaxGap, Jitter: a.Pacing.Jitter,
		ActiveHours: WindowRecord(a.ActiveHours),
		Warmup:      warmupRecord(a.Warmup),
		AISetter:    a.AISetter, Proxy: a.Proxy,
		Paused: a.Paused, FollowupsPaused: a.FollowupsPaused, WarmupPaused: a.WarmupPaused,
	}
}

// WindowRecord converts a time window; nil stays nil.
func WindowRecord(w *config.Window) *store.Window {
	if w == nil {
		return nil
	}
	return &store.Window{Start: w.Start, End: w.End, TimeZone: w.TimeZone, Days: w.Days}
}

func warmupRecord(w *config.Warmup) *store.Warmup {
	if w == nil {
		return nil
	}
	return &store.Warmup{Start: w.Start, Increase: w.Increase}
}

// SourceRecord is the declared part of a source's record, without the id
// of its filter.
func SourceRecord(s *config.Source) store.Source {
	return store.Source{Name: s.Name, Targets: Targets(s), Filter: s.Filter, MaxLeads: s.MaxLeads, Schedule: s.Schedule}
}

// CampaignRecord is the declared part of a campaign's record, without the
// ids of its sources and accounts.
func CampaignRecord(c *config.Campaign) store.Campaign {
	r := store.Campaign{
		Name: c.Name, Variants: Variants(c), MaxLeads: c.MaxLeads, Dedupe: c.Dedupe,
		Follow: c.Follow, Like: c.Like, Window: WindowRecord(c.Window), Schedule: c.Schedule,
	}
	if c.Comment != nil {
		r.Comment, r.CommentTemplate = true, c.Comment.Template
	}
	return r
}

// WebhookRecord is the declared part of a webhook's record, without its
// sealed secret.
func WebhookRecord(w *config.Webhook) store.Webhook {
	return store.Webhook{Name: w.Name, URL: w.URL, Events: w.Events}
}

// TweetRecord is the declared part of a scheduled tweet's record, without
// the id of its account.
func TweetRecord(t *config.Tweet) store.ScheduledTweet {
	return store.ScheduledTweet{Name: t.Name, Text: t.Text, ScheduledAt: t.At}
}

// Targets converts a source's targets.
func Targets(s *config.Source) []store.Target {
	out := make([]store.Target, len(s.Targets))
	for i, t := range s.Targets {
		out[i] = store.Target{Handle: t.Handle, Followers: t.Followers, Following: t.Following}
	}
	return out
}

// CampaignAccounts is the names of the accounts a campaign sends from: the
// ones it lists, or every declared account.
func CampaignAccounts(cfg *config.Config, c *config.Campaign) []string {
	if len(c.Accounts) > 0 {
		return c.Accounts
	}
	names := make([]string, len(cfg.Accounts))
	for i, a := range cfg.Accounts {
		names[i] = a.Name
	}
	return names
}

// Variants converts a campaign's variants, giving campaign-level follow-ups
// to the variants that declare none.
func Variants(c *config.Campaign) []store.Variant {
	out := make([]store.Variant, len(c.Variants))
	for i, v := range c.Variants {
		out[i] = store.Variant{Message: v.Message, Weight: v.Weight}
		for _, f := range c.FollowupsFor(v) {
			out[i].Followups = append(out[i].Followups, store.Followup{After: f.After, Message: f.Message})
		}
	}
	return out
}

// Desired flattens what a configuration declares.
func (f *flattener) desired(cfg *config.Config) []Object {
	var out []Object
	for _, a := range cfg.Accounts {
		out = append(out, f.account(a.Name, AccountRecord(a), SecretValues(a)))
	}
	for _, fl := range cfg.Filters {
		out = append(out, f.filter(fl.Name, fl.Spec))
	}
	for _, s := range cfg.Sources {
		out = append(out, f.source(s.Name, SourceRecord(s), s.FilterRef))
	}
	for _, c := range cfg.Campaigns {
		out = append(out, f.campaign(c.Name, CampaignRecord(c), c.Sources, CampaignAccounts(cfg, c)))
	}
	for _, w := range cfg.Webhooks {
		secret := w.Secret
		out = append(out, f.webhook(w.Name, WebhookRecord(w), &secret))
	}
	for _, t := range cfg.Tweets {
		out = append(out, f.tweet(t.Name, TweetRecord(t), t.Account))
	}
	return out
}

// current flattens the config-managed objects the store holds for a
// workspace, naming referenced objects by name as a config does.
func (f *flattener) current(tx *store.Tx, ws string) ([]Object, error) {
	var out []Object
	accounts, err := tx.Accounts(ws)
	if err != nil {
		return nil, err
	}
	accountName := map[string]string{}
	for _, a := range accounts {
		accountName[a.ID] = a.Name
		if a.Name != "" {
			out = append(out, f.account(a.Name, a, nil))
		}
	}
	filters, err := tx.Filters(ws)
	if err != nil {
		return nil, err
	}
	filterName := map[string]string{}
	for _, fl := range filters {
		filterName[fl.ID] = fl.Name
		if fl.Name != "" {
			out = append(out, f.filter(fl.Name, fl.Spec))
		}
	}
	sources, err := tx.Sources(ws)
	if err != nil {
		return nil, err
	}
	sourceName := map[string]string{}
	for _, s := range sources {
		sourceName[s.ID] = s.Name
		if s.Name != "" {
			out = append(out, f.source(s.Name, s, filterName[s.FilterID]))
		}
	}
	campaigns, err := tx.Campaigns(ws)
	if err != nil {
		return nil, err
	}
	names := func(ids []string, m map[string]string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = m[id]
		}
		return out
	}
	for _, c := range campaigns {
		if c.Name != "" {
			out = append(out, f.campaign(c.Name, c, names(c.SourceIDs, sourceName), names(c.AccountIDs, accountName)))
		}
	}
	webhooks, err := tx.Webhooks(ws)
	if err != nil {
		return nil, err
	}
	for _, w := range webhooks {
		if w.Name != "" {
			out = append(out, f.webhook(w.Name, w, nil))
		}
	}
	tweets, err := tx.ScheduledTweets(ws)
	if err != nil {
		return nil, err
	}
	for _, t := range tweets {
		if t.Name != "" {
			out = append(out, f.tweet(t.Name, t, accountName[t.AccountID]))
		}
	}
	return out, nil
}
