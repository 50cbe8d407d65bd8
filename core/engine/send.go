package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// snapshotTx is a transaction under snapshot isolation (store.Snapshot):
// a read of a campaign's tallies, which every account's sends write, fails
// it with errSerializable, to run again serializable. Read from a
// snapshot, two accounts that settle the campaign's last jobs at once
// would each find the other's pending, and neither would end it.
type snapshotTx struct{ Tx }

func (snapshotTx) CampaignTallies(string, string) ([]store.JobTally, error) {
	return nil, errSerializable
}

// errSerializable fails a transaction under snapshot isolation that came
// to a read only a serializable one may make (snapshotTx).
var errSerializable = errors.New("the transaction must be serializable")

// errLeftover fails a transaction that would put the intent of a job
// that has one already (intendWith's unread).
var errLeftover = errors.New("the job has an intent left")

// verdict is what the guard decides about a send.
type verdict int

const (
	// sendNow: it may go now.
	sendNow verdict = iota
	// wait: not now (pacing, a window, a cap, a pause); nothing is written.
	wait
	// cancel: it will never go (the lead replied or opted out, the
	// campaign or the lead is gone).
	cancel
	// fail: it cannot go, for a reason a person must fix.
	fail
	// refuse: the campaign's policy refuses it (store.Policy.Refusal); it
	// ends skipped, with the reason.
	refuse
	// settled: someone else settled the job meanwhile.
	settled
)

// guarded is the guard's decision, and what it read to make it.
type guarded struct {
	verdict verdict
	why     error
	job     store.Job
	account store.Account
	state   store.AccountState
	camp    store.Campaign
	// lead is the lead a campaign's send goes to (the zero Lead for a
	// person's message to someone no source found).
	lead store.Lead
	// recipient is the lead's X user id; text what the send says.
	recipient, text string
	// leftover is the intent the job has left, if any: a worker ended
	// inside this job's effect and no sweep has settled it yet, so X is
	// asked rather than the effect repeated. The verdict is then wait.
	leftover *store.Intent
}

// guard decides whether a send may go now, from the store as it is now.
func (e *Engine) guard(ctx context.Context, j store.Job) (guarded, error) {
	var g guarded
	err := e.view(ctx, func(tx Tx) (err error) {
		g, err = e.guardTx(tx, j, e.clk.Now())
		return err
	})
	return g, err
}

// guardTx is guard in the transaction tx.
func (e *Engine) guardTx(tx Tx, j store.Job, now time.Time) (guarded, error) {
	g := guarded{job: j}
	switch in, err := tx.Intent(j.Workspace, j.ID); {
	case err == nil:
		g.verdict, g.leftover = wait, &in
		return g, nil
	case !store.IsNotFound(err):
		return g, err
	}
	var err error
	if g.job, err = tx.Job(j.Workspace, j.ID); store.IsNotFound(err) {
		g.verdict = settled
		return g, nil
	} else if err != nil {
		return g, err
	}
	if g.job.State != store.JobPending {
		g.verdict = settled
		return g, nil
	}
	if g.account, err = tx.Account(j.Workspace, j.AccountID); err != nil {
		return g, err
	}
	if g.state, err = tx.AccountState(j.Workspace, j.AccountID); err != nil {
		return g, err
	}
	if ready, err := headReady(tx, g.account, g.state, g.job, now); err != nil || ready.IsZero() || ready.After(now) {
		g.verdict = wait
		return g, err
	}
	return g, e.guardLead(tx, &g, now)
}

