package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// A scheduled tweet is posted by its job (store.JobTweet), a head of its
// account's queue worked under the account's lease like a send, in the
// same steps: guard, intent, effect, record. It is neither paced nor
// counted against the DM caps, and has no campaign. An intent left
// without an outcome is resolved by reading the account's own recent
// posts on X (resolveTweet), never by posting again blind.
//
// While the account is paused (declared Paused, or a HoldAll in force,
// which is also how rate limits and expired sessions hold it), a due
// tweet stays pending and is posted once the pause lifts, however late:
// a tweet is one post a person asked for, not a stream to thin out. The
// reason it waits is written, once, into its job's LastError.

// userPostsRead is how many of the account's newest posts recovery reads.
const userPostsRead = 50

// tweetWait says why the account cannot post at now ("" if it can) and
// until when (never: until a person acts).
func tweetWait(a store.Account, st store.AccountState, now time.Time) (string, time.Time) {
	if a.Paused {
		return fmt.Sprintf("waiting: account @%s is paused", a.Handle), never
	}
	held, until := heldUntil(st, store.HoldAll, now)
	if !held {
		return "", now
	}
	why := fmt.Sprintf("waiting: account @%s is on hold", a.Handle)
	for _, h := range st.Holds {
		if h.Scope == store.HoldAll && h.InForce(now) && h.Reason != "" {
			why += ": " + h.Reason
			break
		}
	}
	return why, until
}

// tweetReady is headReady for a tweet job: due at its time, unless the
// account waits; a due tweet whose job does not yet say why it waits is
// ready now, so that running it records the reason.
func tweetReady(a store.Account, st store.AccountState, j store.Job, now time.Time) time.Time {
	why, until := tweetWait(a, st, now)
	switch {
	case why == "" || j.DueAt.After(now):
		return j.DueAt
	case j.LastError != why:
		return now
	}
	return until
}

// tweetGuarded is the guard's decision about a tweet job, and what it read.
type tweetGuarded struct {
	verdict verdict
	why     string
	job     store.Job
	tweet   store.ScheduledTweet
	account store.Account
}

// guardTweet decides whether a tweet job may post now.
func (e *Engine) guardTweet(ctx context.Context, j store.Job) (tweetGuarded, error) {
	g := tweetGuarded{job: j}
	err := e.view(ctx, func(tx Tx) error {
		now := e.clk.Now()
		var err error
		if g.job, err = tx.Job(j.Workspace, j.ID); store.IsNotFound(err) || err == nil && g.job.State != store.JobPending {
			g.verdict = settled
			return nil
		} else if err != nil {
			return err
		}
		if g.tweet, err = tx.ScheduledTweet(j.Workspace, j.TweetID); store.IsNotFound(err) {
			g.verdict, g.why = cancel, "the tweet was removed"
			return nil
		} else if err != nil {
			return err
		}
		if g.tweet.Status != store.TweetPending {
			g.verdict, g.why = cancel, fmt.Sprintf("the tweet is %s", g.tweet.Status)
			return nil
		}
		if g.account, err = tx.Account(j.Workspace, j.AccountID); store.IsNotFound(err) {
			g.verdict, g.why = fail, "its account was removed"
			return nil
		} else if err != nil {
			return err
		}
		st, err := tx.AccountState(j.Workspace, j.AccountID)
		if err != nil {
			return err
		}
		if g.job.DueAt.After(now) {
			g.verdict = wait
			return nil
		}
		if g.why, _ = tweetWait(g.account, st, now); g.why != "" {
			g.verdict = wait
		}
		return nil
	})
	return g, err
}

