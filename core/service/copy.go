package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
)

// CopyTx is what copying a whole store reads on one side and writes on the
// other: every record, listed and put back as it was (each method is
// documented in core/store/storetest).
type CopyTx interface {
	Workspaces() ([]string, error)
	PutWorkspace(name string) error

	Accounts(ws string) ([]store.Account, error)
	PutAccount(a store.Account) error
	AccountState(ws, accountID string) (store.AccountState, error)
	PutAccountState(s store.AccountState) error
	SentDays(ws, accountID string) ([]store.DayCount, error)
	AddSentOn(ws, accountID, day string, n int) error
	EngagedDays(ws, accountID string) ([]store.EngageCount, error)
	AddEngagedOn(ws, accountID string, step store.EngageStep, day string, n int) error

	Filters(ws string) ([]store.Filter, error)
	PutFilter(f store.Filter) error
	Sources(ws string) ([]store.Source, error)
	PutSource(s store.Source) error
	Campaigns(ws string) ([]store.Campaign, error)
	PutCampaign(c store.Campaign) error
	Webhooks(ws string) ([]store.Webhook, error)
	PutWebhook(w store.Webhook) error
	ScheduledTweets(ws string) ([]store.ScheduledTweet, error)
	PutScheduledTweet(t store.ScheduledTweet) error
	CustomTags(ws string) ([]store.CustomTag, error)
	PutCustomTag(t store.CustomTag) error

	Lead(ws, userID string) (store.Lead, error)
	LeadsAfter(ws, after string, limit int) ([]store.Lead, error)
	PutLead(l store.Lead) error
	SourceLeadCount(ws, sourceID string) (int, error)
	SourceLeads(ws, sourceID string, from, limit int) ([]string, error)
	AddSourceLead(ws, sourceID string, l store.Lead) (bool, error)
	Contacts(ws string) ([]store.Contact, error)
	MarkContacted(ws, userID, campaignID string) error
	DoNotContacts(ws string) ([]store.DoNotContact, error)
	AddDoNotContact(ws, userID, reason string) error

	Jobs(ws string, q store.JobQuery) ([]store.Job, error)
	PutJob(j store.Job) error
	Intents(ws string) ([]store.Intent, error)
	PutIntent(in store.Intent) error
	Engagements(ws, campaignID, leadID string) ([]store.Engagement, error)
	PutEngagement(e store.Engagement) error

	Conversations(ws string, q store.ConversationQuery) ([]store.Conversation, error)
	PutConversation(c store.Conversation) error
	Messages(ws, conversationID string) ([]store.Message, error)
	AddMessage(m store.Message) (bool, error)

	Events(ws string, afterSeq int64, limit int) ([]store.Event, error)
	PutEvent(e store.Event) error
	EventCursors() (map[string]int64, error)
	SetEventCursor(consumer string, seq int64) error
	Deliveries(ws, webhookID string, limit int) ([]store.Delivery, error)
	PutDelivery(d store.Delivery) error

	APIKeys(ws string) ([]store.APIKey, error)
	PutAPIKey(k store.APIKey) error
}

// CopyCounts says how much a copy moved.
type CopyCounts struct {
	Workspaces, Accounts, Objects, Leads, Jobs, Conversations, Messages, Events int
}

// ErrNotEmpty is what Copy answers for a destination that holds data.
var ErrNotEmpty = errors.New("the destination store is not empty")

