package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/webhook"
)

// The webhook endpoints and their delivery logs, under /api/v1/webhooks.
// (webhooks_doc.go documents something else: the requests outreach sends
// to those endpoints, under the OpenAPI document's webhooks.)
//
// The wire types are exported because `outreach webhooks` prints them: on
// the store itself, or through the API of the server that holds the data
// dir, a command's output is the same.

// webhooksService is what the /webhooks operations call.
type webhooksService interface {
	// ListWebhooks returns the workspace's webhook endpoints, oldest first.
	ListWebhooks(ctx context.Context, workspace string) ([]store.Webhook, error)
	// WebhookDeliveries returns the deliveries of a webhook (by id or by
	// configuration name) that q picks, newest first.
	WebhookDeliveries(ctx context.Context, workspace, ref string, q service.DeliveryQuery) ([]store.Delivery, error)
	// ReplayDeliveries makes deliveries of a webhook due again and returns
	// them.
	ReplayDeliveries(ctx context.Context, workspace, ref string, r service.Replay) ([]store.Delivery, error)
	// CreateWebhook adds an endpoint and returns it with its signing
	// secret, in plain text this once.
	CreateWebhook(ctx context.Context, workspace string, in service.WebhookInput) (store.Webhook, string, error)
	// DeleteWebhook removes an endpoint by id.
	DeleteWebhook(ctx context.Context, workspace, id string) error
}

// WebhookEndpoint is a webhook endpoint as the API shows it. Its signing
// secret is never shown, only whether it has one.
type WebhookEndpoint struct {
	ID             string   `json:"id" format:"uuid" doc:"Webhook id." example:"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"`
	Name           string   `json:"name" doc:"Name of the webhook block of the configuration that manages it (webhook \"crm\": crm); empty for an endpoint created through the API. Either the id or this name picks the endpoint in the paths below." example:"crm"`
	URL            string   `json:"url" format:"uri" doc:"Where events are POSTed." example:"https://crm.example.com/hooks/outreach"`
	Events         []string `json:"events" nullable:"false" doc:"Event types it receives; empty for every event." example:"[\"new_reply\",\"lead_opted_out\"]"`
	Signed         bool     `json:"signed" doc:"Whether deliveries are signed (webhook-signature). The secret itself is never returned." example:"true"`
	Retries        int      `json:"retries" doc:"How many times a failed delivery is tried again before it fails for good." example:"3"`
	BackoffSeconds int      `json:"backoff_seconds" doc:"Seconds before the first retry; each next wait is four times longer, with jitter." example:"30"`
	Disabled       bool     `json:"disabled" doc:"Whether sending to it has stopped (it answered 410 Gone); disabled_reason says why." example:"false"`
	DisabledReason string   `json:"disabled_reason" doc:"Why it is disabled; empty while it is enabled." example:""`
	CreatedAt      string   `json:"created_at" format:"date-time" doc:"When it was added, RFC 3339 in UTC." example:"2024-01-15T10:30:00Z"`
}

// WebhookEndpointFrom converts a stored endpoint to the wire type.
func WebhookEndpointFrom(w store.Webhook) WebhookEndpoint {
	retries := w.Retries
	switch {
	case retries == 0:
		retries = webhook.DefaultRetries
	case retries < 0:
		retries = 0
	}
	backoff := w.Backoff
	if backoff <= 0 {
		backoff = webhook.DefaultBackoff
	}
	events := w.Events
	if events == nil {
		events = []string{}
	}
	return WebhookEndpoint{
		ID:             w.ID,
		Name:           webhookName(w),
		URL:            w.URL,
		Events:         events,
		Signed:         len(w.Secret) > 0,
		Retries:        retries,
		BackoffSeconds: int(backoff / time.Second),
		Disabled:       w.Disabled,
		DisabledReason: w.DisabledReason,
		CreatedAt:      wireTime(w.CreatedAt),
	}
}

// webhookName is the name of the configuration block that manages w, "" if
// none does.
func webhookName(w store.Webhook) string {
	name, ok := strings.CutPrefix(w.Address, store.KindWebhook+".")
	if !ok {
		return ""
	}
	return name
}

