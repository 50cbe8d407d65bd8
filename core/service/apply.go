package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/store"
)

// ErrStalePlan is returned when the store changed since a plan was made.
var ErrStalePlan = errors.New("the data changed since this plan was made; plan again")

// Plan plans a configuration against the store.
func (s *Service) Plan(_ context.Context, cfg *config.Config) (*plan.Plan, error) {
	var p *plan.Plan
	err := s.st.View(func(tx *store.Tx) (err error) {
		p, err = plan.Make(tx, cfg)
		return err
	})
	return p, err
}

// Apply makes the store match a configuration, in one transaction: every
// object is created, updated or removed, each source's scrapes are queued
// and each campaign is given first DM jobs for the leads it already has. If
// the store no longer matches what p was planned against, nothing is
// written.
func (s *Service) Apply(_ context.Context, cfg *config.Config, p *plan.Plan) error {
	now := s.clock.Now().UTC()
	ws := plan.Workspace(cfg)
	return s.st.Update(func(tx *store.Tx) error {
		fresh, err := plan.Make(tx, cfg)
		if err != nil {
			return err
		}
		if !sameChanges(fresh.Changes, p.Changes) {
			return ErrStalePlan
		}
		if err := tx.PutWorkspace(ws); err != nil {
			return err
		}
		a := applier{tx: tx, ws: ws, now: now, cfg: cfg}
		return a.apply()
	})
}

func sameChanges(a, b []plan.Change) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Action != b[i].Action || a[i].Address() != b[i].Address() {
			return false
		}
	}
	return true
}

// applier writes one configuration inside one transaction.
type applier struct {
	tx  *store.Tx
	ws  string
	now time.Time
	cfg *config.Config

	accountIDs, filterIDs, sourceIDs map[string]string
}

func (a *applier) apply() error {
	a.accountIDs, a.filterIDs, a.sourceIDs = map[string]string{}, map[string]string{}, map[string]string{}
	steps := []func() error{a.accounts, a.filters, a.sources, a.campaigns}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return a.removeUndeclared()
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
		if cur.Handle != c.Handle || cur.Network != c.Network {
			// Another X account: what was learnt about the old one is void.
			cur.XUserID, cur.DisplayName, cur.ProfileImageURL, cur.Verified = "", "", "", false
		}
		cur.Handle, cur.Network, cur.DailyDMLimit = c.Handle, c.Network, c.DailyDMLimit
		cur.MinGap, cur.MaxGap = c.Pacing.MinGap, c.Pacing.MaxGap
		cur.Paused, cur.FollowupsPaused, cur.WarmupPaused = c.Paused, c.FollowupsPaused, c.WarmupPaused
		cur.UpdatedAt = a.now
		if err := a.tx.PutAccount(cur); err != nil {
			return fmt.Errorf("account %q: %w", c.Name, err)
		}
		a.accountIDs[c.Name] = cur.ID
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
		src := store.Source{
			ID: id, Workspace: a.ws, Name: c.Name, Targets: plan.Targets(c), FilterID: a.filterIDs[c.FilterRef],
			Filter: c.Filter, MaxLeads: c.MaxLeads, CreatedAt: created, UpdatedAt: a.now,
		}
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
		cur.SourceIDs = ids(c.Sources, a.sourceIDs)
		cur.AccountIDs = ids(plan.CampaignAccounts(a.cfg, c), a.accountIDs)
		cur.Variants, cur.MaxLeads, cur.Dedupe, cur.UpdatedAt = plan.Variants(c), c.MaxLeads, c.Dedupe, a.now
		if _, err := engine.FillCampaign(a.tx, &cur, a.now); err != nil {
			return fmt.Errorf("campaign %q: %w", c.Name, err)
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

// removeUndeclared deletes config-managed objects no longer declared.
// Their pending jobs are cancelled by the engine when they come due.
func (a *applier) removeUndeclared() error {
	campaigns, err := a.tx.Campaigns(a.ws)
	if err != nil {
		return err
	}
	declared := func(kind, name string) bool {
		for _, o := range plan.Desired(a.cfg) {
			if o.Kind == kind && o.Name == name {
				return true
			}
		}
		return false
	}
	for _, c := range campaigns {
		if c.Name != "" && !declared(store.KindCampaign, c.Name) {
			if err := a.tx.DeleteCampaign(c); err != nil {
				return err
			}
		}
	}
	sources, err := a.tx.Sources(a.ws)
	if err != nil {
		return err
	}
	for _, s := range sources {
		if s.Name != "" && !declared(store.KindSource, s.Name) {
			if err := a.tx.DeleteSource(s); err != nil {
				return err
			}
		}
	}
	filters, err := a.tx.Filters(a.ws)
	if err != nil {
		return err
	}
	for _, f := range filters {
		if f.Name != "" && !declared(store.KindFilter, f.Name) {
			if err := a.tx.DeleteFilter(f); err != nil {
				return err
			}
		}
	}
	accounts, err := a.tx.Accounts(a.ws)
	if err != nil {
		return err
	}
	for _, acc := range accounts {
		if acc.Name != "" && !declared(store.KindAccount, acc.Name) {
			if err := a.tx.DeleteAccount(acc); err != nil {
				return err
			}
		}
	}
	return nil
}
