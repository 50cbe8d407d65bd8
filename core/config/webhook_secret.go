package config

import (
	"encoding/base64"
	"fmt"
	"strings"

	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// MakeWebhookSecret is a shell command that prints a new webhook secret,
// for messages that ask for one.
const MakeWebhookSecret = `printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)"`

// CheckWebhookSecret checks that secret is a Standard Webhooks secret, as
// sdk/webhook.ParseSecret reads it: "whsec_" followed by the base64 of 24
// to 64 random bytes. The prefix is required, though ParseSecret takes
// bare base64 too, so that a password pasted in by mistake is caught. The
// error, a *WebhookProblem, never quotes the secret.
func CheckWebhookSecret(secret string) error {
	how := fmt.Sprintf("A Standard Webhooks secret is %q followed by the base64 of %d to %d random bytes; make one with %s and keep it in a sensitive variable.",
		sdkwebhook.SecretPrefix, sdkwebhook.MinKeyBytes, sdkwebhook.MaxKeyBytes, MakeWebhookSecret)
	if !strings.HasPrefix(secret, sdkwebhook.SecretPrefix) {
		return &WebhookProblem{
			Summary: "Invalid webhook secret",
			Detail:  fmt.Sprintf("The secret does not start with %q. %s", sdkwebhook.SecretPrefix, how),
		}
	}
	if _, err := sdkwebhook.ParseSecret(secret); err != nil {
		reason := fmt.Sprintf("After %q, the secret is not base64.", sdkwebhook.SecretPrefix)
		if key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, sdkwebhook.SecretPrefix)); err == nil {
			reason = fmt.Sprintf("The secret's key is %d bytes long.", len(key))
		}
		return &WebhookProblem{Summary: "Invalid webhook secret", Detail: reason + " " + how}
	}
	return nil
}
