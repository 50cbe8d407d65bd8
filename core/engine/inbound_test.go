package engine

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// fakeAI is an sdk.AI whose ClassifyReply and GenerateComment are
// function fields; it keeps what was asked of them.
type fakeAI struct {
	mu        sync.Mutex
	calls     []sdk.ClassifyRequest
	comments  []sdk.CommentRequest
	ClassifyF func(ctx context.Context, req sdk.ClassifyRequest) (sdk.Classification, error)
	CommentF  func(ctx context.Context, req sdk.CommentRequest) (string, error)
	DraftF    func(ctx context.Context, req sdk.DraftRequest) (sdk.Generated, error)
	drafts    []sdk.DraftRequest
}

var _ sdk.AI = (*fakeAI)(nil)

func (f *fakeAI) GenerateComment(ctx context.Context, req sdk.CommentRequest) (sdk.Generated, error) {
	f.mu.Lock()
	f.comments = append(f.comments, req)
	f.mu.Unlock()
	text, err := f.CommentF(ctx, req)
	return sdk.Generated{Text: text, Model: "fake", PromptVersion: "comment-test"}, err
}

func (f *fakeAI) DraftReply(ctx context.Context, req sdk.DraftRequest) (sdk.Generated, error) {
	f.mu.Lock()
	f.drafts = append(f.drafts, req)
	f.mu.Unlock()
	if f.DraftF == nil {
		return sdk.Generated{}, sdk.Errorf(sdk.Permanent, "fakeAI: no drafts")
	}
	return f.DraftF(ctx, req)
}

func (f *fakeAI) ClassifyReply(ctx context.Context, req sdk.ClassifyRequest) (sdk.Classification, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req)
	f.mu.Unlock()
	return f.ClassifyF(ctx, req)
}

func (f *fakeAI) classified() []sdk.ClassifyRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sdk.ClassifyRequest(nil), f.calls...)
}

// byKeyword classifies "yes" replies positive, "no" replies negative and
// the rest neutral, sure of itself.
func byKeyword(_ context.Context, req sdk.ClassifyRequest) (sdk.Classification, error) {
	t := strings.ToLower(req.Text)
	switch {
	case strings.HasPrefix(t, "yes"):
		return sdk.Classification{Sentiment: sdk.Positive, Confidence: 0.9}, nil
	case strings.HasPrefix(t, "no"):
		return sdk.Classification{Sentiment: sdk.Negative, Confidence: 0.9}, nil
	}
	return sdk.Classification{Sentiment: sdk.Neutral, Confidence: 0.6}, nil
}

// withAI gives the harness's engines ai as their classifier.
func (h *harness) withAI(ai sdk.AI) { h.ai = func(context.Context) (sdk.AI, error) { return ai, nil } }

// service is the operation layer over the harness's store, as the API and
// the dashboard use it.
func (h *harness) service() *service.Service {
	return service.New(store.Narrow(h.st, func(tx storetest.Tx) service.Tx { return tx }), service.Options{Clock: h.clk})
}

// messages lists a conversation's messages.
func (h *harness) messages(convID string) []store.Message {
	h.t.Helper()
	var out []store.Message
	h.view(func(tx storetest.Tx) (err error) {
		out, err = tx.Messages(ws, convID)
		return err
	})
	return out
}

// conversationOf returns the conversation with a user, as the service
// lists it, failing the test if there is none.
func (h *harness) conversationOf(userID string) service.ConversationInfo {
	h.t.Helper()
	page, err := h.service().ListConversations(context.Background(), ws, store.ConversationQuery{}, true)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, c := range page.Conversations {
		if c.LeadID == userID {
			return c
		}
	}
	h.t.Fatalf("no conversation with user %s among %d listed", userID, len(page.Conversations))
	return service.ConversationInfo{}
}

// reading starts the account's reply polling as a campaign DM does: one
// lead gets a first DM. It returns that lead.
func (h *harness) reading(e *Engine, acct store.Account) store.Lead {
	h.t.Helper()
	src := h.source("warm")
	lead := h.leads(src, 1)[0]
	h.campaign("warm", []store.Source{src}, []store.Account{acct}, variants(1, false))
	h.runDue(e)
	if h.x.firstDMsTo(lead.UserID) != 1 {
		h.t.Fatalf("the warm-up campaign sent %d first DMs; want 1", h.x.firstDMsTo(lead.UserID))
	}
	return lead
}

