package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// webhooksService is what the webhooks page needs from the service layer.
type webhooksService interface {
	// ListWebhooks returns the workspace's webhook endpoints, oldest first.
	ListWebhooks(ctx context.Context, ws string) ([]store.Webhook, error)
	// Webhook returns one endpoint, by id.
	Webhook(ctx context.Context, ws, ref string) (store.Webhook, error)
	// WebhookDeliveries returns an endpoint's deliveries, newest first.
	WebhookDeliveries(ctx context.Context, ws, ref string, q service.DeliveryQuery) ([]store.Delivery, error)
	// ReplayDeliveries makes deliveries due again.
	ReplayDeliveries(ctx context.Context, ws, ref string, r service.Replay) ([]store.Delivery, error)
	// EnableWebhook sends to an endpoint disabled after a 410 again.
	EnableWebhook(ctx context.Context, ws, id string) (store.Webhook, error)
}

func (d *Dashboard) registerWebhooks() {
	d.handle("GET /webhooks", d.webhooks)
	d.handle("GET /webhooks/{id}", d.webhookDeliveries)
	d.handle("POST /webhooks/{id}/replay", d.replayDeliveries)
	d.handle("POST /webhooks/{id}/enable", d.enableWebhook)
}

// deliveriesPerPage is how many deliveries the log shows: the newest.
const deliveriesPerPage = 100

// webhooksEndpoint is an endpoint as the pages show it: never its secret.
type webhooksEndpoint struct {
	ID, URL, Address string
	// Events are the events it receives; none means all of them.
	Events         []string
	Disabled       bool
	DisabledReason string
	CreatedAt      time.Time
}

func webhooksEndpointOf(w store.Webhook) webhooksEndpoint {
	return webhooksEndpoint{
		ID: w.ID, URL: w.URL, Address: w.Address, Events: w.Events,
		Disabled: w.Disabled, DisabledReason: w.DisabledReason, CreatedAt: w.CreatedAt,
	}
}

// webhooksData is what both pages of webhooks show: the endpoints, or one
// endpoint's delivery log.
type webhooksData struct {
	Endpoints []webhooksEndpoint
	Log       *webhookLogData
}

func (d *Dashboard) webhooks(w http.ResponseWriter, r *request) {
	list, err := d.svc.ListWebhooks(r.ctx(), r.ws)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	data := webhooksData{Endpoints: make([]webhooksEndpoint, 0, len(list))}
	for _, wh := range list {
		data.Endpoints = append(data.Endpoints, webhooksEndpointOf(wh))
	}
	d.render(w, r, http.StatusOK, "webhooks", view{Title: "Webhooks", Nav: "webhooks", Data: data})
}

// webhooksDelivery is one delivery of the log.
type webhooksDelivery struct {
	store.Delivery
}

// StatusClass is the badge style of the delivery's status.
func (d webhooksDelivery) StatusClass() string { return stateBadge(d.Status) }

// Replayable reports whether the log offers to replay it: a delivery that
// failed for good (one waiting for an attempt is sent anyway).
func (d webhooksDelivery) Replayable() bool { return d.Status == store.DeliveryFailed }

// webhookLogData is one endpoint's delivery log, filtered by Status.
type webhookLogData struct {
	Endpoint   webhooksEndpoint
	Status     string
	Statuses   []statusOption
	Deliveries []webhooksDelivery
	// More is set when the log holds more deliveries than the page shows.
	More bool
	// Since is the replay form's default time: a day ago, in UTC.
	Since string
	// Path is the log's own path, which its forms post under.
	Path string
	// Replayed is how many deliveries the last replay made due again;
	// ShowReplayed says there was one.
	Replayed     int
	ShowReplayed bool
}

var deliveryStatuses = []statusOption{
	{"", "All"},
	{store.DeliveryPending, "Pending"},
	{store.DeliveryRetrying, "Retrying"},
	{store.DeliveryDelivered, "Delivered"},
	{store.DeliveryFailed, "Failed"},
}

// webhookDeliveries shows an endpoint's delivery log, newest first,
// filtered by status.
func (d *Dashboard) webhookDeliveries(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	wh, err := d.svc.Webhook(r.ctx(), r.ws, id)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	data := webhookLogData{
		Endpoint: webhooksEndpointOf(wh), Status: q.Get("status"), Statuses: deliveryStatuses,
		Since: d.now().UTC().Add(-24 * time.Hour).Format(datetimeLocal),
		Path:  "/webhooks/" + url.PathEscape(wh.ID),
	}
	if n, err := strconv.Atoi(q.Get("replayed")); err == nil && n >= 0 {
		data.Replayed, data.ShowReplayed = n, true
	}
	ds, err := d.svc.WebhookDeliveries(r.ctx(), r.ws, wh.ID, service.DeliveryQuery{Status: data.Status, Limit: deliveriesPerPage + 1})
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if len(ds) > deliveriesPerPage {
		ds, data.More = ds[:deliveriesPerPage], true
	}
	for _, dl := range ds {
		data.Deliveries = append(data.Deliveries, webhooksDelivery{dl})
	}
	d.render(w, r, http.StatusOK, "webhooks", view{Title: "Webhook deliveries", Nav: "webhooks", Data: webhooksData{Log: &data}})
}

// replayDeliveries replays one delivery (the form's delivery_id) or every
// delivery that failed for good since the form's time (since), then
// shows the log with how many it replayed.
func (d *Dashboard) replayDeliveries(w http.ResponseWriter, r *request) {
	id := r.PathValue("id")
	var replay service.Replay
	if dl := r.PostFormValue("delivery_id"); dl != "" {
		replay.DeliveryID = dl
	} else {
		since, err := parseDatetimeLocal(strings.TrimSpace(r.PostFormValue("since")), r.PostFormValue("since_offset"))
		if err != nil {
			d.fail(w, r, &service.ValidationError{Field: "since", Reason: "give a date and time, such as 2030-03-20 17:00"})
			return
		}
		replay.FailedSince = since
	}
	ds, err := d.svc.ReplayDeliveries(r.ctx(), r.ws, id, replay)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	to := "/webhooks/" + url.PathEscape(id) + "?replayed=" + strconv.Itoa(len(ds))
	if s := r.PostFormValue("status"); slices.ContainsFunc(deliveryStatuses, func(o statusOption) bool { return o.Value == s }) && s != "" {
		to += "&status=" + url.QueryEscape(s)
	}
	http.Redirect(w, r.Request, to, http.StatusSeeOther)
}

func (d *Dashboard) enableWebhook(w http.ResponseWriter, r *request) {
	if _, err := d.svc.EnableWebhook(r.ctx(), r.ws, r.PathValue("id")); err != nil {
		d.fail(w, r, err)
		return
	}
	back(w, r, "/webhooks")
}
