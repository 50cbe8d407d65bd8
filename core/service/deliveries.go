package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// Webhook returns one of the workspace's webhook endpoints, by id or by
// the name of its configuration block ("crm", or "webhook.crm").
func (s *Service) Webhook(ctx context.Context, ws, ref string) (store.Webhook, error) {
	var w store.Webhook
	err := s.view(ctx, func(tx Tx) (err error) {
		w, err = webhookByRef(tx, ws, ref)
		return err
	})
	return w, err
}

func webhookByRef(tx Tx, ws, ref string) (store.Webhook, error) {
	w, err := tx.Webhook(ws, ref)
	if store.IsNotFound(err) {
		w, err = tx.WebhookByAddress(ws, store.Address(store.KindWebhook, strings.TrimPrefix(ref, store.KindWebhook+".")))
	}
	if store.IsNotFound(err) {
		return w, notFound("webhook %s", ref)
	}
	return w, err
}

// webhookByID returns one of the workspace's webhooks by id, or a not
// found error that names it.
func webhookByID(tx Tx, ws, id string) (store.Webhook, error) {
	w, err := tx.Webhook(ws, id)
	if store.IsNotFound(err) {
		return w, notFound("webhook %s", id)
	}
	return w, err
}

// DeliveryQuery picks deliveries from a webhook's log.
type DeliveryQuery struct {
	// Status keeps only deliveries in that state ("" for all).
	Status string
	// Since keeps only deliveries made at or after it.
	Since time.Time
	// Limit bounds how many come back (0: all).
	Limit int
}

// DeliveryStates are the values of DeliveryQuery.Status.
var DeliveryStates = []string{store.DeliveryPending, store.DeliveryRetrying, store.DeliveryDelivered, store.DeliveryFailed}

// WebhookDeliveries returns a webhook's deliveries that q picks, newest
// first, each with its log of attempts.
func (s *Service) WebhookDeliveries(ctx context.Context, ws, ref string, q DeliveryQuery) ([]store.Delivery, error) {
	if q.Status != "" && !slices.Contains(DeliveryStates, q.Status) {
		return nil, invalid("status", "%q is not one of %s", q.Status, strings.Join(DeliveryStates, ", "))
	}
	if q.Limit < 0 {
		return nil, invalid("limit", "%d is negative", q.Limit)
	}
	var out []store.Delivery
	err := s.view(ctx, func(tx Tx) error {
		w, err := webhookByRef(tx, ws, ref)
		if err != nil {
			return err
		}
		out, err = deliveriesOf(tx, w, q)
		return err
	})
	return out, err
}

func deliveriesOf(tx Tx, w store.Webhook, q DeliveryQuery) ([]store.Delivery, error) {
	all, err := tx.Deliveries(w.Workspace, w.ID, 0)
	if err != nil {
		return nil, err
	}
	out := []store.Delivery{}
	for _, d := range all {
		if d.CreatedAt.Before(q.Since) {
			break // newest first: the rest are older
		}
		if q.Status == "" || d.Status == q.Status {
			out = append(out, d)
		}
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// Replay names what to deliver again: one delivery, by its id or its
// event's, or every delivery that failed for good since a time.
type Replay struct {
	DeliveryID  string
	EventID     string
	FailedSince time.Time
}

// ReplayDeliveries makes deliveries of a webhook due again at once, with
// their retries anew and the same webhook-id (receivers deduplicate on
// it); their logs keep the earlier attempts. It returns the deliveries it
// replays.
func (s *Service) ReplayDeliveries(ctx context.Context, ws, ref string, r Replay) ([]store.Delivery, error) {
	given := 0
	for _, set := range []bool{r.DeliveryID != "", r.EventID != "", !r.FailedSince.IsZero()} {
		if set {
			given++
		}
	}
	if given != 1 {
		return nil, invalid("delivery_id", "give one of delivery_id, event_id and since")
	}
	var out []store.Delivery
	err := s.update(ctx, func(tx Tx) (bool, error) {
		out = nil
		w, err := webhookByRef(tx, ws, ref)
		if err != nil {
			return false, err
		}
		if w.Disabled {
			return false, invalid("webhook_id", "webhook %s is disabled (%s): enable it first", w.ID, w.DisabledReason)
		}
		var picked []store.Delivery
		switch {
		case !r.FailedSince.IsZero():
			picked, err = deliveriesOf(tx, w, DeliveryQuery{Status: store.DeliveryFailed, Since: r.FailedSince})
		default:
			id := r.DeliveryID
			if id == "" {
				id = store.DeliveryID(w.ID, r.EventID)
			}
			var d store.Delivery
			d, err = tx.Delivery(ws, id)
			if store.IsNotFound(err) || (err == nil && d.WebhookID != w.ID) {
				if r.EventID != "" {
					return false, notFound("a delivery of event %s to webhook %s", r.EventID, w.ID)
				}
				return false, notFound("delivery %s of webhook %s", id, w.ID)
			}
			picked = []store.Delivery{d}
		}
		if err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		for _, d := range picked {
			if d.Due() {
				continue // already waiting for its attempt
			}
			d.Status, d.Attempts, d.NextAttemptAt, d.UpdatedAt = store.DeliveryPending, 0, now, now
			if err := tx.PutDelivery(d); err != nil {
				return false, err
			}
			out = append(out, d)
		}
		return false, nil
	})
	return out, err
}
