package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// ErrStalePlan is returned when the store changed since a plan was made.
var ErrStalePlan = errors.New("the data changed since this plan was made; plan again")

// Plan plans a configuration against the store.
func (s *Service) Plan(_ context.Context, cfg *config.Config) (*plan.Plan, error) {
	opts, err := s.planOptions()
	if err != nil {
		return nil, err
	}
	var p *plan.Plan
	err = s.st.View(func(tx *store.Tx) (err error) {
		p, err = plan.Make(tx, cfg, opts)
		return err
	})
	return p, err
}

// PlanDestroy plans removing every config-managed object of a workspace.
func (s *Service) PlanDestroy(ctx context.Context, ws string) (*plan.Plan, error) {
	p, err := s.Plan(ctx, plan.DestroyConfig(ws))
	if p != nil {
		p.Destroy = true
	}
	return p, err
}

func (s *Service) planOptions() (plan.Options, error) {
	sl, err := s.sealer()
	if err != nil {
		return plan.Options{}, err
	}
	return plan.Options{Now: s.clock.Now(), Digest: sl.Digest}, nil
}

// Apply makes the store match a configuration, in one transaction: every
// object is created, updated or removed, each source's scrapes are queued
// and each campaign is given first DM jobs for the leads it already has.
// If the store no longer gives the plan p, nothing is written and the
// error is ErrStalePlan; on any other error nothing is written either.
// To destroy, apply plan.DestroyConfig(ws) with the plan PlanDestroy made.
func (s *Service) Apply(_ context.Context, cfg *config.Config, p *plan.Plan) error {
	sl, err := s.sealer()
	if err != nil {
		return err
	}
	opts := plan.Options{Now: s.clock.Now(), Digest: sl.Digest}
	ws := plan.Workspace(cfg)
	return s.st.Update(func(tx *store.Tx) error {
		fresh, err := plan.Make(tx, cfg, opts)
		if err != nil {
			return err
		}
		if !plan.Same(fresh, p) {
			return ErrStalePlan
		}
		if err := tx.PutWorkspace(ws); err != nil {
			return err
		}
		a := applier{tx: tx, ws: ws, now: opts.Now.UTC(), cfg: cfg, sealer: sl, changes: fresh.Changes}
		return a.apply()
	})
}

// applier writes one configuration inside one transaction.
type applier struct {
	tx     *store.Tx
	ws     string
	now    time.Time
	cfg    *config.Config
	sealer *secrets.Sealer
	// changes is the plan being applied, made in this transaction.
	changes []plan.Change

	accountIDs, filterIDs, sourceIDs map[string]string
}