// TestProspectStartsConversation: someone who was never messaged writes to
// the account; the conversation is kept, listed, unread, classified and
// announced by a new_reply event, and counts as no campaign's reply.
func TestProspectStartsConversation(t *testing.T) {
	h := newHarness(t)
	ai := &fakeAI{ClassifyF: byKeyword}
	h.withAI(ai)
	acct := h.account("sales")
	e := h.engine()
	h.reading(e, acct)
	prospect := h.x.addUser("curious", "Cu Rious", 5)

	h.clk.Advance(time.Minute)
	h.x.deliver(prospect.ID, h.x.byName["sales"], "Yes, I saw your post: what does it cost?")
	h.runFor(e, 5*time.Minute, time.Minute)

	c := h.conversationOf(prospect.ID)
	if c.ID != store.ConversationID(prospect.ID, h.x.byName["sales"]) || c.AccountID != acct.ID || c.CampaignID != "" || !c.Inbound {
		t.Errorf("conversation %s of account %s, campaign %q, inbound %v; want %s of %s, no campaign, inbound",
			c.ID, c.AccountID, c.CampaignID, c.Inbound, store.ConversationID(prospect.ID, h.x.byName["sales"]), acct.ID)
	}
	if !c.Unread || c.MessageCount != 1 || len(c.Messages) != 1 || c.LastText != "Yes, I saw your post: what does it cost?" {
		t.Errorf("unread %v, %d messages (%d listed), last %q; want unread, the prospect's one message", c.Unread, c.MessageCount, len(c.Messages), c.LastText)
	}
	if c.CRM.Tag != "interested_reply" || c.Messages[0].Sentiment != store.SentimentPositive {
		t.Errorf("tag %q, message sentiment %q; want interested_reply, positive", c.CRM.Tag, c.Messages[0].Sentiment)
	}
	var got []store.NewReplyData
	for _, ev := range h.outbox(store.EventNewReply) {
		var d store.NewReplyData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			t.Fatal(err)
		}
		got = append(got, d)
	}
	if len(got) != 1 || got[0].ConversationID != c.ID || got[0].AccountHandle != "sales" || got[0].Receiver.ScreenName == "" {
		t.Errorf("new_reply events %+v; want one, for conversation %s of @sales, naming the sender", got, c.ID)
	}
	// The prospect writes again: the same conversation, one more message.
	h.x.deliver(prospect.ID, h.x.byName["sales"], "hello?")
	h.runFor(e, 5*time.Minute, time.Minute)
	if c := h.conversationOf(prospect.ID); c.MessageCount != 2 || len(h.outbox(store.EventNewReply)) != 2 {
		t.Errorf("after a second message: %d messages, %d new_reply events; want 2 and 2", c.MessageCount, len(h.outbox(store.EventNewReply)))
	}
	if len(h.conversations()) != 2 {
		t.Errorf("%d conversations; want the campaign's and the prospect's", len(h.conversations()))
	}
}