// guardLead checks what the lead and the campaign say: a removed campaign
// or lead, windows that never meet, do-not-contact, a reply; and renders
// the text.
func (e *Engine) guardLead(tx Tx, g *guarded, now time.Time) error {
	j := g.job
	g.recipient = j.LeadID
	lead, err := tx.Lead(j.Workspace, j.LeadID)
	switch {
	case store.IsNotFound(err) && (j.Kind == store.JobMessage || j.Kind == store.JobAnswer):
	case store.IsNotFound(err):
		g.verdict, g.why = cancel, errors.New("the lead was removed")
		return nil
	case err != nil:
		return err
	}
	g.lead = lead
	switch j.Kind {
	case store.JobMessage:
		g.text = j.Text
		return nil
	case store.JobAnswer:
		return e.guardAnswer(tx, g, now)
	}
	if g.camp, err = tx.Campaign(j.Workspace, j.CampaignID); store.IsNotFound(err) {
		g.verdict, g.why = cancel, errors.New("the campaign was removed")
		return nil
	} else if err != nil {
		return err
	}
	switch _, err := sendSlot(tx, g.account, g.state, g.camp, now, now); {
	case errors.Is(err, schedule.ErrNeverOpen):
		g.verdict, g.why = fail, fmt.Errorf("the active hours of account @%s and the sending window of campaign %q are never open at the same time, so this DM cannot be sent: widen one of them", g.account.Handle, g.camp.Name)
		return nil
	case errors.Is(err, schedule.ErrNoSlot):
		g.verdict, g.why = fail, fmt.Errorf("account @%s: %w", g.account.Handle, err)
		return nil
	case err != nil:
		return err
	}
	if dnc, err := tx.DoNotContact(j.Workspace, j.LeadID); err != nil || dnc {
		g.verdict = cancel
		return err
	}
	if why, err := refusal(tx, g.camp, g.account, j); err != nil || why != nil {
		g.verdict, g.why = refuse, why
		return err
	}
	if j.Kind == store.JobFollowup {
		conv, err := tx.Conversation(j.Workspace, j.ConversationID)
		if store.IsNotFound(err) {
			g.verdict, g.why = cancel, fmt.Errorf("conversation %q is not recorded", j.ConversationID)
			return nil
		}
		if err != nil || conv.Replied {
			g.verdict = cancel
			return err
		}
	}
	text, ok := message.Template(g.camp, j)
	if !ok {
		g.verdict, g.why = cancel, errors.New("the campaign no longer has this message")
		return nil
	}
	g.text = message.Render(text, lead)
	if p := message.Unfilled(g.text); p != "" {
		// Checked when the campaign was made, but a stored campaign may
		// predate the check: nothing goes out with braces in it.
		g.verdict, g.why = fail, fmt.Errorf("the message of campaign %q has %s, which is not filled from a lead; nothing was sent: change the message to use {{firstName}}, {{name}} or {{username}}", g.camp.Name, p)
	}
	return nil
}

// refusal returns why the campaign's policy refuses a job's send, or nil
// if it allows it: a follow-up, or a first DM to a lead who has not
// messaged the sending account first. A conversation the lead started is
// known from the account's DM events as last read (store.Conversation
// Inbound); an account whose X user id is not known yet has read none.
func refusal(tx Tx, c store.Campaign, a store.Account, j store.Job) (why, err error) {
	switch j.Kind {
	case store.JobFollowup:
		return c.Policy.Refusal(store.ActionFollowup), nil
	case store.JobDM:
		why = c.Policy.Refusal(store.ActionColdDM)
		if why == nil || a.XUserID == "" {
			return why, nil
		}
		conv, err := tx.Conversation(j.Workspace, store.ConversationID(j.LeadID, a.XUserID))
		switch {
		case store.IsNotFound(err):
			return why, nil
		case err != nil:
			return nil, err
		case conv.Inbound && conv.AccountID == a.ID:
			return nil, nil
		}
		return why, nil
	}
	return nil, nil
}

// send runs a send job under the account's lease l: guard, effect,
// record. It reports whether it did anything. While the account's next
// first DM is ready as soon as one is recorded (gaps of nothing), it goes
// on with that one, for up to laneSlice: see recordAndNext.
func (e *Engine) send(ctx context.Context, l *lease, j store.Job) (bool, error) {
	g, err := e.guard(ctx, j)
	if err != nil {
		return false, err
	}
	if g.leftover != nil {
		return true, e.recoverIntent(ctx, l, *g.leftover)
	}
	if g.verdict == wait || g.verdict == settled {
		return false, nil
	}
	// A first DM refused for want of a conversation the lead started is
	// skipped only once the account's DM events have been read within the
	// poll interval: the lead may have written since.
	recheck := g.verdict == refuse && j.Kind == store.JobDM && !e.readRecently(ctx, g.account, g.state)
	if !recheck {
		if done, err := e.settleGuarded(ctx, g); done || err != nil {
			return true, err
		}
	}
	net, sess, err := e.connect(ctx, g.account)
	if err != nil {
		return true, e.heldOrFailed(ctx, g, err)
	}
	g.account.XUserID = sess.UserID
	if j.Kind == store.JobFollowup || j.Kind == store.JobAnswer || recheck {
		// Read replies first: a lead who answered a minute ago must not get
		// a "just bumping this" (nor an AI answer to what they said
		// before), and one who wrote first may now get a first DM the
		// policy refused. If X cannot list them, wait: a follow-up sent
		// blind may land on a lead who has just said stop.
		if err := e.readReplies(ctx, net, sess, g.account); err != nil {
			var re *readError
			if errors.As(err, &re) {
				return true, e.failed(ctx, g.job, err)
			}
			return true, err
		}
		if g, err = e.guard(ctx, j); err != nil || g.leftover != nil || g.verdict == wait || g.verdict == settled {
			return false, err
		}
		if done, err := e.settleGuarded(ctx, g); done || err != nil {
			return true, err
		}
	}
	if j.Kind == store.JobAnswer && g.text == "" {
		var done bool
		if g, done, err = e.draftAnswer(ctx, g); done || err != nil {
			return true, err
		}
	}
	if goOn, err := e.engage(ctx, l, g, net, sess); err != nil || !goOn {
		return true, err
	}
	held, limited, err := e.overSpend(ctx, g)
	if held || err != nil {
		return true, err
	}
	waits, shared, err := e.overAppShare(ctx, g, net)
	if waits || err != nil {
		return true, err
	}
	in, ok, err := e.intend(ctx, l, g, store.Intent{RecipientID: g.recipient, Text: g.text, Provenance: g.job.Provenance})
	if err != nil || !ok {
		return ok, err
	}
	start := e.clk.Now()
	for {
		sent, err := net.SendDM(ctx, sess, in.RecipientID, in.Text)
		answered := e.clk.Now()
		// Under a spend limit or an app's shared budget every send goes
		// through the checks before it.
		if err != nil || ctx.Err() != nil || l.lost.Load() || answered.Sub(start) >= laneSlice || limited || shared {
			return true, e.outcome(ctx, net, sess, g, in, sent, answered, err)
		}
		next, nextIn, ok, err := e.recordAndNext(ctx, l, g, in, sess.UserID, sent, answered)
		if err != nil || !ok {
			return true, err
		}
		g, in = next, nextIn
		g.account.XUserID = sess.UserID
	}
}

