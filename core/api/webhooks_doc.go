package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/webhook"
	"github.com/outreachhq/outreach/sdk"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// The OpenAPI document describes what outreach sends to users' endpoints
// as OpenAPI 3.1 webhooks: one per event type of sdk.EventTypes, each a
// POST whose body is the reference's envelope ({"event", "timestamp",
// "data"}) around that event's data, whose schema huma generates from the
// sdk payload type. The delivery rules are built from core/webhook's own
// constants, so the document says what the deliverer does.

const (
	webhooksTag = "Webhooks"
	// The components every webhook refers to.
	webhookAcceptedResponse = "WebhookAccepted"
	webhookGoneResponse     = "WebhookGone"
	webhookRetriedResponse  = "WebhookRetried"
)

// documentWebhooks adds a webhook per event type, and what they share, to
// the document.
func documentWebhooks(oapi *huma.OpenAPI) {
	reg := oapi.Components.Schemas
	if oapi.Components.Parameters == nil {
		oapi.Components.Parameters = map[string]*huma.Param{}
	}
	var params []*huma.Param
	for _, p := range webhookHeaders() {
		oapi.Components.Parameters[p.Name] = p
		params = append(params, &huma.Param{Ref: "#/components/parameters/" + p.Name})
	}
	if oapi.Components.Responses == nil {
		oapi.Components.Responses = map[string]*huma.Response{}
	}
	oapi.Components.Responses[webhookAcceptedResponse] = &huma.Response{
		Description: "Accepted: any 2xx answer within " + duration(webhook.Timeout) + " delivers the event. Its body is ignored.",
	}
	oapi.Components.Responses[webhookGoneResponse] = &huma.Response{
		Description: "Gone: the endpoint is disabled, and no more events are sent to it. Its delivery log says why.",
	}
	oapi.Components.Responses[webhookRetriedResponse] = &huma.Response{
		Description: "Not delivered: any other status (a redirect too: redirects are not followed), or no answer within " +
			duration(webhook.Timeout) + ". " + retrySchedule(),
	}
	oapi.Tags = append(oapi.Tags, &huma.Tag{Name: webhooksTag, Description: webhooksDescription()})

	if oapi.Webhooks == nil {
		oapi.Webhooks = map[string]*huma.PathItem{}
	}
	dataOf := map[string][]string{} // the events of each data schema
	for _, typ := range sdk.EventTypes {
		ev, documented := webhookEvents[typ]
		data := &huma.Schema{Type: huma.TypeObject} // an event not documented yet is still listed
		if documented {
			data = reg.Schema(ev.Data, true, "")
			describeFields(reg, data)
			if s := reg.SchemaFromRef(data.Ref); s != nil {
				dataOf[data.Ref] = append(dataOf[data.Ref], typ)
				s.Description = "The data of " + strings.Join(dataOf[data.Ref], " and ") + "."
			}
		}
		body := &huma.MediaType{Schema: envelopeSchema(typ, data)}
		if ev.Example != "" {
			if example, err := webhookExample(typ); err == nil {
				body.Examples = map[string]*huma.Example{typ: {Summary: ev.Summary, Value: json.RawMessage(example)}}
			}
		}
		oapi.Webhooks[typ] = &huma.PathItem{Post: &huma.Operation{
			OperationID: "webhook-" + strings.ReplaceAll(typ, "_", "-"),
			Summary:     ev.Summary,
			Description: ev.Description,
			Tags:        []string{webhooksTag},
			// The receiver needs no key of ours: it checks webhook-signature,
			// a parameter, since an HMAC of the body is no security scheme.
			Security:   []map[string][]string{},
			Parameters: params,
			RequestBody: &huma.RequestBody{
				Description: "The event: its type, when it happened, and its data.",
				Required:    true,
				Content:     map[string]*huma.MediaType{"application/json": body},
			},
			Responses: map[string]*huma.Response{
				"2XX":     {Ref: "#/components/responses/" + webhookAcceptedResponse},
				"410":     {Ref: "#/components/responses/" + webhookGoneResponse},
				"default": {Ref: "#/components/responses/" + webhookRetriedResponse},
			},
		}}
	}
}

// envelopeSchema is the body of a delivery of event type typ.
func envelopeSchema(typ string, data *huma.Schema) *huma.Schema {
	s := &huma.Schema{
		Type:                 huma.TypeObject,
		Required:             []string{"event", "timestamp", "data"},
		AdditionalProperties: false,
		Properties: map[string]*huma.Schema{
			"event": {Type: huma.TypeString, Enum: []any{typ}, Description: "The event type."},
			"timestamp": {Type: huma.TypeString, Format: "date-time", Examples: []any{exampleTimestamp},
				Description: "When it happened: RFC 3339 in UTC, with milliseconds. The same on every attempt; webhook-timestamp is the attempt's."},
			"data": data,
		},
	}
	s.PrecomputeMessages()
	return s
}

