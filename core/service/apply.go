package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/store"
)

// ErrStalePlan is returned when the store changed since a plan was made.
var ErrStalePlan = errors.New("the data changed since this plan was made; plan again")

// Plan plans a configuration against the store.
func (s *Service) Plan(ctx context.Context, cfg *config.Config) (*plan.Plan, error) {
	return s.PlanWith(ctx, cfg, nil)
}

// PlanWith is Plan with what the caller, which can launch plugins, found
// out about the network plugins the accounts use, by name (plan.Network:
// their rate budgets, prices and app): the estimate then keeps within the
// budgets, and the plan prices the work.
func (s *Service) PlanWith(ctx context.Context, cfg *config.Config, networks map[string]plan.Network) (*plan.Plan, error) {
	var p *plan.Plan
	err := s.view(ctx, func(tx Tx) (err error) {
		p, _, err = s.plan(tx, cfg, s.clock.Now(), networks)
		return err
	})
	return p, err
}

// PlanDestroy plans removing every configuration-managed object of a
// workspace.
func (s *Service) PlanDestroy(ctx context.Context, ws string) (*plan.Plan, error) {
	p, err := s.Plan(ctx, config.Empty(ws))
	if p != nil {
		p.Destroy = true
	}
	return p, err
}

// plan makes the plan of a configuration in a transaction, and returns the
// desired objects it compared.
func (s *Service) plan(tx Tx, cfg *config.Config, now time.Time, networks map[string]plan.Network) (*plan.Plan, plan.Objects, error) {
	sl, err := s.keys()
	if err != nil {
		return nil, plan.Objects{}, err
	}
	ws := cfg.Workspace()
	want := desired(cfg, sl)
	snap, err := snapshot(tx, ws, want, now)
	if err != nil {
		return nil, want, err
	}
	opts := plan.Options{
		Now: now, Workspace: ws, Sandbox: cfg.Settings != nil && cfg.Settings.Sandbox,
		Digest: sl.Digest, Sensitive: cfg.SensitiveValues, Networks: networks,
	}
	if cfg.Settings != nil {
		opts.MaxDailySpend = cfg.Settings.MaxDailyAPISpend
	}
	p, err := plan.Make(want, snap, opts)
	return p, want, err
}

// Apply makes the store match a configuration, in one transaction: every
// object the plan creates, changes or destroys is, through the same
// operations the API uses; each source's scrapes are queued and each
// campaign is given first DM jobs for the leads it already has. Objects
// made through the API are not touched, nor are holds lifted. If the store
// no longer gives the plan p, nothing is written and the error is
// ErrStalePlan; on any other error nothing is written either. To destroy,
// apply config.Empty(ws) with the plan PlanDestroy made.
func (s *Service) Apply(ctx context.Context, cfg *config.Config, p *plan.Plan) error {
	return s.update(ctx, func(tx Tx) (bool, error) {
		now := s.clock.Now()
		fresh, want, err := s.plan(tx, cfg, now, nil)
		if err != nil {
			return false, err
		}
		if !plan.Same(fresh, p) {
			return false, ErrStalePlan
		}
		ws := cfg.Workspace()
		if err := tx.PutWorkspace(ws); err != nil {
			return false, err
		}
		limit := 0.0
		if cfg.Settings != nil {
			limit = cfg.Settings.MaxDailyAPISpend
		}
		if err := SetMaxDailySpend(tx, ws, limit); err != nil {
			return false, err
		}
		a := applier{s: s, tx: tx, ws: ws, now: now.UTC(), cfg: cfg, want: want, changes: fresh.Changes}
		return true, a.apply()
	})
}

// applier writes one configuration inside one transaction.
type applier struct {
	s    *Service
	tx   Tx
	ws   string
	now  time.Time
	cfg  *config.Config
	want plan.Objects
	// changes are the plan's, in its order: what refers to others last.
	changes []plan.Change
	// ids are the ids of the declared objects, by address.
	ids map[string]string
}

