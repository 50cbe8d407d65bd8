package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestReplayDeliveries: a delivery that failed for good is replayed by its
// id, by its event's id, or with every failed one since a time: due at
// once, its retries anew, its log kept; delivered ones are left out of a
// replay of failures, and the webhook is found by its configuration name.
func TestReplayDeliveries(t *testing.T) {
	svc, st := newService(t)
	ctx := context.Background()
	planAndApply(t, svc, load(t, `webhook "crm" {
  url = "https://crm.example.com/hooks"
}`))
	w, err := svc.Webhook(ctx, "default", "crm")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.Webhook(ctx, "default", "webhook.crm"); err != nil || got.ID != w.ID {
		t.Errorf("Webhook(webhook.crm) = %s, %v; want %s", got.ID, err, w.ID)
	}
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	delivery := func(event, status string, created time.Time) store.Delivery {
		return store.Delivery{
			ID: store.DeliveryID(w.ID, event), Workspace: "default", WebhookID: w.ID, EventID: event, EventSeq: 1, EventType: store.EventNewReply,
			Status: status, Attempts: 4, LastError: "the endpoint answered 500", CreatedAt: created, UpdatedAt: created,
			Log: []store.DeliveryAttempt{{At: created, StatusCode: 500, Error: "the endpoint answered 500"}},
		}
	}
	old, failed, delivered, other := delivery("e1", store.DeliveryFailed, at(-48)), delivery("e2", store.DeliveryFailed, at(-2)),
		delivery("e3", store.DeliveryDelivered, at(-1)), delivery("e4", store.DeliveryFailed, at(-1))
	update(t, st, func(tx storetest.Tx) error {
		for _, d := range []store.Delivery{old, failed, delivered, other} {
			if err := tx.PutDelivery(d); err != nil {
				return err
			}
		}
		return nil
	})

	got, err := svc.ReplayDeliveries(ctx, "default", w.ID, Replay{FailedSince: at(-24)})
	if err != nil || len(got) != 2 || got[0].EventID != "e4" || got[1].EventID != "e2" {
		t.Fatalf("replay of failures since a day ago = %+v, %v; want e4 and e2", got, err)
	}
	for _, d := range got {
		if d.Status != store.DeliveryPending || d.Attempts != 0 || !d.NextAttemptAt.Equal(start) || len(d.Log) != 1 {
			t.Errorf("replayed %s: %+v; want pending now, no attempts counted, its log kept", d.EventID, d)
		}
	}
	view(t, st, func(tx storetest.Tx) error {
		due, err := tx.DueDeliveries("default", w.ID, start, 0)
		if len(due) != 2 {
			t.Errorf("%d deliveries due after the replay, want 2", len(due))
		}
		return err
	})
	if got, err := svc.ReplayDeliveries(ctx, "default", "crm", Replay{EventID: "e1"}); err != nil || len(got) != 1 || got[0].ID != old.ID {
		t.Errorf("replay of event e1 = %+v, %v", got, err)
	}
	if got, err := svc.ReplayDeliveries(ctx, "default", "crm", Replay{DeliveryID: delivered.ID}); err != nil || len(got) != 1 {
		t.Errorf("replay of a delivered delivery = %+v, %v; want it sent again", got, err)
	}
	if got, err := svc.ReplayDeliveries(ctx, "default", "crm", Replay{DeliveryID: failed.ID}); err != nil || len(got) != 0 {
		t.Errorf("replay of a delivery already due = %+v, %v; want nothing to do", got, err)
	}

	var verr *ValidationError
	if _, err := svc.ReplayDeliveries(ctx, "default", "crm", Replay{}); !errors.As(err, &verr) {
		t.Errorf("replay of nothing: %v, want a validation error", err)
	}
	if _, err := svc.ReplayDeliveries(ctx, "default", "crm", Replay{EventID: "e9"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("replay of an unknown event: %v, want not found", err)
	}
	if _, err := svc.ReplayDeliveries(ctx, "other", w.ID, Replay{EventID: "e1"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("replay from another workspace: %v, want not found", err)
	}
	if ds, err := svc.WebhookDeliveries(ctx, "default", "crm", DeliveryQuery{Status: store.DeliveryDelivered}); err != nil || len(ds) != 0 {
		t.Errorf("delivered deliveries after the replays: %d, %v; want none (all were replayed)", len(ds), err)
	}
	if _, err := svc.WebhookDeliveries(ctx, "default", "crm", DeliveryQuery{Status: "lost"}); !errors.As(err, &verr) || verr.Field != "status" {
		t.Errorf("a bad status filter: %v", err)
	}
}