// leftover resolves an intent a job has left, if any, and reports whether
// it found one: a worker ended inside this job's effect and no sweep has
// settled it yet, so X is asked rather than the effect repeated.
func (e *Engine) leftover(ctx context.Context, l *lease, j store.Job) (bool, error) {
	var in store.Intent
	switch err := e.view(ctx, func(tx Tx) (err error) {
		in, err = tx.Intent(j.Workspace, j.ID)
		return err
	}); {
	case err == nil:
		return true, e.recoverIntent(ctx, l, in)
	case !store.IsNotFound(err):
		return false, err
	}
	return false, nil
}

// settleGuarded settles a job the guard cancelled or failed.
func (e *Engine) settleGuarded(ctx context.Context, g guarded) (bool, error) {
	switch g.verdict {
	case cancel:
		return true, e.finish(ctx, g.job, store.JobCancelled, g.why)
	case fail:
		if err := e.finish(ctx, g.job, store.JobFailed, g.why); err != nil {
			return true, err
		}
		e.observe(*failedEvent(g.job, g.why))
		return true, nil
	case refuse:
		return true, e.finish(ctx, g.job, store.JobSkipped, g.why)
	}
	return false, nil
}

// readRecently reports whether the account's DM events were read within
// its poll interval: a conversation a lead started is then known as soon
// as regular polling would know it.
func (e *Engine) readRecently(ctx context.Context, a store.Account, st store.AccountState) bool {
	return !st.DMReadAt.IsZero() && e.clk.Now().Sub(st.DMReadAt) < e.pollEvery(ctx, a)
}

// intend commits the intent of a send, or of an engagement step before
// it, as what describes it (recipient, text, step, post), with the job's
// lease, before the plugin is called; with a send's, the account's pacing
// after it. It reports false if the job or the account's lease is no
// longer this worker's to act on.
func (e *Engine) intend(ctx context.Context, l *lease, g guarded, what store.Intent) (store.Intent, bool, error) {
	var (
		in store.Intent
		ok bool
	)
	err := e.update(ctx, func(tx Tx) (err error) {
		in, ok, err = e.intendTx(tx, g, what, e.clk.Now())
		return err
	})
	if ok {
		l.setJob(in.JobID)
	}
	return in, ok, err
}

// intendTx is intend in the transaction tx.
func (e *Engine) intendTx(tx Tx, g guarded, what store.Intent, now time.Time) (store.Intent, bool, error) {
	j, err := tx.Job(g.job.Workspace, g.job.ID)
	if err != nil {
		return store.Intent{}, false, err
	}
	st, err := tx.AccountState(j.Workspace, j.AccountID)
	if err != nil {
		return store.Intent{}, false, err
	}
	return e.intendWith(tx, j, st, g.account, what, now, false)
}

// intendWith puts the intent of job j's effect, described by what (the
// recipient and text of a send, an engagement step and its post, a
// tweet's text), with the job's lease, as tx holds the job and its
// account's state st; for a paced send, with the account's pause after
// it, stored with the intent so that it outlasts a crash. It reports false
// if the job or the account's lease is not this worker's.
//
// A caller that has not read the job's intent says so with unread: the
// intent is then created only if the job has none, and an intent there
// (left by a worker that ended inside the job's effect) fails the
// transaction with errLeftover, never replaced.
func (e *Engine) intendWith(tx Tx, j store.Job, st store.AccountState, a store.Account, what store.Intent, now time.Time, unread bool) (store.Intent, bool, error) {
	if j.State != store.JobPending || j.Lease.Live(now) && j.Lease.Owner != e.owner || st.Lease.Owner != e.owner {
		return store.Intent{}, false, nil
	}
	grant := e.grant(now)
	in := what
	in.JobID, in.Workspace, in.Kind, in.AccountID, in.At, in.Lease = j.ID, j.Workspace, j.Kind, j.AccountID, now, grant
	j.Lease = grant
	put := tx.PutIntent
	if unread {
		put = func(in store.Intent) error {
			return tx.CreateIntent(in, func() error { return errLeftover })
		}
	}
	if err := put(in); err != nil {
		return store.Intent{}, false, err
	}
	if err := tx.PutJob(j); err != nil {
		return store.Intent{}, false, err
	}
	if !j.Kind.Sends() || j.Kind == store.JobMessage || in.Engage != "" {
		return in, true, nil // not paced
	}
	// The pause after a send starts with it, whatever its outcome.
	st.Spacing = e.spacing(a)
	st.NextSendAt = now.Add(max(e.gap(a), st.Spacing))
	return in, true, tx.PutAccountState(st)
}

