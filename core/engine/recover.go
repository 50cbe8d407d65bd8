package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// sweep finds the intents whose lease has expired: their worker died (or
// stalled past its lease) between the intent and the outcome. Each is
// resolved by the next worker of its account, before that worker sends
// anything. It reports whether it found any.
func (e *Engine) sweep(ctx context.Context, now time.Time) (bool, error) {
	var intents []store.Intent
	if err := e.view(ctx, func(tx Tx) (err error) {
		intents, err = tx.ExpiredIntents(now, 256)
		return err
	}); err != nil {
		return false, err
	}
	found := map[unitKey][]store.Intent{}
	for _, in := range intents {
		k := unitKey{ws: in.Workspace, account: in.AccountID}
		found[k] = append(found[k], in)
	}
	e.mu.Lock()
	e.inDoubt = found
	e.mu.Unlock()
	return len(found) > 0, nil
}

// inDoubtAccounts are the accounts the last sweep found sends in doubt of.
func (e *Engine) inDoubtAccounts() map[unitKey]bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[unitKey]bool, len(e.inDoubt))
	for k := range e.inDoubt {
		out[k] = true
	}
	return out
}

func (e *Engine) hasInDoubt(k unitKey) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.inDoubt[k]) > 0
}

func (e *Engine) takeInDoubt(k unitKey) []store.Intent {
	e.mu.Lock()
	defer e.mu.Unlock()
	in := e.inDoubt[k]
	delete(e.inDoubt, k)
	return in
}

// Recover resolves every intent whose lease has expired, account by
// account under each account's lease, before any new work runs. An intent
// of an account another live engine works is left to that engine.
func (e *Engine) Recover(ctx context.Context) (err error) {
	e.asActor(func() { err = e.recover(ctx) })
	return err
}

func (e *Engine) recover(ctx context.Context) error {
	if _, err := e.sweep(ctx, e.clk.Now()); err != nil {
		return err
	}
	e.mu.Lock()
	keys := make([]unitKey, 0, len(e.inDoubt))
	for k := range e.inDoubt {
		keys = append(keys, k)
	}
	e.mu.Unlock()
	slices.SortFunc(keys, func(a, b unitKey) int {
		return cmp.Or(strings.Compare(a.ws, b.ws), strings.Compare(a.account, b.account))
	})
	for _, k := range keys {
		if _, err := e.workAccount(ctx, k, true); err != nil {
			return fmt.Errorf("recover the sends in doubt of %s: %w", k, err)
		}
	}
	return nil
}

// recoverIntent settles an intent found without an outcome, under the
// account's lease l.
func (e *Engine) recoverIntent(ctx context.Context, l *lease, in store.Intent) error {
	var (
		j               store.Job
		a               store.Account
		jobErr, acctErr error
		stillInDoubt    bool
	)
	if err := e.view(ctx, func(tx Tx) error {
		cur, err := tx.Intent(in.Workspace, in.JobID)
		if store.IsNotFound(err) {
			return nil // settled meanwhile
		}
		if err != nil {
			return err
		}
		// An intent of a live lease is a send in flight elsewhere: never
		// resolve, or repeat, it.
		stillInDoubt = !cur.Lease.Live(e.clk.Now()) || cur.Lease.Owner == e.owner
		in = cur
		j, jobErr = tx.Job(in.Workspace, in.JobID)
		a, acctErr = tx.Account(in.Workspace, in.AccountID)
		return nil
	}); err != nil || !stillInDoubt {
		return err
	}
	switch {
	case store.IsNotFound(jobErr) || jobErr == nil && j.State != store.JobPending:
		// Nothing waits on the outcome any more.
		e.log.Warn("dropping the intent of a job that is gone or settled", "job", in.JobID)
		return e.update(ctx, func(tx Tx) error { return tx.DeleteIntent(in.Workspace, in.JobID) })
	case jobErr != nil:
		return jobErr
	case store.IsNotFound(acctErr):
		a = store.Account{ID: in.AccountID, Workspace: in.Workspace}
		return e.parkIntent(ctx, j, a, in, errors.New("its account was removed, so X cannot be asked"))
	case acctErr != nil:
		return acctErr
	}
	// Take the job over from the dead worker, so that its outcome is ours
	// to record.
	if err := e.update(ctx, func(tx Tx) error {
		g := e.grant(e.clk.Now())
		j.Lease, in.Lease = g, g
		if err := tx.PutJob(j); err != nil {
			return err
		}
		return tx.PutIntent(in)
	}); err != nil {
		return err
	}
	l.setJob(j.ID)
	defer l.setJob("")
	net, sess, err := e.connect(ctx, a)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return e.parkIntent(ctx, j, a, in, err)
	}
	switch {
	case in.Engage != "":
		return e.resolveStep(ctx, net, sess, a, j, in)
	case in.Kind != store.JobTweet:
		return e.resolve(ctx, net, sess, a, j, in)
	}
	eng, ok := net.(sdk.Engagement)
	if !ok {
		return e.parkTweet(ctx, j, a, in, fmt.Errorf("the network plugin %q cannot read posts", a.Network))
	}
	return e.resolveTweet(ctx, eng, sess, a, j, in)
}

// parkIntent parks an effect in doubt that X cannot be asked about: a
// send (park), a post (parkTweet) or an engagement step (parkStep).
func (e *Engine) parkIntent(ctx context.Context, j store.Job, a store.Account, in store.Intent, cause error) error {
	switch {
	case in.Engage != "":
		return e.parkStep(ctx, a, j, in, cause)
	case in.Kind == store.JobTweet:
		return e.parkTweet(ctx, j, a, in, cause)
	}
	return e.park(ctx, j, in, cause)
}

