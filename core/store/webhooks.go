package store

import "time"

// KindWebhook is the object kind of webhook endpoints.
const KindWebhook = "webhook"

// Webhook is an endpoint that receives events.
type Webhook struct {
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	// Name is the webhook block's label when config manages it.
	Name   string   `json:"name,omitempty"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	// Secret is the signing secret, sealed (secrets.Sealer); nil when
	// deliveries are unsigned. SecretDigest is its keyed digest.
	Secret       []byte    `json:"secret,omitempty"`
	SecretDigest string    `json:"secret_digest,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// PutWebhook creates or replaces a webhook.
func (t *Tx) PutWebhook(w Webhook) error {
	return putObject(t, w.Workspace, KindWebhook, w.ID, w.Name, w)
}

// Webhook returns a webhook by id.
func (t *Tx) Webhook(ws, id string) (Webhook, error) {
	return objectByID[Webhook](t, ws, KindWebhook, id)
}

// WebhookByName returns a config-managed webhook by its block name.
func (t *Tx) WebhookByName(ws, name string) (Webhook, error) {
	return objectByName[Webhook](t, ws, KindWebhook, name)
}

// Webhooks lists the workspace's webhooks, oldest first.
func (t *Tx) Webhooks(ws string) ([]Webhook, error) {
	return objects(t, ws, KindWebhook, func(w *Webhook) time.Time { return w.CreatedAt })
}

// DeleteWebhook removes a webhook.
func (t *Tx) DeleteWebhook(w Webhook) error {
	return deleteObject(t, w.Workspace, KindWebhook, w.ID, w.Name)
}
