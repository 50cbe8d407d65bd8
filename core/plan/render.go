package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// WriteText prints the plan as a person reads it, in the manner of
// Terraform: one block per changed object, then a count, then the work.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	if !p.HasChanges() {
		b.WriteString("No changes. The configuration matches what is applied.\n")
	} else {
		b.WriteString("outreach will perform the following actions:\n")
		var add, change, destroy int
		for _, c := range p.Changes {
			b.WriteString("\n")
			writeChange(&b, c)
			switch c.Action {
			case Create:
				add++
			case Update:
				change++
			case Delete:
				destroy++
			}
		}
		fmt.Fprintf(&b, "\nPlan: %d to add, %d to change, %d to destroy.\n", add, change, destroy)
	}
	p.Work.writeText(&b)
	writeSignIns(&b, p.SignIns)
	writePlugins(&b, p.Plugins)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSignIns lists the accounts that must be signed in before they can
// act.
func writeSignIns(b *strings.Builder, signIns []SignIn) {
	if len(signIns) == 0 {
		return
	}
	b.WriteString("\nAccounts to sign in (they act only once they are):\n")
	for _, s := range signIns {
		fmt.Fprintf(b, "  account.%s (@%s): %s; run `%s`\n", s.Account, s.Handle, s.Why, s.Command)
	}
}

// writePlugins lists the plugins the configuration declares:
// "plugin.csv: csv-sink 1.0.0 (sink) from /path; version >= 1.0".
func writePlugins(b *strings.Builder, plugins []Plugin) {
	if len(plugins) == 0 {
		return
	}
	b.WriteString("\nPlugins:\n")
	for _, pl := range plugins {
		fmt.Fprintf(b, "  plugin.%s: version %s (%s) from %s", pl.Name, pl.Version, strings.Join(pl.Kinds, ", "), pl.Source)
		if pl.Constraint != "" {
			fmt.Fprintf(b, "; constraint %q", pl.Constraint)
		}
		b.WriteString("\n")
	}
}

// WriteJSON prints the plan as JSON for tools, attribute values as JSON
// values. Sensitive values are left out: their attributes say only
// "sensitive": true.
func (p *Plan) WriteJSON(w io.Writer) error {
	type jsonAttr struct {
		Name      string          `json:"name"`
		Value     json.RawMessage `json:"value,omitempty"`
		Sensitive bool            `json:"sensitive,omitempty"`
	}
	type jsonChange struct {
		Action  Action     `json:"action"`
		Address string     `json:"address"`
		Kind    string     `json:"kind"`
		Name    string     `json:"name"`
		Before  []jsonAttr `json:"before,omitempty"`
		After   []jsonAttr `json:"after,omitempty"`
		Changed []string   `json:"changed,omitempty"`
	}
	conv := func(attrs []Attr) []jsonAttr {
		var out []jsonAttr
		for _, a := range attrs {
			ja := jsonAttr{Name: a.Name, Sensitive: a.Sensitive}
			if !a.Sensitive {
				ja.Value = jsonValue(a.Value)
			}
			out = append(out, ja)
		}
		return out
	}
	view := struct {
		FormatVersion int          `json:"format_version"`
		Workspace     string       `json:"workspace"`
		Sandbox       bool         `json:"sandbox"`
		Destroy       bool         `json:"destroy,omitempty"`
		Changes       []jsonChange `json:"changes"`
		Work          Work         `json:"work"`
		Plugins       []Plugin     `json:"plugins"`
	}{FormatVersion: FileFormatVersion, Workspace: p.Workspace, Sandbox: p.Sandbox, Destroy: p.Destroy, Changes: []jsonChange{}, Work: p.Work, Plugins: p.Plugins}
	if view.Plugins == nil {
		view.Plugins = []Plugin{}
	}
	for _, c := range p.Changes {
		view.Changes = append(view.Changes, jsonChange{Action: c.Action, Address: c.Address(), Kind: c.Kind, Name: c.Name,
			Before: conv(c.Before), After: conv(c.After), Changed: c.Changed})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(view)
}

// jsonValue turns a printed value into JSON: most already are (quoted
// strings, numbers, bools, lists, null); any other is given as a string.
func jsonValue(v string) json.RawMessage {
	if json.Valid([]byte(v)) {
		return json.RawMessage(v)
	}
	b, _ := json.Marshal(v)
	return b
}

var actionWords = map[Action]string{Create: "will be created", Update: "will be updated in place", Delete: "will be destroyed"}

func writeChange(b *strings.Builder, c Change) {
	fmt.Fprintf(b, "  # %s %s\n", c.Address(), actionWords[c.Action])
	fmt.Fprintf(b, "  %s %s %q {\n", c.Action.Symbol(), c.Kind, c.Name)
	switch c.Action {
	case Create:
		writeAttrs(b, "+", c.After)
	case Delete:
		writeAttrs(b, "-", c.Before)
	case Update:
		before := map[string]Attr{}
		for _, a := range c.Before {
			before[a.Name] = a
		}
		after := map[string]Attr{}
		for _, a := range c.After {
			after[a.Name] = a
		}
		width := 0
		for _, n := range c.Changed {
			width = max(width, len(n))
		}
		for _, n := range c.Changed {
			old, hadOld := before[n]
			nw, hasNew := after[n]
			switch {
			case !hadOld || old.Value == null:
				fmt.Fprintf(b, "      + %-*s = %s\n", width, n, value(nw))
			case !hasNew || nw.Value == null:
				fmt.Fprintf(b, "      - %-*s = %s\n", width, n, value(old))
			default:
				fmt.Fprintf(b, "      ~ %-*s = %s -> %s\n", width, n, value(old), value(nw))
			}
		}
	}
	b.WriteString("    }\n")
}

func writeAttrs(b *strings.Builder, sym string, attrs []Attr) {
	width := 0
	for _, a := range attrs {
		if shown(a) {
			width = max(width, len(a.Name))
		}
	}
	for _, a := range attrs {
		if shown(a) {
			fmt.Fprintf(b, "      %s %-*s = %s\n", sym, width, a.Name, value(a))
		}
	}
}

// shown reports whether an attribute of a created or destroyed object is
// worth printing: an unset one adds nothing.
func shown(a Attr) bool {
	return a.Value != null && a.Value != `""` && a.Value != "[]"
}

func value(a Attr) string {
	if a.Sensitive {
		return "(sensitive value)"
	}
	return a.Value
}

// when prints an estimated time to the minute, in UTC.
func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// runs lists a schedule's next run times: "A, B, C, ...".
func runs(ts []time.Time) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = when(t)
	}
	return strings.Join(parts, ", ") + ", ..."
}

