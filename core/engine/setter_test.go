package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/sdk"
)

// byIntent classifies a reply by its first word, as a sure classifier
// would: "yes" positive, "call" positive asking for a call, "no" negative,
// "stop" an opt-out, "hmm" neutral but unsure, anything else neutral.
func byIntent(_ context.Context, req sdk.ClassifyRequest) (sdk.Classification, error) {
	c := sdk.Classification{Sentiment: sdk.Neutral, Confidence: 0.8, Model: "fake", PromptVersion: "classify-test"}
	first, _, _ := strings.Cut(strings.ToLower(req.Text), " ")
	switch strings.Trim(first, ",.!?") {
	case "yes":
		c.Sentiment = sdk.Positive
	case "call":
		c.Sentiment, c.Booking = sdk.Positive, true
	case "no":
		c.Sentiment = sdk.Negative
	case "stop":
		c.Sentiment, c.OptOut = sdk.Negative, true
	case "hmm":
		c.Confidence = 0.3
	}
	return c, nil
}

// numberedDrafts drafts "Answer N: ..." where N counts the account's
// messages so far, quoting the lead's last message.
func numberedDrafts(_ context.Context, req sdk.DraftRequest) (sdk.Generated, error) {
	n := 0
	for _, m := range req.Conversation {
		if m.FromAccount {
			n++
		}
	}
	last := req.Conversation[len(req.Conversation)-1].Text
	return sdk.Generated{Text: fmt.Sprintf("Answer %d to %q, %s", n, last, req.LeadName), Model: "fake-model", PromptVersion: "draft-test"}, nil
}

// setterWorld is an account with the AI setter on, whose campaign has sent
// one lead a first DM.
type setterWorld struct {
	h    *harness
	ai   *fakeAI
	e    *Engine
	acct store.Account
	lead store.Lead
}

var testSetter = store.Setter{MaxAnswers: 2, MinDelay: 2 * time.Minute, MaxDelay: 5 * time.Minute, MinConfidence: 0.6}

func newSetterWorld(t *testing.T, mod ...func(*store.Account)) *setterWorld {
	t.Helper()
	w := &setterWorld{h: newHarness(t), ai: &fakeAI{ClassifyF: byIntent, DraftF: numberedDrafts}}
	w.h.withAI(w.ai)
	w.acct = w.h.account("sales", append([]func(*store.Account){func(a *store.Account) {
		a.AISetter, a.Setter, a.DailyDMLimit = true, testSetter, 50
	}}, mod...)...)
	w.e = w.h.engine()
	w.lead = w.h.reading(w.e, w.acct)
	return w
}

// reply has the lead write to the account, and the engine run a quarter
// of an hour: long enough to read it and answer it.
func (w *setterWorld) reply(text string) {
	w.h.clk.Advance(time.Minute)
	w.h.x.deliver(w.lead.UserID, w.h.x.byName["sales"], text)
	w.h.runFor(w.e, 15*time.Minute, 30*time.Second)
}

// answers are the AI answers on X to the lead, in order.
func (w *setterWorld) answers() []string {
	var out []string
	for _, t := range w.h.x.dmsTo(w.lead.UserID) {
		if strings.HasPrefix(t, "Answer ") {
			out = append(out, t)
		}
	}
	return out
}

func (w *setterWorld) conversation() store.Conversation {
	w.h.t.Helper()
	var c store.Conversation
	w.h.view(func(tx storetest.Tx) (err error) {
		c, err = tx.Conversation(ws, convID(w.lead.UserID, w.h.x.byName["sales"]))
		return err
	})
	return c
}

// answerJobs lists the account's AI answer jobs.
func (w *setterWorld) answerJobs() []store.Job {
	return w.h.jobs(store.JobQuery{AccountID: w.acct.ID, Kind: store.JobAnswer})
}

