package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// ConversationInfo is a conversation with its lead and its account's
// handle. The conversation and lead are the store's, read once (a page
// holds a hundred, and each is half a kilobyte: a listing does not copy
// them again).
type ConversationInfo struct {
	*store.ConversationWithLead
	// AccountHandle is the handle of its account; "" if the account was
	// removed since (its history stays).
	AccountHandle string
	// Messages are its messages, oldest first, when asked for.
	Messages []store.Message
}

// ConversationPage is one page of a listing and where the next starts.
type ConversationPage struct {
	Conversations []ConversationInfo
	// Next continues the listing; nil when this page is the last.
	Next *store.ConversationCursor
}

// ListConversations returns a page of conversations, newest first (see
// store.ConversationQuery), with their messages if withMessages.
func (s *Service) ListConversations(ctx context.Context, ws string, q store.ConversationQuery, withMessages bool) (ConversationPage, error) {
	return s.ListConversationsWith(ctx, ws, q, "", withMessages)
}

// ListConversationsWith is ListConversations keeping only the
// conversations with the lead of handle, when handle is not "" (see
// EachConversation).
func (s *Service) ListConversationsWith(ctx context.Context, ws string, q store.ConversationQuery, handle string, withMessages bool) (ConversationPage, error) {
	var (
		out  ConversationPage
		kept keeper
	)
	next, err := s.EachConversation(ctx, ws, q, handle, withMessages, func(info ConversationInfo) error {
		info.ConversationWithLead = kept.keep(info.ConversationWithLead)
		out.Conversations = append(out.Conversations, info)
		return nil
	})
	out.Next = next
	return out, err
}

// pageSize is the size of a page of conversations asked for with limit:
// 1 to 100, 100 when limit is out of that range.
func pageSize(limit int) int {
	if limit <= 0 || limit > 100 {
		return 100
	}
	return limit
}

// EachConversation calls fn with each conversation of a page, newest first
// (see store.ConversationQuery), with its messages if withMessages, and
// returns the cursor of the next page: nil when this one is the last. The
// conversation and lead fn is given are valid during the call only: fn
// copies what it keeps. With a handle, only the conversations with the
// lead of that handle are listed. Leads are not indexed by handle, so that
// filter walks the listing from the cursor on until it has a page: at most
// one conversation per account has a given lead, and a page of them may
// cost a walk through the whole listing.
func (s *Service) EachConversation(ctx context.Context, ws string, q store.ConversationQuery, handle string, withMessages bool, fn func(ConversationInfo) error) (*store.ConversationCursor, error) {
	want := pageSize(q.Limit)
	q.Limit = want + 1 // one more tells whether there is a next page
	handle = store.NormalizeHandle(handle)
	var next *store.ConversationCursor
	err := s.view(ctx, func(tx Tx) error {
		next = nil
		r := newInfoReader(tx)
		n := 0
		var last store.ConversationCursor
		return walkConversations(tx, ws, q, handle, func(c *store.ConversationWithLead) error {
			if n++; n > want {
				next = &last
				return nil
			}
			last = *store.CursorOf(c.Conversation)
			info, err := r.info(c, withMessages)
			if err != nil {
				return err
			}
			return fn(info)
		})
	})
	return next, err
}

// Conversation returns one conversation with its messages.
func (s *Service) Conversation(ctx context.Context, ws, id string) (ConversationInfo, error) {
	var info ConversationInfo
	err := s.view(ctx, func(tx Tx) error {
		c, err := conversation(tx, ws, id)
		if err != nil {
			return err
		}
		l, err := tx.Lead(ws, c.LeadID)
		if err != nil && !store.IsNotFound(err) {
			return err
		}
		info, err = newInfoReader(tx).info(&store.ConversationWithLead{Conversation: c, Lead: l}, true)
		return err
	})
	return info, err
}

// handleScanBatch is how many conversations a listing by lead handle reads
// at a time.
const handleScanBatch = 500

// errPageFull ends a walk that has its page.
var errPageFull = errors.New("the page is full")