// outcome settles a send from what the plugin said, at answered.
func (e *Engine) outcome(ctx context.Context, net sdk.Network, sess sdk.Session, g guarded, in store.Intent, sent sdk.SentDM, answered time.Time, err error) error {
	if err == nil {
		return e.recordSent(ctx, g.account, g.lead, g.job, in, sess.UserID, sent, answered)
	}
	switch sdk.KindOf(err) {
	case "", sdk.InDoubt, sdk.Retryable:
		if ctx.Err() != nil {
			// Interrupted during the call: X cannot be asked with a finished
			// context, so leave the intent, as a crash would, for recovery.
			return ctx.Err()
		}
		// The call may or may not have reached X (a crash, a deadline, a
		// cut connection, a 5xx after the request was sent): ask X before
		// anything else. A write is never simply retried.
		return e.resolve(ctx, net, sess, g.account, g.job, in)
	}
	// Every other typed error means the DM was not sent.
	return e.updateReporting(ctx, func(tx Tx) (report, error) {
		if err := tx.DeleteIntent(in.Workspace, in.JobID); err != nil {
			return report{}, err
		}
		return e.notTaken(tx, g, err)
	})
}

// heldOrFailed settles a send that could not start because the account
// could not be used.
func (e *Engine) heldOrFailed(ctx context.Context, g guarded, err error) error {
	return e.updateReporting(ctx, func(tx Tx) (report, error) { return e.notTaken(tx, g, err) })
}

// notTaken settles a send a typed error says did not happen: a rate limit
// or an expired session holds the account (its other sends would meet the
// same answer) and leaves the job waiting; a recipient who does not take
// DMs, or a permanent failure, fails the job (and reports its Failed
// event); the rest is retried.
func (e *Engine) notTaken(tx Tx, g guarded, err error) (report, error) {
	now := e.clk.Now()
	j, cerr := tx.Job(g.job.Workspace, g.job.ID)
	if cerr != nil {
		return report{}, cerr
	}
	if r, held, herr := e.heldBy(tx, g.account, j, err, now); held || herr != nil {
		return r, herr
	}
	switch sdk.KindOf(err) {
	case sdk.NotFound, sdk.Permanent, sdk.RecipientClosed:
		if err := putFailed(tx, j, err, now); err != nil {
			return report{}, err
		}
		return report{ev: failedEvent(j, err)}, settle(tx, j.Workspace, j.CampaignID, j.AccountID, now)
	}
	return e.retry(tx, j, err)
}

// heldBy counts an action's failure in the account's health and, when
// the failure is the account's (accountHold), holds the account and
// leaves job j waiting until the hold lifts (holdAccount): held says so.
func (e *Engine) heldBy(tx Tx, a store.Account, j store.Job, cause error, now time.Time) (r report, held bool, err error) {
	if o, ok := accountOutcome(cause); ok {
		if err := service.NoteOutcome(tx, a, o); err != nil {
			return report{}, false, err
		}
	}
	st, err := tx.AccountState(a.Workspace, a.ID)
	if err != nil {
		return report{}, false, err
	}
	h, ok := accountHold(cause, st, now)
	if !ok {
		return report{}, false, nil
	}
	r, err = e.holdAccount(tx, a, j, h, cause, now)
	return r, true, err
}

// accountOutcome is what a send's failure says about the account's
// health; a lead who cannot be messaged says nothing about it.
func accountOutcome(err error) (store.Outcome, bool) {
	switch sdk.KindOf(err) {
	case sdk.NotFound, sdk.RecipientClosed:
		return "", false
	case sdk.RateLimited:
		return store.OutcomeRateLimited, true
	case sdk.SessionExpired:
		return store.OutcomeSessionExpired, true
	case sdk.Automated:
		return store.OutcomeAutomated, true
	case sdk.AccountBlocked:
		return store.OutcomeBlocked, true
	}
	return store.OutcomeError, true
}

