package postgres

import (
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// Filters, sources, campaigns, webhooks, scheduled tweets and custom tags
// share one table, objects, keyed by workspace, kind and id, with the
// address configuration manages each at (indexed) and its CreatedAt (the
// order they are listed in).

const kindTag = "tag"

func putObject(t *Tx, kind, ws, id, address string, created time.Time, v any) error {
	if err := need(kind, ws, id); err != nil {
		return err
	}
	what := named(kind, ws, id)
	body, err := encode(what, v)
	if err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put %s", what), `
		INSERT INTO objects (ws, kind, id, address, created_at, body) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (ws, kind, id) DO UPDATE SET address = excluded.address, created_at = excluded.created_at,
			body = excluded.body`,
		ws, kind, id, address, created, body); err != nil {
		return err
	}
	return nil
}

func getObject[T any](t *Tx, kind, ws, id string) (T, error) {
	return get[T](t, named(kind, ws, id), sqlObject, ws, kind, id)
}

func byAddress[T any](t *Tx, kind, ws, address string) (T, error) {
	return get[T](t, fmt.Sprintf("%s in workspace %q", address, ws), `
		SELECT body FROM objects WHERE ws = $1 AND kind = $2 AND address = $3 AND address <> ''
		ORDER BY id LIMIT 1`, ws, kind, address)
}

// listObjects lists a workspace's objects of a kind by CreatedAt, then ID.
func listObjects[T any](t *Tx, kind, ws string) ([]T, error) {
	return list[T](t, kind+"s", `SELECT body FROM objects WHERE ws = $1 AND kind = $2 ORDER BY created_at, id`, ws, kind)
}

func deleteObject(t *Tx, kind, ws, id string) error {
	if err := t.put(fmt.Sprintf("delete %s", named(kind, ws, id)), `DELETE FROM objects WHERE ws = $1 AND kind = $2 AND id = $3`, ws, kind, id); err != nil {
		return err
	}
	return nil
}

// PutFilter stores a filter.
func (t *Tx) PutFilter(f store.Filter) error {
	return putObject(t, store.KindFilter, f.Workspace, f.ID, f.Address, f.CreatedAt, f)
}

// Filter returns a filter by id.
func (t *Tx) Filter(ws, id string) (store.Filter, error) {
	return getObject[store.Filter](t, store.KindFilter, ws, id)
}

// FilterByAddress finds the filter configuration manages at address.
func (t *Tx) FilterByAddress(ws, address string) (store.Filter, error) {
	return byAddress[store.Filter](t, store.KindFilter, ws, address)
}

// Filters lists a workspace's filters by CreatedAt, then ID.
func (t *Tx) Filters(ws string) ([]store.Filter, error) {
	return listObjects[store.Filter](t, store.KindFilter, ws)
}

// DeleteFilter removes a filter.
func (t *Tx) DeleteFilter(ws, id string) error { return deleteObject(t, store.KindFilter, ws, id) }

// PutSource stores a lead source.
func (t *Tx) PutSource(s store.Source) error {
	return putObject(t, store.KindSource, s.Workspace, s.ID, s.Address, s.CreatedAt, s)
}

// Source returns a lead source by id.
func (t *Tx) Source(ws, id string) (store.Source, error) {
	return getObject[store.Source](t, store.KindSource, ws, id)
}

// SourceByAddress finds the source configuration manages at address.
func (t *Tx) SourceByAddress(ws, address string) (store.Source, error) {
	return byAddress[store.Source](t, store.KindSource, ws, address)
}

// Sources lists a workspace's lead sources by CreatedAt, then ID.
func (t *Tx) Sources(ws string) ([]store.Source, error) {
	return listObjects[store.Source](t, store.KindSource, ws)
}

// DeleteSource removes a lead source (not the leads it kept).
func (t *Tx) DeleteSource(ws, id string) error { return deleteObject(t, store.KindSource, ws, id) }

// PutCampaign stores a campaign.
func (t *Tx) PutCampaign(c store.Campaign) error {
	return putObject(t, store.KindCampaign, c.Workspace, c.ID, c.Address, c.CreatedAt, c)
}

// Campaign returns a campaign by id.
func (t *Tx) Campaign(ws, id string) (store.Campaign, error) {
	return getObject[store.Campaign](t, store.KindCampaign, ws, id)
}

// CampaignByAddress finds the campaign configuration manages at address.
func (t *Tx) CampaignByAddress(ws, address string) (store.Campaign, error) {
	return byAddress[store.Campaign](t, store.KindCampaign, ws, address)
}

// Campaigns lists a workspace's campaigns by CreatedAt, then ID.
func (t *Tx) Campaigns(ws string) ([]store.Campaign, error) {
	return listObjects[store.Campaign](t, store.KindCampaign, ws)
}

// DeleteCampaign removes a campaign (not its jobs).
func (t *Tx) DeleteCampaign(ws, id string) error { return deleteObject(t, store.KindCampaign, ws, id) }

// PutWebhook stores a webhook endpoint.
func (t *Tx) PutWebhook(w store.Webhook) error {
	return putObject(t, store.KindWebhook, w.Workspace, w.ID, w.Address, w.CreatedAt, w)
}

// Webhook returns a webhook endpoint by id.
func (t *Tx) Webhook(ws, id string) (store.Webhook, error) {
	return getObject[store.Webhook](t, store.KindWebhook, ws, id)
}

// WebhookByAddress finds the webhook configuration manages at address.
func (t *Tx) WebhookByAddress(ws, address string) (store.Webhook, error) {
	return byAddress[store.Webhook](t, store.KindWebhook, ws, address)
}

// Webhooks lists a workspace's webhook endpoints by CreatedAt, then ID.
func (t *Tx) Webhooks(ws string) ([]store.Webhook, error) {
	return listObjects[store.Webhook](t, store.KindWebhook, ws)
}

// DeleteWebhook removes a webhook endpoint (not its deliveries).
func (t *Tx) DeleteWebhook(ws, id string) error { return deleteObject(t, store.KindWebhook, ws, id) }

// PutScheduledTweet stores a scheduled tweet.
func (t *Tx) PutScheduledTweet(s store.ScheduledTweet) error {
	return putObject(t, store.KindTweet, s.Workspace, s.ID, s.Address, s.CreatedAt, s)
}

// ScheduledTweet returns a scheduled tweet by id.
func (t *Tx) ScheduledTweet(ws, id string) (store.ScheduledTweet, error) {
	return getObject[store.ScheduledTweet](t, store.KindTweet, ws, id)
}

// ScheduledTweetByAddress finds the scheduled tweet configuration manages
// at address.
func (t *Tx) ScheduledTweetByAddress(ws, address string) (store.ScheduledTweet, error) {
	return byAddress[store.ScheduledTweet](t, store.KindTweet, ws, address)
}

// ScheduledTweets lists a workspace's scheduled tweets by CreatedAt, then
// ID.
func (t *Tx) ScheduledTweets(ws string) ([]store.ScheduledTweet, error) {
	return listObjects[store.ScheduledTweet](t, store.KindTweet, ws)
}

// DeleteScheduledTweet removes a scheduled tweet.
func (t *Tx) DeleteScheduledTweet(ws, id string) error {
	return deleteObject(t, store.KindTweet, ws, id)
}

// PutCustomTag stores a custom CRM tag.
func (t *Tx) PutCustomTag(c store.CustomTag) error {
	return putObject(t, kindTag, c.Workspace, c.ID, "", c.CreatedAt, c)
}

// CustomTags lists a workspace's custom tags by CreatedAt, then ID.
func (t *Tx) CustomTags(ws string) ([]store.CustomTag, error) {
	return listObjects[store.CustomTag](t, kindTag, ws)
}

// DeleteCustomTag removes a custom tag (conversations keep its key).
func (t *Tx) DeleteCustomTag(ws, id string) error { return deleteObject(t, kindTag, ws, id) }