// walkConversations calls fn with each of the q.Limit first conversations
// of q, and only those whose lead's handle is handle when it is not "",
// walking the listing in batches.
func walkConversations(tx Tx, ws string, q store.ConversationQuery, handle string, fn func(*store.ConversationWithLead) error) error {
	if handle == "" {
		return tx.EachConversationWithLead(ws, q, fn)
	}
	want, n := q.Limit, 0
	q.Limit = handleScanBatch
	for {
		seen := 0
		var last store.ConversationCursor
		err := tx.EachConversationWithLead(ws, q, func(c *store.ConversationWithLead) error {
			seen++
			last = *store.CursorOf(c.Conversation)
			if store.NormalizeHandle(c.Lead.Username) != handle {
				return nil
			}
			if err := fn(c); err != nil {
				return err
			}
			if n++; n == want {
				return errPageFull
			}
			return nil
		})
		switch {
		case errors.Is(err, errPageFull):
			return nil
		case err != nil:
			return err
		case seen < handleScanBatch:
			return nil
		}
		q.After = &last
	}
}

func conversation(tx Tx, ws, id string) (store.Conversation, error) {
	c, err := tx.Conversation(ws, id)
	if store.IsNotFound(err) {
		return c, notFound("conversation %s", id)
	}
	return c, err
}

// infoReader reads what a conversation's info adds to it and its lead (its
// account's handle, its messages), in one transaction, each account once:
// a page holds a hundred conversations of a few accounts.
type infoReader struct {
	tx      Tx
	handles map[string]string
}

func newInfoReader(tx Tx) *infoReader {
	return &infoReader{tx: tx, handles: map[string]string{}}
}

// page returns the infos of the page of q, each conversation copied.
func (r *infoReader) page(ws string, q store.ConversationQuery, withMessages bool) ([]ConversationInfo, error) {
	var (
		kept keeper
		out  []ConversationInfo
	)
	err := r.tx.EachConversationWithLead(ws, q, func(c *store.ConversationWithLead) error {
		info, err := r.info(kept.keep(c), withMessages)
		out = append(out, info)
		return err
	})
	return out, err
}

// keeper copies conversations into chunks that never move, so that the
// pointers it returns stay good: a page's conversations in one or two
// allocations rather than one each.
type keeper struct{ chunk []store.ConversationWithLead }

// keep returns a copy of c.
func (k *keeper) keep(c *store.ConversationWithLead) *store.ConversationWithLead {
	if len(k.chunk) == cap(k.chunk) {
		k.chunk = make([]store.ConversationWithLead, 0, max(2*cap(k.chunk), 32))
	}
	k.chunk = append(k.chunk, *c)
	return &k.chunk[len(k.chunk)-1]
}

func (r *infoReader) info(c *store.ConversationWithLead, withMessages bool) (ConversationInfo, error) {
	info := ConversationInfo{ConversationWithLead: c}
	handle, ok := r.handles[c.AccountID]
	if !ok {
		// The account may have been removed since; its history stays.
		a, err := r.tx.Account(c.Workspace, c.AccountID)
		if err != nil && !store.IsNotFound(err) {
			return info, err
		}
		handle = a.Handle
		r.handles[c.AccountID] = handle
	}
	info.AccountHandle = handle
	if withMessages {
		var err error
		if info.Messages, err = r.tx.Messages(c.Workspace, c.ID); err != nil {
			return info, err
		}
	}
	return info, nil
}

// MaxMessageLength is the longest DM X takes, in characters.
const MaxMessageLength = 10000

// SendDM queues a message a person wrote in an existing conversation, from
// the conversation's account, and wakes the engine, which sends it under
// the account's lease with an intent record like any other send: not
// paced, but counted against the account's caps. It returns the job; the
// message id is on it once it is done.
func (s *Service) SendDM(ctx context.Context, ws, conversationID, accountID, text string) (store.Job, error) {
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		return store.Job{}, invalid("message", "the message is empty")
	case n > MaxMessageLength:
		return store.Job{}, invalid("message", "%d characters; X takes at most %d", n, MaxMessageLength)
	}
	var j store.Job
	err := s.update(ctx, func(tx Tx) (bool, error) {
		c, err := conversation(tx, ws, conversationID)
		if err != nil {
			return false, err
		}
		a, err := resolveAccount(tx, ws, AccountRef{ID: accountID})
		if err != nil {
			return false, err
		}
		if a.ID != c.AccountID {
			return false, invalid("account_id", "conversation %s is @%s's; send from that account", c.ID, accountHandle(tx, ws, c.AccountID))
		}
		now := s.clock.Now().UTC()
		if err := sendLimit(tx, a, now); err != nil {
			return false, err
		}
		j = store.Job{
			ID: "msg-" + uuid.NewString(), Workspace: ws, Kind: store.JobMessage, State: store.JobPending, DueAt: now,
			AccountID: a.ID, LeadID: c.LeadID, ConversationID: c.ID, CampaignID: c.CampaignID, Variant: c.Variant,
			Text: text, CreatedAt: now, UpdatedAt: now,
		}
		return true, tx.PutJob(j)
	})
	return j, err
}