func (a *applier) apply() error {
	a.accountIDs, a.filterIDs, a.sourceIDs = map[string]string{}, map[string]string{}, map[string]string{}
	// Deletions first, what refers to others first, so that a name freed
	// by one block can be taken by another in the same apply.
	steps := []func() error{a.removeUndeclared, a.accounts, a.filters, a.sources, a.campaigns, a.webhooks, a.tweets}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// existing returns the id and creation time of a named object, or a new id.
func existing[T any](get func(string, string) (T, error), ws, name string, id func(T) (string, time.Time), now time.Time) (string, time.Time, error) {
	cur, err := get(ws, name)
	if store.IsNotFound(err) {
		return uuid.NewString(), now, nil
	}
	if err != nil {
		return "", time.Time{}, err
	}
	i, c := id(cur)
	return i, c, nil
}

// credentialsPurpose binds an account's sealed credentials to the account.
func credentialsPurpose(accountID string) string { return "account/" + accountID + "/credentials" }

func (a *applier) accounts() error {
	for i, c := range a.cfg.Accounts {
		cur, err := a.tx.AccountByName(a.ws, c.Name)
		switch {
		case store.IsNotFound(err):
			// Accounts are listed oldest first; those created together are
			// a nanosecond apart, in the order the configuration declares
			// them.
			created := a.now.Add(time.Duration(i))
			cur = store.Account{ID: uuid.NewString(), Workspace: a.ws, Name: c.Name, CreatedAt: created}
		case err != nil:
			return err
		}
		want := plan.AccountRecord(c)
		if cur.Handle != want.Handle || cur.Network != want.Network {
			// Another X account: what was learnt about the old one is void.
			cur.XUserID, cur.DisplayName, cur.ProfileImageURL, cur.Verified = "", "", "", false
		}
		if want.Warmup != nil && (cur.Warmup == nil || cur.WarmupStartedAt.IsZero()) {
			cur.WarmupStartedAt = a.now // the ramp starts the day warmup is declared
		}
		cur.Handle, cur.Network, cur.DailyDMLimit = want.Handle, want.Network, want.DailyDMLimit
		cur.DailyFollowLimit, cur.DailyLikeLimit, cur.DailyCommentLimit = want.DailyFollowLimit, want.DailyLikeLimit, want.DailyCommentLimit
		cur.MinGap, cur.MaxGap, cur.Jitter = want.MinGap, want.MaxGap, want.Jitter
		cur.ActiveHours, cur.Warmup, cur.AISetter, cur.Proxy = want.ActiveHours, want.Warmup, want.AISetter, want.Proxy
		cur.Paused, cur.FollowupsPaused, cur.WarmupPaused = want.Paused, want.FollowupsPaused, want.WarmupPaused
		if err := a.sealCredentials(&cur, c); err != nil {
			return fmt.Errorf("account %q: %w", c.Name, err)
		}
		cur.UpdatedAt = a.now
		if err := a.tx.PutAccount(cur); err != nil {
			return fmt.Errorf("account %q: %w", c.Name, err)
		}
		a.accountIDs[c.Name] = cur.ID
	}
	return nil
}

// Credentials is what an account's sealed Secrets hold, by attribute name
// (plan.SecretAttrs), each value as plan.SecretValues writes it.
type Credentials map[string]string

// sealCredentials seals the account's secrets into its record, with their
// digests; an account without secrets has neither.
func (a *applier) sealCredentials(r *store.Account, c *config.Account) error {
	values := plan.SecretValues(c)
	r.Secrets, r.SecretDigests = nil, nil
	if len(values) == 0 {
		return nil
	}
	b, err := json.Marshal(Credentials(values))
	if err != nil {
		return err
	}
	r.Secrets = a.sealer.Seal(credentialsPurpose(r.ID), b)
	r.SecretDigests = map[string]string{}
	for k, v := range values {
		r.SecretDigests[k] = a.sealer.Digest(v)
	}
	return nil
}

func (a *applier) filters() error {
	for _, c := range a.cfg.Filters {
		id, created, err := existing(a.tx.FilterByName, a.ws, c.Name, func(f store.Filter) (string, time.Time) { return f.ID, f.CreatedAt }, a.now)
		if err != nil {
			return err
		}
		f := store.Filter{ID: id, Workspace: a.ws, Name: c.Name, Spec: c.Spec, CreatedAt: created, UpdatedAt: a.now}
		if err := a.tx.PutFilter(f); err != nil {
			return fmt.Errorf("filter %q: %w", c.Name, err)
		}
		a.filterIDs[c.Name] = id
	}
	return nil
}

func (a *applier) sources() error {
	for _, c := range a.cfg.Sources {
		id, created, err := existing(a.tx.SourceByName, a.ws, c.Name, func(s store.Source) (string, time.Time) { return s.ID, s.CreatedAt }, a.now)
		if err != nil {
			return err
		}
		src := plan.SourceRecord(c)
		src.ID, src.Workspace, src.FilterID, src.CreatedAt, src.UpdatedAt = id, a.ws, a.filterIDs[c.FilterRef], created, a.now
		if err := a.tx.PutSource(src); err != nil {
			return fmt.Errorf("source %q: %w", c.Name, err)
		}
		a.sourceIDs[c.Name] = id
		for _, t := range src.Targets {
			for _, rel := range plan.Relations(t) {
				jobID := engine.ScrapeJobID(id, rel, t.Handle)
				if a.tx.JobExists(a.ws, jobID) {
					continue
				}
				j := store.Job{
					ID: jobID, Workspace: a.ws, Kind: store.JobScrape, State: store.JobPending, DueAt: a.now,
					SourceID: id, Handle: t.Handle, Relation: rel, CreatedAt: a.now, UpdatedAt: a.now,
				}
				if err := a.tx.PutJob(j); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (a *applier) campaigns() error {
	for _, c := range a.cfg.Campaigns {
		cur, err := a.tx.CampaignByName(a.ws, c.Name)
		switch {
		case store.IsNotFound(err):
			cur = store.Campaign{ID: uuid.NewString(), Workspace: a.ws, Name: c.Name, CreatedAt: a.now}
		case err != nil:
			return err
		}
		want := plan.CampaignRecord(c)
		cur.SourceIDs = ids(c.Sources, a.sourceIDs)
		cur.AccountIDs = ids(plan.CampaignAccounts(a.cfg, c), a.accountIDs)
		cur.Variants, cur.MaxLeads, cur.Dedupe = want.Variants, want.MaxLeads, want.Dedupe
		cur.Follow, cur.Like, cur.Comment, cur.CommentTemplate = want.Follow, want.Like, want.Comment, want.CommentTemplate
		cur.Window, cur.Schedule, cur.UpdatedAt = want.Window, want.Schedule, a.now
		if _, err := engine.FillCampaign(a.tx, &cur, a.now); err != nil {
			return fmt.Errorf("campaign %q: %w", c.Name, err)
		}
	}
	return nil
}

// webhookPurpose binds a webhook's sealed secret to the webhook.
func webhookPurpose(id string) string { return "webhook/" + id + "/secret" }

func (a *applier) webhooks() error {
	for _, c := range a.cfg.Webhooks {
		id, created, err := existing(a.tx.WebhookByName, a.ws, c.Name, func(w store.Webhook) (string, time.Time) { return w.ID, w.CreatedAt }, a.now)
		if err != nil {
			return err
		}
		w := plan.WebhookRecord(c)
		w.ID, w.Workspace, w.CreatedAt, w.UpdatedAt = id, a.ws, created, a.now
		if c.Secret != "" {
			w.Secret, w.SecretDigest = a.sealer.Seal(webhookPurpose(id), []byte(c.Secret)), a.sealer.Digest(c.Secret)
		}
		if err := a.tx.PutWebhook(w); err != nil {
			return fmt.Errorf("webhook %q: %w", c.Name, err)
		}
	}
	return nil
}

func (a *applier) tweets() error {
	for _, c := range a.cfg.Tweets {
		cur, err := a.tx.ScheduledTweetByName(a.ws, c.Name)
		switch {
		case store.IsNotFound(err):
			cur = store.ScheduledTweet{ID: uuid.NewString(), Workspace: a.ws, Name: c.Name, Status: store.TweetPending, CreatedAt: a.now}
		case err != nil:
			return err
		}
		want := plan.TweetRecord(c)
		accountID := a.accountIDs[c.Account]
		changed := cur.Text != want.Text || !cur.ScheduledAt.Equal(want.ScheduledAt) || cur.AccountID != accountID
		if !changed {
			continue
		}
		if cur.Status != store.TweetPending {
			return &ValidationError{Field: "tweet." + c.Name, Reason: fmt.Sprintf("the tweet is already %s and cannot be changed; give the block a new name to schedule another", cur.Status)}
		}
		if !want.ScheduledAt.After(a.now) {
			return &ValidationError{Field: "tweet." + c.Name, Reason: fmt.Sprintf("the tweet is set for %s, which is no longer in the future; set a later time", want.ScheduledAt.Format(time.RFC3339))}
		}
		cur.AccountID, cur.Text, cur.ScheduledAt, cur.UpdatedAt = accountID, want.Text, want.ScheduledAt, a.now
		if err := a.tx.PutScheduledTweet(cur); err != nil {
			return fmt.Errorf("tweet %q: %w", c.Name, err)
		}
	}
	return nil
}

func ids(names []string, byName map[string]string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = byName[n]
	}
	return out
}

// removeUndeclared deletes the config-managed objects the plan destroys,
// in reverse of the plan's order so that what refers to others goes first.
// Their pending jobs are cancelled by the engine when they come due.
func (a *applier) removeUndeclared() error {
	for i := len(a.changes) - 1; i >= 0; i-- {
		c := a.changes[i]
		if c.Action != plan.Delete {
			continue
		}
		if err := a.tx.DeleteNamed(a.ws, c.Kind, c.Name); err != nil {
			return fmt.Errorf("destroy %s: %w", c.Address(), err)
		}
	}
	return nil
}
