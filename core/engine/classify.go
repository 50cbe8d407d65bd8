package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// classified is what the AI plugin said about one reply: its sentiment,
// how sure it is, whether it opts out or asks for a call, a price or a
// demo, and what classified it; or why it said nothing.
type classified struct {
	sentiment  string
	confidence float64
	optOut     bool
	booking    bool
	provenance store.Provenance
	why        string
}

// classifyTimeout bounds one classification: the account's lease is held
// while its replies are read, and a reply is recorded without a sentiment
// rather than late.
const classifyTimeout = 15 * time.Second

// classifyContext is how many earlier messages of the conversation the
// classifier is shown.
const classifyContext = 10

// errNoAI leaves replies unclassified, and comments unwritten, when no AI
// plugin is set.
var errNoAI = errors.New("no AI plugin is configured")

// classifyReplies classifies the leads' replies among events that the
// store does not hold yet, by event id. It runs outside any transaction:
// a store may run an update's function more than once, and a plugin call
// must happen once. A classifier that is missing or fails leaves the rest
// of the batch unclassified, with the reason, and is logged: it never
// stops replies from being recorded.
func (e *Engine) classifyReplies(ctx context.Context, a store.Account, sess sdk.Session, events []sdk.DMEvent) (map[string]classified, error) {
	type reply struct {
		ev      sdk.DMEvent
		context []sdk.ConversationMessage
	}
	var replies []reply
	err := e.view(ctx, func(tx Tx) error {
		replies = nil
		history := map[string][]sdk.ConversationMessage{}
		known := map[string]bool{}
		for _, ev := range events {
			convID, inbound, ok := eventConversation(ev, sess)
			if !ok {
				continue
			}
			past, read := history[convID]
			if !read {
				msgs, err := tx.Messages(a.Workspace, convID)
				if err != nil {
					return err
				}
				for _, m := range msgs {
					known[m.ID] = true
					past = append(past, sdk.ConversationMessage{FromAccount: m.Sent, Text: m.Text})
				}
			}
			if inbound && !known[ev.ID] {
				replies = append(replies, reply{ev: ev, context: past[max(0, len(past)-classifyContext):]})
			}
			if !known[ev.ID] {
				past = append(past, sdk.ConversationMessage{FromAccount: !inbound, Text: ev.Text})
			}
			history[convID] = past
		}
		return nil
	})
	if err != nil || len(replies) == 0 {
		return nil, err
	}
	out := make(map[string]classified, len(replies))
	ai, err := e.classifier(ctx)
	for _, r := range replies {
		if err != nil {
			out[r.ev.ID] = classified{why: err.Error()}
			continue
		}
		var c sdk.Classification
		cctx, cancel := context.WithTimeout(ctx, classifyTimeout)
		c, err = ai.ClassifyReply(cctx, sdk.ClassifyRequest{Text: r.ev.Text, Context: r.context})
		cancel()
		if err == nil {
			if s := sentimentName(c.Sentiment); s != "" {
				out[r.ev.ID] = classified{
					sentiment: s, confidence: min(max(c.Confidence, 0), 1), optOut: c.OptOut, booking: c.Booking,
					provenance: store.Provenance{Model: c.Model, PromptVersion: c.PromptVersion},
				}
				continue
			}
			err = fmt.Errorf("the AI plugin answered an unknown sentiment (%d)", c.Sentiment)
		}
		e.log.Warn("classify replies: recording them without a sentiment", "account", a.Handle, "error", err)
		err = fmt.Errorf("classify reply: %w", err)
		out[r.ev.ID] = classified{why: err.Error()}
	}
	return out, nil
}

// classifier returns the AI plugin that classifies replies.
func (e *Engine) classifier(ctx context.Context) (sdk.AI, error) {
	ai, err := e.aiPlugin(ctx)
	if err != nil && !errors.Is(err, errNoAI) {
		e.log.Warn("classify replies: no AI plugin; recording them without a sentiment", "error", err)
	}
	return ai, err
}

// aiPlugin returns the AI plugin (Options.AI), or why there is none.
func (e *Engine) aiPlugin(ctx context.Context) (sdk.AI, error) {
	if e.opts.AI == nil {
		return nil, errNoAI
	}
	ai, err := e.opts.AI(ctx)
	switch {
	case err != nil:
		return nil, fmt.Errorf("start the AI plugin: %w", err)
	case ai == nil:
		return nil, errNoAI
	}
	return ai, nil
}

// eventConversation names the one-to-one conversation of an account's DM
// event, and whether the lead sent it; ok is false for what is not a
// message of such a conversation (a group's, or an event of another
// type).
func eventConversation(ev sdk.DMEvent, sess sdk.Session) (id string, inbound, ok bool) {
	if ev.EventType != "" && ev.EventType != "MessageCreate" || sess.UserID == "" {
		return "", false, false
	}
	inbound = ev.SenderID != sess.UserID
	id = ev.ConversationID
	if id == "" && inbound {
		id = store.ConversationID(ev.SenderID, sess.UserID) // as recorded sends name it
	}
	return id, inbound, id != ""
}

// sentimentName is a sentiment as the store keeps it; "" for none.
func sentimentName(s sdk.Sentiment) string {
	switch s {
	case sdk.Positive:
		return store.SentimentPositive
	case sdk.Negative:
		return store.SentimentNegative
	case sdk.Neutral:
		return store.SentimentNeutral
	}
	return ""
}

// sentimentTags are the CRM tags the classifier sets.
var sentimentTags = map[string]string{
	store.SentimentPositive: "interested_reply",
	store.SentimentNegative: "negative_reply",
	store.SentimentNeutral:  "neutral_reply",
}
