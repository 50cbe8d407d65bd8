package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/webhook"
	"github.com/outreachhq/outreach/sdk"
)

// servedWebhooks is the webhooks map of the document /openapi.json serves.
type servedWebhooks map[string]struct {
	Post *struct {
		OperationID string `json:"operationId"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
		Parameters  []struct {
			Ref string `json:"$ref"`
		} `json:"parameters"`
		RequestBody struct {
			Required bool `json:"required"`
			Content  map[string]struct {
				Schema struct {
					Properties map[string]struct {
						Ref  string `json:"$ref"`
						Enum []string
					} `json:"properties"`
				} `json:"schema"`
				Examples map[string]struct {
					Value json.RawMessage `json:"value"`
				} `json:"examples"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]struct {
			Ref string `json:"$ref"`
		} `json:"responses"`
	} `json:"post"`
}

// TestEveryEventHasAWebhook: the document describes every event type of
// sdk.EventTypes, and only those, each with its data's schema and an
// example; so an event added to the catalogue fails here until it is
// documented in webhook_events.go.
func TestEveryEventHasAWebhook(t *testing.T) {
	s := newTestServer(t, nil, 0)
	var doc struct {
		Webhooks servedWebhooks `json:"webhooks"`
	}
	if err := json.Unmarshal(s.do(t, "GET", "/openapi.json", "").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var served []string
	for typ := range doc.Webhooks {
		served = append(served, typ)
	}
	want := slices.Sorted(slices.Values(sdk.EventTypes))
	if diff := cmp.Diff(want, slices.Sorted(slices.Values(served))); diff != "" {
		t.Errorf("webhooks of the document (-sdk.EventTypes +served):\n%s", diff)
	}
	operationIDs := map[string]bool{}
	for _, typ := range sdk.EventTypes {
		ev, ok := webhookEvents[typ]
		if !ok {
			t.Errorf("event %s is not documented: add it to webhookEvents (core/api/webhook_events.go)", typ)
			continue
		}
		if ev.Summary == "" || ev.Description == "" || ev.Data == nil || ev.Example == "" {
			t.Errorf("event %s lacks a summary, a description, a data type or an example", typ)
		}
		hook := doc.Webhooks[typ].Post
		if hook == nil {
			t.Errorf("webhook %s has no POST", typ)
			continue
		}
		if operationIDs[hook.OperationID] || !strings.HasPrefix(hook.OperationID, "webhook-") {
			t.Errorf("webhook %s: operationId %q is taken or not webhook-...", typ, hook.OperationID)
		}
		operationIDs[hook.OperationID] = true
		var params []string
		for _, p := range hook.Parameters {
			params = append(params, p.Ref)
		}
		wantParams := []string{"#/components/parameters/webhook-id", "#/components/parameters/webhook-timestamp", "#/components/parameters/webhook-signature"}
		if diff := cmp.Diff(wantParams, params); diff != "" {
			t.Errorf("webhook %s: headers (-want +got):\n%s", typ, diff)
		}
		body, ok := hook.RequestBody.Content["application/json"]
		if !ok || !hook.RequestBody.Required {
			t.Errorf("webhook %s: no required JSON body", typ)
			continue
		}
		if e := body.Schema.Properties["event"].Enum; !slices.Equal(e, []string{typ}) {
			t.Errorf("webhook %s: event is one of %v", typ, e)
		}
		wantData := "#/components/schemas/" + ev.Data.Name()
		if got := body.Schema.Properties["data"].Ref; got != wantData {
			t.Errorf("webhook %s: data is %q, want the schema of %s", typ, got, wantData)
		}
		example, err := webhookExample(typ)
		if err != nil {
			t.Fatal(err)
		}
		if got := body.Examples[typ].Value; !jsonEqual(t, got, example) {
			t.Errorf("webhook %s: example\n%s\nwant\n%s", typ, got, example)
		}
		var codes []string
		for code := range hook.Responses {
			codes = append(codes, code)
		}
		if diff := cmp.Diff([]string{"2XX", "410", "default"}, slices.Sorted(slices.Values(codes))); diff != "" {
			t.Errorf("webhook %s: responses (-want +got):\n%s", typ, diff)
		}
	}
}

// TestWebhookExamples: each example is a delivery outreach could send. It
// validates against the webhook's schema; its data decodes into the sdk
// type with no unknown field and encodes back the same (so no field is
// missing either); and the payload builder, given that data and time, sends
// exactly the example.
func TestWebhookExamples(t *testing.T) {
	oapi := newTestServer(t, nil, 0).api.OpenAPI()
	for _, typ := range sdk.EventTypes {
		t.Run(typ, func(t *testing.T) {
			ev := webhookEvents[typ]
			if ev.Data == nil {
				t.Fatalf("event %s is not documented", typ)
			}
			example, err := webhookExample(typ)
			if err != nil {
				t.Fatal(err)
			}
			schema := oapi.Webhooks[typ].Post.RequestBody.Content["application/json"].Schema
			if errs := validate(oapi, schema, example); len(errs) > 0 {
				t.Errorf("the example does not match the schema: %v\n%s", errs, example)
			}

			dec := json.NewDecoder(strings.NewReader(ev.Example))
			dec.DisallowUnknownFields()
			data := reflect.New(ev.Data)
			if err := dec.Decode(data.Interface()); err != nil {
				t.Fatalf("the example's data does not decode into %s: %v", ev.Data, err)
			}
			again, err := json.Marshal(data.Interface())
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, again, []byte(ev.Example)) {
				t.Errorf("the example's data, decoded into %s and encoded again, is\n%s\nnot\n%s", ev.Data, again, ev.Example)
			}

			at, err := time.Parse(time.RFC3339, exampleTimestamp)
			if err != nil {
				t.Fatal(err)
			}
			sent, err := webhook.Payload(store.Event{ID: "e1", Workspace: "w", Type: typ, At: at, Data: again})
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, sent, example) {
				t.Errorf("the payload builder sends\n%s\nfor the example\n%s", sent, example)
			}
		})
	}

	// The checks above catch what they claim to.
	schema := oapi.Webhooks[sdk.EventAccountPaused].Post.RequestBody.Content["application/json"].Schema
	for _, bad := range []string{
		`{"event": "account_paused", "timestamp": "2024-02-28T12:00:00.000Z", "data": {"account_id": "a", "account_handle": "h"}}`,
		`{"event": "account_paused", "timestamp": "2024-02-28T12:00:00.000Z", "data": {"account_id": "a", "account_handle": "h", "reason": "r", "extra": 1}}`,
		`{"event": "new_reply", "timestamp": "2024-02-28T12:00:00.000Z", "data": {"account_id": "a", "account_handle": "h", "reason": "r"}}`,
		`{"event": "account_paused", "timestamp": "yesterday", "data": {"account_id": "a", "account_handle": "h", "reason": "r"}}`,
	} {
		if errs := validate(oapi, schema, []byte(bad)); len(errs) == 0 {
			t.Errorf("the account_paused schema takes %s", bad)
		}
	}
}

