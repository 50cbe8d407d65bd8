package config

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// WebhookEvents are the events a webhook can subscribe to, as the hosted
// API names them.
var WebhookEvents = []string{"new_reply", "account_paused", "leads_exhausted"}

// MinWebhookSecret is the shortest signing secret accepted: a shorter one
// can be guessed.
const MinWebhookSecret = 16

// Webhook is a `webhook "NAME" { url events secret }` block: an endpoint
// that receives events.
type Webhook struct {
	Name string
	URL  string
	// Events are the events sent to it, in the order of WebhookEvents;
	// every event by default.
	Events []string
	// Secret signs each delivery (Standard Webhooks); "" sends them
	// unsigned. It is never printed, and sealed when stored.
	Secret    string
	DeclRange hcl.Range
}

var webhookSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "url", Required: true},
		{Name: "events"},
		{Name: "secret"},
	},
}

func (sc *scope) decodeWebhookBlock(block *hcl.Block) (*Webhook, hcl.Diagnostics) {
	w := &Webhook{Name: block.Labels[0], Events: WebhookEvents, DeclRange: block.DefRange}
	diags := checkBlockName(block)
	content, d := block.Body.Content(webhookSchema)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["url"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			u, err := url.Parse(strings.TrimSpace(v))
			switch {
			case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid webhook URL",
					Detail:   fmt.Sprintf("%q is not an http or https URL. Write the endpoint's full address, like \"https://example.com/hooks/outreach\".", v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			case u.User != nil:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Credentials in webhook URL",
					Detail:   "The URL holds a user name or password, which would be shown in plans. Authenticate the endpoint with secret, which signs every delivery, instead.",
					Subject:  attr.Expr.Range().Ptr(),
				})
			default:
				w.URL = u.String()
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
					Detail:   fmt.Sprintf("%s. The events are %s.", bad, strings.Join(WebhookEvents, ", ")),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				w.Events = events
			}
		}
	}
	if attr, ok := content.Attributes["secret"]; ok {
		if v, ok := sc.decodeString(attr, &diags); ok {
			if len(v) < MinWebhookSecret {
				// The value is secret: the detail must not quote it.
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Webhook secret too short",
					Detail:   fmt.Sprintf("The secret has %d characters; use at least %d random ones, preferably from a sensitive variable.", len(v), MinWebhookSecret),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				w.Secret = v
			}
		}
	}
	return w, diags
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
		case indexOf(WebhookEvents, e) < 0:
			return nil, fmt.Sprintf("%q is not an event", e)
		case seen[e]:
			return nil, fmt.Sprintf("%q is listed twice", e)
		}
		seen[e] = true
	}
	for _, e := range WebhookEvents {
		if seen[e] {
			events = append(events, e)
		}
	}
	return events, ""
}