// WebhookDelivery is the record of one event's delivery to one endpoint,
// with its log of attempts.
type WebhookDelivery struct {
	ID             string            `json:"id" format:"uuid" doc:"Delivery id: the same for every attempt and replay of the event to this endpoint." example:"0d4e5f6a-7b8c-5d9e-8f0a-1b2c3d4e5f6a"`
	WebhookID      string            `json:"webhook_id" format:"uuid" doc:"The endpoint's id." example:"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"`
	EventID        string            `json:"event_id" doc:"The event's id, sent as webhook-id on every attempt." example:"evt_2b3c4d5e"`
	EventType      string            `json:"event_type" doc:"The event's type." example:"new_reply"`
	Status         string            `json:"status" enum:"pending,retrying,delivered,failed" doc:"pending: not tried yet; retrying: failed, tried again at next_attempt_at; delivered: the endpoint answered 2xx; failed: failed for good (a replay sends it again)." example:"retrying"`
	Attempts       int               `json:"attempts" doc:"Attempts since it was made or last replayed." example:"2"`
	LastStatusCode int               `json:"last_status_code" doc:"HTTP status of the last answer; 0 if none came (or no attempt yet)." example:"503"`
	LastError      string            `json:"last_error" doc:"Why the last attempt failed; empty if it did not." example:"the endpoint answered 503"`
	NextAttemptAt  string            `json:"next_attempt_at,omitempty" format:"date-time" doc:"When the next attempt is due, RFC 3339 in UTC; absent unless pending or retrying." example:"2024-01-15T10:32:00Z"`
	Log            []DeliveryAttempt `json:"log" nullable:"false" doc:"Its attempts, oldest first (the last 20, replays included)."`
	CreatedAt      string            `json:"created_at" format:"date-time" doc:"When the delivery was made, RFC 3339 in UTC." example:"2024-01-15T10:30:00Z"`
	UpdatedAt      string            `json:"updated_at" format:"date-time" doc:"When it last changed, RFC 3339 in UTC." example:"2024-01-15T10:30:31Z"`
}

// DeliveryAttempt is one attempt in a delivery's log.
type DeliveryAttempt struct {
	At            string `json:"at" format:"date-time" doc:"When it was made, RFC 3339 in UTC." example:"2024-01-15T10:30:01Z"`
	StatusCode    int    `json:"status_code" doc:"HTTP status of the answer; 0 if none came (a timeout, a refused connection)." example:"503"`
	DurationMS    int64  `json:"duration_ms" doc:"How long it took, in milliseconds." example:"120"`
	Error         string `json:"error" doc:"Why it failed; empty if it delivered." example:"the endpoint answered 503"`
	NextAttemptAt string `json:"next_attempt_at,omitempty" format:"date-time" doc:"When it was to be tried again, RFC 3339 in UTC; absent if it was not." example:"2024-01-15T10:30:31Z"`
}

// WebhookDeliveryFrom converts a stored delivery to the wire type.
func WebhookDeliveryFrom(d store.Delivery) WebhookDelivery {
	out := WebhookDelivery{
		ID:             d.ID,
		WebhookID:      d.WebhookID,
		EventID:        d.EventID,
		EventType:      d.EventType,
		Status:         d.Status,
		Attempts:       d.Attempts,
		LastStatusCode: d.LastStatusCode,
		LastError:      d.LastError,
		Log:            make([]DeliveryAttempt, 0, len(d.Log)),
		CreatedAt:      wireTime(d.CreatedAt),
		UpdatedAt:      wireTime(d.UpdatedAt),
	}
	if d.Due() {
		out.NextAttemptAt = wireTime(d.NextAttemptAt)
	}
	for _, a := range d.Log {
		out.Log = append(out.Log, DeliveryAttempt{
			At:            wireTime(a.At),
			StatusCode:    a.StatusCode,
			DurationMS:    a.DurationMS,
			Error:         a.Error,
			NextAttemptAt: wireTime(a.NextAttemptAt),
		})
	}
	return out
}

// WebhookDeliveriesFrom converts stored deliveries; never nil, since
// clients iterate over it.
func WebhookDeliveriesFrom(ds []store.Delivery) []WebhookDelivery {
	out := make([]WebhookDelivery, 0, len(ds))
	for _, d := range ds {
		out = append(out, WebhookDeliveryFrom(d))
	}
	return out
}

// WebhookList is the body of list-webhooks.
type WebhookList struct {
	Webhooks []WebhookEndpoint `json:"webhooks" nullable:"false" doc:"The workspace's webhook endpoints, oldest first."`
}

// DeliveryList is the body of list-webhook-deliveries.
type DeliveryList struct {
	Deliveries []WebhookDelivery `json:"deliveries" nullable:"false" doc:"The deliveries picked, newest first."`
}