// TestReferenceExamples: the reference's three events have its examples,
// to the letter (../shared/api-reference.txt, Webhooks).
func TestReferenceExamples(t *testing.T) {
	reference := map[string]string{
		sdk.EventNewReply: `{
"event": "new_reply",
"timestamp": "2024-02-28T12:00:00.000Z",
"data": {
"conversation_id": "123456789-987654321",
"account_handle": "yourhandle",
"receiver": {
"screen_name": "prospect",
"name": "John Doe",
"profile_image_url": "https://pbs.twimg.com/..."
},
"message": {
"id": "1234567890123456789",
"text": "Hey! I'm interested, let's chat.",
"created_at": "2024-02-28T12:00:00.000Z"
}
}
}`,
		sdk.EventAccountPaused: `{
"event": "account_paused",
"timestamp": "2024-02-28T12:00:00.000Z",
"data": {
"account_id": "550e8400-e29b-41d4-a716-446655440000",
"account_handle": "yourhandle",
"reason": "Session expired or account disconnected"
}
}`,
		sdk.EventLeadsExhausted: `{
"event": "leads_exhausted",
"timestamp": "2024-02-28T12:00:00.000Z",
"data": {
"campaign_id": "camp_abc123",
"campaign_name": "SaaS Founders Outreach",
"account_handle": "yourhandle",
"total_sent": 500
}
}`,
	}
	for typ, want := range reference {
		got, err := webhookExample(typ)
		if err != nil {
			t.Fatal(err)
		}
		// Same fields, values and order: the reference's text, indented.
		var compact bytes.Buffer
		if err := json.Compact(&compact, got); err != nil {
			t.Fatal(err)
		}
		var wantCompact bytes.Buffer
		if err := json.Compact(&wantCompact, []byte(want)); err != nil {
			t.Fatal(err)
		}
		if compact.String() != wantCompact.String() {
			t.Errorf("%s example\n%s\nis not the reference's\n%s", typ, compact.String(), wantCompact.String())
		}
	}
}