// Cool-downs after X says an account's requests look automated (226), by
// how many of its recent outcomes say so: each repeat waits longer.
var automatedCooldowns = []time.Duration{time.Hour, 4 * time.Hour, 24 * time.Hour}

// failuresInARow is how many failures in a row, with nothing sent between
// them, hold an account for failureHold.
const (
	failuresInARow = 5
	failureHold    = time.Hour
)

// accountHold is the hold a send's failure puts on its account when the
// failure is the account's, not the lead's; st already counts it.
func accountHold(err error, st store.AccountState, now time.Time) (store.Hold, bool) {
	h := store.Hold{Scope: store.HoldAll, By: "engine", Since: now}
	switch sdk.KindOf(err) {
	case sdk.RateLimited:
		h.By, h.Reason, h.Until = "x", "rate limited by X: "+err.Error(), retryAt(err, now)
	case sdk.SessionExpired:
		// The reference's words, then what the network or the token
		// keeper said (which names the command that signs it in again).
		h.Reason, h.Until = "Session expired or account disconnected: "+err.Error(), now.Add(heldRetry)
	case sdk.AccountBlocked:
		// Until a person acts: renews the credentials, or lifts the hold.
		h.Reason = "X refuses the account (suspended, locked, or not allowed): " + err.Error()
	case sdk.Automated:
		n := 0
		for _, o := range st.Recent {
			if o == store.OutcomeAutomated {
				n++
			}
		}
		wait := automatedCooldowns[min(max(n, 1), len(automatedCooldowns))-1]
		h.By, h.Until = "x", now.Add(wait)
		h.Reason = fmt.Sprintf("X said the account's requests look automated (226); cooling down for %s", wait)
	default:
		if len(st.Recent) < failuresInARow {
			return store.Hold{}, false
		}
		for _, o := range st.Recent[len(st.Recent)-failuresInARow:] {
			if o == store.OutcomeOK {
				return store.Hold{}, false
			}
		}
		h.Reason, h.Until = fmt.Sprintf("%d failures in a row, the last: %v", failuresInARow, err), now.Add(failureHold)
	}
	return h, true
}

// pausedCode is the account_paused code of a hold that cause put on an
// account.
func pausedCode(cause error) string {
	var se *spendError
	switch {
	case errors.As(cause, &se):
		return sdk.PausedSpendLimit
	case sdk.KindOf(cause) == sdk.SessionExpired:
		return sdk.PausedSessionExpired
	case sdk.KindOf(cause) == sdk.AccountBlocked:
		return sdk.PausedBlocked
	case sdk.KindOf(cause) == sdk.Automated:
		return sdk.PausedAutomated
	}
	return sdk.PausedFailures
}

// holdAccount holds an account that a send's failure says cannot act, and
// leaves the send waiting until the hold lifts, its attempts untouched. A
// new hold that is not X's own rate limit emits account_paused; one that
// lasts until the account's credentials are renewed or a person acts (an
// expired session, an account X refuses) also moves its waiting first DMs
// to the campaigns' other accounts (service.Failover).
func (e *Engine) holdAccount(tx Tx, a store.Account, j store.Job, h store.Hold, cause error, now time.Time) (report, error) {
	added, err := service.AddHold(tx, a, h, now)
	if err != nil {
		return report{}, err
	}
	retryAt := h.Until
	if retryAt.IsZero() {
		retryAt = now.Add(heldRetry)
	}
	if err := tx.PutJob(requeued(j, retryAt, cause)); err != nil {
		return report{}, err
	}
	if !added || sdk.KindOf(cause) == sdk.RateLimited {
		return report{}, nil
	}
	if err := service.AccountPaused(tx, a, pausedCode(cause), h.Reason, now); err != nil {
		return report{}, err
	}
	moved := 0
	if k := sdk.KindOf(cause); k == sdk.SessionExpired || k == sdk.AccountBlocked {
		if moved, err = service.Failover(tx, a, now); err != nil {
			return report{}, err
		}
	}
	held := func() {
		e.log.Error("account held", "account", a.Handle, "reason", h.Reason, "until", h.Until, "first DMs moved to other accounts", moved)
	}
	return report{log: held}, nil
}

// recordSent replaces a send's intent with its outcome, in one
// transaction (service.RecordSent), unless the job is no longer this
// engine's: then whoever took it over settles it. answered is when X said
// the DM went out (or, found later, X's time of the DM).
func (e *Engine) recordSent(ctx context.Context, a store.Account, lead store.Lead, j store.Job, in store.Intent, senderID string, sent sdk.SentDM, answered time.Time) error {
	var recorded bool
	every := e.pollEvery(ctx, a)
	err := e.update(ctx, func(tx Tx) error {
		now := e.clk.Now()
		var (
			c   store.Campaign
			err error
		)
		if recorded, c, err = e.recordTx(tx, a, lead, j, in, senderID, sent, answered, every, now); err != nil || !recorded || c.ID == "" {
			return err
		}
		return settleCampaign(tx, c, j.AccountID, now)
	})
	if err != nil {
		return fmt.Errorf("record sent DM: %w", err)
	}
	e.reportSent(j, recorded)
	return nil
}