// ReplayRequest is the body of replay-webhook-deliveries: exactly one of
// its fields.
type ReplayRequest struct {
	DeliveryID string `json:"delivery_id,omitempty" doc:"Replay this delivery." example:"0d4e5f6a-7b8c-5d9e-8f0a-1b2c3d4e5f6a"`
	EventID    string `json:"event_id,omitempty" doc:"Replay the delivery of this event to the endpoint." example:"evt_2b3c4d5e"`
	Since      string `json:"since,omitempty" format:"date-time" doc:"Replay every delivery that failed for good since this time, RFC 3339." example:"2024-01-14T10:30:00Z"`
}

// ReplayResult is the body of an answer to replay-webhook-deliveries.
type ReplayResult struct {
	Replayed   int               `json:"replayed" doc:"How many deliveries were made due again. One already waiting for an attempt is left as it is, and not counted." example:"2"`
	Deliveries []WebhookDelivery `json:"deliveries" nullable:"false" doc:"The deliveries made due again, as they now stand."`
}

// CreateWebhookRequest is the body of create-webhook.
type CreateWebhookRequest struct {
	URL            string   `json:"url" minLength:"1" maxLength:"2048" doc:"Where events are POSTed: an https URL (http only to loopback, for local development). Deliveries to private, loopback and link-local addresses are refused unless the server allows them (--allow-private-webhooks)." example:"https://crm.example.com/hooks/outreach"`
	Events         []string `json:"events,omitempty" maxItems:"32" doc:"Event types it receives; none or empty for every event." example:"[\"new_reply\",\"lead_opted_out\"]"`
	Secret         string   `json:"secret,omitempty" maxLength:"200" doc:"Signing secret, Standard Webhooks style (whsec_ and base64 of 24 to 64 bytes); one is made when none is given. Either way it is returned once, in this answer." example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
	Retries        *int     `json:"retries,omitempty" minimum:"0" maximum:"10" doc:"How many times a failed delivery is tried again before it fails for good; default 3." example:"3"`
	BackoffSeconds int      `json:"backoff_seconds,omitempty" minimum:"1" maximum:"3600" doc:"Seconds before the first retry; each next wait is four times longer, with jitter. Default 30." example:"30"`
}

// CreatedWebhook is the answer of create-webhook: the only answer that
// shows the endpoint's secret.
type CreatedWebhook struct {
	Success bool            `json:"success" doc:"Always true." example:"true"`
	Message string          `json:"message" doc:"What was done." example:"Webhook created. Store its secret now: it is not shown again."`
	Webhook WebhookEndpoint `json:"webhook" doc:"The endpoint as list-webhooks shows it."`
	Secret  string          `json:"secret" doc:"The signing secret, in plain text, shown this once: verify the webhook-signature of each delivery with it." example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
}

// DeletedWebhook is the answer of delete-webhook.
type DeletedWebhook struct {
	Success bool   `json:"success" doc:"Always true." example:"true"`
	Message string `json:"message" doc:"What was done." example:"Webhook deleted"`
	ID      string `json:"id" format:"uuid" doc:"The deleted endpoint's id." example:"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"`
}

type createWebhookInput struct {
	Body CreateWebhookRequest
}

type createWebhookOutput struct {
	Body CreatedWebhook
}

type deleteWebhookInput struct {
	WebhookID string `path:"webhook_id" maxLength:"100" doc:"The endpoint's id." example:"6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"`
}

type deleteWebhookOutput struct {
	Body DeletedWebhook
}

type listWebhooksOutput struct {
	Body WebhookList
}

type listDeliveriesInput struct {
	WebhookID string `path:"webhook_id" doc:"The endpoint: its id, or the name of the webhook block that manages it." example:"crm"`
	Status    string `query:"status" enum:"pending,retrying,delivered,failed" doc:"Only deliveries in this state."`
	Since     string `query:"since" format:"date-time" doc:"Only deliveries made at or after this time, RFC 3339." example:"2024-01-14T10:30:00Z"`
	Limit     int    `query:"limit" default:"50" minimum:"1" maximum:"1000" doc:"At most this many deliveries."`
}

type listDeliveriesOutput struct {
	Body DeliveryList
}

type replayInput struct {
	WebhookID string `path:"webhook_id" doc:"The endpoint: its id, or the name of the webhook block that manages it." example:"crm"`
	Body      ReplayRequest
}

type replayOutput struct {
	Body ReplayResult
}