// TestWebhookFieldsDescribed: every field of every event's data has a
// description in the document, so a field added to an sdk payload type
// fails here until webhookFieldDocs says what it means.
func TestWebhookFieldsDescribed(t *testing.T) {
	oapi := newTestServer(t, nil, 0).api.OpenAPI()
	reg := oapi.Components.Schemas
	seen := map[string]bool{}
	var check func(ref string)
	check = func(ref string) {
		if seen[ref] {
			return
		}
		seen[ref] = true
		s := reg.SchemaFromRef(ref)
		if s == nil {
			t.Errorf("%s is not in the document", ref)
			return
		}
		if s.Description == "" {
			t.Errorf("%s has no description", ref)
		}
		for name, p := range s.Properties {
			switch {
			case p.Ref != "":
				check(p.Ref)
			case p.Description == "":
				t.Errorf("%s: field %s has no description: add it to webhookFieldDocs", ref, name)
			}
		}
	}
	for _, typ := range sdk.EventTypes {
		data := oapi.Webhooks[typ].Post.RequestBody.Content["application/json"].Schema.Properties["data"]
		if data.Ref == "" {
			t.Errorf("%s: its data has no schema", typ)
			continue
		}
		check(data.Ref)
	}
}

// TestOpenAPI30: the 3.0 document, which has no place for webhooks, moves
// them to x-webhooks, and every reference in both documents resolves.
func TestOpenAPI30(t *testing.T) {
	s := newTestServer(t, nil, 0)
	for _, path := range []string{"/openapi.json", "/openapi-3.0.json"} {
		t.Run(path, func(t *testing.T) {
			rec := s.do(t, "GET", path, "")
			if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/openapi+json" {
				t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
			}
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			hooks := "webhooks"
			if path == "/openapi-3.0.json" {
				if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.0.") {
					t.Errorf("openapi = %q, want 3.0.x", v)
				}
				if _, ok := doc["webhooks"]; ok {
					t.Error("the 3.0 document has webhooks, which 3.0 does not")
				}
				hooks = "x-webhooks"
			}
			m, _ := doc[hooks].(map[string]any)
			if len(m) != len(sdk.EventTypes) {
				t.Errorf("%s has %d events, want %d", hooks, len(m), len(sdk.EventTypes))
			}
			for _, ref := range refs(doc) {
				if resolve(doc, ref) == nil {
					t.Errorf("%s does not resolve", ref)
				}
			}
		})
	}
	rec := s.do(t, "GET", "/openapi-3.0.yaml", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "openapi: 3.0.3") || !strings.Contains(rec.Body.String(), "x-webhooks:") ||
		strings.Contains(rec.Body.String(), "\nwebhooks:") {
		t.Errorf("/openapi-3.0.yaml: status %d, without openapi: 3.0.3 and x-webhooks or with webhooks", rec.Code)
	}
}

// validate returns the errors of body against schema.
func validate(oapi *huma.OpenAPI, schema *huma.Schema, body []byte) []error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []error{err}
	}
	res := &huma.ValidateResult{}
	huma.Validate(oapi.Components.Schemas, schema, huma.NewPathBuffer(nil, 0), huma.ModeWriteToServer, v, res)
	return res.Errors
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

// refs returns every $ref in a decoded document.
func refs(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && k == "$ref" {
				out = append(out, s)
			}
			out = append(out, refs(e)...)
		}
	case []any:
		for _, e := range v {
			out = append(out, refs(e)...)
		}
	}
	return out
}

// resolve returns what a local reference ("#/components/...") points to
// in doc, or nil.
func resolve(doc map[string]any, ref string) any {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = doc
	for _, part := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(part)]
	}
	return cur
}