// TestSetterAnswersThenHandsOff: a positive reply gets one drafted answer,
// after a human-like delay, stored with its model and prompt version and
// told as a dm_sent of kind ai_answer; a reply that asks for a call hands
// the conversation to a person (tag engaged, conversation_handed_off), and
// nothing is answered after that.
func TestSetterAnswersThenHandsOff(t *testing.T) {
	w := newSetterWorld(t)
	h := w.h
	w.reply("yes, tell me more")
	answers := w.answers()
	if len(answers) != 1 || !strings.Contains(answers[0], `"yes, tell me more"`) {
		t.Fatalf("answers on X %q; want one, to the reply", answers)
	}
	replyAt := h.x.events[len(h.x.events)-2].CreatedAt
	sends := h.sendsBy("sales")
	if gap := sends[len(sends)-1].At.Sub(replyAt); gap < testSetter.MinDelay || gap > testSetter.MaxDelay+time.Minute {
		t.Errorf("the answer went %v after the reply; want between min_delay %v and max_delay %v (give or take a poll)", gap, testSetter.MinDelay, testSetter.MaxDelay)
	}
	c := w.conversation()
	if c.AutoAnswers != 1 || c.HandedOff || c.HumanAnswered {
		t.Errorf("conversation: %d automatic answers, handed off %v, answered by hand %v; want 1, no, no", c.AutoAnswers, c.HandedOff, c.HumanAnswered)
	}
	msgs := h.messages(c.ID)
	last := msgs[len(msgs)-1]
	if !last.Auto || last.Model != "fake-model" || last.PromptVersion != "draft-test" || last.Text != answers[0] {
		t.Errorf("the stored answer %+v; want auto, model fake-model, prompt draft-test, the text on X", last)
	}
	if reply := msgs[len(msgs)-2]; reply.Sentiment != store.SentimentPositive || reply.Confidence != 0.8 || reply.Model != "fake" || reply.PromptVersion != "classify-test" {
		t.Errorf("the stored reply %+v; want its classification whole", reply)
	}
	var kinds []string
	for _, ev := range h.outbox(store.EventDMSent) {
		var d store.DMSentData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, d.Kind)
	}
	if len(kinds) != 2 || kinds[1] != sdk.DMAIAnswer {
		t.Errorf("dm_sent kinds %v; want the first DM's, then %s", kinds, sdk.DMAIAnswer)
	}

	w.reply("call me on thursday?")
	w.reply("yes, also this")
	if got := w.answers(); len(got) != 1 {
		t.Errorf("answers after the booking request %q; want none more", got[1:])
	}
	c = w.conversation()
	if !c.HandedOff || c.CRM.Tag != "engaged" {
		t.Errorf("conversation handed off %v, tag %q; want handed off, engaged", c.HandedOff, c.CRM.Tag)
	}
	events := h.outbox(store.EventConversationHandedOff)
	if len(events) != 1 {
		t.Fatalf("%d conversation_handed_off events; want 1", len(events))
	}
	var d store.ConversationHandedOffData
	if err := json.Unmarshal(events[0].Data, &d); err != nil {
		t.Fatal(err)
	}
	if d.ConversationID != c.ID || d.AccountHandle != "sales" || d.Message.Text != "call me on thursday?" || d.AutoAnswers != 1 || d.Reason == "" {
		t.Errorf("conversation_handed_off data %+v; want conversation %s of @sales, the request, 1 answer, a reason", d, c.ID)
	}
}

// TestSetterHoldsBack: what the setter never answers, and what it cancels.
func TestSetterHoldsBack(t *testing.T) {
	tests := []struct {
		name    string
		account func(*store.Account)
		// before runs between the reply and its answer's due time.
		replies []string
		before  func(w *setterWorld)
		want    int // answers on X
		wantDNC bool
		// wantJob, if set, is the final state and reason of the only
		// answer job.
		wantJob    store.JobState
		wantReason string
	}{
		{name: "negative reply", replies: []string{"no thanks"}},
		{name: "opt-out", replies: []string{"stop messaging me"}, wantDNC: true},
		{name: "opt-out only the shared detector reads", replies: []string{"leave me alone please"}, wantDNC: true},
		{name: "unsure classifier", replies: []string{"hmm who knows"}},
		{name: "strict policy", replies: []string{"yes sure"}, account: func(a *store.Account) { a.Setter.Policy = store.PolicyStrict }},
		{name: "setter off", replies: []string{"yes sure"}, account: func(a *store.Account) { a.AISetter = false }},
		{name: "max answers", replies: []string{"yes sure", "yes and", "yes again"}, want: 2},
		{name: "lead says no before the answer goes", replies: []string{"yes sure"},
			before: func(w *setterWorld) {
				w.h.x.deliver(w.lead.UserID, w.h.x.byName["sales"], "no wait, not for us")
			}, wantJob: store.JobCancelled, wantReason: "negative"},
		{name: "a person answers first", replies: []string{"yes sure"},
			before: func(w *setterWorld) {
				c := w.conversation()
				if _, err := w.h.service().SendDM(context.Background(), ws, c.ID, w.acct.ID, "Hi, it's Sam here, happy to help."); err != nil {
					w.h.t.Fatal(err)
				}
			}, wantJob: store.JobCancelled, wantReason: "a person answered"},
		{name: "a person answers on X itself", replies: []string{"yes sure"},
			before: func(w *setterWorld) {
				w.h.x.deliver(w.h.x.byName["sales"], w.lead.UserID, "Typed on my phone: let's talk!")
			}, wantJob: store.JobCancelled, wantReason: "a person answered"},
		{name: "lead put on do-not-contact", replies: []string{"yes sure"},
			before: func(w *setterWorld) {
				w.h.update(func(tx storetest.Tx) error { return tx.AddDoNotContact(ws, w.lead.UserID, "by hand") })
			}, wantDNC: true, wantJob: store.JobCancelled, wantReason: "do-not-contact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mods []func(*store.Account)
			if tt.account != nil {
				mods = append(mods, tt.account)
			}
			w := newSetterWorld(t, mods...)
			for i, r := range tt.replies {
				if i == 0 && tt.before != nil {
					w.h.clk.Advance(time.Minute)
					w.h.x.deliver(w.lead.UserID, w.h.x.byName["sales"], r)
					w.h.runFor(w.e, time.Minute, 30*time.Second) // read, not yet answered
					tt.before(w)
					w.h.runFor(w.e, 15*time.Minute, 30*time.Second)
					continue
				}
				w.reply(r)
			}
			if got := w.answers(); len(got) != tt.want {
				t.Errorf("answers on X %q; want %d", got, tt.want)
			}
			if got := w.h.dnc(w.lead.UserID); got != tt.wantDNC {
				t.Errorf("on the do-not-contact list: %v; want %v", got, tt.wantDNC)
			}
			if tt.wantJob != "" {
				jobs := w.answerJobs()
				if len(jobs) != 1 || jobs[0].State != tt.wantJob || !strings.Contains(jobs[0].LastError, tt.wantReason) {
					t.Errorf("answer jobs %+v; want one, %s, saying %q", jobs, tt.wantJob, tt.wantReason)
				}
			} else if tt.want == 0 {
				if jobs := w.answerJobs(); len(jobs) != 0 {
					t.Errorf("answer jobs %+v; want none", jobs)
				}
			}
		})
	}
}

