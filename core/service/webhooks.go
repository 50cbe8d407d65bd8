package service

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/store"
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
	URL    string
	Events []string
	Secret string
}

// CreateWebhook adds a webhook endpoint; no events means every event.
func (s *Service) CreateWebhook(ctx context.Context, ws string, in WebhookInput) (store.Webhook, error) {
	w, err := checkWebhook(in)
	if err != nil {
		return w, err
	}
	err = s.update(ctx, func(tx Tx) (bool, error) {
		now := s.clock.Now().UTC()
		w.ID, w.Workspace, w.CreatedAt, w.UpdatedAt = uuid.NewString(), ws, now, now
		if err := s.sealWebhookSecret(&w, in.Secret); err != nil {
			return false, err
		}
		return false, tx.PutWebhook(w)
	})
	return w, err
}

func checkWebhook(in WebhookInput) (store.Webhook, error) {
	u, err := url.Parse(strings.TrimSpace(in.URL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return store.Webhook{}, invalid("url", "%q is not an http(s) URL", in.URL)
	}
	for i, e := range in.Events {
		if !slices.Contains(store.EventTypes, e) {
			return store.Webhook{}, invalid("events", "event %d, %q, is not one of %s", i+1, e, strings.Join(store.EventTypes, ", "))
		}
	}
	return store.Webhook{URL: u.String(), Events: in.Events}, nil
}

// DeleteWebhook removes a webhook endpoint.
func (s *Service) DeleteWebhook(ctx context.Context, ws, id string) error {
	return s.update(ctx, func(tx Tx) (bool, error) {
		if _, err := tx.Webhook(ws, id); store.IsNotFound(err) {
			return false, notFound("webhook %s", id)
		} else if err != nil {
			return false, err
		}
		return false, tx.DeleteWebhook(ws, id)
	})
}

// Deliveries returns up to limit deliveries to a webhook, newest first.
func (s *Service) Deliveries(ctx context.Context, ws, webhookID string, limit int) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.view(ctx, func(tx Tx) error {
		if _, err := tx.Webhook(ws, webhookID); store.IsNotFound(err) {
			return notFound("webhook %s", webhookID)
		} else if err != nil {
			return err
		}
		var err error
		out, err = tx.Deliveries(ws, webhookID, limit)
		return err
	})
	return out, err
}