// describeFields gives the properties of the schema data refers to their
// descriptions from webhookFieldDocs, and so on down the schemas it
// refers to in turn.
func describeFields(reg huma.Registry, data *huma.Schema) {
	name := strings.TrimPrefix(data.Ref, "#/components/schemas/")
	s := reg.SchemaFromRef(data.Ref)
	if s == nil {
		return
	}
	if d, ok := webhookFieldDocs[name]; ok {
		s.Description = d
	}
	for field, p := range s.Properties {
		if p.Ref != "" {
			describeFields(reg, p)
			continue
		}
		if d, ok := webhookFieldDocs[name+"."+field]; ok {
			p.Description = d
		} else if d, ok := webhookFieldDocs[field]; ok {
			p.Description = d
		}
	}
}

// webhookHeaders are the headers of every delivery, as Standard Webhooks
// has them (sdk/webhook signs and verifies them).
func webhookHeaders() []*huma.Param {
	return []*huma.Param{
		{
			Name: sdkwebhook.HeaderID, In: "header", Required: true,
			Description: "The event's id: the same on every attempt of the event and every replay of it. Deliveries are at least once: deduplicate on it.",
			Schema:      &huma.Schema{Type: huma.TypeString, Examples: []any{"0c6b0a3e-5f2d-4f7a-9a51-3c8e2f1d7b64"}},
		},
		{
			Name: sdkwebhook.HeaderTimestamp, In: "header", Required: true,
			Description: "When this attempt was made, in Unix seconds. Refuse a delivery whose timestamp is more than five minutes from your clock: it may be a replay by someone else.",
			Schema:      &huma.Schema{Type: huma.TypeInteger, Examples: []any{1709121600}},
		},
		{
			Name: sdkwebhook.HeaderSignature, In: "header",
			Description: "Space-separated signatures, \"v1,\" and the base64 of the HMAC-SHA256 of webhook-id, \".\", webhook-timestamp, \".\" and the body as received, keyed with the base64-decoded part of the endpoint's secret after \"whsec_\". " +
				"Two while a secret is rotated (the new one's and the old one's, for 24 hours): accept the delivery if one matches. Absent when the endpoint has no secret. " +
				"Go receivers verify it with github.com/outreachhq/outreach/sdk/webhook (NewVerifier, Verify).",
			Schema: &huma.Schema{Type: huma.TypeString, Examples: []any{"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}},
		},
	}
}

// webhooksDescription is the Webhooks tag's: the delivery promise.
func webhooksDescription() string {
	return "outreach POSTs each event, as JSON, to every webhook endpoint subscribed to its type, at least once, signed the Standard Webhooks way (the webhook-id, webhook-timestamp and webhook-signature headers). " +
		"An answer 2xx within " + duration(webhook.Timeout) + " delivers it. " + retrySchedule() +
		" A 410 Gone disables the endpoint. Every attempt of an event, and every replay of it, carries the same webhook-id. " +
		"Endpoints on internal addresses (loopback, private, link-local) are refused unless allow_private_webhooks is set."
}

// retrySchedule says how a failed delivery is retried, with the
// deliverer's defaults.
func retrySchedule() string {
	var waits []string
	wait := webhook.DefaultBackoff
	for range webhook.DefaultRetries {
		waits = append(waits, duration(min(wait, webhook.MaxWait)))
		wait *= 4
	}
	return fmt.Sprintf("A failed attempt is retried up to %d times, with exponential backoff and jitter: about %s after the failures "+
		"(a quarter more or less; an endpoint's retries and backoff change them), never sooner than the Retry-After of a 429 or a 503, never more than %s later.",
		webhook.DefaultRetries, strings.Join(waits, ", then "), duration(webhook.MaxWait))
}

// duration writes d as people do: "30 s", "2 min", "1 h".
func duration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%g s", d.Seconds())
}

// webhookExample is the example delivery of event type typ, as the README
// shows it: the envelope around its data, indented by two spaces.
func webhookExample(typ string) ([]byte, error) {
	ev, ok := webhookEvents[typ]
	if !ok {
		return nil, fmt.Errorf("no documentation of event %s", typ)
	}
	if !json.Valid([]byte(ev.Example)) {
		return nil, fmt.Errorf("the example of event %s is not JSON", typ)
	}
	return json.MarshalIndent(struct {
		Event     string          `json:"event"`
		Timestamp string          `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}{typ, exampleTimestamp, json.RawMessage(ev.Example)}, "", "  ")
}