// reportSent tells of a sent DM once its record has committed, or that it
// was not this engine's to record.
func (e *Engine) reportSent(j store.Job, recorded bool) {
	if !recorded {
		e.log.Warn("a sent DM's job was taken over; its new owner settles it", "job", j.ID)
		return
	}
	e.observe(Event{Kind: Sent, Workspace: j.Workspace, CampaignID: j.CampaignID, AccountID: j.AccountID, Variant: j.Variant, Step: j.Step, Manual: j.Kind == store.JobMessage})
}

// recordTx records a sent DM in the transaction tx, as recordSent does,
// but for settling its campaign, which it returns (the zero Campaign if it
// was removed); every is how often the account reads its replies. It
// reports false if the job was taken over.
func (e *Engine) recordTx(tx Tx, a store.Account, lead store.Lead, j store.Job, in store.Intent, senderID string, sent sdk.SentDM, answered time.Time, every time.Duration, now time.Time) (bool, store.Campaign, error) {
	cur, err := tx.Job(j.Workspace, j.ID)
	if err != nil {
		return false, store.Campaign{}, err
	}
	if cur.State != store.JobPending || cur.Lease.Owner != e.owner {
		return false, store.Campaign{}, nil // taken over
	}
	c, err := tx.Campaign(j.Workspace, j.CampaignID)
	if err != nil && !store.IsNotFound(err) {
		return false, store.Campaign{}, err
	}
	s := service.Sent{
		Job: cur, Campaign: c, Account: e.paced(a), Lead: lead, SenderID: senderID, RecipientID: in.RecipientID, Text: in.Text,
		ConversationID: sent.ConversationID, EventID: sent.EventID, At: in.At, Answered: answered,
		// The account has a conversation now: it reads its replies.
		PollAt: now.Add(every),
	}
	if err := service.RecordSent(tx, s, now); err != nil {
		return true, c, err
	}
	return true, c, e.addSpend(tx, a, sdk.OpSendDM, 1, 0, now)
}

// recordAndNext records a sent DM as recordSent does and, in the same
// transaction, commits the intent of the account's next first DM if that
// one may go at once (see nextFirstDM): so that sends back to back cost one
// synced commit each, not two. The next intent is durable before its
// plugin call, as every intent is; the outcome it is committed with was
// learnt before. It reports false, with the DM recorded, when there is no
// next send to go on with.
func (e *Engine) recordAndNext(ctx context.Context, l *lease, g guarded, in store.Intent, senderID string, sent sdk.SentDM, answered time.Time) (guarded, store.Intent, bool, error) {
	var (
		recorded, ok bool
		next         guarded
		nextIn       store.Intent
	)
	every := e.pollEvery(ctx, g.account)
	// chain is whether the transaction goes on to the next send: not when
	// it met an intent the next send's job has left (errLeftover), which
	// the account's next turn settles. snapshot is whether it runs under
	// snapshot isolation: everything it decides on is the account's, which
	// only this worker writes while it holds the account's lease, but for
	// the tallies of a campaign that may have ended (snapshotTx).
	chain, snapshot := true, true
	update := func(tx Tx) error {
		recorded, ok, next, nextIn = false, false, guarded{}, store.Intent{}
		now := e.clk.Now()
		if snapshot {
			tx = snapshotTx{tx}
		}
		memo := &readOnce{Tx: tx}
		tx = memo
		ws, acct := g.job.Workspace, g.job.AccountID
		day := schedule.DayOf(now, g.account.CapLocation()).Key()
		// A store whose reads are round trips reads in one what recording
		// the DM reads, and what picking the next send reads of what the
		// record writes: the account's queue heads as they will be once
		// this job leaves its queue, and the day's count. Then readOnce
		// holds them as the record writes them (and the account, which the
		// guard of the next send reads, waits read ahead), so that the
		// record's writes go in one round trip with the reads of the next
		// send's own records. (Not the conversation, which a first DM
		// creates unread.)
		err := tx.ReadAhead(
			store.Read{Kind: store.ReadJob, Workspace: ws, ID: g.job.ID},
			store.Read{Kind: store.ReadCampaign, Workspace: ws, ID: g.job.CampaignID},
			store.Read{Kind: store.ReadAccountState, Workspace: ws, ID: acct},
			store.Read{Kind: store.ReadAccount, Workspace: ws, ID: acct},
			store.Read{Kind: store.ReadQueueHeads, Workspace: ws, ID: acct, Except: g.job.ID},
			store.Read{Kind: store.ReadSentOn, Workspace: ws, ID: acct, Day: day},
		)
		if err != nil {
			return err
		}
		if err := memo.readHeadsAfter(ws, acct, g.job.ID); err != nil {
			return err
		}
		if _, err := memo.SentOn(ws, acct, day); err != nil {
			return err
		}
		var c store.Campaign
		if recorded, c, err = e.recordTx(tx, g.account, g.lead, g.job, in, senderID, sent, answered, every, now); err != nil || !recorded {
			return err
		}
		if err := tx.ReadAhead(nextReads(g.account, now)...); err != nil {
			return err
		}
		if c.ID != "" {
			if err := settleCampaign(tx, c, acct, now); err != nil {
				return err
			}
		}
		if !chain {
			return nil
		}
		if next, err = e.nextFirstDM(tx, g.account, now); err != nil || next.verdict != sendNow {
			return err
		}
		// next holds the job and the account's state as tx does.
		nextIn, ok, err = e.intendWith(tx, next.job, next.state, next.account, store.Intent{RecipientID: next.recipient, Text: next.text}, now, true)
		return err
	}
	var err error
	for {
		uctx := ctx
		if snapshot {
			uctx = store.Snapshot(ctx)
		}
		err = e.update(uctx, update)
		if errors.Is(err, errLeftover) && chain {
			chain = false
		} else if errors.Is(err, errSerializable) && snapshot {
			snapshot = false
		} else {
			break
		}
	}
	if err != nil {
		return guarded{}, store.Intent{}, false, fmt.Errorf("record sent DM: %w", err)
	}
	e.reportSent(g.job, recorded)
	if ok {
		l.setJob(nextIn.JobID)
	}
	return next, nextIn, ok, nil
}

