package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// Before a campaign's first DM to a lead, the account that sends it
// engages with the lead as the campaign asks: it follows them, likes their
// latest post, and comments on that post with text from the AI plugin.
// The steps are stages of the first DM's job, run one after the other
// under the account's lease right before the send, after the send's guard
// (so a held or paused account, a campaign outside its window, a lead on
// the do-not-contact list get no engagement either). Each step is an
// effect of its own, in the send's three steps: mayEngage decides (the
// one place that does), intend commits the step's intent with the job's
// lease, and the outcome (store.Engagement, per lead and step) replaces
// it, with the day's count of the step that its daily cap reads.
//
// Whatever a step's outcome (done, a follow requested, skipped with a
// reason, failed with the error), the DM goes on. Only a failure that
// holds the account (a rate limit, an expired session: heldBy) stops it:
// the job then waits for the hold as a send's would, and the step is tried
// again when it runs. A step with an outcome of the job's account is not
// done again (after a restart, or a hold); a job that failover moved to
// another account engages afresh from it, except that a lead never gets a
// second comment of a campaign once one is, or may be, on X.
//
// An intent of a step left without an outcome (a crash, a stall) is
// resolved before anything else of its account runs (recoverIntent). The
// plugin cannot read follows or likes back, and X takes either again
// without effect, so an in-doubt follow or like is simply left to run
// again with its job. A comment is looked for among the account's own
// recent posts, a reply to the lead's post; if X cannot say, the step
// fails as in doubt: a comment is never posted twice.

// leadPostsRead is how many of the lead's newest posts are read to find
// the one to like and comment on (X's smallest page).
const leadPostsRead = 5

// Bounds on a comment: the AI plugin's time to write it, and its length
// (X's limit on a post).
const (
	commentTimeout   = 30 * time.Second
	maxCommentLength = 280
)

// engaging is a first DM's engagement as it runs: the send's guard, the
// account's session, and the lead's posts once read.
type engaging struct {
	g    guarded
	eng  sdk.Engagement // nil if the network plugin has no engagement
	sess sdk.Session
	// posts are the lead's newest posts, once read.
	posts []sdk.Post
	read  bool
}

// engage runs the engagement steps the campaign asks for before a first
// DM, those not yet settled for the job's account. It reports whether the
// DM may go on: false when the account was held (the job waits) or the
// job is no longer this worker's.
func (e *Engine) engage(ctx context.Context, l *lease, g guarded, net sdk.Network, sess sdk.Session) (bool, error) {
	if g.job.Kind != store.JobDM || !g.camp.Engages() {
		return true, nil
	}
	var past []store.Engagement
	if err := e.view(ctx, func(tx Tx) (err error) {
		past, err = tx.Engagements(g.job.Workspace, g.job.CampaignID, g.job.LeadID)
		return err
	}); err != nil {
		return false, err
	}
	en := &engaging{g: g, sess: sess}
	en.eng, _ = net.(sdk.Engagement)
	for _, step := range store.EngageSteps {
		if !g.camp.Asks(step) || stepSettled(past, step, g.account.ID) {
			continue
		}
		if goOn, err := e.engageStep(ctx, l, en, step); err != nil || !goOn {
			return false, err
		}
	}
	return true, nil
}

// stepSettled reports whether a step needs no more doing from account
// accountID: it has an outcome of that account's, or it is a comment that
// is, or may be, on X already.
func stepSettled(past []store.Engagement, step store.EngageStep, accountID string) bool {
	for _, rec := range past {
		if rec.Step != step {
			continue
		}
		return rec.AccountID == accountID || step == store.EngageComment && (rec.State == store.EngageDone || rec.InDoubt)
	}
	return false
}

// engageAction is the action of each step, as policies name them.
var engageAction = map[store.EngageStep]store.Action{
	store.EngageFollow:  store.ActionFollow,
	store.EngageLike:    store.ActionLike,
	store.EngageComment: store.ActionComment,
}

// mayEngage decides whether the account may take an engagement step
// toward the lead of the send g guards now, and says why not ("" if it
// may). It is the one place where a step is allowed or refused: by the
// campaign's policy, then the account's daily cap; g has already checked
// what stops the DM too (holds, pauses, windows, do-not-contact). A step
// is capped per day of the account's cap time zone, as its DMs are
// (sendSlot).
func mayEngage(tx Tx, g guarded, step store.EngageStep, now time.Time) (string, error) {
	if err := g.camp.Policy.Refusal(engageAction[step]); err != nil {
		return err.Error(), nil
	}
	a := g.account
	limit := a.EngageLimit(step)
	if limit <= 0 {
		return fmt.Sprintf("account @%s's daily_%s_limit is 0", a.Handle, step), nil
	}
	day := schedule.DayOf(now, a.CapLocation()).Key()
	n, err := tx.EngagedOn(a.Workspace, a.ID, step, day)
	if err != nil || n < limit {
		return "", err
	}
	return fmt.Sprintf("daily %s limit reached: account @%s did %d of %d on %s", step, a.Handle, n, limit, day), nil
}

