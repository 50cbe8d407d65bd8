package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// pagesWebhook adds a webhook endpoint to ws and deliveries of the given
// statuses to it, each made hoursAgo before now, and returns the
// endpoint, its secret and the deliveries by event id.
func pagesWebhook(t *testing.T, l *live, ws, u string, deliveries map[string]struct {
	status   string
	hoursAgo int
}) (store.Webhook, string, map[string]store.Delivery) {
	t.Helper()
	w, secret, err := l.Svc.CreateWebhook(context.Background(), ws, service.WebhookInput{URL: u, Events: []string{store.EventNewReply, store.EventLeadNeedsReview}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Delivery{}
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		for event, d := range deliveries {
			at := liveStart.Add(-time.Duration(d.hoursAgo) * time.Hour)
			dl := store.Delivery{
				ID: store.DeliveryID(w.ID, event), Workspace: ws, WebhookID: w.ID, EventID: event, EventSeq: 1, EventType: store.EventNewReply,
				Status: d.status, Attempts: 4, CreatedAt: at, UpdatedAt: at,
			}
			switch d.status {
			case store.DeliveryDelivered:
				dl.Attempts, dl.LastStatusCode = 1, 200
				dl.Log = []store.DeliveryAttempt{{At: at, StatusCode: 200, DurationMS: 12}}
			case store.DeliveryRetrying:
				dl.Attempts, dl.LastStatusCode, dl.LastError, dl.NextAttemptAt = 1, 503, "the endpoint answered 503", liveStart.Add(time.Minute)
			default:
				dl.LastStatusCode, dl.LastError = 500, "the endpoint answered 500 <oops>"
				dl.Log = []store.DeliveryAttempt{{At: at, StatusCode: 500, DurationMS: 30, Error: "the endpoint answered 500 <oops>"}}
			}
			if err := tx.PutDelivery(dl); err != nil {
				return err
			}
			out[event] = dl
		}
		return nil
	})
	return w, secret, out
}

