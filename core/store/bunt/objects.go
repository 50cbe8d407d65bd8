package bunt

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// Objects of each kind live under (workspace, kind, id); those that
// configuration manages are indexed by address under (workspace, "addr",
// kind, address), the value naming the id.

func objectKey(kind, ws, id string) string { return wsKey(ws, kind, id) }

func addressKey(kind, ws, address string) string { return wsKey(ws, "addr", kind, address) }

const kindTag = "tag"

// moveAddress moves a record's address index from old to new.
func (t *Tx) moveAddress(kind, ws, id, old, new string) error {
	if old == new {
		return nil
	}
	if old != "" {
		if err := t.dropIndex(addressKey(kind, ws, old), id); err != nil {
			return err
		}
	}
	if new != "" {
		return t.set(addressKey(kind, ws, new), id)
	}
	return nil
}

// addressed is the part of every object record the address index needs.
type addressed struct {
	Address string `json:"address"`
}

func putObject(t *Tx, kind, ws, id, address string, v any) error {
	if err := need(kind, ws, id); err != nil {
		return err
	}
	var old addressed
	if _, err := t.find(objectKey(kind, ws, id), &old); err != nil {
		return err
	}
	if err := t.moveAddress(kind, ws, id, old.Address, address); err != nil {
		return err
	}
	return t.put(objectKey(kind, ws, id), v)
}

func getObject[T any](t *Tx, kind, ws, id string) (T, error) {
	var v T
	err := t.get(objectKey(kind, ws, id), &v)
	return v, err
}

func byAddress[T any](t *Tx, kind, ws, address string) (T, error) {
	var v T
	id, ok, err := t.raw(addressKey(kind, ws, address))
	switch {
	case err != nil:
		return v, err
	case !ok || address == "":
		return v, fmt.Errorf("%s in workspace %q: %w", address, ws, store.ErrNotFound)
	}
	return getObject[T](t, kind, ws, id)
}

// listObjects lists a workspace's objects of a kind by CreatedAt, then ID.
func listObjects[T any](t *Tx, kind, ws string, order func(T) (time.Time, string)) ([]T, error) {
	out, err := list[T](t, wsPrefix(ws, kind))
	slices.SortStableFunc(out, func(a, b T) int {
		ta, ia := order(a)
		tb, ib := order(b)
		return cmp.Or(ta.Compare(tb), cmp.Compare(ia, ib))
	})
	return out, err
}

func deleteObject(t *Tx, kind, ws, id string) error {
	var old addressed
	if _, err := t.find(objectKey(kind, ws, id), &old); err != nil {
		return err
	}
	if err := t.moveAddress(kind, ws, id, old.Address, ""); err != nil {
		return err
	}
	return t.del(objectKey(kind, ws, id))
}

// PutFilter stores a filter.
func (t *Tx) PutFilter(f store.Filter) error {
	return putObject(t, store.KindFilter, f.Workspace, f.ID, f.Address, f)
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
	return listObjects(t, store.KindFilter, ws, func(f store.Filter) (time.Time, string) { return f.CreatedAt, f.ID })
}

// DeleteFilter removes a filter.
func (t *Tx) DeleteFilter(ws, id string) error { return deleteObject(t, store.KindFilter, ws, id) }

// PutSource stores a lead source.
func (t *Tx) PutSource(s store.Source) error {
	return putObject(t, store.KindSource, s.Workspace, s.ID, s.Address, s)
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
	return listObjects(t, store.KindSource, ws, func(s store.Source) (time.Time, string) { return s.CreatedAt, s.ID })
}

// DeleteSource removes a lead source (not the leads it kept).
func (t *Tx) DeleteSource(ws, id string) error { return deleteObject(t, store.KindSource, ws, id) }

// PutCampaign stores a campaign.
func (t *Tx) PutCampaign(c store.Campaign) error {
	return putObject(t, store.KindCampaign, c.Workspace, c.ID, c.Address, c)
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
	return listObjects(t, store.KindCampaign, ws, func(c store.Campaign) (time.Time, string) { return c.CreatedAt, c.ID })
}

// DeleteCampaign removes a campaign (not its jobs).
func (t *Tx) DeleteCampaign(ws, id string) error { return deleteObject(t, store.KindCampaign, ws, id) }

// PutWebhook stores a webhook endpoint.
func (t *Tx) PutWebhook(w store.Webhook) error {
	return putObject(t, store.KindWebhook, w.Workspace, w.ID, w.Address, w)
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
	return listObjects(t, store.KindWebhook, ws, func(w store.Webhook) (time.Time, string) { return w.CreatedAt, w.ID })
}

// DeleteWebhook removes a webhook endpoint (not its deliveries).
func (t *Tx) DeleteWebhook(ws, id string) error { return deleteObject(t, store.KindWebhook, ws, id) }

// PutScheduledTweet stores a scheduled tweet.
func (t *Tx) PutScheduledTweet(s store.ScheduledTweet) error {
	return putObject(t, store.KindTweet, s.Workspace, s.ID, s.Address, s)
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
	return listObjects(t, store.KindTweet, ws, func(s store.ScheduledTweet) (time.Time, string) { return s.CreatedAt, s.ID })
}

// DeleteScheduledTweet removes a scheduled tweet.
func (t *Tx) DeleteScheduledTweet(ws, id string) error {
	return deleteObject(t, store.KindTweet, ws, id)
}

// PutCustomTag stores a custom CRM tag.
func (t *Tx) PutCustomTag(c store.CustomTag) error {
	return putObject(t, kindTag, c.Workspace, c.ID, "", c)
}

// CustomTags lists a workspace's custom tags by CreatedAt, then ID.
func (t *Tx) CustomTags(ws string) ([]store.CustomTag, error) {
	return listObjects(t, kindTag, ws, func(c store.CustomTag) (time.Time, string) { return c.CreatedAt, c.ID })
}

// DeleteCustomTag removes a custom tag (conversations keep its key).
func (t *Tx) DeleteCustomTag(ws, id string) error { return deleteObject(t, kindTag, ws, id) }