// engageStep runs one step: decide, prepare (the lead's post, the
// comment's text), intend, call the plugin, record the outcome. It
// reports whether the DM may go on.
func (e *Engine) engageStep(ctx context.Context, l *lease, en *engaging, step store.EngageStep) (bool, error) {
	g := en.g
	var why string
	if err := e.view(ctx, func(tx Tx) (err error) {
		why, err = mayEngage(tx, g, step, e.clk.Now())
		return err
	}); err != nil {
		return false, err
	}
	if why == "" && en.eng == nil {
		why = fmt.Sprintf("the network plugin %q cannot %s", g.account.Network, step)
	}
	if why != "" {
		return e.settleStep(ctx, g.account, g.job, nil, skipped(step, why))
	}
	what := store.Intent{Engage: step, RecipientID: g.recipient}
	if step != store.EngageFollow {
		post, err := en.latestPost(ctx)
		switch {
		case ctx.Err() != nil:
			return false, ctx.Err()
		case err != nil:
			err = fmt.Errorf("read the lead's posts: %w", err)
			return e.stepFailed(ctx, g.account, g.job, nil, failed(step, err), err)
		case post.ID == "":
			return e.settleStep(ctx, g.account, g.job, nil, skipped(step, "no posts"))
		}
		what.PostID = post.ID
		if step == store.EngageComment {
			gen, why, err := e.writeComment(ctx, g, post)
			switch {
			case err != nil:
				return false, err
			case why != "":
				return e.settleStep(ctx, g.account, g.job, nil, skipped(step, why))
			}
			what.Text, what.Provenance = gen.Text, provenance(gen)
		}
	}
	in, ok, err := e.intend(ctx, l, g, what)
	if err != nil || !ok {
		return false, err
	}
	rec, err := doStep(ctx, en.eng, en.sess, in)
	if err == nil {
		return e.settleStep(ctx, g.account, g.job, &in, rec)
	}
	switch sdk.KindOf(err) {
	case "", sdk.InDoubt, sdk.Retryable:
		if ctx.Err() != nil {
			return false, ctx.Err() // left for recovery, as a crash would
		}
		if step == store.EngageComment {
			// The comment may or may not be on X: look, never post again.
			return e.resolveComment(ctx, en.eng, en.sess, g.account, g.job, in, err)
		}
		// A follow or a like may have reached X. Either is harmless done
		// twice, but not worth holding up the DM for: it fails, as in doubt.
		rec.InDoubt = true
	}
	rec.State, rec.Reason = store.EngageFailed, err.Error()
	return e.stepFailed(ctx, g.account, g.job, &in, rec, err)
}

// skipped and failed are a step's outcome records.
func skipped(step store.EngageStep, why string) store.Engagement {
	return store.Engagement{Step: step, State: store.EngageSkipped, Reason: why}
}

func failed(step store.EngageStep, cause error) store.Engagement {
	return store.Engagement{Step: step, State: store.EngageFailed, Reason: cause.Error()}
}

// latestPost returns the lead's newest post, read once per run of the
// job; the zero Post if the lead has none.
func (en *engaging) latestPost(ctx context.Context) (sdk.Post, error) {
	if !en.read {
		posts, err := en.eng.UserPosts(ctx, en.sess, en.g.recipient, leadPostsRead)
		if err != nil {
			return sdk.Post{}, err
		}
		en.posts, en.read = posts, true
	}
	if len(en.posts) == 0 {
		return sdk.Post{}, nil
	}
	return en.posts[0], nil
}

// writeComment asks the AI plugin for a comment on the lead's post,
// guided by the campaign's comment template (rendered for the lead). It
// returns the comment, or why there is none: no AI plugin, a failure, a
// text the guardrails refuse (checkGenerated). err is only a stop.
func (e *Engine) writeComment(ctx context.Context, g guarded, post sdk.Post) (gen sdk.Generated, why string, err error) {
	ai, err := e.aiPlugin(ctx)
	if err != nil {
		return gen, "no comment written: " + err.Error(), nil
	}
	cctx, cancel := context.WithTimeout(ctx, commentTimeout)
	defer cancel()
	gen, err = ai.GenerateComment(cctx, sdk.CommentRequest{
		PostText: post.Text, AuthorUsername: g.lead.Username, AuthorName: g.lead.Name, AuthorBio: g.lead.Bio,
		Instructions: message.Render(g.camp.CommentTemplate, g.lead), MaxLength: maxCommentLength,
	})
	switch {
	case ctx.Err() != nil:
		return gen, "", ctx.Err()
	case err != nil:
		e.log.Warn("write a comment: skipping it", "account", g.account.Handle, "lead", g.job.LeadID, "error", err)
		return gen, "the AI plugin could not write a comment: " + err.Error(), nil
	}
	if gen.Text, err = checkGenerated(gen.Text, maxCommentLength); err != nil {
		return gen, "the AI plugin's comment was not posted: " + err.Error(), nil
	}
	return gen, "", nil
}