// postTweet runs a tweet job under the account's lease l: guard, intent,
// effect, record. It reports whether it did anything.
func (e *Engine) postTweet(ctx context.Context, l *lease, j store.Job) (bool, error) {
	if found, err := e.leftover(ctx, l, j); found || err != nil {
		return found, err
	}
	g, err := e.guardTweet(ctx, j)
	if err != nil {
		return false, err
	}
	switch g.verdict {
	case settled:
		return false, nil
	case wait:
		if g.why == "" || g.job.LastError == g.why {
			return false, nil
		}
		return true, e.noteWait(ctx, g.job, g.why)
	case cancel:
		return true, e.finish(ctx, g.job, store.JobCancelled, errors.New(g.why))
	case fail:
		return true, e.failTweet(ctx, g, errors.New(g.why))
	}
	net, sess, err := e.connect(ctx, g.account)
	if err != nil {
		return true, e.tweetNotPosted(ctx, g, nil, err)
	}
	eng, ok := net.(sdk.Engagement)
	if !ok {
		return true, e.tweetNotPosted(ctx, g, nil, sdk.Errorf(sdk.Permanent, "the network plugin %q cannot post tweets", g.account.Network))
	}
	in, ok, err := e.intendTweet(ctx, l, g)
	if err != nil || !ok {
		return ok, err
	}
	post, err := eng.PostTweet(ctx, sess, in.Text)
	if err == nil {
		return true, e.recordPosted(ctx, g.account, g.job, post, e.clk.Now())
	}
	switch sdk.KindOf(err) {
	case "", sdk.InDoubt, sdk.Retryable:
		if ctx.Err() != nil {
			return true, ctx.Err() // left for recovery, as a crash would
		}
		// The post may or may not have reached X: ask X, never post again.
		return true, e.resolveTweet(ctx, eng, sess, g.account, g.job, in)
	}
	return true, e.tweetNotPosted(ctx, g, &in, err)
}

// noteWait records in a due tweet job's LastError why it waits.
func (e *Engine) noteWait(ctx context.Context, j store.Job, why string) error {
	return e.update(ctx, func(tx Tx) error {
		cur, err := tx.Job(j.Workspace, j.ID)
		if err != nil || cur.State != store.JobPending {
			return err
		}
		cur.LastError, cur.UpdatedAt = why, e.clk.Now()
		return tx.PutJob(cur)
	})
}

// intendTweet commits the intent of a post, with the job's lease, before
// the plugin is called. It re-reads the tweet: one cancelled meanwhile is
// not posted (CancelTweet, in turn, refuses a tweet with an intent). It
// reports false if the tweet or the account's lease is no longer this
// worker's to post.
func (e *Engine) intendTweet(ctx context.Context, l *lease, g tweetGuarded) (store.Intent, bool, error) {
	var (
		in store.Intent
		ok bool
	)
	err := e.update(ctx, func(tx Tx) error {
		in, ok = store.Intent{}, false
		j, err := tx.Job(g.job.Workspace, g.job.ID)
		if err != nil {
			return err
		}
		t, err := tx.ScheduledTweet(j.Workspace, j.TweetID)
		if err != nil || t.Status != store.TweetPending {
			return err
		}
		st, err := tx.AccountState(j.Workspace, j.AccountID)
		if err != nil {
			return err
		}
		in, ok, err = e.intendWith(tx, j, st, g.account, store.Intent{Text: t.Text}, e.clk.Now(), false)
		return err
	})
	if ok {
		l.setJob(in.JobID)
	}
	return in, ok, err
}

// recordPosted replaces a post's intent with its outcome: the job done,
// the tweet posted with X's id and time, its tweet_posted event; unless
// the job is no longer this engine's. answered stands in for X's time of
// the post if the plugin gives none.
func (e *Engine) recordPosted(ctx context.Context, a store.Account, j store.Job, post sdk.Post, answered time.Time) error {
	at := post.CreatedAt
	if at.IsZero() {
		at = answered
	}
	return e.update(ctx, func(tx Tx) error {
		now := e.clk.Now()
		cur, err := tx.Job(j.Workspace, j.ID)
		if err != nil {
			return err
		}
		if cur.State != store.JobPending || cur.Lease.Owner != e.owner {
			return nil // taken over: its new owner settles it
		}
		if err := tx.DeleteIntent(j.Workspace, j.ID); err != nil {
			return err
		}
		if err := tx.PutJob(finished(cur, store.JobDone, nil, now)); err != nil {
			return err
		}
		if err := service.NoteOutcome(tx, a, store.OutcomeOK); err != nil {
			return err
		}
		_, err = service.TweetPosted(tx, j.Workspace, j.TweetID, a.Handle, post.ID, at, now)
		return err
	})
}