// nextFirstDM guards, in tx, the next send of the account (last, as it was
// at its last send) if it is a first DM that may go now, with no read of
// replies due first; its verdict is wait otherwise. Anything else (a
// follow-up, which reads replies before it goes; a send to settle) is left
// to the account's next turn. It does not read the job's intent: one left
// by a worker that ended fails the caller's intent (intendWith's unread).
func (e *Engine) nextFirstDM(tx Tx, last store.Account, now time.Time) (guarded, error) {
	ws, accountID := last.Workspace, last.ID
	waiting := guarded{verdict: wait}
	if err := tx.ReadAhead(nextReads(last, now)...); err != nil {
		return waiting, err
	}
	a, err := tx.Account(ws, accountID)
	if store.IsNotFound(err) {
		return waiting, nil
	}
	if err != nil {
		return waiting, err
	}
	st, err := tx.AccountState(ws, accountID)
	if err != nil || !st.NextPollAt.IsZero() && !st.NextPollAt.After(now) {
		return waiting, err
	}
	heads, err := tx.QueueHeads(ws, accountID)
	if err != nil {
		return waiting, err
	}
	j, found, err := readyHead(tx, a, st, heads, now)
	if err != nil || !found || j.Kind != store.JobDM {
		return waiting, err
	}
	// Not the job's intent: reading one that is not there would, on
	// Postgres, fail the transactions of other accounts writing theirs
	// next to it. The caller creates the next intent only if there is
	// none (intendWith's unread).
	err = tx.ReadAhead(
		store.Read{Kind: store.ReadLead, Workspace: ws, ID: j.LeadID},
		store.Read{Kind: store.ReadDoNotContact, Workspace: ws, ID: j.LeadID},
	)
	if err != nil {
		return waiting, err
	}
	// A queue head is pending, and readyHead found it ready: what guard
	// checks of the job, account and state holds.
	g := guarded{job: j, account: a, state: st}
	if err := e.guardLead(tx, &g, now); err != nil || g.verdict != sendNow || g.camp.Engages() {
		// A campaign that engages first does so at the account's next turn.
		return waiting, err
	}
	return g, nil
}

// nextReads are what nextFirstDM reads of the account (last, as it was at
// its last send) before it picks a send: the account, its state, its queue
// heads, and the day's count if its cap still counts days where it did.
func nextReads(last store.Account, now time.Time) []store.Read {
	ws, id := last.Workspace, last.ID
	return []store.Read{
		{Kind: store.ReadAccount, Workspace: ws, ID: id},
		{Kind: store.ReadAccountState, Workspace: ws, ID: id},
		{Kind: store.ReadQueueHeads, Workspace: ws, ID: id},
		{Kind: store.ReadSentOn, Workspace: ws, ID: id, Day: schedule.DayOf(now, last.CapLocation()).Key()},
	}
}

// readOnce serves the reads a transaction repeats (a campaign, an
// account's state, its count of a day's DMs, its queue heads) from the
// first, and what the transaction wrote of them from the write: recording
// a send and guarding the next one read each of them twice, once before
// the record writes them and once after. So picking the next send reads
// nothing the record wrote: on a store whose reads are round trips, the
// record's writes then go in one with the next send's own reads.
type readOnce struct {
	Tx
	campaigns map[[2]string]store.Campaign
	states    map[[2]string]store.AccountState
	sent      map[[3]string]int
	heads     map[[2]string]queueHeads
}

