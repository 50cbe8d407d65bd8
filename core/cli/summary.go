package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// writeSummary prints what the declared sources and campaigns have done so
// far: leads scraped and kept, first DMs per account and variant, replies
// and follow-ups, the first DMs skipped (by a policy, or a person) or
// failed, and the engagement before first DMs.
func writeSummary(w io.Writer, svc *service.Service, cfg *config.Config, ws string, now time.Time) error {
	sources, campaigns, err := svc.Stats(context.Background(), ws)
	if err != nil {
		return err
	}
	// Only what this configuration declares: the workspace may hold more.
	declaredSource := func(name string) bool {
		return slices.ContainsFunc(cfg.Sources, func(s *config.Source) bool { return s.Name == name })
	}
	declaredCampaign := func(name string) bool {
		return slices.ContainsFunc(cfg.Campaigns, func(c *config.Campaign) bool { return c.Name == name })
	}
	fmt.Fprintln(w, "\nSummary")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  source\tleads scraped\tleads kept\tlists pending\tlists failed")
	for _, s := range sources {
		if declaredSource(s.Name) {
			pending, failed := listStates(s)
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\n", s.Name, s.Scraped(), s.Kept, pending, failed)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range campaigns {
		if !declaredCampaign(c.Name) {
			continue
		}
		fmt.Fprintf(w, "\n  campaign %s", c.Name)
		if c.Policy.String() != string(store.PolicyStandard) {
			fmt.Fprintf(w, " (policy %s)", c.Policy)
		}
		fmt.Fprintln(w)
		for i, v := range c.Variants {
			fmt.Fprintf(w, "    variant %s: %s\n", service.VariantLabel(i), truncate(v.Message, 60))
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		header := []string{"account"}
		for i := range c.Variants {
			header = append(header, "DMs "+service.VariantLabel(i))
		}
		header = append(header, "DMs", "replies", "follow-ups", "pending", "skipped", "failed")
		fmt.Fprintf(tw, "    %s\t\n", strings.Join(header, "\t"))
		for _, a := range c.Accounts {
			writeAccountRow(tw, "@"+a.Handle, a)
		}
		writeAccountRow(tw, "total", c.Totals())
		if err := tw.Flush(); err != nil {
			return err
		}
		if err := writeEngagement(w, c.Engagement); err != nil {
			return err
		}
	}
	if err := writeSetter(w, svc, cfg, ws); err != nil {
		return err
	}
	if err := writeHealth(w, svc, cfg, ws); err != nil {
		return err
	}
	return writeSchedules(w, sources, campaigns, declaredSource, declaredCampaign, now)
}

// writeEngagement prints how a campaign's engagement before first DMs
// went, a row per step; nothing for a campaign without any.
func writeEngagement(w io.Writer, steps []service.EngageStats) error {
	if len(steps) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "    engagement\tdone\trequested\tskipped\tfailed\t")
	for _, st := range steps {
		fmt.Fprintf(tw, "    %s\t%d\t%d\t%d\t%d\t\n", st.Step, st.Done, st.Requested, st.Skipped, st.Failed)
	}
	return tw.Flush()
}

// writeSetter prints what the AI setter did for each declared account
// with it on; nothing when none has it.
func writeSetter(w io.Writer, svc *service.Service, cfg *config.Config, ws string) error {
	stats, err := svc.SetterStats(context.Background(), ws)
	if err != nil {
		return err
	}
	var rows []service.SetterStats
	for _, st := range stats {
		if slices.ContainsFunc(cfg.Accounts, func(c *config.Account) bool {
			return store.NormalizeHandle(c.Handle) == store.NormalizeHandle(st.Handle)
		}) {
			rows = append(rows, st)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\n  AI setter")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "    account\tanswers sent\twaiting\tnot sent\thanded off\t")
	for _, st := range rows {
		fmt.Fprintf(tw, "    @%s\t%d\t%d\t%d\t%d\t\n", st.Handle, st.Sent, st.Waiting, st.Held, st.HandedOff)
	}
	return tw.Flush()
}

// writeHealth prints each declared account's health score and what holds
// it, if anything.
func writeHealth(w io.Writer, svc *service.Service, cfg *config.Config, ws string) error {
	accounts, err := svc.ListAccounts(context.Background(), ws)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n  account health")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, a := range accounts {
		if !slices.ContainsFunc(cfg.Accounts, func(c *config.Account) bool {
			return store.NormalizeHandle(c.Handle) == store.NormalizeHandle(a.Handle)
		}) {
			continue
		}
		state := "active"
		if len(a.Holds) > 0 {
			state = "held: " + a.Holds[0].Reason
		} else if a.Paused {
			state = "paused"
		}
		fmt.Fprintf(tw, "    @%s\t%d/100\t%s\n", a.Handle, a.Health, state)
	}
	return tw.Flush()
}

// writeSchedules says when each declared schedule runs next: apply has
// done the work due now, and `outreach serve` (or the next apply) runs
// them from then on.
func writeSchedules(w io.Writer, sources []service.SourceInfo, campaigns []service.CampaignStats, declaredSource, declaredCampaign func(string) bool, now time.Time) error {
	var lines []string
	next := func(what, expr string, ranAt, created time.Time, does string) {
		at, err := schedule.Due(expr, ranAt, created, now)
		if err != nil {
			return
		}
		lines = append(lines, fmt.Sprintf("  %s %s next at %s (%s)", what, does, at.UTC().Format("2006-01-02 15:04 UTC"), expr))
	}
	for _, s := range sources {
		if s.Schedule != "" && declaredSource(s.Name) {
			next("source."+s.Name, s.Schedule, s.ScheduleRanAt, s.CreatedAt, "scrapes again")
		}
	}
	for _, c := range campaigns {
		if c.Schedule != "" && declaredCampaign(c.Name) {
			next("campaign."+c.Name, c.Schedule, c.ScheduleRanAt, c.CreatedAt, "takes in new leads")
		}
	}
	if len(lines) == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "\nSchedules (run by `outreach serve`, or by the next apply when it is due):\n%s\n", strings.Join(lines, "\n"))
	return err
}

// listStates counts a source's lists still to scrape and those that
// failed.
func listStates(s service.SourceInfo) (pending, failed int) {
	for _, j := range s.Jobs {
		switch j.State {
		case store.JobPending:
			pending++
		case store.JobFailed:
			failed++
		}
	}
	return pending, failed
}

func writeAccountRow(w io.Writer, label string, a service.CampaignAccountStats) {
	cells := []string{label}
	for _, n := range a.Sent {
		cells = append(cells, fmt.Sprint(n))
	}
	cells = append(cells, fmt.Sprint(a.TotalSent()), fmt.Sprint(a.TotalReplied()), fmt.Sprint(a.Followups), fmt.Sprint(a.Pending), fmt.Sprint(a.Skipped), fmt.Sprint(a.Failed))
	fmt.Fprintf(w, "    %s\t\n", strings.Join(cells, "\t"))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