// resolveTweet settles a post in doubt by reading the account's newest
// posts: one with the text, made since the intent (with a minute of clock
// skew), is this post (record it); none since the intent means it was not
// posted (retry). If X cannot say, or shows a post since the intent with
// other text (X rewrites links; a person may have posted), the job is
// parked and the tweet failed: it is never posted twice.
func (e *Engine) resolveTweet(ctx context.Context, eng sdk.Engagement, sess sdk.Session, a store.Account, j store.Job, in store.Intent) error {
	posts, err := eng.UserPosts(ctx, sess, sess.UserID, userPostsRead)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return e.parkTweet(ctx, j, a, in, err)
	}
	since := in.At.Add(-time.Minute)
	for _, p := range posts {
		if p.Text == in.Text && !p.CreatedAt.Before(since) {
			return e.recordPosted(ctx, a, j, p, p.CreatedAt)
		}
	}
	for _, p := range posts {
		if !p.CreatedAt.Before(since) {
			return e.parkTweet(ctx, j, a, in, fmt.Errorf("X shows a post %s from this account since the intent, with other text", p.ID))
		}
	}
	g := tweetGuarded{job: j, account: a}
	return e.updateReporting(ctx, func(tx Tx) (report, error) {
		if err := tx.DeleteIntent(in.Workspace, in.JobID); err != nil {
			return report{}, err
		}
		r, err := e.retry(tx, j, errors.New("the tweet did not reach X; retrying"))
		if err != nil {
			return r, err
		}
		return r, tweetJobSettled(tx, g, e.clk.Now())
	})
}

// tweetNotPosted settles a post a typed error says did not happen (in,
// its intent, if one was written), as a send's (notTaken): account holds
// leave it waiting, permanent errors fail it, the rest is retried; a job
// that fails fails its tweet.
func (e *Engine) tweetNotPosted(ctx context.Context, g tweetGuarded, in *store.Intent, cause error) error {
	return e.updateReporting(ctx, func(tx Tx) (report, error) {
		if in != nil {
			if err := tx.DeleteIntent(in.Workspace, in.JobID); err != nil {
				return report{}, err
			}
		}
		r, err := e.notTaken(tx, guarded{job: g.job, account: g.account}, cause)
		if err != nil {
			return r, err
		}
		return r, tweetJobSettled(tx, g, e.clk.Now())
	})
}

// tweetJobSettled fails the tweet of a job that has just failed for good.
func tweetJobSettled(tx Tx, g tweetGuarded, now time.Time) error {
	j, err := tx.Job(g.job.Workspace, g.job.ID)
	if err != nil || j.State != store.JobFailed {
		return err
	}
	_, err = service.TweetFailed(tx, j.Workspace, j.TweetID, g.account.Handle, j.LastError, now)
	return err
}

// failTweet fails a tweet job that can never post, and its tweet.
func (e *Engine) failTweet(ctx context.Context, g tweetGuarded, cause error) error {
	err := e.update(ctx, func(tx Tx) error {
		now := e.clk.Now()
		if err := tx.PutJob(finished(g.job, store.JobFailed, cause, now)); err != nil {
			return err
		}
		_, err := service.TweetFailed(tx, g.job.Workspace, g.job.TweetID, g.account.Handle, cause.Error(), now)
		return err
	})
	if err == nil {
		e.observe(*failedEvent(g.job, cause))
	}
	return err
}

// parkTweet settles a post X cannot say anything about: the job waits for
// a person (needs_review) and the tweet fails with the reason, so that it
// is never posted twice.
func (e *Engine) parkTweet(ctx context.Context, j store.Job, a store.Account, in store.Intent, cause error) error {
	e.log.Error("post in doubt; parked for review", "job", j.ID, "error", cause)
	why := fmt.Errorf("posting in doubt, not retried (check the account's timeline): %w", cause)
	return e.parkJob(ctx, j, in, cause, why, func(tx Tx, _ store.Job, now time.Time) error {
		_, err := service.TweetFailed(tx, j.Workspace, j.TweetID, a.Handle, why.Error(), now)
		return err
	})
}
