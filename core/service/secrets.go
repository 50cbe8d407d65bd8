package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
	"github.com/outreachhq/outreach/core/store"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// credentialsPurpose binds an account's sealed credentials to the account.
func credentialsPurpose(accountID string) string { return "account/" + accountID + "/credentials" }

// webhookPurpose binds a webhook's sealed secret to the webhook.
func webhookPurpose(id string) string { return "webhook/" + id + "/secret" }

// sealCredentials seals an account's credentials into its record, with
// their keyed digests; an account without credentials has neither.
func (s *Service) sealCredentials(a *store.Account, creds Credentials) error {
	a.Secrets, a.SecretDigests = nil, nil
	if len(creds) == 0 {
		return nil
	}
	sl, err := s.keys()
	if err != nil {
		return err
	}
	a.Secrets = sl.Seal(credentialsPurpose(a.ID), mustJSON(creds))
	a.SecretDigests = map[string]string{}
	for k, v := range creds {
		a.SecretDigests[k] = sl.Digest(v)
	}
	return nil
}

// openCredentials opens an account's sealed credentials.
func (s *Service) openCredentials(a store.Account) (Credentials, error) {
	if len(a.Secrets) == 0 {
		return Credentials{}, nil
	}
	sl, err := s.keys()
	if err != nil {
		return nil, err
	}
	plain, err := sl.Open(credentialsPurpose(a.ID), a.Secrets)
	if err != nil {
		return nil, fmt.Errorf("account @%s: %w", a.Handle, err)
	}
	var c Credentials
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, fmt.Errorf("account @%s: decode credentials: %w", a.Handle, err)
	}
	return c, nil
}

// RotationOverlap is how long a webhook's previous secret still signs
// deliveries after its secret changes: each delivery carries both
// signatures meanwhile, so a receiver can switch to the new secret at any
// time in the overlap without rejecting an event.
const RotationOverlap = 24 * time.Hour

// setWebhookSecret gives a webhook the signing secret secret at now. A
// different secret replacing one keeps the one it replaces, sealed, as the
// previous secret until now + RotationOverlap; the same secret changes
// nothing; "" (unsigned) clears both.
func (s *Service) setWebhookSecret(w *store.Webhook, secret string, now time.Time) error {
	if secret == "" {
		w.Secret, w.SecretDigest, w.PreviousSecret, w.PreviousUntil = nil, "", nil, time.Time{}
		return nil
	}
	sl, err := s.keys()
	if err != nil {
		return err
	}
	digest := sl.Digest(secret)
	if len(w.Secret) > 0 && w.SecretDigest == digest {
		return nil
	}
	w.PreviousSecret, w.PreviousUntil = nil, time.Time{}
	if len(w.Secret) > 0 {
		w.PreviousSecret, w.PreviousUntil = w.Secret, now.Add(RotationOverlap)
	}
	w.Secret, w.SecretDigest = sl.Seal(webhookPurpose(w.ID), []byte(secret)), digest
	return nil
}

// WebhookKeys returns the keys that sign a delivery to w made now: its
// secret's and, until its PreviousUntil, the previous secret's, the
// current one first; none for an unsigned webhook.
func (s *Service) WebhookKeys(_ context.Context, w store.Webhook) ([][]byte, error) {
	if len(w.Secret) == 0 {
		return nil, nil
	}
	sl, err := s.keys()
	if err != nil {
		return nil, err
	}
	key := func(sealed []byte, which string) ([]byte, error) {
		plain, err := sl.Open(webhookPurpose(w.ID), sealed)
		if err != nil {
			return nil, fmt.Errorf("webhook %s: open its %s: %w", w.ID, which, err)
		}
		k, err := sdkwebhook.ParseSecret(string(plain))
		if err != nil {
			// Only a secret stored before they were checked can fail.
			return nil, fmt.Errorf("webhook %s: its %s is not a Standard Webhooks secret; rotate it: %w", w.ID, which, err)
		}
		return k, nil
	}
	cur, err := key(w.Secret, "secret")
	if err != nil {
		return nil, err
	}
	keys := [][]byte{cur}
	if len(w.PreviousSecret) > 0 && s.clock.Now().Before(w.PreviousUntil) {
		prev, err := key(w.PreviousSecret, "previous secret")
		if err != nil {
			return nil, err
		}
		keys = append(keys, prev)
	}
	return keys, nil
}

// WebhookSecret opens a webhook's sealed signing secret; "" when it has
// none.
func (s *Service) WebhookSecret(ctx context.Context, ws, webhookID string) (string, error) {
	var w store.Webhook
	err := s.view(ctx, func(tx Tx) (err error) {
		w, err = tx.Webhook(ws, webhookID)
		return err
	})
	if err != nil || len(w.Secret) == 0 {
		return "", err
	}
	sl, err := s.keys()
	if err != nil {
		return "", err
	}
	plain, err := sl.Open(webhookPurpose(w.ID), w.Secret)
	if err != nil {
		return "", fmt.Errorf("webhook %s: %w", w.ID, err)
	}
	return string(plain), nil
}

// planFilePurpose binds a saved plan's sealed configuration to its use.
const planFilePurpose = "plan-file/config"

// SavePlan makes the file `plan -out` writes: the plan, and the
// configuration it was made from sealed with the store's key.
func (s *Service) SavePlan(cfg *config.Config, p *plan.Plan, version string) (*plan.File, error) {
	sl, err := s.keys()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("encode configuration: %w", err)
	}
	return &plan.File{OutreachVersion: version, Plan: p, Config: sl.Seal(planFilePurpose, b)}, nil
}

// ErrForeignPlan is returned for a saved plan made with another key.
var ErrForeignPlan = errors.New("the saved plan was made with another data dir (its secrets cannot be opened with this one's key); plan again with this data dir")

// OpenPlan returns the configuration a saved plan was made from.
func (s *Service) OpenPlan(f *plan.File) (*config.Config, error) {
	sl, err := s.keys()
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

// mustJSON encodes values that always encode (maps and slices of strings).
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("service: encode %T: %v", v, err))
	}
	return b
}