func (a *applier) apply() error {
	a.ids = map[string]string{}
	// Deletions first, what refers to others first, so that a name freed
	// by one block can be taken by another in the same apply.
	steps := []func() error{a.destroy, a.accounts, a.filters, a.sources, a.campaigns, a.webhooks, a.tweets}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// writes reports whether the plan creates or changes the object at address.
func (a *applier) writes(address string) bool {
	for _, c := range a.changes {
		if c.Address() == address {
			return c.Action != plan.Delete
		}
	}
	return false
}

// id returns the id of a declared object, by kind and label.
func (a *applier) id(kind, label string) string { return a.ids[store.Address(kind, label)] }

func (a *applier) accounts() error {
	for i, want := range a.want.Accounts {
		c := a.cfg.Accounts[i]
		if !a.writes(want.Address) {
			cur, err := a.tx.AccountByAddress(a.ws, want.Address)
			if err != nil {
				return fmt.Errorf("%s: %w", want.Address, err)
			}
			a.ids[want.Address] = cur.ID
			continue
		}
		// Accounts are listed oldest first; those created together are a
		// nanosecond apart, in the order the configuration declares them.
		created := a.now.Add(time.Duration(i))
		rec, _, err := a.s.putAccount(a.tx, a.ws, want.Address, want.Handle, created, func(cur *store.Account) error {
			if want.Warmup != nil && (cur.Warmup == nil || cur.WarmupStartedAt.IsZero()) {
				cur.WarmupStartedAt = a.now // the ramp starts the day warmup is declared
			}
			setDeclared(cur, want)
			return a.s.sealCredentials(cur, secretValues(c))
		})
		if err != nil {
			return err
		}
		a.ids[want.Address] = rec.ID
	}
	return nil
}

func (a *applier) filters() error {
	for _, want := range a.want.Filters {
		cur, err := a.tx.FilterByAddress(a.ws, want.Address)
		switch {
		case store.IsNotFound(err):
			cur = store.Filter{ID: uuid.NewString(), Workspace: a.ws, CreatedAt: a.now}
		case err != nil:
			return err
		}
		a.ids[want.Address] = cur.ID
		if !a.writes(want.Address) {
			continue
		}
		cur.Address, cur.Name, cur.Spec, cur.UpdatedAt = want.Address, want.Name, want.Spec, a.now
		if err := a.tx.PutFilter(cur); err != nil {
			return fmt.Errorf("%s: %w", want.Address, err)
		}
	}
	return nil
}

func (a *applier) sources() error {
	for _, want := range a.want.Sources {
		cur, err := a.tx.SourceByAddress(a.ws, want.Address)
		switch {
		case store.IsNotFound(err):
			cur = store.Source{ID: uuid.NewString(), Workspace: a.ws, CreatedAt: a.now}
		case err != nil:
			return err
		}
		a.ids[want.Address] = cur.ID
		if a.writes(want.Address) {
			cur.Address, cur.Name, cur.Targets, cur.Filter = want.Address, want.Name, want.Targets, want.Source.Filter
			cur.FilterID, cur.MaxLeads, cur.Schedule, cur.UpdatedAt = "", want.MaxLeads, want.Schedule, a.now
			if want.Filter != "" {
				cur.FilterID = a.id(store.KindFilter, want.Filter)
			}
			if err := a.tx.PutSource(cur); err != nil {
				return fmt.Errorf("%s: %w", want.Address, err)
			}
		}
		if err := queueScrapes(a.tx, cur, a.now); err != nil {
			return fmt.Errorf("%s: %w", want.Address, err)
		}
	}
	return nil
}

func (a *applier) campaigns() error {
	for _, want := range a.want.Campaigns {
		cur, err := a.tx.CampaignByAddress(a.ws, want.Address)
		switch {
		case store.IsNotFound(err):
			cur = store.Campaign{ID: uuid.NewString(), Workspace: a.ws, CreatedAt: a.now}
		case err != nil:
			return err
		}
		if a.writes(want.Address) {
			cur.Address, cur.Name, cur.Variants, cur.MaxLeads, cur.Dedupe = want.Address, want.Name, want.Variants, want.MaxLeads, want.Dedupe
			cur.Follow, cur.Like, cur.Comment, cur.CommentTemplate = want.Follow, want.Like, want.Comment, want.CommentTemplate
			cur.Window, cur.Schedule, cur.Policy, cur.UpdatedAt = want.Window, want.Schedule, want.Policy, a.now
			cur.SourceIDs, cur.AccountIDs = nil, nil
			for _, s := range want.Sources {
				cur.SourceIDs = append(cur.SourceIDs, a.id(store.KindSource, s))
			}
			for _, acct := range want.Accounts {
				cur.AccountIDs = append(cur.AccountIDs, a.id(store.KindAccount, acct))
			}
		}
		if _, err := Fill(a.tx, &cur, a.now); err != nil {
			return fmt.Errorf("%s: %w", want.Address, err)
		}
	}
	return nil
}

func (a *applier) webhooks() error {
	for i, want := range a.want.Webhooks {
		if !a.writes(want.Address) {
			continue
		}
		cur, err := a.tx.WebhookByAddress(a.ws, want.Address)
		switch {
		case store.IsNotFound(err):
			cur = store.Webhook{ID: uuid.NewString(), Workspace: a.ws, CreatedAt: a.now}
		case err != nil:
			return err
		}
		cur.Address, cur.URL, cur.Events, cur.UpdatedAt = want.Address, want.URL, want.Events, a.now
		cur.Retries, cur.Backoff = want.Retries, want.Backoff
		// A changed secret keeps the old one signing for RotationOverlap.
		if err := a.s.setWebhookSecret(&cur, a.cfg.Webhooks[i].Secret, a.now); err != nil {
			return err
		}
		if err := a.tx.PutWebhook(cur); err != nil {
			return fmt.Errorf("%s: %w", want.Address, err)
		}
	}
	return nil
}

func (a *applier) tweets() error {
	for _, want := range a.want.Tweets {
		if !a.writes(want.Address) {
			continue
		}
		cur, err := a.tx.ScheduledTweetByAddress(a.ws, want.Address)
		switch {
		case store.IsNotFound(err):
			cur = store.ScheduledTweet{ID: uuid.NewString(), Workspace: a.ws, Address: want.Address, Status: store.TweetPending, CreatedAt: a.now}
		case err != nil:
			return err
		}
		if cur.Status != store.TweetPending {
			return invalid(want.Address, "the tweet is already %s and cannot be changed; give the block a new name to schedule another", cur.Status)
		}
		if !want.ScheduledAt.After(a.now) {
			return invalid(want.Address, "the tweet is set for %s, which is no longer in the future; set a later time", want.ScheduledAt.Format(time.RFC3339))
		}
		cur.AccountID, cur.Text, cur.ScheduledAt, cur.UpdatedAt = a.id(store.KindAccount, want.Account), want.Text, want.ScheduledAt, a.now
		if err := a.tx.PutScheduledTweet(cur); err != nil {
			return fmt.Errorf("%s: %w", want.Address, err)
		}
		if err := putTweetJob(a.tx, cur, a.now); err != nil {
			return fmt.Errorf("%s: %w", want.Address, err)
		}
	}
	return nil
}

// destroy removes the objects the plan destroys, in reverse of the plan's
// order so that what refers to others goes first, through the operations
// that remove them for the API: their pending jobs are cancelled, their
// history stays.
func (a *applier) destroy() error {
	for i := len(a.changes) - 1; i >= 0; i-- {
		c := a.changes[i]
		if c.Action != plan.Delete {
			continue
		}
		if err := a.remove(c.Kind, c.Address()); err != nil {
			return fmt.Errorf("destroy %s: %w", c.Address(), err)
		}
	}
	return nil
}

func (a *applier) remove(kind, address string) error {
	switch kind {
	case store.KindTweet:
		t, err := a.tx.ScheduledTweetByAddress(a.ws, address)
		if err != nil {
			return err
		}
		if err := cancelTweetJob(a.tx, a.ws, t.ID, a.now, "the tweet was removed"); err != nil {
			return err
		}
		return a.tx.DeleteScheduledTweet(a.ws, t.ID)
	case store.KindWebhook:
		w, err := a.tx.WebhookByAddress(a.ws, address)
		if err != nil {
			return err
		}
		return a.tx.DeleteWebhook(a.ws, w.ID)
	case store.KindCampaign:
		c, err := a.tx.CampaignByAddress(a.ws, address)
		if err != nil {
			return err
		}
		return removeCampaign(a.tx, c, a.now)
	case store.KindSource:
		src, err := a.tx.SourceByAddress(a.ws, address)
		if err != nil {
			return err
		}
		return removeSource(a.tx, src, a.now)
	case store.KindFilter:
		f, err := a.tx.FilterByAddress(a.ws, address)
		if err != nil {
			return err
		}
		return a.tx.DeleteFilter(a.ws, f.ID)
	case store.KindAccount:
		acct, err := a.tx.AccountByAddress(a.ws, address)
		if err != nil {
			return err
		}
		return a.s.removeAccount(a.tx, acct, a.now)
	}
	return fmt.Errorf("unknown kind %q", kind)
}
