package engine

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// The AI setter answers a lead's positive or neutral reply for an account
// with ai_setter on, with a draft of the AI plugin's, and hands the
// conversation to a person when the lead asks for a call, a price or a
// demo. It decides in the transaction that records the reply (setterTurn):
// an answer is a JobAnswer, due a human-like delay later. The job is sent
// like a campaign's DM, within the account's caps, pacing and active
// hours; it is drafted when it is due (draftAnswer), and checked again
// before it goes (guardAnswer): a reply that came since, a person's
// answer, a hand-off or an opt-out cancels it.

// maxAnswerLength bounds an AI answer, in characters: a DM a person would
// write, far below X's limit.
const maxAnswerLength = 1000

// draftTimeout bounds one draft: the account's lease is held meanwhile.
const draftTimeout = 30 * time.Second

// handOffReason is why the setter hands a conversation to a person.
const handOffReason = "the lead asked for a call, a price or a demo"

// tagEngaged is the CRM tag of a conversation handed to a person.
const tagEngaged = "engaged"

// setterOf is the account's AI setter configuration; an account whose
// record has none (added through the API) has the defaults.
func setterOf(a store.Account) store.Setter {
	if a.Setter.MaxAnswers == 0 {
		s := store.DefaultSetter
		s.Policy = a.Setter.Policy
		return s
	}
	return a.Setter
}

// setterTurn is what the AI setter does about a lead's reply, in the
// transaction that records it: conv is the reply's conversation, updated
// in place (the caller puts it). A reply that opts out or reads negative
// cancels the answer waiting, if any; one that asks for a call, a price
// or a demo hands the conversation off (handOff); a positive or neutral
// one the classifier is sure enough of gets an answer, unless the
// conversation has had its share or a person has answered it. Nothing
// happens for an account without the setter, under a policy that refuses
// automatic replies, or after a hand-off.
func (e *Engine) setterTurn(tx Tx, a store.Account, conv *store.Conversation, reply store.NewReplyData, v classified, optOut bool, now time.Time) error {
	s := setterOf(a)
	if !a.AISetter || conv.HandedOff || s.Policy.Refusal(store.ActionAutoReply) != nil {
		return nil
	}
	switch {
	case optOut || v.sentiment == store.SentimentNegative:
		return cancelAnswer(tx, *conv, "the lead's reply is negative", now)
	case v.booking:
		if err := cancelAnswer(tx, *conv, "handed to a person: "+handOffReason, now); err != nil {
			return err
		}
		return handOff(tx, a, conv, reply, now)
	case v.sentiment == "" || v.confidence < s.MinConfidence || conv.HumanAnswered || conv.AutoAnswers >= s.MaxAnswers:
		return nil
	}
	if why, err := campaignRefusal(tx, *conv); err != nil || why != nil {
		return err
	}
	if dnc, err := tx.DoNotContact(conv.Workspace, conv.LeadID); err != nil || dnc {
		return err
	}
	id := store.AnswerJobID(conv.ID, conv.AutoAnswers+1)
	switch _, err := tx.Job(conv.Workspace, id); {
	case err == nil:
		return nil // one answer per turn: the one waiting answers this reply too
	case !store.IsNotFound(err):
		return err
	}
	return tx.PutJob(store.Job{
		ID: id, Workspace: conv.Workspace, Kind: store.JobAnswer, State: store.JobPending,
		DueAt: now.Add(answerDelay(s, reply.Message.ID)), AccountID: a.ID, LeadID: conv.LeadID,
		ConversationID: conv.ID, EventID: reply.Message.ID, CreatedAt: now, UpdatedAt: now,
	})
}

// answerDelay is how long after a reply its answer is due: a point
// between the setter's bounds, the same for the same reply.
func answerDelay(s store.Setter, replyID string) time.Duration {
	span := s.MaxDelay - s.MinDelay
	if span <= 0 {
		return s.MinDelay
	}
	h := fnv.New64a()
	h.Write([]byte(replyID))
	return s.MinDelay + time.Duration(h.Sum64()%uint64(span+1))
}