// pagesDelivery reads a delivery back.
func pagesDelivery(t *testing.T, l *live, d store.Delivery) store.Delivery {
	t.Helper()
	var got store.Delivery
	err := l.Store.View(context.Background(), func(tx storetest.Tx) (err error) {
		got, err = tx.Delivery(d.Workspace, d.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

type pagesDeliverySpec = map[string]struct {
	status   string
	hoursAgo int
}

func TestWebhooksPages(t *testing.T) {
	l := newLive(t)
	w, secret, ds := pagesWebhook(t, l, workspaceA, "https://crm.example.com/hooks", pagesDeliverySpec{
		"evt_failed": {store.DeliveryFailed, 2}, "evt_ok": {store.DeliveryDelivered, 1}, "evt_retry": {store.DeliveryRetrying, 0},
	})
	theirs, _, _ := pagesWebhook(t, l, workspaceB, "https://bsecret.example.com/hooks", nil)
	me := l.signIn(t, l.KeyA)
	bee := l.signIn(t, l.KeyB)

	status, body := me.get("/webhooks")
	if status != http.StatusOK {
		t.Fatalf("GET /webhooks: %d\n%s", status, body)
	}
	row := pagesSection(t, body, `data-webhook-id="`+w.ID+`"`)
	for _, want := range []string{"https://crm.example.com/hooks", "<code>new_reply</code>, <code>lead_needs_review</code>", ">Enabled</span>", `href="/webhooks/` + w.ID + `"`} {
		if !strings.Contains(row, want) {
			t.Errorf("the endpoint's row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(body, "bsecret") || strings.Contains(body, theirs.ID) {
		t.Errorf("workspace A sees B's endpoint:\n%s", body)
	}

	status, body = me.get("/webhooks/" + w.ID)
	if status != http.StatusOK {
		t.Fatalf("GET the delivery log: %d\n%s", status, body)
	}
	if strings.Contains(body, secret) || strings.Contains(body, strings.TrimPrefix(secret, "whsec_")) {
		t.Error("the delivery log shows the signing secret")
	}
	for event, want := range map[string][]string{
		"evt_failed": {">Failed</span>", "the endpoint answered 500 &lt;oops&gt;", `<td class="num">4</td>`, `<td class="num">500</td>`, `name="delivery_id" value="` + ds["evt_failed"].ID + `"`},
		"evt_ok":     {">Delivered</span>", `<td class="num">200</td>`},
		"evt_retry":  {">Retrying</span>", `<td class="num">503</td>`, `<time datetime="2030-03-04T09:01:00Z">`},
	} {
		r := pagesSection(t, body, `data-delivery-id="`+ds[event].ID+`"`)
		r = r[:strings.Index(r, "</tr>")]
		for _, s := range append(want, "<code>new_reply</code>", event) {
			if !strings.Contains(r, s) {
				t.Errorf("the row of %s lacks %q:\n%s", event, s, r)
			}
		}
		if replay := strings.Contains(r, "/replay"); replay != (event == "evt_failed") {
			t.Errorf("the row of %s offers a replay: %v", event, replay)
		}
	}
	if strings.Contains(body, "<oops>") {
		t.Error("an endpoint's error is not escaped")
	}
	_, body = me.get("/webhooks/" + w.ID + "?status=failed")
	if !strings.Contains(body, ds["evt_failed"].ID) || strings.Contains(body, ds["evt_ok"].ID) || strings.Contains(body, ds["evt_retry"].ID) {
		t.Errorf("the log filtered on failed shows:\n%s", body)
	}
	if status, _ := me.get("/webhooks/" + w.ID + "?status=lost"); status != http.StatusBadRequest {
		t.Errorf("an unknown status filter: %d, want 400", status)
	}

	// Workspace B gets nothing of A's endpoint.
	if status, body := bee.get("/webhooks/" + w.ID); status != http.StatusNotFound || strings.Contains(body, "crm.example.com") {
		t.Errorf("B's GET of A's delivery log: %d\n%s", status, body)
	}
	if status, _ := me.get("/webhooks/no-such-webhook"); status != http.StatusNotFound {
		t.Errorf("an unknown endpoint: %d, want 404", status)
	}
}

func TestWebhooksReplay(t *testing.T) {
	l := newLive(t)
	w, _, ds := pagesWebhook(t, l, workspaceA, "https://crm.example.com/hooks", pagesDeliverySpec{
		"evt_one": {store.DeliveryFailed, 2}, "evt_recent": {store.DeliveryFailed, 1}, "evt_old": {store.DeliveryFailed, 48},
		"evt_ok": {store.DeliveryDelivered, 1},
	})
	me := l.signIn(t, l.KeyA)
	bee := l.signIn(t, l.KeyB)
	path := "/webhooks/" + w.ID + "/replay"
	one := url.Values{"delivery_id": {ds["evt_one"].ID}}
	since := url.Values{"since": {"2030-03-03T09:00"}} // a day ago

	for _, form := range []url.Values{one, since} {
		pagesRefusedWithoutCSRF(t, me, path, form)
		pagesNotFound(t, bee, path, form)
	}
	if got := pagesDelivery(t, l, ds["evt_one"]); got.Status != store.DeliveryFailed {
		t.Fatalf("refused replays replayed it: %s", got.Status)
	}

	status, body := me.post(path, pagesForm(one))
	if got := pagesDelivery(t, l, ds["evt_one"]); status != http.StatusSeeOther || got.Status != store.DeliveryPending || got.Attempts != 0 {
		t.Fatalf("replay one: %d, %s after %d attempts; want 303 and it pending anew\n%s", status, got.Status, got.Attempts, body)
	}
	_, body = me.get("/webhooks/" + w.ID + "?replayed=1")
	if !strings.Contains(body, "Replayed 1 delivery") {
		t.Errorf("after a replay the log does not say so:\n%s", body)
	}

	// Every failure since a day ago: the recent one, not the old one (nor
	// the one already replayed, nor the delivered one).
	if status, _ := me.post(path, pagesForm(since)); status != http.StatusSeeOther {
		t.Fatalf("replay since: %d", status)
	}
	for event, want := range map[string]string{"evt_recent": store.DeliveryPending, "evt_old": store.DeliveryFailed, "evt_ok": store.DeliveryDelivered} {
		if got := pagesDelivery(t, l, ds[event]); got.Status != want {
			t.Errorf("after replaying failures since a day ago, %s is %s, want %s", event, got.Status, want)
		}
	}
	if status, body := me.post(path, url.Values{"since": {"yesterday"}}); status != http.StatusBadRequest || !strings.Contains(body, "since:") {
		t.Errorf("a replay since no time: %d, want 400 naming since\n%s", status, body)
	}
}

func TestWebhooksEnable(t *testing.T) {
	l := newLive(t)
	w, _, _ := pagesWebhook(t, l, workspaceA, "https://crm.example.com/hooks", nil)
	pagesUpdate(t, l, func(tx storetest.Tx) error {
		w.Disabled, w.DisabledReason = true, "the endpoint answered 410 Gone"
		return tx.PutWebhook(w)
	})
	me := l.signIn(t, l.KeyA)
	bee := l.signIn(t, l.KeyB)
	_, body := me.get("/webhooks")
	row := pagesSection(t, body, `data-webhook-id="`+w.ID+`"`)
	if !strings.Contains(row, ">Disabled</span>") || !strings.Contains(row, "the endpoint answered 410 Gone") || !strings.Contains(row, "/enable") {
		t.Errorf("a disabled endpoint's row:\n%s", row)
	}
	path := "/webhooks/" + w.ID + "/enable"
	form := url.Values{"back": {"/webhooks"}}
	pagesRefusedWithoutCSRF(t, me, path, form)
	pagesNotFound(t, bee, path, form)
	if got, err := l.Svc.Webhook(context.Background(), workspaceA, w.ID); err != nil || !got.Disabled {
		t.Fatalf("refused posts enabled it: %+v, %v", got, err)
	}
	if status, _ := me.post(path, pagesForm(form)); status != http.StatusSeeOther {
		t.Fatalf("enable: %d", status)
	}
	if got, err := l.Svc.Webhook(context.Background(), workspaceA, w.ID); err != nil || got.Disabled {
		t.Errorf("after enable: %+v, %v", got, err)
	}
}