// doStep calls the plugin for the step an intent names, and returns its
// outcome record if it succeeds.
func doStep(ctx context.Context, eng sdk.Engagement, sess sdk.Session, in store.Intent) (store.Engagement, error) {
	rec := store.Engagement{Step: in.Engage, State: store.EngageDone, PostID: in.PostID}
	switch in.Engage {
	case store.EngageFollow:
		pending, err := eng.Follow(ctx, sess, in.RecipientID)
		if pending {
			rec.State = store.EngageRequested
		}
		return rec, err
	case store.EngageLike:
		return rec, eng.Like(ctx, sess, in.PostID)
	case store.EngageComment:
		p, err := eng.Comment(ctx, sess, in.PostID, in.Text)
		rec.CommentID, rec.Text, rec.Provenance = p.ID, in.Text, in.Provenance
		return rec, err
	}
	return rec, sdk.Errorf(sdk.Permanent, "unknown engagement step %q", in.Engage)
}

// settleStep records a step's outcome (rec), replacing its intent in if
// there is one, in one transaction. It reports whether the DM may go on:
// false if the job is no longer this worker's.
func (e *Engine) settleStep(ctx context.Context, a store.Account, j store.Job, in *store.Intent, rec store.Engagement) (bool, error) {
	var goOn bool
	err := e.update(ctx, func(tx Tx) error {
		now := e.clk.Now()
		cur, ok, err := e.stepJob(tx, j, now)
		if goOn = ok; err != nil || !ok {
			return err
		}
		return putStep(tx, cur, in, rec, now)
	})
	if err == nil && !goOn {
		e.log.Warn("an engagement step's job was taken over; its new owner settles it", "job", j.ID)
	}
	return goOn, err
}

// stepFailed records a step that failed with cause (rec), replacing its
// intent in if there is one; unless the failure is the account's (a rate
// limit, an expired session, an account X refuses or thinks automated):
// then the account is held and the job waits, the step undone, as a
// send's would (heldBy). It reports whether the DM may go on.
func (e *Engine) stepFailed(ctx context.Context, a store.Account, j store.Job, in *store.Intent, rec store.Engagement, cause error) (bool, error) {
	var goOn bool
	err := e.updateReporting(ctx, func(tx Tx) (report, error) {
		now := e.clk.Now()
		cur, ok, err := e.stepJob(tx, j, now)
		if goOn = ok; err != nil || !ok {
			return report{}, err
		}
		if !accountFault(cause) {
			return report{}, putStep(tx, cur, in, rec, now)
		}
		goOn = false
		if in != nil {
			if err := tx.DeleteIntent(in.Workspace, in.JobID); err != nil {
				return report{}, err
			}
		}
		r, _, err := e.heldBy(tx, a, cur, cause, now)
		return r, err
	})
	return goOn, err
}

// accountFault reports whether a failure is the account's, not the lead's
// or the step's: X holds back every action of the account. Only these
// count in the account's health when an engagement step meets them, so
// that a plugin without engagement, or a lead who blocks follows, never
// holds an account that sends fine.
func accountFault(err error) bool {
	switch sdk.KindOf(err) {
	case sdk.RateLimited, sdk.SessionExpired, sdk.AccountBlocked, sdk.Automated:
		return true
	}
	return false
}

// stepJob reads a step's job as it is now, and reports whether it is
// still this worker's to settle: pending, and not leased to another live
// worker (which would then settle the step's intent itself).
func (e *Engine) stepJob(tx Tx, j store.Job, now time.Time) (store.Job, bool, error) {
	cur, err := tx.Job(j.Workspace, j.ID)
	if err != nil {
		return cur, false, err
	}
	return cur, cur.State == store.JobPending && !(cur.Lease.Live(now) && cur.Lease.Owner != e.owner), nil
}

// putStep stores a step's outcome for the job's lead, and ends its intent
// in, if any (endStep). A step that happened on X (done, or a follow
// requested) counts against its daily cap on the day of its intent.
func putStep(tx Tx, j store.Job, in *store.Intent, rec store.Engagement, now time.Time) error {
	at := now
	if in != nil {
		if err := endStep(tx, j, *in); err != nil {
			return err
		}
		at = in.At
	}
	rec.Workspace, rec.CampaignID, rec.LeadID, rec.AccountID, rec.At = j.Workspace, j.CampaignID, j.LeadID, j.AccountID, now
	if err := tx.PutEngagement(rec); err != nil {
		return err
	}
	if rec.State != store.EngageDone && rec.State != store.EngageRequested {
		return nil
	}
	a, err := tx.Account(j.Workspace, j.AccountID)
	if store.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.AddEngagedOn(j.Workspace, j.AccountID, rec.Step, schedule.DayOf(at, a.CapLocation()).Key(), 1)
}

