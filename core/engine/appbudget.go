package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/sdk"
)

// X limits DM sends per user and per app over 24 hours (sdk.Budget with
// ScopeApp): with one app, every account of the install that signs in
// through it shares the app's budget. The engine shares it evenly among the
// active accounts of the network (one plugin configuration is one app),
// by the rule the plan follows (schedule.AppShare): an account that has
// sent its share today waits for tomorrow, so that one busy account cannot
// starve the others.

// sendBudgets are a network's daily DM send budgets: per user, and the
// app's (0 for none); spacing is the least gap between two sends of one
// user that its per-user budgets allow (15 per 15 minutes: a minute).
type sendBudgets struct {
	user, app int
	spacing   time.Duration
}

// sendBudgetsFrom are the daily DM send budgets the rate budgets declare.
func sendBudgetsFrom(budgets []sdk.Budget) sendBudgets {
	var sb sendBudgets
	for _, b := range budgets {
		if b.Operation != sdk.OpSendDM {
			continue
		}
		daily := schedule.DailyBudget(b.Requests, b.Window)
		p := &sb.user
		if b.Scope == sdk.ScopeApp {
			p = &sb.app
		} else {
			sb.spacing = max(sb.spacing, schedule.Spacing(b.Requests, b.Window))
		}
		if daily > 0 && (*p == 0 || daily < *p) {
			*p = daily
		}
	}
	return sb
}

// overAppShare leaves a send waiting until the account's next day when the
// account has sent its share of its app's daily budget today: waits says
// so. shared says the network has an app budget, so that each send must
// pass this check.
func (e *Engine) overAppShare(ctx context.Context, g guarded, net sdk.Network) (waits, shared bool, err error) {
	sb := e.facts(ctx, g.account.Network, net).send
	if sb.app == 0 && (sb.user == 0 || g.account.DailyDMLimit > 0 && sb.user >= g.account.DailyDMLimit) {
		return false, false, nil // the account's own cap is the tighter
	}
	loc := g.account.CapLocation()
	today := schedule.DayOf(e.clk.Now(), loc)
	var why error
	err = e.view(ctx, func(tx Tx) error {
		all, err := tx.AllAccounts()
		if err != nil {
			return err
		}
		active := 0
		for _, a := range all {
			if a.Network == g.account.Network && !a.Paused {
				active++
			}
		}
		limit, by := schedule.AppShare(sb.app, active), fmt.Sprintf("its share of the app's %d DMs a day, shared by %d accounts", sb.app, active)
		if sb.user > 0 && (limit == 0 || sb.user < limit) {
			limit, by = sb.user, fmt.Sprintf("X's %d DMs a day per user", sb.user)
		}
		sent, err := tx.SentOn(g.account.Workspace, g.account.ID, today.Key())
		if err == nil && sent >= limit {
			why = fmt.Errorf("@%s has sent %d DMs today, %s; it sends again tomorrow", g.account.Handle, sent, by)
		}
		return err
	})
	if err != nil || why == nil {
		return false, sb.app > 0, err
	}
	e.log.Info("send waits for tomorrow", "account", g.account.Handle, "reason", why)
	return true, true, e.update(ctx, func(tx Tx) error {
		j, err := tx.Job(g.job.Workspace, g.job.ID)
		if err != nil {
			return err
		}
		return tx.PutJob(requeued(j, (today + 1).Start(loc), why))
	})
}
