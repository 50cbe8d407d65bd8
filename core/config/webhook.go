package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/outreachhq/outreach/core/webhook"
	"github.com/outreachhq/outreach/sdk"
)

// Webhook delivery bounds: how many times a failed delivery may be tried
// again, and the wait before the first retry (each next one is longer).
const (
	DefaultWebhookRetries = webhook.DefaultRetries
	DefaultWebhookBackoff = webhook.DefaultBackoff
	MaxWebhookRetries     = 10
	MinWebhookBackoff     = time.Second
	MaxWebhookBackoff     = time.Hour
)

// Webhook is a `webhook "NAME" { url events secret retries backoff }`
// block: an endpoint that receives events.
type Webhook struct {
	Name string
	URL  string
	// Events are the events sent to it, in the order of sdk.EventTypes;
	// every event by default.
	Events []string
	// Secret signs each delivery (Standard Webhooks: "whsec_" and base64);
	// "" sends them unsigned. It is never printed, and sealed when stored.
	Secret string
	// Retries is how many times a failed delivery is tried again, 0 to
	// MaxWebhookRetries (0: never); Backoff the wait before the first
	// retry.
	Retries   int
	Backoff   time.Duration
	DeclRange hcl.Range
}

var webhookSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "url", Required: true},
		{Name: "events"},
		{Name: "secret"},
		{Name: "retries"},
		{Name: "backoff"},
	},
}

// decodeWebhookBlock decodes a webhook block. allowPrivate is the
// settings' allow_private_webhooks: without it, a URL the delivery guard
// refuses is warned about.
func (sc *scope) decodeWebhookBlock(block *hcl.Block, allowPrivate bool) (*Webhook, hcl.Diagnostics) {
	w := &Webhook{
		Name: block.Labels[0], Events: slices.Clone(sdk.EventTypes),
		Retries: DefaultWebhookRetries, Backoff: DefaultWebhookBackoff, DeclRange: block.DefRange,
	}
	diags := checkBlockName(block)
	content, d := block.Body.Content(webhookSchema)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["url"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			u, err := CheckWebhookURL(v)
			switch {
			case err != nil:
				diags = append(diags, webhookDiagnostic(err, attr))
			case u.Internal != "" && !allowPrivate:
				w.URL = u.URL
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagWarning,
					Summary:  "Webhook to a private address",
					Detail:   privateWebhookWarning(w.Name, u.Internal),
					Subject:  attr.Expr.Range().Ptr(),
				})
			default:
				w.URL = u.URL
			}
		}
	}
	if attr, ok := content.Attributes["events"]; ok {
		if list, ok := sc.decodeStringList(attr, &diags); ok {
			events, bad := webhookEvents(list)
			if bad != "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid webhook events",
					Detail:   fmt.Sprintf("%s. The events are %s.", bad, strings.Join(sdk.EventTypes, ", ")),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				w.Events = events
			}
		}
	}
	secretAttr, hasSecret := content.Attributes["secret"]
	if hasSecret {
		if v, ok := sc.decodeString(secretAttr, &diags); ok {
			if err := CheckWebhookSecret(v); err != nil {
				diags = append(diags, webhookDiagnostic(err, secretAttr))
			} else {
				w.Secret = v
			}
		}
	} else {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Unsigned webhook",
			Detail: fmt.Sprintf("Webhook %q has no secret, so its deliveries are unsigned and its receiver cannot tell them from forged ones. "+
				"Add secret = var.NAME, a Standard Webhooks secret made with %s, and verify deliveries with it.", w.Name, MakeWebhookSecret),
			Subject: block.DefRange.Ptr(),
		})
	}
	if attr, ok := content.Attributes["retries"]; ok {
		if v, ok := sc.decodeInt(attr, &diags); ok {
			if v < 0 || v > MaxWebhookRetries {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid webhook retries",
					Detail: fmt.Sprintf("retries is %d, but it must be between 0 and %d: how many times a failed delivery is tried again (0: never; the default is %d).",
						v, MaxWebhookRetries, webhook.DefaultRetries),
					Subject: attr.Expr.Range().Ptr(),
				})
			} else {
				w.Retries = v
			}
		}
	}
	if attr, ok := content.Attributes["backoff"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			d, err := time.ParseDuration(v)
			if err != nil || d < MinWebhookBackoff || d > MaxWebhookBackoff {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid webhook backoff",
					Detail: fmt.Sprintf("backoff is %q, but it must be a duration between %s and %s, like \"30s\" or \"2m\": the wait before a failed delivery's first retry (the default is %s).",
						v, formatDuration(MinWebhookBackoff), formatDuration(MaxWebhookBackoff), formatDuration(webhook.DefaultBackoff)),
					Subject: attr.Expr.Range().Ptr(),
				})
			} else {
				w.Backoff = d
			}
		}
	}
	return w, diags
}

// webhookDiagnostic is the error diagnostic of a webhook's URL or secret.
func webhookDiagnostic(err error, attr *hcl.Attribute) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid webhook " + attr.Name, Detail: err.Error(), Subject: attr.Expr.Range().Ptr()}
	var p *WebhookProblem
	if errors.As(err, &p) {
		d.Summary = p.Summary
	}
	return d
}

// webhookEvents checks a list of event names and puts it in canonical
// order; bad says what is wrong, or is "".
func webhookEvents(list []string) (events []string, bad string) {
	if len(list) == 0 {
		return nil, "The list of events is empty, so the webhook would receive nothing"
	}
	seen := map[string]bool{}
	for _, e := range list {
		switch {
		case indexOf(sdk.EventTypes, e) < 0:
			return nil, fmt.Sprintf("%q is not an event", e)
		case seen[e]:
			return nil, fmt.Sprintf("%q is listed twice", e)
		}
		seen[e] = true
	}
	for _, e := range sdk.EventTypes {
		if seen[e] {
			events = append(events, e)
		}
	}
	return events, ""
}