// registerWebhooks registers the /webhooks operations on the /api/v1 group.
func registerWebhooks(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "list-webhooks",
		Method:      http.MethodGet,
		Path:        "/webhooks",
		Summary:     "List webhook endpoints",
		Description: "Lists the workspace's webhook endpoints: where each sends, which events, whether it signs, its retries, and whether it is disabled.",
		Tags:        []string{webhooksTag},
	}, func(ctx context.Context, _ *struct{}) (*listWebhooksOutput, error) {
		list, err := svc.ListWebhooks(ctx, workspaceFrom(ctx))
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listWebhooksOutput{}
		out.Body.Webhooks = make([]WebhookEndpoint, 0, len(list))
		for _, w := range list {
			out.Body.Webhooks = append(out.Body.Webhooks, WebhookEndpointFrom(w))
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "create-webhook",
		Method:      http.MethodPost,
		Path:        "/webhooks",
		Summary:     "Create a webhook endpoint",
		Description: "Adds an endpoint that receives the workspace's events, signed with a Standard Webhooks secret. " +
			"The answer carries the secret, the given one or one made for it: it is shown this once, and never again. " +
			"The URL is checked as a configuration's webhook block is: a URL that is not http(s), or has credentials in it, is a 400.",
		Tags: []string{webhooksTag},
	}, func(ctx context.Context, in *createWebhookInput) (*createWebhookOutput, error) {
		w, secret, err := svc.CreateWebhook(ctx, workspaceFrom(ctx), service.WebhookInput{
			URL:     in.Body.URL,
			Events:  in.Body.Events,
			Secret:  in.Body.Secret,
			Retries: in.Body.Retries,
			Backoff: time.Duration(in.Body.BackoffSeconds) * time.Second,
		})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &createWebhookOutput{Body: CreatedWebhook{
			Success: true,
			Message: "Webhook created. Store its secret now: it is not shown again.",
			Webhook: WebhookEndpointFrom(w),
			Secret:  secret,
		}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "delete-webhook",
		Method:      http.MethodDelete,
		Path:        "/webhooks/{webhook_id}",
		Summary:     "Delete a webhook endpoint",
		Description: "Removes an endpoint: nothing more is sent to it. " +
			"An endpoint that a configuration manages comes back at the next apply.",
		Tags: []string{webhooksTag},
	}, func(ctx context.Context, in *deleteWebhookInput) (*deleteWebhookOutput, error) {
		if err := svc.DeleteWebhook(ctx, workspaceFrom(ctx), in.WebhookID); err != nil {
			return nil, serviceError(ctx, err)
		}
		return &deleteWebhookOutput{Body: DeletedWebhook{Success: true, Message: "Webhook deleted", ID: in.WebhookID}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-webhook-deliveries",
		Method:      http.MethodGet,
		Path:        "/webhooks/{webhook_id}/deliveries",
		Summary:     "List an endpoint's deliveries",
		Description: "Lists an endpoint's deliveries, newest first: each event, where its delivery stands, and each attempt with its status code, duration and error.",
		Tags:        []string{webhooksTag},
	}, func(ctx context.Context, in *listDeliveriesInput) (*listDeliveriesOutput, error) {
		q := service.DeliveryQuery{Status: in.Status, Limit: in.Limit}
		if in.Since != "" {
			// huma checked the format; this parse cannot fail on what it passed.
			t, err := time.Parse(time.RFC3339, in.Since)
			if err != nil {
				return nil, newError(http.StatusBadRequest, "since: expected an RFC 3339 time")
			}
			q.Since = t
		}
		ds, err := svc.WebhookDeliveries(ctx, workspaceFrom(ctx), in.WebhookID, q)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &listDeliveriesOutput{Body: DeliveryList{Deliveries: WebhookDeliveriesFrom(ds)}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "replay-webhook-deliveries",
		Method:      http.MethodPost,
		Path:        "/webhooks/{webhook_id}/replay",
		Summary:     "Replay deliveries",
		Description: "Makes deliveries of an endpoint due again at once, with their retries anew: one delivery (delivery_id), " +
			"the delivery of one event (event_id), or every delivery that failed for good since a time (since). " +
			"Give exactly one. Each replay carries the event's same webhook-id, so receivers deduplicate it; " +
			"the delivery's log keeps the earlier attempts. A disabled endpoint is refused.",
		Tags: []string{webhooksTag},
	}, func(ctx context.Context, in *replayInput) (*replayOutput, error) {
		r := service.Replay{DeliveryID: in.Body.DeliveryID, EventID: in.Body.EventID}
		if in.Body.Since != "" {
			t, err := time.Parse(time.RFC3339, in.Body.Since)
			if err != nil {
				return nil, newError(http.StatusBadRequest, "since: expected an RFC 3339 time")
			}
			r.FailedSince = t
		}
		ds, err := svc.ReplayDeliveries(ctx, workspaceFrom(ctx), in.WebhookID, r)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &replayOutput{Body: ReplayResult{Replayed: len(ds), Deliveries: WebhookDeliveriesFrom(ds)}}, nil
	})
}