// Job returns a job of the workspace, to follow a queued message.
func (s *Service) Job(ctx context.Context, ws, id string) (store.Job, error) {
	var j store.Job
	err := s.view(ctx, func(tx Tx) (err error) {
		j, err = tx.Job(ws, id)
		if store.IsNotFound(err) {
			return notFound("job %s", id)
		}
		return err
	})
	return j, err
}

// accountHandle is an account's handle, or its id once it is removed.
func accountHandle(tx Tx, ws, id string) string {
	if a, err := tx.Account(ws, id); err == nil {
		return a.Handle
	}
	return id
}

// MarkRead marks a conversation read.
func (s *Service) MarkRead(ctx context.Context, ws, id string) error {
	return s.update(ctx, func(tx Tx) (bool, error) {
		c, err := conversation(tx, ws, id)
		if err != nil || !c.Unread {
			return false, err
		}
		c.Unread, c.UpdatedAt = false, s.clock.Now().UTC()
		return false, tx.PutConversation(c)
	})
}

// sendLimit returns a *LimitError when the account may not send a DM at
// now: X rate-limits it (a hold X's answer set, which lifts by itself), or
// it has sent its daily cap today (lowered by warmup), which a person's
// messages count towards like the automation's. Other holds do not stop a
// person's message: a pause stops the automation, not its owner.
func sendLimit(tx Tx, a store.Account, now time.Time) error {
	st, err := tx.AccountState(a.Workspace, a.ID)
	if err != nil && !store.IsNotFound(err) {
		return err
	}
	for _, h := range st.Holds {
		if h.By == "x" && !h.Until.IsZero() && h.InForce(now) && h.Scope == store.HoldAll {
			return &LimitError{
				Reason:     fmt.Sprintf("@%s is rate limited by X until %s: %s", a.Handle, h.Until.UTC().Format(time.RFC3339), h.Reason),
				RetryAfter: max(time.Second, h.Until.Sub(now)),
			}
		}
	}
	dc := a.DailyCap(st.Ramp, now)
	today := schedule.DayOf(now, dc.Loc)
	n, err := tx.SentOn(a.Workspace, a.ID, today.Key())
	if err != nil {
		return err
	}
	if dc.Full(today, n) {
		return &LimitError{
			Reason:     fmt.Sprintf("@%s has sent %d DMs today, its daily cap of %d", a.Handle, n, dc.On(today)),
			RetryAfter: max(time.Second, (today + 1).Start(dc.Loc).Sub(now)),
		}
	}
	return nil
}

// ErrJobWaitTimeout is what WaitJob answers when the job is still running
// at its deadline: the job goes on, and its id follows it.
var ErrJobWaitTimeout = errors.New("the job has not ended yet")

// WaitJob waits until the workspace's job id ends (done, failed, ...) and
// returns it, reading its state in the store with a short backoff, so it
// sees the job end whichever process runs the engine. It gives up after
// timeout, or when ctx ends, with the job as last read and an error that
// wraps ErrJobWaitTimeout (or ctx's error).
func (s *Service) WaitJob(ctx context.Context, ws, id string, timeout time.Duration) (store.Job, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := 5 * time.Millisecond
	for {
		j, err := s.Job(ctx, ws, id)
		switch {
		case err != nil && ctx.Err() == nil:
			return j, err
		case err == nil && j.State.Final():
			return j, nil
		}
		// The wait is real time on purpose: it bounds a client's request,
		// which the virtual clock of tests does not move.
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return j, fmt.Errorf("job %s: %w", id, ErrJobWaitTimeout)
			}
			return j, ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 250*time.Millisecond)
	}
}

// SentMessage is a person's message job once it has ended, with the handle
// of the account it went from.
type SentMessage struct {
	Job           store.Job
	AccountHandle string
}

// WaitMessage waits for a message job queued by SendDM to end, as WaitJob
// does, and returns it with its account's handle.
func (s *Service) WaitMessage(ctx context.Context, ws, jobID string, timeout time.Duration) (SentMessage, error) {
	j, err := s.WaitJob(ctx, ws, jobID, timeout)
	if err != nil {
		return SentMessage{Job: j}, err
	}
	out := SentMessage{Job: j}
	err = s.view(ctx, func(tx Tx) error {
		out.AccountHandle = accountHandle(tx, ws, j.AccountID)
		return nil
	})
	return out, err
}