// campaignRefusal returns why the policy of the conversation's campaign
// refuses automatic replies, or nil if it allows them (or there is no
// campaign).
func campaignRefusal(tx Tx, conv store.Conversation) (why, err error) {
	if conv.CampaignID == "" {
		return nil, nil
	}
	c, err := tx.Campaign(conv.Workspace, conv.CampaignID)
	switch {
	case store.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return c.Policy.Refusal(store.ActionAutoReply), nil
}

// handOff hands a conversation to a person: it is tagged engaged (unless a
// person tagged it), gets no automatic answer again, and a
// conversation_handed_off event tells of it.
func handOff(tx Tx, a store.Account, conv *store.Conversation, reply store.NewReplyData, now time.Time) error {
	conv.HandedOff = true
	if conv.CRM.Tag == "" || conv.AutoTag {
		conv.CRM.Tag, conv.AutoTag = tagEngaged, false
	}
	return service.AppendEvent(tx, a.Workspace, store.EventConversationHandedOff, now, store.ConversationHandedOffData{
		ConversationID: conv.ID, AccountHandle: a.Handle, CampaignID: conv.CampaignID, Receiver: reply.Receiver,
		Message: reply.Message, Reason: handOffReason, AutoAnswers: conv.AutoAnswers,
	})
}

// cancelAnswer cancels the answer waiting in a conversation, if any.
func cancelAnswer(tx Tx, conv store.Conversation, why string, now time.Time) error {
	j, err := tx.Job(conv.Workspace, store.AnswerJobID(conv.ID, conv.AutoAnswers+1))
	switch {
	case store.IsNotFound(err):
		return nil
	case err != nil || j.State != store.JobPending:
		return err
	}
	return tx.PutJob(finished(j, store.JobCancelled, errors.New(why), now))
}

// sentByHand reports whether a DM of the account's that outreach has not
// recorded was written by a person, on X or elsewhere: no send of
// outreach's to the lead is in flight with its text (the worker that sent
// it may have ended before recording it).
func sentByHand(tx Tx, conv store.Conversation, text string) (bool, error) {
	ids := []string{store.AnswerJobID(conv.ID, conv.AutoAnswers+1)}
	if conv.CampaignID != "" {
		jobs, err := tx.Jobs(conv.Workspace, store.JobQuery{CampaignID: conv.CampaignID, LeadID: conv.LeadID, State: store.JobPending})
		if err != nil {
			return false, err
		}
		for _, j := range jobs {
			ids = append(ids, j.ID)
		}
	}
	for _, id := range ids {
		in, err := tx.Intent(conv.Workspace, id)
		switch {
		case err == nil && in.Text == text:
			return false, nil
		case err != nil && !store.IsNotFound(err):
			return false, err
		}
	}
	return true, nil
}

// guardAnswer checks an AI answer before it goes, in the guard's
// transaction: it goes only while the setter is on for the account and
// its policy allows it, the conversation is neither handed off nor
// answered by a person nor at its share of answers, the lead is not on
// the do-not-contact list, and the lead wrote last, positively or
// neutrally. Its text is the draft, if one is stored ("" until then).
func (e *Engine) guardAnswer(tx Tx, g *guarded, now time.Time) error {
	j, a := g.job, g.account
	conv, err := tx.Conversation(j.Workspace, j.ConversationID)
	if store.IsNotFound(err) {
		g.verdict, g.why = cancel, fmt.Errorf("conversation %q is not recorded", j.ConversationID)
		return nil
	} else if err != nil {
		return err
	}
	s := setterOf(a)
	why := s.Policy.Refusal(store.ActionAutoReply)
	if why == nil {
		if why, err = campaignRefusal(tx, conv); err != nil {
			return err
		}
	}
	if why != nil {
		g.verdict, g.why = refuse, why
		return nil
	}
	switch {
	case !a.AISetter:
		why = fmt.Errorf("the AI setter is off for @%s", a.Handle)
	case conv.HandedOff:
		why = errors.New("the conversation was handed to a person")
	case conv.HumanAnswered:
		why = errors.New("a person answered the conversation")
	case conv.AutoAnswers >= s.MaxAnswers:
		why = fmt.Errorf("the conversation has had its %d automatic answers", s.MaxAnswers)
	}
	if why == nil {
		w, err := lastWord(tx, conv)
		if err != nil {
			return err
		}
		if w != "" {
			why = errors.New(w)
		}
	}
	if why == nil {
		if dnc, err := tx.DoNotContact(j.Workspace, conv.LeadID); err != nil {
			return err
		} else if dnc {
			why = errors.New("the lead is on the do-not-contact list")
		}
	}
	if why != nil {
		g.verdict, g.why = cancel, why
		return nil
	}
	if _, err := sendSlot(tx, a, g.state, store.Campaign{}, now, now); errors.Is(err, schedule.ErrNoSlot) || errors.Is(err, schedule.ErrNeverOpen) {
		g.verdict, g.why = fail, fmt.Errorf("account @%s: %w", a.Handle, err)
		return nil
	} else if err != nil {
		return err
	}
	g.recipient, g.text = conv.LeadID, j.Text
	return nil
}

// lastWord returns why a conversation's last message needs no answer: the
// account wrote last, or the lead's last reply reads negative or opts
// out; "" if it is the lead's, and positive or neutral.
func lastWord(tx Tx, conv store.Conversation) (string, error) {
	msgs, err := tx.Messages(conv.Workspace, conv.ID)
	if err != nil || len(msgs) == 0 {
		return "the conversation has no message to answer", err
	}
	last := msgs[len(msgs)-1]
	switch {
	case last.Sent:
		return "the account wrote last: there is nothing to answer", nil
	case last.OptOut || last.Sentiment == store.SentimentNegative || sdk.IsOptOut(last.Text):
		return "the lead's last reply is negative", nil
	}
	return "", nil
}

// draftAnswer has the AI plugin draft the answer of g's job and stores the
// draft on the job, so that a retry or a crash sends the same text. A
// draft the guardrails refuse (checkGenerated), or a plugin that refuses
// for good, skips the answer with the reason; a failure that may pass
// retries the job later (failed). done reports that the job was settled
// or put off.
func (e *Engine) draftAnswer(ctx context.Context, g guarded) (_ guarded, done bool, err error) {
	ai, err := e.aiPlugin(ctx)
	if err != nil {
		return g, true, e.finish(ctx, g.job, store.JobSkipped, fmt.Errorf("no AI answer drafted: %w", err))
	}
	var convo []sdk.ConversationMessage
	if err := e.view(ctx, func(tx Tx) error {
		msgs, err := tx.Messages(g.job.Workspace, g.job.ConversationID)
		convo = convo[:0]
		for _, m := range msgs[max(0, len(msgs)-2*classifyContext):] {
			convo = append(convo, sdk.ConversationMessage{FromAccount: m.Sent, Text: m.Text})
		}
		return err
	}); err != nil {
		return g, true, err
	}
	dctx, cancel := context.WithTimeout(ctx, draftTimeout)
	gen, err := ai.DraftReply(dctx, sdk.DraftRequest{
		Conversation: convo, Instructions: setterOf(g.account).Instructions, LeadName: message.FirstName(g.lead), MaxLength: maxAnswerLength,
	})
	cancel()
	switch {
	case ctx.Err() != nil:
		return g, true, ctx.Err()
	case err != nil && sdk.KindOf(err) == sdk.Permanent:
		return g, true, e.finish(ctx, g.job, store.JobSkipped, fmt.Errorf("the AI plugin could not draft an answer: %w", err))
	case err != nil:
		e.log.Warn("draft an AI answer: trying again later", "account", g.account.Handle, "job", g.job.ID, "error", err)
		return g, true, e.failed(ctx, g.job, fmt.Errorf("draft an AI answer: %w", err))
	}
	text, err := checkGenerated(gen.Text, maxAnswerLength)
	if err != nil {
		return g, true, e.finish(ctx, g.job, store.JobSkipped, fmt.Errorf("the AI plugin's answer was not sent: %w", err))
	}
	var stored bool
	err = e.update(ctx, func(tx Tx) error {
		cur, err := tx.Job(g.job.Workspace, g.job.ID)
		if err != nil || cur.State != store.JobPending {
			stored = false
			return err
		}
		cur.Text, cur.Provenance, cur.UpdatedAt = text, provenance(gen), e.clk.Now()
		g.job, stored = cur, true
		return tx.PutJob(cur)
	})
	if err != nil || !stored {
		return g, true, err
	}
	g.text = text
	return g, false, nil
}
