package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/config"
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

// Attr is one attribute. Sensitive values are never printed.
type Attr struct {
	Name      string `json:"name"`
	Value     string `json:"value"`
	Sensitive bool   `json:"sensitive,omitempty"`
}

type attrs []Attr

func (a *attrs) add(name string, v any) {
	*a = append(*a, Attr{Name: name, Value: format(v)})
}

func format(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case time.Duration:
		return fmt.Sprintf("%q", formatDuration(x))
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case *bool:
		if x == nil {
			return "null"
		}
		return fmt.Sprint(*x)
	case *int:
		if x == nil {
			return "null"
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
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}

func accountObject(name, handle, network string, limit int, minGap, maxGap time.Duration, paused, fuPaused, wuPaused bool) Object {
	var a attrs
	a.add("handle", handle)
	a.add("network", network)
	a.add("daily_dm_limit", limit)
	a.add("pacing.min_gap", minGap)
	a.add("pacing.max_gap", maxGap)
	a.add("paused", paused)
	a.add("followups_paused", fuPaused)
	a.add("warmup_paused", wuPaused)
	return Object{Kind: store.KindAccount, Name: name, Attrs: a}
}

func filterAttrs(a *attrs, prefix string, s filter.Spec) {
	groups := func(g [][]string) string {
		parts := make([]string, len(g))
		for i, k := range g {
			parts[i] = format(k)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	*a = append(*a,
		Attr{Name: prefix + "include_keywords", Value: groups(s.IncludeKeywords)},
		Attr{Name: prefix + "exclude_keywords", Value: groups(s.ExcludeKeywords)},
	)
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

func filterObject(name string, s filter.Spec) Object {
	var a attrs
	filterAttrs(&a, "", s)
	return Object{Kind: store.KindFilter, Name: name, Attrs: a}
}

func sourceObject(name string, targets []store.Target, filterName string, inline *filter.Spec, maxLeads int) Object {
	var a attrs
	for _, t := range targets {
		a.add("target."+t.Handle, fmt.Sprintf("followers=%v following=%v", t.Followers, t.Following))
	}
	if inline != nil {
		filterAttrs(&a, "filter.", *inline)
	} else {
		a.add("filter", filterName)
	}
	a.add("max_leads", maxLeads)
	return Object{Kind: store.KindSource, Name: name, Attrs: a}
}

func campaignObject(name string, sources, accounts []string, variants []store.Variant, maxLeads int, dedupe bool) Object {
	var a attrs
	a.add("sources", sources)
	a.add("accounts", accounts)
	for i, v := range variants {
		p := fmt.Sprintf("variant[%d].", i)
		a.add(p+"message", v.Message)
		for k, f := range v.Followups {
			a.add(fmt.Sprintf("%sfollowup[%d].after", p, k), f.After)
			a.add(fmt.Sprintf("%sfollowup[%d].message", p, k), f.Message)
		}
	}
	a.add("max_leads", maxLeads)
	a.add("dedupe", dedupe)
	return Object{Kind: store.KindCampaign, Name: name, Attrs: a}
}

// Desired flattens what a configuration declares.
func Desired(cfg *config.Config) []Object {
	var out []Object
	for _, a := range cfg.Accounts {
		out = append(out, accountObject(a.Name, a.Handle, a.Network, a.DailyDMLimit, a.Pacing.MinGap, a.Pacing.MaxGap, a.Paused, a.FollowupsPaused, a.WarmupPaused))
	}
	for _, f := range cfg.Filters {
		out = append(out, filterObject(f.Name, f.Spec))
	}
	for _, s := range cfg.Sources {
		out = append(out, sourceObject(s.Name, Targets(s), s.FilterRef, s.Filter, s.MaxLeads))
	}
	for _, c := range cfg.Campaigns {
		out = append(out, campaignObject(c.Name, c.Sources, CampaignAccounts(cfg, c), Variants(c), c.MaxLeads, c.Dedupe))
	}
	return out
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
		fus := v.Followups
		if len(fus) == 0 {
			fus = c.Followups
		}
		out[i] = store.Variant{Message: v.Message}
		for _, f := range fus {
			out[i].Followups = append(out[i].Followups, store.Followup{After: f.After, Message: f.Message})
		}
	}
	return out
}

// Current flattens the config-managed objects the store holds for a
// workspace, naming referenced objects by name as a config does.
func Current(tx *store.Tx, ws string) ([]Object, error) {
	var out []Object
	accounts, err := tx.Accounts(ws)
	if err != nil {
		return nil, err
	}
	accountName := map[string]string{}
	for _, a := range accounts {
		accountName[a.ID] = a.Name
		if a.Name != "" {
			out = append(out, accountObject(a.Name, a.Handle, a.Network, a.DailyDMLimit, a.MinGap, a.MaxGap, a.Paused, a.FollowupsPaused, a.WarmupPaused))
		}
	}
	filters, err := tx.Filters(ws)
	if err != nil {
		return nil, err
	}
	filterName := map[string]string{}
	for _, f := range filters {
		filterName[f.ID] = f.Name
		if f.Name != "" {
			out = append(out, filterObject(f.Name, f.Spec))
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
			out = append(out, sourceObject(s.Name, s.Targets, filterName[s.FilterID], s.Filter, s.MaxLeads))
		}
	}
	campaigns, err := tx.Campaigns(ws)
	if err != nil {
		return nil, err
	}
	for _, c := range campaigns {
		if c.Name == "" {
			continue
		}
		names := func(ids []string, m map[string]string) []string {
			out := make([]string, len(ids))
			for i, id := range ids {
				out[i] = m[id]
			}
			return out
		}
		out = append(out, campaignObject(c.Name, names(c.SourceIDs, sourceName), names(c.AccountIDs, accountName), c.Variants, c.MaxLeads, c.Dedupe))
	}
	return out, nil
}