// TestSetterDraftFailures: a draft the guardrails refuse, or a plugin that
// refuses for good, skips the answer with the reason and sends nothing; a
// failure that may pass is tried again, and the answer goes.
func TestSetterDraftFailures(t *testing.T) {
	tests := []struct {
		name      string
		draft     func(calls int) (sdk.Generated, error)
		want      int
		wantState store.JobState
		reason    string
	}{
		{name: "empty", draft: func(int) (sdk.Generated, error) { return sdk.Generated{Text: "  "}, nil },
			wantState: store.JobSkipped, reason: "the text is empty"},
		{name: "unfilled placeholder", draft: func(int) (sdk.Generated, error) { return sdk.Generated{Text: "Hi {{firstName}}!"}, nil },
			wantState: store.JobSkipped, reason: "{{firstName}}"},
		{name: "over length", draft: func(int) (sdk.Generated, error) {
			return sdk.Generated{Text: strings.Repeat("word ", maxAnswerLength/5+1)}, nil
		}, wantState: store.JobSkipped, reason: "over the limit of 1000"},
		{name: "refused for good", draft: func(int) (sdk.Generated, error) {
			return sdk.Generated{}, sdk.Errorf(sdk.Permanent, "ai: the model refused")
		}, wantState: store.JobSkipped, reason: "the model refused"},
		{name: "fails once", draft: func(calls int) (sdk.Generated, error) {
			if calls == 1 {
				return sdk.Generated{}, sdk.Errorf(sdk.Retryable, "ai: 503")
			}
			return sdk.Generated{Text: "Answer 1: glad to hear it", Model: "m", PromptVersion: "p"}, nil
		}, want: 1, wantState: store.JobDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newSetterWorld(t)
			calls := 0
			w.ai.DraftF = func(context.Context, sdk.DraftRequest) (sdk.Generated, error) {
				calls++
				return tt.draft(calls)
			}
			w.reply("yes, tell me more")
			w.h.runFor(w.e, time.Hour, time.Minute) // room for a retry
			if got := w.answers(); len(got) != tt.want {
				t.Errorf("answers on X %q; want %d", got, tt.want)
			}
			jobs := w.answerJobs()
			if len(jobs) != 1 || jobs[0].State != tt.wantState || !strings.Contains(jobs[0].LastError, tt.reason) {
				t.Errorf("answer jobs %+v; want one, %s, saying %q", jobs, tt.wantState, tt.reason)
			}
		})
	}
}

// TestSetterKeepsToCaps: an answer counts toward the account's daily DM
// cap, and waits for the next day when the cap is spent.
func TestSetterKeepsToCaps(t *testing.T) {
	w := newSetterWorld(t, func(a *store.Account) { a.DailyDMLimit = 1 })
	w.reply("yes, tell me more")
	if got := w.answers(); len(got) != 0 {
		t.Fatalf("answers on X %q the day the cap is spent; want none", got)
	}
	w.h.runFor(w.e, 26*time.Hour, 10*time.Minute)
	if got := w.answers(); len(got) != 1 {
		t.Errorf("answers on X %q the next day; want one", got)
	}
	if n := w.h.sent(w.acct.ID); n != 2 {
		t.Errorf("%d DMs counted against the account's caps; want the first DM and the answer", n)
	}
}
