package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// ListWebhooks returns the workspace's webhook endpoints, oldest first.
func (s *Service) ListWebhooks(ctx context.Context, ws string) ([]store.Webhook, error) {
	var out []store.Webhook
	err := s.view(ctx, func(tx Tx) (err error) {
		out, err = tx.Webhooks(ws)
		return err
	})
	return out, err
}

// WebhookInput is a webhook endpoint as the API creates it.
type WebhookInput struct {
	URL string
	// Events are the events it receives; none means every event.
	Events []string
	// Secret signs its deliveries: a Standard Webhooks secret ("whsec_"
	// and base64), or "" to have one made.
	Secret string
	// Retries is how many times a failed delivery is tried again, 0 to
	// config.MaxWebhookRetries; nil means the default.
	Retries *int
	// Backoff is the wait before the first retry, config.MinWebhookBackoff
	// to config.MaxWebhookBackoff; 0 means the default.
	Backoff time.Duration
}

// CreateWebhook adds a webhook endpoint and returns it with its signing
// secret, in plain text: the one given, or one made for it when none was.
// This is the only time the secret is shown.
func (s *Service) CreateWebhook(ctx context.Context, ws string, in WebhookInput) (store.Webhook, string, error) {
	w, err := checkWebhook(in)
	if err != nil {
		return w, "", err
	}
	secret, err := webhookSecret(in.Secret)
	if err != nil {
		return store.Webhook{}, "", err
	}
	err = s.update(ctx, func(tx Tx) (bool, error) {
		now := s.clock.Now().UTC()
		w.ID, w.Workspace, w.CreatedAt, w.UpdatedAt = uuid.NewString(), ws, now, now
		if err := s.setWebhookSecret(&w, secret, now); err != nil {
			return false, err
		}
		return false, tx.PutWebhook(w)
	})
	if err != nil {
		return store.Webhook{}, "", err
	}
	return w, secret, nil
}

// checkWebhook checks an endpoint's URL and events as the configuration
// does (config.CheckWebhookURL). A URL the delivery guard refuses (a
// private address) is taken: the server may allow private addresses.
func checkWebhook(in WebhookInput) (store.Webhook, error) {
	u, err := config.CheckWebhookURL(in.URL)
	if err != nil {
		return store.Webhook{}, invalid("url", "%v", err)
	}
	for i, e := range in.Events {
		if !slices.Contains(store.EventTypes, e) {
			return store.Webhook{}, invalid("events", "event %d, %q, is not one of %s", i+1, e, strings.Join(store.EventTypes, ", "))
		}
	}
	w := store.Webhook{URL: u.URL, Events: in.Events, Backoff: in.Backoff}
	if in.Retries != nil {
		if n := *in.Retries; n < 0 || n > config.MaxWebhookRetries {
			return store.Webhook{}, invalid("retries", "%d is not within 0 to %d", n, config.MaxWebhookRetries)
		}
		w.Retries = storeRetries(*in.Retries)
	}
	if in.Backoff != 0 && (in.Backoff < config.MinWebhookBackoff || in.Backoff > config.MaxWebhookBackoff) {
		return store.Webhook{}, invalid("backoff_seconds", "%s is not within %s to %s", in.Backoff, config.MinWebhookBackoff, config.MaxWebhookBackoff)
	}
	return w, nil
}

// webhookSecret checks a secret given to the API, or makes one for "".
// The error never quotes the secret.
func webhookSecret(secret string) (string, error) {
	if secret == "" {
		return sdkwebhook.NewSecret()
	}
	if err := config.CheckWebhookSecret(secret); err != nil {
		return "", invalid("secret", "%v", err)
	}
	return secret, nil
}

// RotateWebhookSecret gives a webhook a new signing secret, secret or one
// made for it when "", and returns it in plain text (shown this once).
// The secret it replaces still signs deliveries, beside the new one, for
// RotationOverlap, so that its receiver can switch without losing any.
func (s *Service) RotateWebhookSecret(ctx context.Context, ws, id, secret string) (string, error) {
	secret, err := webhookSecret(secret)
	if err != nil {
		return "", err
	}
	err = s.update(ctx, func(tx Tx) (bool, error) {
		w, err := webhookByID(tx, ws, id)
		if err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		if err := s.setWebhookSecret(&w, secret, now); err != nil {
			return false, err
		}
		w.UpdatedAt = now
		return false, tx.PutWebhook(w)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// EnableWebhook sends to a disabled webhook again (one disabled after it
// answered 410 Gone), and returns it.
func (s *Service) EnableWebhook(ctx context.Context, ws, id string) (store.Webhook, error) {
	var w store.Webhook
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if w, err = webhookByID(tx, ws, id); err != nil {
			return false, err
		}
		if !w.Disabled && w.DisabledReason == "" {
			return false, nil
		}
		w.Disabled, w.DisabledReason, w.UpdatedAt = false, "", s.clock.Now().UTC()
		return false, tx.PutWebhook(w)
	})
	return w, err
}

// DeleteWebhook removes a webhook endpoint.
func (s *Service) DeleteWebhook(ctx context.Context, ws, id string) error {
	return s.update(ctx, func(tx Tx) (bool, error) {
		if _, err := webhookByID(tx, ws, id); err != nil {
			return false, err
		}
		return false, tx.DeleteWebhook(ws, id)
	})
}
