package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// secret32 is a valid Standard Webhooks secret (the base64 of 32 bytes).
const secret32 = "whsec_b3V0cmVhY2ggZXhhbXBsZSBzZWNyZXQ6IDMyIGJ5dGU="

// TestWebhookDiagnostics checks each mistake in a webhook block: one error,
// at the attribute's value, naming the attribute, and never quoting a
// secret.
func TestWebhookDiagnostics(t *testing.T) {
	block := func(attr, value string) string {
		return "webhook \"w\" {\n  url    = \"https://example.com/hook\"\n  secret = \"" + secret32 + "\"\n  " + attr + " = " + value + "\n}\n"
	}
	tests := []struct {
		name, src, summary, field string
		secret                    string // must not appear in any diagnostic
	}{
		{"credentials in url", "webhook \"w\" {\n  url = \"https://me:hunter2@example.com/hook\"\n}\n", "Credentials in webhook URL", "url", "hunter2"},
		{"credentials in a url that does not parse", "webhook \"w\" {\n  url = \"https://me:hunter2@exa mple.com/%zz\"\n}\n", "Invalid webhook URL", "url", "hunter2"},
		{"ftp scheme", "webhook \"w\" {\n  url = \"ftp://example.com/hook\"\n}\n", "Invalid webhook URL", "url", ""},
		{"no scheme", "webhook \"w\" {\n  url = \"example.com/hook\"\n}\n", "Invalid webhook URL", "url", ""},
		{"decimal IPv4", "webhook \"w\" {\n  url = \"http://134744072/hook\"\n}\n", "Webhook URL host spelled as a number", "url", ""},
		{"hex IPv4", "webhook \"w\" {\n  url = \"http://0x7f.1/hook\"\n}\n", "Webhook URL host spelled as a number", "url", ""},
		{"octal IPv4", "webhook \"w\" {\n  url = \"https://0177.0.0.1:8443/hook\"\n}\n", "Webhook URL host spelled as a number", "url", ""},
		{"short IPv4", "webhook \"w\" {\n  url = \"http://8.8.2056/hook\"\n}\n", "Webhook URL host spelled as a number", "url", ""},
		{"secret without whsec_", "webhook \"w\" {\n  url    = \"https://example.com/hook\"\n  secret = \"correct-horse-battery-staple-42\"\n}\n",
			"Invalid webhook secret", "secret", "correct-horse-battery-staple-42"},
		{"secret too short", "webhook \"w\" {\n  url    = \"https://example.com/hook\"\n  secret = \"whsec_c2hvcnQtc2hvcnQtc2hvcnQ=\"\n}\n",
			"Invalid webhook secret", "secret", "c2hvcnQtc2hvcnQtc2hvcnQ="},
		{"secret not base64", "webhook \"w\" {\n  url    = \"https://example.com/hook\"\n  secret = \"whsec_not*base64*at*all*not*base64*at*all\"\n}\n",
			"Invalid webhook secret", "secret", "not*base64"},
		{"unknown event", block("events", `["new_reply", "dm_delivered"]`), "Invalid webhook events", "events", ""},
		{"retries above 10", block("retries", "11"), "Invalid webhook retries", "retries", ""},
		{"negative retries", block("retries", "-1"), "Invalid webhook retries", "retries", ""},
		{"backoff under a second", block("backoff", `"500ms"`), "Invalid webhook backoff", "backoff", ""},
		{"backoff over an hour", block("backoff", `"2h"`), "Invalid webhook backoff", "backoff", ""},
		{"backoff not a duration", block("backoff", `"soon"`), "Invalid webhook backoff", "backoff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := load(t, tt.src)
			errs := errorsOf(diags)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1:\n%s", len(errs), describe(diags))
			}
			d := errs[0]
			if d.Summary != tt.summary {
				t.Errorf("Summary = %q, want %q", d.Summary, tt.summary)
			}
			// The value of the attribute named tt.field, on its line.
			line, col := attrPosition(t, tt.src, tt.field)
			if d.Subject == nil || d.Subject.Filename != testFile || d.Subject.Start.Line != line || d.Subject.Start.Column != col {
				t.Errorf("Subject = %v, want %s:%d:%d", d.Subject, testFile, line, col)
			}
			if text := strings.ToLower(d.Summary + " " + d.Detail); !strings.Contains(text, tt.field) {
				t.Errorf("the diagnostic does not name %s: %q / %q", tt.field, d.Summary, d.Detail)
			}
			for _, d := range diags {
				if tt.secret != "" && strings.Contains(d.Summary+d.Detail, tt.secret) {
					t.Errorf("a diagnostic quotes the secret: %q", d.Detail)
				}
			}
		})
	}
}