// TestReplySentimentTags: every new reply is classified once, however often
// the store runs the transaction that records it, and tags its
// conversation, unless a person tagged it.
func TestReplySentimentTags(t *testing.T) {
	tests := []struct {
		name    string
		replies []string
		// personTag, if set, is the tag a person gives the conversation
		// before the replies come.
		personTag     string
		wantTag       string
		wantSentiment []string
	}{
		{name: "positive", replies: []string{"Yes, tell me more"}, wantTag: "interested_reply", wantSentiment: []string{"positive"}},
		{name: "negative", replies: []string{"No thanks, we built our own"}, wantTag: "negative_reply", wantSentiment: []string{"negative"}},
		{name: "neutral", replies: []string{"who is this?"}, wantTag: "neutral_reply", wantSentiment: []string{"neutral"}},
		{name: "the classifier's tag follows the latest reply", replies: []string{"Yes, maybe", "no, my boss says no"},
			wantTag: "negative_reply", wantSentiment: []string{"positive", "negative"}},
		{name: "a person's tag stays", replies: []string{"No, not now"}, personTag: "booked",
			wantTag: "booked", wantSentiment: []string{"negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.rerun = true
			ai := &fakeAI{ClassifyF: byKeyword}
			h.withAI(ai)
			acct := h.account("sales")
			e := h.engine()
			lead := h.reading(e, acct)
			conv := store.ConversationID(lead.UserID, h.x.byName["sales"])
			if tt.personTag != "" {
				tag := tt.personTag
				if _, err := h.service().UpdateCRM(context.Background(), ws, service.CRMUpdate{ConversationID: conv, Tag: &tag}); err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range tt.replies {
				h.clk.Advance(time.Minute)
				h.x.deliver(lead.UserID, h.x.byName["sales"], r)
				h.runFor(e, 3*time.Minute, time.Minute)
			}
			c := h.conversationOf(lead.UserID)
			if c.CRM.Tag != tt.wantTag {
				t.Errorf("tag %q; want %q", c.CRM.Tag, tt.wantTag)
			}
			var sentiments []string
			for _, m := range c.Messages {
				if !m.Sent {
					sentiments = append(sentiments, m.Sentiment)
				}
			}
			if strings.Join(sentiments, ",") != strings.Join(tt.wantSentiment, ",") || c.Sentiment != tt.wantSentiment[len(tt.wantSentiment)-1] {
				t.Errorf("reply sentiments %v, conversation's %q; want %v", sentiments, c.Sentiment, tt.wantSentiment)
			}
			calls := ai.classified()
			if len(calls) != len(tt.replies) {
				t.Fatalf("the classifier was asked %d times; want once per reply (%d)", len(calls), len(tt.replies))
			}
			// The classifier sees the conversation so far: at least the
			// campaign's first DM.
			if len(calls[0].Context) == 0 || !calls[0].Context[0].FromAccount {
				t.Errorf("first classification's context %+v; want the account's first DM", calls[0].Context)
			}
		})
	}
}

// TestFailingClassifier: a classifier that fails, or none, never keeps a
// reply from being recorded, announced or from stopping follow-ups; the
// reply is left untagged and says why.
func TestFailingClassifier(t *testing.T) {
	tests := []struct {
		name string
		ai   func(context.Context) (sdk.AI, error)
	}{
		{name: "none configured"},
		{name: "plugin fails to start", ai: func(context.Context) (sdk.AI, error) {
			return nil, sdk.Errorf(sdk.Permanent, "ai: config: model is required with base_url")
		}},
		{name: "call fails", ai: func(context.Context) (sdk.AI, error) {
			return &fakeAI{ClassifyF: func(context.Context, sdk.ClassifyRequest) (sdk.Classification, error) {
				return sdk.Classification{}, errBoom
			}}, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.ai = tt.ai
			acct := h.account("sales")
			src := h.source("s")
			lead := h.leads(src, 1)[0]
			c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
			e := h.engine()
			h.runDue(e)
			h.clk.Advance(time.Hour)
			h.x.deliver(lead.UserID, h.x.byName["sales"], "Yes please, send details")
			h.runFor(e, 2*24*time.Hour, 10*time.Minute)

			conv := h.conversationOf(lead.UserID)
			if !conv.Replied || !conv.Unread || conv.CRM.Tag != "" || conv.Sentiment != "" {
				t.Errorf("replied %v, unread %v, tag %q, sentiment %q; want replied, unread, untagged, unclassified",
					conv.Replied, conv.Unread, conv.CRM.Tag, conv.Sentiment)
			}
			if last := conv.Messages[len(conv.Messages)-1]; last.Sent || last.Unclassified == "" {
				t.Errorf("last message %+v; want the lead's reply, with why it was not classified", last)
			}
			if n := len(h.outbox(store.EventNewReply)); n != 1 {
				t.Errorf("%d new_reply events; want 1", n)
			}
			if j := h.job(store.FollowupJobID(c.ID, lead.UserID, 1)); j.State != store.JobCancelled {
				t.Errorf("follow-up %s; want cancelled", j.State)
			}
		})
	}
}

// TestOptOutBarsEveryCampaign: an opt-out, however it is worded, cancels
// the lead's pending follow-up, puts it on the do-not-contact list with a
// lead_opted_out event, and no campaign created afterwards messages it.
func TestOptOutBarsEveryCampaign(t *testing.T) {
	for _, text := range []string{"Please take me off your list", "Don’t follow up.", "leave me alone", "not interested, please stop"} {
		t.Run(text, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.withAI(&fakeAI{ClassifyF: byKeyword})
			acct := h.account("sales")
			src := h.source("s")
			leads := h.leads(src, 2)
			c := h.campaign("c", []store.Source{src}, []store.Account{acct}, variants(1, true))
			e := h.engine()
			h.runFor(e, time.Hour, 5*time.Minute)
			h.x.deliver(leads[0].UserID, h.x.byName["sales"], text)
			h.runFor(e, 2*24*time.Hour, 10*time.Minute)

			if j := h.job(store.FollowupJobID(c.ID, leads[0].UserID, 1)); j.State != store.JobCancelled {
				t.Errorf("the opted-out lead's follow-up is %s; want cancelled", j.State)
			}
			if !h.dnc(leads[0].UserID) || len(h.outbox(store.EventLeadOptedOut)) != 1 {
				t.Errorf("do-not-contact %v, %d lead_opted_out events; want on the list, 1", h.dnc(leads[0].UserID), len(h.outbox(store.EventLeadOptedOut)))
			}
			// A new campaign over the same source, without workspace
			// dedupe: only the other lead hears from it.
			h.campaign("again", []store.Source{src}, []store.Account{acct}, variants(1, true), func(c *store.Campaign) { c.Dedupe = false })
			h.runFor(e, 3*24*time.Hour, 10*time.Minute)
			if got := h.x.dmsTo(leads[0].UserID); len(got) != 1 {
				t.Errorf("the opted-out lead received %q; want only the first DM before the opt-out", got)
			}
			if n := h.x.firstDMsTo(leads[1].UserID); n != 2 {
				t.Errorf("the other lead received %d first DMs; want one per campaign", n)
			}
		})
	}
}