// resolveStep settles a step found in doubt after a crash or a stall. A
// follow or a like is left to run again with its job: X takes either
// again without effect, and no plugin call reads them back. A comment is
// looked for on X (resolveComment).
func (e *Engine) resolveStep(ctx context.Context, net sdk.Network, sess sdk.Session, a store.Account, j store.Job, in store.Intent) error {
	if in.Engage != store.EngageComment {
		return e.dropStep(ctx, j, in)
	}
	eng, ok := net.(sdk.Engagement)
	if !ok {
		return e.parkStep(ctx, a, j, in, fmt.Errorf("the network plugin %q cannot read posts", a.Network))
	}
	_, err := e.resolveComment(ctx, eng, sess, a, j, in, nil)
	return err
}

// resolveComment settles a comment in doubt by reading the account's
// newest posts. A reply to the lead's post is the comment (recorded as
// done), as is a post since the intent (with a minute of clock skew) with
// its text that the plugin does not say is a reply to anything. Another
// such post since the intent cannot be told apart from it (X rewrites
// links; a plugin may not say what a post replies to): the step is parked.
// Otherwise the comment is not on X: after a crash (cause nil) the step
// runs again with its job; after a call that failed with cause, it fails.
// It is never posted twice.
func (e *Engine) resolveComment(ctx context.Context, eng sdk.Engagement, sess sdk.Session, a store.Account, j store.Job, in store.Intent, cause error) (bool, error) {
	posts, err := eng.UserPosts(ctx, sess, sess.UserID, userPostsRead)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		return true, e.parkStep(ctx, a, j, in, err)
	}
	since := in.At.Add(-time.Minute)
	for _, p := range posts {
		if p.InReplyToID == in.PostID || p.InReplyToID == "" && p.Text == in.Text && !p.CreatedAt.Before(since) {
			rec := store.Engagement{Step: in.Engage, State: store.EngageDone, PostID: in.PostID, CommentID: p.ID, Text: p.Text, Provenance: in.Provenance}
			return e.settleStep(ctx, a, j, &in, rec)
		}
	}
	for _, p := range posts {
		if p.InReplyToID == "" && !p.CreatedAt.Before(since) {
			return true, e.parkStep(ctx, a, j, in, fmt.Errorf("X shows a post %s from this account since the intent, with other text", p.ID))
		}
	}
	if cause == nil {
		return true, e.dropStep(ctx, j, in)
	}
	cause = fmt.Errorf("the comment did not reach X: %w", cause)
	rec := failed(in.Engage, cause)
	rec.PostID = in.PostID
	return e.stepFailed(ctx, a, j, &in, rec, cause)
}

// parkStep settles a step in doubt that X cannot be asked about. A follow
// or a like is left to run again with its job (resolveStep); a comment
// fails as in doubt, with the reason, and is never posted again.
func (e *Engine) parkStep(ctx context.Context, a store.Account, j store.Job, in store.Intent, cause error) error {
	if in.Engage != store.EngageComment {
		return e.dropStep(ctx, j, in)
	}
	e.log.Error("comment in doubt; not posted again", "job", j.ID, "post", in.PostID, "error", cause)
	rec := store.Engagement{
		Step: in.Engage, State: store.EngageFailed, InDoubt: true, PostID: in.PostID, Text: in.Text,
		Reason: fmt.Sprintf("comment in doubt, not posted again (check the lead's post %s for it): %v", in.PostID, cause),
	}
	_, err := e.settleStep(ctx, a, j, &in, rec)
	return err
}

// dropStep ends the intent of a step that did not happen, or that is
// safe to do again, without an outcome: the step runs again when the job
// next runs, as decided then.
func (e *Engine) dropStep(ctx context.Context, j store.Job, in store.Intent) error {
	return e.update(ctx, func(tx Tx) error {
		cur, ok, err := e.stepJob(tx, j, e.clk.Now())
		if err != nil || !ok {
			return err
		}
		return endStep(tx, cur, in)
	})
}

// endStep removes a step's intent and gives back the job's lease taken
// with it: the job is free to run on (its send, or its next step) as soon
// as it is ready, not when the lease would have expired, and whoever runs
// it takes the lease again with its next intent.
func endStep(tx Tx, j store.Job, in store.Intent) error {
	if err := tx.DeleteIntent(in.Workspace, in.JobID); err != nil {
		return err
	}
	j.Lease = store.Lease{}
	return tx.PutJob(j)
}