// attrPosition returns where the value of attribute name starts in src.
func attrPosition(t *testing.T, src, name string) (line, col int) {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		trimmed := strings.TrimLeft(l, " ")
		if strings.HasPrefix(trimmed, name+" ") {
			return i + 1, strings.Index(l, "= ") + 3
		}
	}
	t.Fatalf("no attribute %s in\n%s", name, src)
	return 0, 0
}

// TestWebhookWarnings checks the warnings a webhook block may get: a URL
// the delivery guard refuses, unless the settings allow private addresses,
// and a webhook without a secret.
func TestWebhookWarnings(t *testing.T) {
	tests := []struct {
		name, src string
		// want are the warnings as "summary line:col"; mention is a word
		// the first one's detail must hold.
		want    []string
		mention string
	}{
		{"loopback", "webhook \"w\" {\n  url    = \"http://127.0.0.1:9000/h\"\n  secret = \"" + secret32 + "\"\n}\n",
			[]string{"Webhook to a private address 2:12"}, "allow_private_webhooks = true"},
		{"localhost", "webhook \"w\" {\n  url    = \"http://localhost:9000/h\"\n  secret = \"" + secret32 + "\"\n}\n",
			[]string{"Webhook to a private address 2:12"}, "--allow-private-webhooks"},
		{"private", "webhook \"w\" {\n  url    = \"https://10.1.2.3/h\"\n  secret = \"" + secret32 + "\"\n}\n",
			[]string{"Webhook to a private address 2:12"}, "10.1.2.3 is private"},
		{"IPv6 loopback", "webhook \"w\" {\n  url    = \"http://[::1]:9000/h\"\n  secret = \"" + secret32 + "\"\n}\n",
			[]string{"Webhook to a private address 2:12"}, "::1 is loopback"},
		{"metadata service", "webhook \"w\" {\n  url    = \"http://169.254.169.254/latest\"\n  secret = \"" + secret32 + "\"\n}\n",
			[]string{"Webhook to a private address 2:12"}, "link-local"},
		{"allowed by settings", "settings {\n  allow_private_webhooks = true\n}\nwebhook \"w\" {\n  url    = \"http://127.0.0.1:9000/h\"\n  secret = \"" + secret32 + "\"\n}\n",
			nil, ""},
		{"public address", "webhook \"w\" {\n  url    = \"https://203.0.114.7/h\"\n  secret = \"" + secret32 + "\"\n}\n",
			nil, ""},
		{"host name", "webhook \"w\" {\n  url    = \"https://hooks.example.com/h\"\n  secret = \"" + secret32 + "\"\n}\n",
			nil, ""},
		{"unsigned", "webhook \"crm\" {\n  url = \"https://example.com/h\"\n}\n",
			[]string{"Unsigned webhook 1:1"}, `Webhook "crm" has no secret`},
		{"unsigned and loopback", "webhook \"w\" {\n  url = \"http://localhost/h\"\n}\n",
			[]string{"Webhook to a private address 2:9", "Unsigned webhook 1:1"}, "localhost is loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := load(t, tt.src)
			if diags.HasErrors() {
				t.Fatalf("errors:\n%s", describe(diags))
			}
			var got []string
			var first *hcl.Diagnostic
			for _, d := range diags {
				if d.Severity != hcl.DiagWarning {
					continue
				}
				if first == nil {
					first = d
				}
				got = append(got, fmt.Sprintf("%s %d:%d", d.Summary, d.Subject.Start.Line, d.Subject.Start.Column))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("warnings = %q, want %q\n%s", got, tt.want, describe(diags))
			}
			if first != nil && !strings.Contains(first.Detail, tt.mention) {
				t.Errorf("detail %q does not say %q", first.Detail, tt.mention)
			}
			if cfg.Webhooks[0].URL == "" {
				t.Error("a warned-about URL was not kept")
			}
		})
	}
}

// TestAllowPrivateWebhooks checks the settings attribute and the helper
// the commands read it through.
func TestAllowPrivateWebhooks(t *testing.T) {
	if cfg := mustLoad(t, "settings {\n  allow_private_webhooks = true\n}\n"); !cfg.AllowPrivateWebhooks() {
		t.Error("allow_private_webhooks = true: AllowPrivateWebhooks() is false")
	}
	if cfg := mustLoad(t, "settings {\n  workers = 2\n}\n"); cfg.AllowPrivateWebhooks() {
		t.Error("no allow_private_webhooks: AllowPrivateWebhooks() is true")
	}
	if (&Config{}).AllowPrivateWebhooks() {
		t.Error("no settings: AllowPrivateWebhooks() is true")
	}
}