// Copy copies everything in one store to another, workspace by workspace:
// accounts and their state, objects, leads, the contacted and
// do-not-contact lists, jobs, intents, engagement outcomes and counts,
// conversations with their CRM cards
// and messages, the outbox with its cursors and deliveries, and API keys.
// Tallies are rebuilt by the destination as the records go in. Secrets
// sealed under fromKey are resealed under toKey, and their digests
// recomputed, when the keys differ.
//
// It reads one snapshot of the source and writes the destination in one
// transaction: a copy that fails leaves the destination as it was. The
// destination must be empty, and no engine may run on either side (the
// caller checks).
func Copy[F, T CopyTx](ctx context.Context, from store.Transactor[F], to store.Transactor[T], fromKey, toKey *secrets.Sealer) (CopyCounts, error) {
	var n CopyCounts
	err := from.View(ctx, func(src F) error {
		return to.Update(ctx, func(dst T) error {
			n = CopyCounts{}
			had, err := dst.Workspaces()
			if err != nil {
				return err
			}
			if len(had) > 0 {
				return fmt.Errorf("%w: it has workspace %q; copy into a new data dir or an empty database", ErrNotEmpty, had[0])
			}
			wss, err := src.Workspaces()
			if err != nil {
				return err
			}
			rs := resealer{from: fromKey, to: toKey}
			for _, ws := range wss {
				if err := copyWorkspace(src, dst, ws, rs, &n); err != nil {
					return fmt.Errorf("workspace %q: %w", ws, err)
				}
			}
			cursors, err := src.EventCursors()
			if err != nil {
				return err
			}
			for consumer, seq := range cursors {
				if err := dst.SetEventCursor(consumer, seq); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return n, err
}

func copyWorkspace(src, dst CopyTx, ws string, rs resealer, n *CopyCounts) error {
	n.Workspaces++
	if err := dst.PutWorkspace(ws); err != nil {
		return err
	}
	steps := []func(src, dst CopyTx, ws string, rs resealer, n *CopyCounts) error{
		copyAccounts, copyObjects, copyLeads, copyJobs, copyConversations, copyOutbox,
	}
	for _, step := range steps {
		if err := step(src, dst, ws, rs, n); err != nil {
			return err
		}
	}
	keys, err := src.APIKeys(ws)
	for _, k := range keys {
		if err := dst.PutAPIKey(k); err != nil {
			return err
		}
	}
	return err
}

func copyAccounts(src, dst CopyTx, ws string, rs resealer, n *CopyCounts) error {
	accounts, err := src.Accounts(ws)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		n.Accounts++
		if err := rs.account(&a); err != nil {
			return err
		}
		if err := dst.PutAccount(a); err != nil {
			return err
		}
		st, err := src.AccountState(ws, a.ID)
		if err != nil {
			return err
		}
		if err := dst.PutAccountState(st); err != nil {
			return err
		}
		days, err := src.SentDays(ws, a.ID)
		if err != nil {
			return err
		}
		for _, d := range days {
			if err := dst.AddSentOn(ws, a.ID, d.Day, d.N); err != nil {
				return err
			}
		}
		engaged, err := src.EngagedDays(ws, a.ID)
		if err != nil {
			return err
		}
		for _, c := range engaged {
			if err := dst.AddEngagedOn(ws, a.ID, c.Step, c.Day, c.N); err != nil {
				return err
			}
		}
	}
	return nil
}

// each puts every record list returns.
func each[R any](list func(string) ([]R, error), ws string, put func(R) error, n *int) error {
	rs, err := list(ws)
	if err != nil {
		return err
	}
	for _, r := range rs {
		*n++
		if err := put(r); err != nil {
			return err
		}
	}
	return nil
}

func copyObjects(src, dst CopyTx, ws string, rs resealer, n *CopyCounts) error {
	return errors.Join(
		each(src.Filters, ws, dst.PutFilter, &n.Objects),
		each(src.Sources, ws, dst.PutSource, &n.Objects),
		each(src.Campaigns, ws, dst.PutCampaign, &n.Objects),
		each(src.Webhooks, ws, func(w store.Webhook) error {
			if err := rs.webhook(&w); err != nil {
				return err
			}
			return dst.PutWebhook(w)
		}, &n.Objects),
		each(src.ScheduledTweets, ws, dst.PutScheduledTweet, &n.Objects),
		each(src.CustomTags, ws, dst.PutCustomTag, &n.Objects),
	)
}

// copyLeads copies each source's leads in the order it kept them, then the
// leads no source keeps any more, and the contacted and do-not-contact
// lists.
func copyLeads(src, dst CopyTx, ws string, _ resealer, n *CopyCounts) error {
	sources, err := src.Sources(ws)
	if err != nil {
		return err
	}
	const page = 1000
	for _, s := range sources {
		for from := 0; ; from += page {
			ids, err := src.SourceLeads(ws, s.ID, from, page)
			if err != nil {
				return err
			}
			for _, id := range ids {
				l, err := src.Lead(ws, id)
				if err != nil {
					return err
				}
				if _, err := dst.AddSourceLead(ws, s.ID, l); err != nil {
					return err
				}
			}
			if len(ids) < page {
				break
			}
		}
	}
	for after := ""; ; {
		leads, err := src.LeadsAfter(ws, after, page)
		if err != nil {
			return err
		}
		for _, l := range leads {
			n.Leads++
			if err := dst.PutLead(l); err != nil {
				return err
			}
			after = l.UserID
		}
		if len(leads) < page {
			break
		}
	}
	var ignored int
	return errors.Join(
		each(src.Contacts, ws, func(c store.Contact) error { return dst.MarkContacted(ws, c.UserID, c.CampaignID) }, &ignored),
		each(src.DoNotContacts, ws, func(d store.DoNotContact) error { return dst.AddDoNotContact(ws, d.UserID, d.Reason) }, &ignored),
	)
}

func copyJobs(src, dst CopyTx, ws string, _ resealer, n *CopyCounts) error {
	jobs, err := src.Jobs(ws, store.JobQuery{})
	if err != nil {
		return err
	}
	for _, j := range jobs {
		n.Jobs++
		if err := dst.PutJob(j); err != nil {
			return err
		}
	}
	var ignored int
	engagements := func(ws string) ([]store.Engagement, error) { return src.Engagements(ws, "", "") }
	return errors.Join(
		each(src.Intents, ws, dst.PutIntent, &ignored),
		each(engagements, ws, dst.PutEngagement, &ignored),
	)
}

func copyConversations(src, dst CopyTx, ws string, _ resealer, n *CopyCounts) error {
	convs, err := src.Conversations(ws, store.ConversationQuery{})
	if err != nil {
		return err
	}
	for _, c := range convs {
		n.Conversations++
		if err := dst.PutConversation(c); err != nil {
			return err
		}
		msgs, err := src.Messages(ws, c.ID)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			n.Messages++
			if _, err := dst.AddMessage(m); err != nil {
				return err
			}
		}
	}
	return nil
}

func copyOutbox(src, dst CopyTx, ws string, _ resealer, n *CopyCounts) error {
	events, err := src.Events(ws, 0, 0)
	if err != nil {
		return err
	}
	for _, e := range events {
		n.Events++
		if err := dst.PutEvent(e); err != nil {
			return err
		}
	}
	hooks, err := src.Webhooks(ws)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		ds, err := src.Deliveries(ws, h.ID, math.MaxInt32)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if err := dst.PutDelivery(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// resealer moves sealed secrets from one key to another.
type resealer struct{ from, to *secrets.Sealer }

func (r resealer) same() bool { return r.from.Check() == r.to.Check() }

// account reseals an account's credentials and recomputes their digests.
func (r resealer) account(a *store.Account) error {
	if len(a.Secrets) == 0 || r.same() {
		return nil
	}
	plain, err := r.from.Open(credentialsPurpose(a.ID), a.Secrets)
	if err != nil {
		return fmt.Errorf("account @%s: open its credentials with the source's key: %w", a.Handle, err)
	}
	var creds Credentials
	if err := json.Unmarshal(plain, &creds); err != nil {
		return fmt.Errorf("account @%s: decode credentials: %w", a.Handle, err)
	}
	a.Secrets = r.to.Seal(credentialsPurpose(a.ID), plain)
	a.SecretDigests = map[string]string{}
	for k, v := range creds {
		a.SecretDigests[k] = r.to.Digest(v)
	}
	return nil
}

// webhook reseals a webhook's signing secret, and the previous one kept
// during a rotation, and recomputes the digest.
func (r resealer) webhook(w *store.Webhook) error {
	if r.same() {
		return nil
	}
	if len(w.Secret) > 0 {
		plain, err := r.from.Open(webhookPurpose(w.ID), w.Secret)
		if err != nil {
			return fmt.Errorf("webhook %s: open its secret with the source's key: %w", w.ID, err)
		}
		w.Secret, w.SecretDigest = r.to.Seal(webhookPurpose(w.ID), plain), r.to.Digest(string(plain))
	}
	if len(w.PreviousSecret) > 0 {
		plain, err := r.from.Open(webhookPurpose(w.ID), w.PreviousSecret)
		if err != nil {
			return fmt.Errorf("webhook %s: open its previous secret with the source's key: %w", w.ID, err)
		}
		w.PreviousSecret = r.to.Seal(webhookPurpose(w.ID), plain)
	}
	return nil
}
