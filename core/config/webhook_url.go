package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/outreachhq/outreach/core/webhook"
)

// WebhookProblem is what is wrong with a webhook's URL or secret: a short
// Summary and a Detail sentence that says what to do. Neither ever holds a
// secret. The configuration reports it as a diagnostic, the API as the
// field's validation error.
type WebhookProblem struct {
	Summary, Detail string
}

func (p *WebhookProblem) Error() string { return p.Detail }

// WebhookURL is an endpoint's URL that CheckWebhookURL accepted.
type WebhookURL struct {
	// URL is the URL as stored: trimmed, parsed and written back.
	URL string
	// Internal says why the delivery guard (core/webhook) refuses the
	// URL's host, a literal loopback, private, link-local or reserved
	// address or localhost: "127.0.0.1 is loopback". It is "" for a
	// public address or a host name, which the guard checks where it
	// resolves, at each delivery. An internal URL is accepted because a
	// server may be run with --allow-private-webhooks (local development).
	Internal string
}

// CheckWebhookURL checks a webhook endpoint's URL as the configuration and
// the API both take it: http or https, a host, no credentials (plans and
// lists would show them; the signature authenticates instead), and an
// address written the one way people read it. An IPv4 address spelled as
// one number or with octal or hex parts ("2130706433", "0x7f.1",
// "0177.0.0.1"), which resolvers take as an address, is refused outright:
// it hides where a delivery goes. The error is a *WebhookProblem.
func CheckWebhookURL(raw string) (WebhookURL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err == nil && u.User != nil {
		// The URL holds a password: never quote it.
		return WebhookURL{}, &WebhookProblem{
			Summary: "Credentials in webhook URL",
			Detail:  "The url holds a user name or password, which would be shown in plans and lists. Remove them and authenticate the endpoint with secret, which signs every delivery, instead.",
		}
	}
	if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
		shown := fmt.Sprintf(" %q", raw)
		if strings.Contains(raw, "@") {
			shown = "" // it may hold a password that did not parse
		}
		return WebhookURL{}, &WebhookProblem{
			Summary: "Invalid webhook URL",
			Detail:  fmt.Sprintf("The url%s is not an http or https URL with a host. Write the endpoint's full address, like \"https://example.com/hooks/outreach\".", shown),
		}
	}
	host := u.Hostname()
	if numericHost(host) {
		return WebhookURL{}, &WebhookProblem{
			Summary: "Webhook URL host spelled as a number",
			Detail: fmt.Sprintf("The url's host %q is an IPv4 address written as a number or with octal or hex parts, which hides where deliveries go. "+
				"Write an address as four decimal numbers, like 203.0.113.7, or use a host name.", host),
		}
	}
	return WebhookURL{URL: u.String(), Internal: internalHost(host)}, nil
}

// numericHost reports whether host is an IPv4 address in a spelling other
// than four plain decimal numbers that inet_aton (and so resolvers and
// browsers) still reads as an address: one number, or parts in octal or
// hex, as the delivery guard reads them.
func numericHost(host string) bool {
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return false
	}
	_, ok := webhook.HostAddr(host)
	return ok
}

// internalHost says why the delivery guard refuses host, if it is a
// literal address it refuses or localhost; "" otherwise.
func internalHost(host string) string {
	lower := strings.ToLower(strings.TrimSuffix(host, "."))
	if lower == "localhost" || strings.HasSuffix(lower, ".localhost") {
		return host + " is loopback"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return "" // a name: checked where it resolves, at each delivery
	}
	if err := webhook.Check(ip); err != nil {
		return strings.TrimSuffix(err.Error(), ": "+webhook.ErrRefused.Error())
	}
	return ""
}

// privateWebhookWarning is the warning for a webhook whose URL the
// delivery guard refuses unless private addresses are allowed.
func privateWebhookWarning(name, internal string) string {
	return fmt.Sprintf("Webhook %q sends to a host that is not public (%s), so the server's guard refuses to deliver there "+
		"unless settings { allow_private_webhooks = true } or `outreach serve --allow-private-webhooks` allows it. "+
		"That is for local development; give a public address otherwise.", name, internal)
}