// queueHeads is an account's queue heads as readOnce holds them.
type queueHeads struct {
	jobs []store.Job
	// leaving, if set, is a job still pending that jobs leaves out
	// (QueueHeadsAfter): they answer once the job is written out of the
	// queue.
	leaving string
}

func (r *readOnce) Campaign(ws, id string) (store.Campaign, error) {
	return memo(&r.campaigns, [2]string{ws, id}, func() (store.Campaign, error) { return r.Tx.Campaign(ws, id) })
}

func (r *readOnce) AccountState(ws, accountID string) (store.AccountState, error) {
	return memo(&r.states, [2]string{ws, accountID}, func() (store.AccountState, error) { return r.Tx.AccountState(ws, accountID) })
}

func (r *readOnce) SentOn(ws, accountID, day string) (int, error) {
	return memo(&r.sent, [3]string{ws, accountID, day}, func() (int, error) { return r.Tx.SentOn(ws, accountID, day) })
}

func (r *readOnce) QueueHeads(ws, accountID string) ([]store.Job, error) {
	k := [2]string{ws, accountID}
	if h, ok := r.heads[k]; ok && h.leaving == "" {
		return h.jobs, nil
	}
	jobs, err := r.Tx.QueueHeads(ws, accountID)
	if err == nil {
		setMemo(&r.heads, k, queueHeads{jobs: jobs})
	}
	return jobs, err
}

// readHeadsAfter reads the account's queue heads as they will be once job
// jobID, pending now, is written out of the queue, for QueueHeads to
// answer from then on.
func (r *readOnce) readHeadsAfter(ws, accountID, jobID string) error {
	jobs, err := r.Tx.QueueHeadsAfter(ws, accountID, jobID)
	if err == nil {
		setMemo(&r.heads, [2]string{ws, accountID}, queueHeads{jobs: jobs, leaving: jobID})
	}
	return err
}

// ReadAhead reads ahead what r does not hold already.
func (r *readOnce) ReadAhead(reads ...store.Read) error {
	reads = slices.DeleteFunc(slices.Clone(reads), func(rd store.Read) bool {
		k := [2]string{rd.Workspace, rd.ID}
		switch rd.Kind {
		case store.ReadCampaign:
			_, ok := r.campaigns[k]
			return ok
		case store.ReadAccountState:
			_, ok := r.states[k]
			return ok
		case store.ReadSentOn:
			_, ok := r.sent[[3]string{rd.Workspace, rd.ID, rd.Day}]
			return ok
		case store.ReadQueueHeads:
			h, ok := r.heads[k]
			return ok && h.leaving == rd.Except
		}
		return false
	})
	return r.Tx.ReadAhead(reads...)
}

func (r *readOnce) PutCampaign(c store.Campaign) error {
	delete(r.campaigns, [2]string{c.Workspace, c.ID})
	return r.Tx.PutCampaign(c)
}

func (r *readOnce) PutAccountState(st store.AccountState) error {
	if err := r.Tx.PutAccountState(st); err != nil {
		delete(r.states, [2]string{st.Workspace, st.AccountID})
		return err
	}
	setMemo(&r.states, [2]string{st.Workspace, st.AccountID}, st)
	return nil
}

func (r *readOnce) AddSentOn(ws, accountID, day string, n int) error {
	k := [3]string{ws, accountID, day}
	err := r.Tx.AddSentOn(ws, accountID, day, n)
	if had, ok := r.sent[k]; ok && err == nil {
		r.sent[k] = had + n
	} else {
		delete(r.sent, k)
	}
	return err
}

// PutJob forgets the queue heads it may move (a job of any account may
// move between queues), but for those that left this job out, if it
// leaves its queue: they answer from now on.
func (r *readOnce) PutJob(j store.Job) error {
	for k, h := range r.heads {
		if h.leaving != "" && h.leaving == j.ID && j.State != store.JobPending {
			h.leaving = ""
			r.heads[k] = h
			continue
		}
		delete(r.heads, k)
	}
	return r.Tx.PutJob(j)
}

// memo returns m[k], reading it with read the first time.
func memo[K comparable, V any](m *map[K]V, k K, read func() (V, error)) (V, error) {
	if v, ok := (*m)[k]; ok {
		return v, nil
	}
	v, err := read()
	if err == nil {
		setMemo(m, k, v)
	}
	return v, err
}

// setMemo sets m[k], making m if need be.
func setMemo[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}

// pollEvery is how often the account reads its replies.
func (e *Engine) pollEvery(ctx context.Context, a store.Account) time.Duration {
	net, err := e.opts.Network(a.Network)
	if err != nil {
		return defaultPoll
	}
	return e.pollInterval(ctx, a.Network, net)
}