// resolve settles a send in doubt by reading the conversation on X: the DM
// is there (record it as sent), it is not (retry it), or X cannot say (park
// the job for a person: a lead is never sent a first DM twice).
func (e *Engine) resolve(ctx context.Context, net sdk.Network, sess sdk.Session, a store.Account, j store.Job, in store.Intent) error {
	events, err := net.ConversationEvents(ctx, sess, in.RecipientID, 50)
	if err != nil && sdk.KindOf(err) != sdk.NotFound {
		if ctx.Err() != nil {
			return ctx.Err() // left for recovery, like a crash
		}
		return e.park(ctx, j, in, err)
	}
	var known []store.Message
	err = e.view(ctx, func(tx Tx) error {
		convs := []string{store.ConversationID(sess.UserID, in.RecipientID)}
		for _, ev := range events {
			if ev.ConversationID != "" && !slices.Contains(convs, ev.ConversationID) {
				convs = append(convs, ev.ConversationID)
			}
		}
		for _, id := range convs {
			msgs, err := tx.Messages(j.Workspace, id)
			if err != nil {
				return err
			}
			known = append(known, msgs...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Only this account's DMs the store does not hold from a send can be
	// this send: those it does not hold at all, and those since the
	// intent that reading the account's DM events recorded (Polled) before
	// recovery came to them. Clocks differ between us and X: allow a
	// minute of skew.
	since := in.At.Add(-time.Minute)
	var unknown []sdk.DMEvent
	for _, ev := range events {
		if ev.SenderID != sess.UserID {
			continue
		}
		i := slices.IndexFunc(known, func(m store.Message) bool { return m.ID == ev.ID })
		if i < 0 || known[i].Polled && !ev.CreatedAt.Before(since) {
			unknown = append(unknown, ev)
		}
	}
	for _, ev := range unknown {
		if ev.Text == in.Text {
			return e.recordSent(ctx, a, store.Lead{}, j, in, sess.UserID, sdk.SentDM{ConversationID: ev.ConversationID, EventID: ev.ID}, ev.CreatedAt)
		}
	}
	for _, ev := range unknown {
		if !ev.CreatedAt.Before(since) {
			// A DM from this account since the intent, in other words: X
			// may have rewritten it (links become t.co links) or a person
			// sent it. It cannot be told apart from this send.
			return e.park(ctx, j, in, fmt.Errorf("X shows a DM %s from this account since the send, with other text", ev.ID))
		}
	}
	return e.notSent(ctx, j, in, errors.New("send did not reach X; retrying"))
}

// park marks a send in doubt as needs_review, keeping the reason, and
// appends a lead_needs_review event.
func (e *Engine) park(ctx context.Context, j store.Job, in store.Intent, cause error) error {
	e.log.Error("send in doubt; parked for review", "job", j.ID, "error", cause)
	why := fmt.Errorf("send in doubt: %w", cause)
	return e.parkJob(ctx, j, in, cause, why, func(tx Tx, cur store.Job, now time.Time) error {
		if err := needsReview(tx, cur, why, now); err != nil {
			return err
		}
		return settle(tx, cur.Workspace, cur.CampaignID, cur.AccountID, now)
	})
}

// parkJob settles an effect in doubt that X cannot tell: the job waits for
// a person (needs_review) with why, its intent goes, and then tells the
// rest of the store, in the same transaction; its Failed event follows.
func (e *Engine) parkJob(ctx context.Context, j store.Job, in store.Intent, cause, why error, then func(tx Tx, cur store.Job, now time.Time) error) error {
	err := e.update(ctx, func(tx Tx) error {
		now := e.clk.Now()
		cur, err := tx.Job(j.Workspace, j.ID)
		if err != nil {
			return err
		}
		if err := tx.PutJob(finished(cur, store.JobNeedsReview, why, now)); err != nil {
			return err
		}
		if err := tx.DeleteIntent(in.Workspace, in.JobID); err != nil {
			return err
		}
		return then(tx, cur, now)
	})
	if err != nil {
		return err
	}
	e.observe(*failedEvent(j, cause))
	return nil
}

// needsReview appends the lead_needs_review event of a parked job.
func needsReview(tx Tx, j store.Job, why error, now time.Time) error {
	d := store.LeadNeedsReviewData{JobID: j.ID, CampaignID: j.CampaignID, Reason: why.Error()}
	if c, err := tx.Campaign(j.Workspace, j.CampaignID); err == nil {
		d.CampaignName = c.Name
	}
	if a, err := tx.Account(j.Workspace, j.AccountID); err == nil {
		d.AccountHandle = a.Handle
	}
	if l, err := tx.Lead(j.Workspace, j.LeadID); err == nil {
		d.Receiver = service.ReceiverOf(l)
	} else {
		d.Receiver.ScreenName = j.LeadID
	}
	return service.AppendEvent(tx, j.Workspace, store.EventLeadNeedsReview, now, d)
}

// notSent settles a send X shows did not happen: the intent goes and the
// job is retried after a backoff, or fails once it has tried enough.
func (e *Engine) notSent(ctx context.Context, j store.Job, in store.Intent, cause error) error {
	return e.updateReporting(ctx, func(tx Tx) (report, error) {
		if err := tx.DeleteIntent(in.Workspace, in.JobID); err != nil {
			return report{}, err
		}
		return e.retry(tx, j, cause)
	})
}