// refusals says what a campaign's policy refuses of what it would do:
// "policy strict refuses follows and follow-ups; first DMs go only to
// leads who messaged the account first", in the policy's own words.
func refusals(c CampaignWork) string {
	p := store.Policy(c.Policy)
	var nouns, reasons []string
	for _, a := range c.Refused {
		var re *store.RefusedError
		if !errors.As(p.Refusal(a), &re) {
			continue
		}
		if a == store.ActionColdDM {
			reasons = append(reasons, re.Reason)
		} else {
			nouns = append(nouns, a.Noun())
		}
	}
	s := "policy " + p.String()
	if len(nouns) > 0 {
		s += " refuses " + join(nouns)
	}
	if len(reasons) > 0 {
		if len(nouns) > 0 {
			s += ";"
		} else {
			s += ":"
		}
		s += " " + strings.Join(reasons, "; ")
	}
	return s
}

// join lists words as a sentence does: "a, b and c".
func join(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func (w Work) writeText(b *strings.Builder) {
	if len(w.Sources) == 0 && len(w.Campaigns) == 0 && len(w.Tweets) == 0 && len(w.Holds) == 0 && w.SpendWarning == "" {
		return
	}
	b.WriteString("\nWork:\n")
	for _, s := range w.Sources {
		budget := "no lead budget"
		if s.MaxLeads > 0 {
			budget = fmt.Sprintf("%d of %d leads kept", s.Kept, s.MaxLeads)
		}
		fmt.Fprintf(b, "  source.%s: %d list(s) to scrape; %s", s.Name, s.Targets, budget)
		if len(s.NextRuns) > 0 {
			fmt.Fprintf(b, "; scraped again at %s", runs(s.NextRuns))
		}
		b.WriteString("\n")
		writeScrape(b, s)
	}
	for _, c := range w.Campaigns {
		// A policy that refuses cold DMs makes the count an upper bound.
		upTo := ""
		if slices.Contains(c.Refused, store.ActionColdDM) {
			upTo = "up to "
		}
		if c.ToSend < 0 {
			fmt.Fprintf(b, "  campaign.%s: %d first DMs sent; every lead its sources keep will get one", c.Name, c.Sent)
			if upTo != "" {
				b.WriteString(" if the policy allows")
			}
		} else {
			names := make([]string, 0, len(c.PerAccount))
			for n := range c.PerAccount {
				names = append(names, n)
			}
			sort.Strings(names)
			parts := make([]string, len(names))
			for i, n := range names {
				parts[i] = fmt.Sprintf("%s %d", n, c.PerAccount[n])
			}
			fmt.Fprintf(b, "  campaign.%s: %d first DMs sent", c.Name, c.Sent)
			if c.MaxLeads > 0 {
				fmt.Fprintf(b, " of %d", c.MaxLeads)
			}
			if c.Skipped > 0 {
				fmt.Fprintf(b, " (%d skipped)", c.Skipped)
			}
			if c.Failed > 0 {
				fmt.Fprintf(b, " (%d failed)", c.Failed)
			}
			fmt.Fprintf(b, "; %s%d to send", upTo, c.ToSend)
			if len(parts) > 0 {
				fmt.Fprintf(b, ": %s", strings.Join(parts, ", "))
			}
		}
		if c.Followups > 0 {
			fmt.Fprintf(b, "; up to %d follow-up(s) each", c.Followups)
		}
		if len(c.NextRuns) > 0 {
			fmt.Fprintf(b, "; takes in new leads at %s", runs(c.NextRuns))
		}
		b.WriteString("\n")
		switch {
		case c.Stalled != "":
			fmt.Fprintf(b, "    will not finish: %s\n", c.Stalled)
		case c.FirstDMsDone != nil:
			fmt.Fprintf(b, "    first DMs done by about %s", when(*c.FirstDMsDone))
			if c.Done != nil && c.Done.After(*c.FirstDMsDone) {
				fmt.Fprintf(b, "; last follow-up by about %s", when(*c.Done))
			}
			b.WriteString("\n")
		}
		writeBudget(b, c)
		if len(c.Refused) > 0 {
			fmt.Fprintf(b, "  campaign.%s: %s\n", c.Name, refusals(c))
		}
	}
	for _, a := range w.Accounts {
		fmt.Fprintf(b, "  account.%s: %d first DMs", a.Name, a.FirstDMs)
		if a.Followups > 0 {
			fmt.Fprintf(b, " and up to %d follow-ups", a.Followups)
		}
		fmt.Fprintf(b, "; %d a day today", a.CapToday)
		switch {
		case a.Stalled != "":
			fmt.Fprintf(b, "; will not finish: %s", a.Stalled)
		case a.Done != nil:
			fmt.Fprintf(b, "; done by about %s", when(*a.Done))
		}
		b.WriteString("\n")
	}
	for _, t := range w.Tweets {
		fmt.Fprintf(b, "  tweet.%s: posted from account.%s at %s\n", t.Name, t.Account, when(t.At))
	}
	for _, h := range w.Holds {
		what := "held"
		if h.Scope == store.HoldFollowups {
			what = "follow-ups held"
		}
		fmt.Fprintf(b, "  account.%s: %s by %s since %s: %s", h.Account, what, h.By, when(h.Since), h.Reason)
		if !h.Until.IsZero() {
			fmt.Fprintf(b, " (until %s)", when(h.Until))
		}
		b.WriteString("; apply does not lift holds\n")
	}
	if w.Cost != nil {
		fmt.Fprintf(b, "  cost: %s in all", w.Cost)
		if w.CostPerDay > 0 {
			fmt.Fprintf(b, "; %s on the busiest day", money(w.CostPerDay, w.Cost.Currency))
		}
		b.WriteString("\n")
	}
	if w.SpendWarning != "" {
		fmt.Fprintf(b, "  warning: %s\n", w.SpendWarning)
	}
}

// writeScrape says how many pages a source's scrape reads, in how many
// windows of the network's budget, and what they cost.
func writeScrape(b *strings.Builder, s SourceWork) {
	if s.Requests == 0 {
		return
	}
	atLeast := ""
	if s.UsersAtLeast {
		atLeast = "at least "
	}
	fmt.Fprintf(b, "    %s%s users to read in %s%d request(s)", atLeast, count(s.Users), atLeast, s.Requests)
	if s.Windows > 0 {
		fmt.Fprintf(b, "; needs %d %s of %s", s.Windows, plural(s.Windows, "window", "windows"), span(s.Window))
	}
	if s.Cost != nil {
		fmt.Fprintf(b, "; %s", s.Cost)
	}
	b.WriteString("\n")
}

// writeBudget says how many 24-hour windows a campaign's DMs need, which
// budget sets its finish date, and what its DMs cost.
func writeBudget(b *strings.Builder, c CampaignWork) {
	var parts []string
	if c.Windows > 0 {
		parts = append(parts, fmt.Sprintf("needs %d %s of 24h", c.Windows, plural(c.Windows, "window", "windows")))
	}
	if c.Limit != "" {
		parts = append(parts, c.Limit)
	}
	if c.Cost != nil {
		parts = append(parts, c.Cost.String())
	}
	if len(parts) > 0 {
		fmt.Fprintf(b, "    %s\n", strings.Join(parts, "; "))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// span prints a budget's window: "15m", "24h".
func span(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
