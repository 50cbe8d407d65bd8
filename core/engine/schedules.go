package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// scheduled is a source or campaign whose schedule is due.
type scheduled struct {
	ws, sourceID, campaignID string
}

// RunSchedules runs the cron schedules of sources and campaigns that are
// due (see schedule.Due) and returns when the next one is. A
// cluster's leader runs it now and then; a single engine runs it from its
// scheduler.
func (e *Engine) RunSchedules(ctx context.Context) (time.Time, error) {
	now := e.clk.Now()
	var (
		due  []scheduled
		next time.Time
	)
	err := e.view(ctx, func(tx Tx) error {
		due, next = nil, time.Time{}
		accounts, err := tx.AllAccounts()
		if err != nil {
			return err
		}
		// consider notes a schedule as due now or as the next to come.
		consider := func(d scheduled, name, expr string, ranAt, created time.Time) {
			at, err := schedule.Due(expr, ranAt, created, now)
			switch {
			case err != nil:
				e.log.Warn("a schedule does not parse; it does not run", "of", name, "error", err)
			case at.After(now):
				next = earlier(next, at)
			default:
				due = append(due, d)
			}
		}
		seen := map[string]bool{}
		for _, a := range accounts {
			if seen[a.Workspace] {
				continue
			}
			seen[a.Workspace] = true
			sources, err := tx.Sources(a.Workspace)
			if err != nil {
				return err
			}
			for _, s := range sources {
				if s.Schedule != "" {
					consider(scheduled{ws: s.Workspace, sourceID: s.ID}, "source "+s.Name, s.Schedule, s.ScheduleRanAt, s.CreatedAt)
				}
			}
			campaigns, err := tx.Campaigns(a.Workspace)
			if err != nil {
				return err
			}
			for _, c := range campaigns {
				if c.Schedule != "" {
					consider(scheduled{ws: c.Workspace, campaignID: c.ID}, "campaign "+c.Name, c.Schedule, c.ScheduleRanAt, c.CreatedAt)
				}
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	for _, d := range due {
		at, err := e.runSchedule(ctx, d, now)
		if err != nil {
			return time.Time{}, err
		}
		next = earlier(next, at)
	}
	return next, nil
}

// runSchedule runs one due schedule in a transaction of its own, unless
// another engine ran it first, and returns when it runs next.
func (e *Engine) runSchedule(ctx context.Context, d scheduled, now time.Time) (time.Time, error) {
	var (
		next   time.Time
		name   string
		queued int
	)
	err := e.update(ctx, func(tx Tx) error {
		next, name, queued = time.Time{}, "", 0
		if d.sourceID != "" {
			src, err := tx.Source(d.ws, d.sourceID)
			if err != nil {
				return ignoreNotFound(err)
			}
			if ran, err := ranSince(src.Schedule, src.ScheduleRanAt, src.CreatedAt, now); ran || err != nil {
				return err
			}
			name = "source " + src.Name
			if queued, err = service.RunSourceSchedule(tx, src, now); err != nil {
				return err
			}
			next, err = schedule.Due(src.Schedule, now, src.CreatedAt, now)
			return err
		}
		c, err := tx.Campaign(d.ws, d.campaignID)
		if err != nil {
			return ignoreNotFound(err)
		}
		if ran, err := ranSince(c.Schedule, c.ScheduleRanAt, c.CreatedAt, now); ran || err != nil {
			return err
		}
		name = "campaign " + c.Name
		if queued, err = service.RunCampaignSchedule(tx, c, now); err != nil {
			return err
		}
		next, err = schedule.Due(c.Schedule, now, c.CreatedAt, now)
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("run the schedule of %s: %w", name, err)
	}
	if name == "" {
		return time.Time{}, nil // removed, or run by another engine
	}
	e.log.Info("schedule ran", "of", name, "queued", queued, "next", next.UTC().Format(time.RFC3339))
	if d.campaignID != "" && queued > 0 {
		e.observe(Event{Kind: Queued, Workspace: d.ws, CampaignID: d.campaignID, Count: queued})
	}
	if queued > 0 {
		e.Wake()
	}
	return next, nil
}

// ranSince reports whether a schedule is no longer due at now: another
// engine ran it, or it was changed.
func ranSince(cron string, ranAt, created, now time.Time) (bool, error) {
	if cron == "" {
		return true, nil
	}
	at, err := schedule.Due(cron, ranAt, created, now)
	return at.After(now), err
}

func ignoreNotFound(err error) error {
	if store.IsNotFound(err) {
		return nil
	}
	return err
}
