package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// sealer returns the data dir's sealer, loading its key (creating it if
// needed) on first use only.
func (s *Service) sealer() (*secrets.Sealer, error) {
	s.sealerMu.Lock()
	defer s.sealerMu.Unlock()
	if s.sl != nil {
		return s.sl, nil
	}
	sl, err := secrets.LoadSealer(s.st.Dir())
	if err != nil {
		// Not kept: a failure (a permission fixed meanwhile) is retried.
		return nil, fmt.Errorf("load the data dir's secret key: %w", err)
	}
	s.sl = sl
	return sl, nil
}

// planFilePurpose binds a saved plan's sealed configuration to its use.
const planFilePurpose = "plan-file/config"

// SavePlan makes the file `plan -out` writes: the plan, and the
// configuration it was made from sealed with the data dir's key.
func (s *Service) SavePlan(cfg *config.Config, p *plan.Plan, version string) (*plan.File, error) {
	sl, err := s.sealer()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("encode configuration: %w", err)
	}
	return &plan.File{OutreachVersion: version, Plan: p, Config: sl.Seal(planFilePurpose, b)}, nil
}

// ErrForeignPlan is returned for a saved plan made with another data dir.
var ErrForeignPlan = errors.New("the saved plan was made with another data dir (its secrets cannot be opened with this one's key); plan again with this data dir")

// OpenPlan returns the configuration a saved plan was made from.
func (s *Service) OpenPlan(f *plan.File) (*config.Config, error) {
	sl, err := s.sealer()
	if err != nil {
		return nil, err
	}
	b, err := sl.Open(planFilePurpose, f.Config)
	if err != nil {
		return nil, ErrForeignPlan
	}
	var cfg config.Config
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("decode the saved plan's configuration: %w", err)
	}
	if cfg.Settings == nil {
		return nil, errors.New("the saved plan's configuration has no settings: plan again")
	}
	return &cfg, nil
}

// AccountCredentials opens an account's sealed credentials, for the
// network plugin's session: by attribute name ("cookies", "tokens",
// "proxy_auth", "xchat_pin"), cookies and tokens as JSON. An account
// without credentials has none.
func (s *Service) AccountCredentials(_ context.Context, ws, accountID string) (Credentials, error) {
	var a store.Account
	err := s.st.View(func(tx *store.Tx) (err error) {
		a, err = tx.Account(ws, accountID)
		return err
	})
	if store.IsNotFound(err) {
		return nil, ErrNotFound
	}
	if err != nil || len(a.Secrets) == 0 {
		return Credentials{}, err
	}
	sl, err := s.sealer()
	if err != nil {
		return nil, err
	}
	plain, err := sl.Open(credentialsPurpose(a.ID), a.Secrets)
	if err != nil {
		return nil, fmt.Errorf("account %q: %w", a.Handle, err)
	}
	var c Credentials
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, fmt.Errorf("account %q: decode credentials: %w", a.Handle, err)
	}
	return c, nil
}

// WebhookSecret opens a webhook's sealed signing secret; "" when it has
// none.
func (s *Service) WebhookSecret(_ context.Context, ws, webhookID string) (string, error) {
	var w store.Webhook
	err := s.st.View(func(tx *store.Tx) (err error) {
		w, err = tx.Webhook(ws, webhookID)
		return err
	})
	if store.IsNotFound(err) {
		return "", ErrNotFound
	}
	if err != nil || len(w.Secret) == 0 {
		return "", err
	}
	sl, err := s.sealer()
	if err != nil {
		return "", err
	}
	plain, err := sl.Open(webhookPurpose(w.ID), w.Secret)
	if err != nil {
		return "", fmt.Errorf("webhook %q: %w", w.Name, err)
	}
	return string(plain), nil
}
