package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/message"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/sdk"
)

// engager is an account option: it may follow, like and comment plenty a
// day, and sends a DM a minute.
func engager(a *store.Account) {
	a.DailyDMLimit, a.DailyFollowLimit, a.DailyLikeLimit, a.DailyCommentLimit = 100, 100, 100, 100
	a.MinGap, a.MaxGap = time.Minute, time.Minute
}

// commentTemplate is what engageAll campaigns guide the AI with.
const commentTemplate = "Say something kind to {{firstName}} about their work"

// engageAll is a campaign option: follow, like and comment before the first
// DM.
func engageAll(c *store.Campaign) {
	c.Follow, c.Like, c.Comment, c.CommentTemplate = true, true, true, commentTemplate
}

// commenter is an AI plugin that comments "Love this, @username".
func commenter() *fakeAI {
	return &fakeAI{CommentF: func(_ context.Context, req sdk.CommentRequest) (string, error) {
		return "Love this, @" + req.AuthorUsername, nil
	}}
}

// engageWorld is an engageAll campaign from one account to n leads who
// each have a post or two on X: latest maps each lead to its newest.
type engageWorld struct {
	h      *harness
	ai     *fakeAI
	acct   store.Account
	src    store.Source
	leads  []store.Lead
	latest map[string]sdk.Post
	camp   store.Campaign
}

func newEngageWorld(t *testing.T, n int, mod ...func(*store.Campaign)) *engageWorld {
	t.Helper()
	w := &engageWorld{h: newHarness(t), ai: commenter(), latest: map[string]sdk.Post{}}
	w.h.withAI(w.ai)
	w.acct = w.h.account("sales", w.h.known, engager)
	w.src = w.h.source("fans")
	w.addLeads(n)
	w.camp = w.h.campaign("hello", []store.Source{w.src}, []store.Account{w.acct}, variants(1, false), append([]func(*store.Campaign){engageAll}, mod...)...)
	return w
}

// addLeads adds n leads with posts to the source.
func (w *engageWorld) addLeads(n int) []store.Lead {
	leads := w.h.leads(w.src, n)
	for _, l := range leads {
		w.h.x.post(l.UserID, "An older post")
		w.latest[l.UserID] = w.h.x.post(l.UserID, "We just shipped v2 of "+l.Username)
	}
	w.leads = append(w.leads, leads...)
	return leads
}

// engagements returns a campaign's engagement outcomes through the
// service, as a user reads them, by lead and step.
func (h *harness) engagements(c store.Campaign) map[string]map[store.EngageStep]store.Engagement {
	h.t.Helper()
	list, err := h.service().Engagements(context.Background(), ws, c.ID, "")
	if err != nil {
		h.t.Fatalf("Engagements: %v", err)
	}
	out := map[string]map[store.EngageStep]store.Engagement{}
	for _, e := range list {
		if out[e.LeadID] == nil {
			out[e.LeadID] = map[store.EngageStep]store.Engagement{}
		}
		out[e.LeadID][e.Step] = e
	}
	return out
}

// effectsOn lists the writes on X about a lead (on the lead, or on its
// latest post), "kind target" in order.
func (w *engageWorld) effectsOn(l store.Lead) []string {
	var out []string
	for _, ef := range w.h.x.effects {
		if ef.Target == l.UserID || ef.Target == w.latest[l.UserID].ID {
			out = append(out, ef.Kind+" "+ef.Target)
		}
	}
	return out
}

// count counts the writes of a kind on X.
func (x *fakeX) count(kind string) int {
	n := 0
	for _, ef := range x.effects {
		if ef.Kind == kind {
			n++
		}
	}
	return n
}

// commentsOn lists the replies X holds to a post.
func (x *fakeX) commentsOn(postID string) []sdk.Post {
	var out []sdk.Post
	for _, p := range x.posts {
		if p.InReplyToID == postID {
			out = append(out, p)
		}
	}
	return out
}

// wantOutcome checks a step's outcome: its state, and a part of its reason.
func wantOutcome(t *testing.T, lead string, got map[store.EngageStep]store.Engagement, step store.EngageStep, state store.EngageState, reason string) {
	t.Helper()
	e, ok := got[step]
	switch {
	case !ok:
		t.Errorf("lead %s: no %s outcome; want %s", lead, step, state)
	case e.State != state || !strings.Contains(e.Reason, reason):
		t.Errorf("lead %s: %s is %s (%q); want %s (%q)", lead, step, e.State, e.Reason, state, reason)
	}
}

// TestEngageBeforeFirstDM: before each lead's first DM, the account that
// sends it follows the lead, likes their latest post and comments on it
// with what the AI plugin wrote from the campaign's template, in that
// order; each outcome is stored per lead and step, counted per day, and
// shown in the campaign's figures. So it is on a store that runs every
// transaction twice.
func TestEngageBeforeFirstDM(t *testing.T) {
	for _, rerun := range []bool{false, true} {
		t.Run(fmt.Sprintf("rerun=%v", rerun), func(t *testing.T) { testEngageBeforeFirstDM(t, rerun) })
	}
}

func testEngageBeforeFirstDM(t *testing.T, rerun bool) {
	w := newEngageWorld(t, 2)
	h := w.h
	h.rerun = rerun
	h.runUntilIdle(h.engine())

	got := h.engagements(w.camp)
	for _, l := range w.leads {
		post := w.latest[l.UserID]
		want := []string{"follow " + l.UserID, "like " + post.ID, "comment " + post.ID, "dm " + l.UserID}
		if effects := w.effectsOn(l); strings.Join(effects, ", ") != strings.Join(want, ", ") {
			t.Errorf("lead %s: X saw %v; want %v", l.UserID, effects, want)
		}
		for _, step := range store.EngageSteps {
			wantOutcome(t, l.UserID, got[l.UserID], step, store.EngageDone, "")
			if e := got[l.UserID][step]; e.AccountID != w.acct.ID {
				t.Errorf("lead %s: %s by %q; want the DM's account %q", l.UserID, step, e.AccountID, w.acct.ID)
			}
		}
		comments := h.x.commentsOn(post.ID)
		c := got[l.UserID][store.EngageComment]
		if len(comments) != 1 || c.CommentID != comments[0].ID || c.Text != "Love this, @"+l.Username || c.PostID != post.ID {
			t.Errorf("lead %s: comment outcome %+v, X holds %v; want the one comment on %s", l.UserID, c, comments, post.ID)
		}
		if got[l.UserID][store.EngageLike].PostID != post.ID {
			t.Errorf("lead %s: liked %q; want the latest post %s", l.UserID, got[l.UserID][store.EngageLike].PostID, post.ID)
		}
	}
	reqs := w.ai.comments
	if len(reqs) != 2 {
		t.Fatalf("the AI plugin wrote %d comments; want 2", len(reqs))
	}
	for i, l := range w.leads {
		want := sdk.CommentRequest{PostText: w.latest[l.UserID].Text, AuthorUsername: l.Username, AuthorName: l.Name, AuthorBio: l.Bio, Instructions: message.Render(commentTemplate, l), MaxLength: 280}
		if reqs[i] != want {
			t.Errorf("comment request %+v; want %+v", reqs[i], want)
		}
	}
	day := t0.Format(time.DateOnly)
	h.view(func(tx storetest.Tx) error {
		for _, step := range store.EngageSteps {
			if n, err := tx.EngagedOn(ws, w.acct.ID, step, day); err != nil || n != 2 {
				t.Errorf("EngagedOn(%s, %s) = %d, %v; want 2", step, day, n, err)
			}
		}
		return nil
	})
	if n := h.sent(w.acct.ID); n != 2 {
		t.Errorf("%d DMs sent; want 2", n)
	}
	if n := len(h.intents()); n != 0 {
		t.Errorf("%d intents left", n)
	}
	_, campaigns, err := h.service().Stats(context.Background(), ws)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range campaigns[0].Engagement {
		if st.Done != 2 || st.Requested+st.Skipped+st.Failed != 0 {
			t.Errorf("campaign figures for %s: %+v; want 2 done", st.Step, st)
		}
	}
	if n := len(campaigns[0].Engagement); n != 3 {
		t.Errorf("campaign figures for %d steps; want 3", n)
	}
}

// TestEngageNotAskedFor: a campaign that asks for no engagement sends its
// DMs without touching anything else on X.
func TestEngageNotAskedFor(t *testing.T) {
	w := newEngageWorld(t, 2, func(c *store.Campaign) { c.Follow, c.Like, c.Comment = false, false, false })
	w.h.runUntilIdle(w.h.engine())
	if n := len(w.h.x.effects); n != 2 || w.h.x.count("dm") != 2 {
		t.Errorf("X saw %v; want the 2 DMs only", w.h.x.effects)
	}
	if got := w.h.engagements(w.camp); len(got) != 0 {
		t.Errorf("engagement outcomes %v; want none", got)
	}
}

// TestEngageOutcomes: how each step can end other than done, and that the
// DM goes whatever the engagement's outcome.
func TestEngageOutcomes(t *testing.T) {
	type want struct {
		state  store.EngageState
		reason string
	}
	done := want{state: store.EngageDone}
	tests := []struct {
		name  string
		setup func(w *engageWorld, lead store.Lead)
		want  map[store.EngageStep]want
		// effects are the writes X sees about the lead, by kind.
		effects []string
	}{
		{
			name:    "protected lead: a follow request",
			setup:   func(w *engageWorld, l store.Lead) { w.h.x.protected[l.UserID] = true },
			want:    map[store.EngageStep]want{store.EngageFollow: {state: store.EngageRequested}, store.EngageLike: done, store.EngageComment: done},
			effects: []string{"follow", "like", "comment", "dm"},
		},
		{
			name: "lead without posts",
			setup: func(w *engageWorld, l store.Lead) {
				w.h.x.posts = nil
				delete(w.latest, l.UserID)
			},
			want: map[store.EngageStep]want{
				store.EngageFollow: done, store.EngageLike: {store.EngageSkipped, "no posts"}, store.EngageComment: {store.EngageSkipped, "no posts"},
			},
			effects: []string{"follow", "dm"},
		},
		{
			name: "the lead's posts cannot be read",
			setup: func(w *engageWorld, _ store.Lead) {
				w.h.net.UserPostsF = func(context.Context, sdk.Session, string, int) ([]sdk.Post, error) {
					return nil, sdk.Errorf(sdk.NotFound, "user is protected")
				}
			},
			want: map[store.EngageStep]want{
				store.EngageFollow: done, store.EngageLike: {store.EngageFailed, "read the lead's posts: user is protected"},
				store.EngageComment: {store.EngageFailed, "read the lead's posts"},
			},
			effects: []string{"follow", "dm"},
		},
		{
			name: "the follow fails",
			setup: func(w *engageWorld, _ store.Lead) {
				w.h.net.FollowF = func(context.Context, sdk.Session, string) (bool, error) {
					return false, sdk.Errorf(sdk.Permanent, "you are unable to follow more people at this time")
				}
			},
			want: map[store.EngageStep]want{
				store.EngageFollow: {store.EngageFailed, "unable to follow"}, store.EngageLike: done, store.EngageComment: done,
			},
			effects: []string{"like", "comment", "dm"},
		},
		{
			name: "a like in doubt",
			setup: func(w *engageWorld, _ store.Lead) {
				w.h.net.LikeF = func(context.Context, sdk.Session, string) error { return errBoom }
			},
			want: map[store.EngageStep]want{
				store.EngageFollow: done, store.EngageLike: {store.EngageFailed, errBoom.Error()}, store.EngageComment: done,
			},
			effects: []string{"follow", "comment", "dm"},
		},
		{
			name: "the comment model fails",
			setup: func(w *engageWorld, _ store.Lead) {
				w.ai.CommentF = func(context.Context, sdk.CommentRequest) (string, error) {
					return "", errors.New("model overloaded")
				}
			},
			want: map[store.EngageStep]want{
				store.EngageFollow: done, store.EngageLike: done, store.EngageComment: {store.EngageSkipped, "could not write a comment: model overloaded"},
			},
			effects: []string{"follow", "like", "dm"},
		},
		{
			name: "the comment model answers nothing",
			setup: func(w *engageWorld, _ store.Lead) {
				w.ai.CommentF = func(context.Context, sdk.CommentRequest) (string, error) { return " \n ", nil }
			},
			want: map[store.EngageStep]want{
				store.EngageFollow: done, store.EngageLike: done, store.EngageComment: {store.EngageSkipped, "comment was not posted: the text is empty"},
			},
			effects: []string{"follow", "like", "dm"},
		},
		{
			name:  "no AI plugin",
			setup: func(w *engageWorld, _ store.Lead) { w.h.ai = nil },
			want: map[store.EngageStep]want{
				store.EngageFollow: done, store.EngageLike: done, store.EngageComment: {store.EngageSkipped, "no AI plugin"},
			},
			effects: []string{"follow", "like", "dm"},
		},
		{
			name: "the account may not engage",
			setup: func(w *engageWorld, _ store.Lead) {
				w.h.update(func(tx storetest.Tx) error {
					a, err := tx.Account(ws, w.acct.ID)
					a.DailyFollowLimit, a.DailyLikeLimit, a.DailyCommentLimit = 0, 0, 0
					if err != nil {
						return err
					}
					return tx.PutAccount(a)
				})
			},
			want: map[store.EngageStep]want{
				store.EngageFollow:  {store.EngageSkipped, "daily_follow_limit is 0"},
				store.EngageLike:    {store.EngageSkipped, "daily_like_limit is 0"},
				store.EngageComment: {store.EngageSkipped, "daily_comment_limit is 0"},
			},
			effects: []string{"dm"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newEngageWorld(t, 1)
			l := w.leads[0]
			tt.setup(w, l)
			h := w.h
			h.runUntilIdle(h.engine())

			got := h.engagements(w.camp)[l.UserID]
			for step, want := range tt.want {
				wantOutcome(t, l.UserID, got, step, want.state, want.reason)
			}
			var kinds []string
			for _, ef := range w.effectsOn(l) {
				kinds = append(kinds, strings.Fields(ef)[0])
			}
			if strings.Join(kinds, " ") != strings.Join(tt.effects, " ") {
				t.Errorf("X saw %v; want %v", kinds, tt.effects)
			}
			if j := h.job(store.DMJobID(w.camp.ID, l.UserID)); j.State != store.JobDone || h.x.firstDMsTo(l.UserID) != 1 {
				t.Errorf("first DM job is %s (%s), X holds %d first DMs; want it sent once", j.State, j.LastError, h.x.firstDMsTo(l.UserID))
			}
			if holds := h.holdsOf(w.acct.ID); len(holds) != 0 {
				t.Errorf("the account is held: %+v", holds)
			}
			if n := len(h.intents()); n != 0 {
				t.Errorf("%d intents left", n)
			}
		})
	}
}

// TestEngageDailyCaps: each step has its own cap a day per account,
// counted in the days of the account's active hours' time zone as its
// DMs are. A step over its cap is skipped with the reason, and the DM
// still goes; the next local day the cap is new.
func TestEngageDailyCaps(t *testing.T) {
	w := newEngageWorld(t, 0)
	h := w.h
	// 19:00 in New York on Monday, already Tuesday in UTC.
	h.clk.Advance(15 * time.Hour)
	h.update(func(tx storetest.Tx) error {
		a, err := tx.Account(ws, w.acct.ID)
		if err != nil {
			return err
		}
		a.DailyDMLimit, a.DailyFollowLimit, a.DailyLikeLimit, a.DailyCommentLimit = 3, 2, 1, 1
		a.ActiveHours = &store.Window{End: 24 * time.Hour, TimeZone: "America/New_York", Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}}
		return tx.PutAccount(a)
	})
	w.addLeads(4)
	h.fill(w.camp.ID)
	e := h.engine()
	h.runFor(e, 4*time.Hour, 5*time.Minute) // to 23:00 in New York

	states := func(step store.EngageStep) map[store.EngageState]int {
		out := map[store.EngageState]int{}
		for _, byStep := range h.engagements(w.camp) {
			if e, ok := byStep[step]; ok {
				out[e.State]++
				if e.State == store.EngageSkipped && !strings.Contains(e.Reason, fmt.Sprintf("daily %s limit reached", step)) {
					t.Errorf("%s skipped for %q; want the daily limit", step, e.Reason)
				}
			}
		}
		return out
	}
	if n := h.sent(w.acct.ID); n != 3 {
		t.Fatalf("%d DMs sent on Monday in New York; want the cap, 3", n)
	}
	for step, want := range map[store.EngageStep]map[store.EngageState]int{
		store.EngageFollow:  {store.EngageDone: 2, store.EngageSkipped: 1},
		store.EngageLike:    {store.EngageDone: 1, store.EngageSkipped: 2},
		store.EngageComment: {store.EngageDone: 1, store.EngageSkipped: 2},
	} {
		if got := states(step); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s outcomes on Monday: %v; want %v", step, got, want)
		}
	}

	// After midnight in New York, the fourth lead's DM goes, with a
	// follow, a like and a comment: the caps are new.
	h.runFor(e, 3*time.Hour, 5*time.Minute)
	if n := h.sent(w.acct.ID); n != 4 {
		t.Fatalf("%d DMs sent by Tuesday in New York; want 4", n)
	}
	nyMidnight := time.Date(2026, 3, 3, 5, 0, 0, 0, time.UTC)
	var last store.Lead
	for _, l := range w.leads {
		if !h.job(store.DMJobID(w.camp.ID, l.UserID)).DoneAt.Before(nyMidnight) {
			last = l
		}
	}
	got := h.engagements(w.camp)[last.UserID]
	for _, step := range store.EngageSteps {
		wantOutcome(t, last.UserID, got, step, store.EngageDone, "")
	}
	h.view(func(tx storetest.Tx) error {
		for day, want := range map[string]int{"2026-03-02": 2, "2026-03-03": 1} {
			if n, err := tx.EngagedOn(ws, w.acct.ID, store.EngageFollow, day); err != nil || n != want {
				t.Errorf("follows on %s (New York) = %d, %v; want %d", day, n, err, want)
			}
		}
		return nil
	})
}

// TestEngageOptedOutLead: a lead on the do-not-contact list gets no
// engagement, and no DM.
func TestEngageOptedOutLead(t *testing.T) {
	w := newEngageWorld(t, 2)
	h := w.h
	out := w.leads[0]
	h.update(func(tx storetest.Tx) error { return tx.AddDoNotContact(ws, out.UserID, "replied stop") })
	h.runUntilIdle(h.engine())

	if effects := w.effectsOn(out); len(effects) != 0 {
		t.Errorf("X saw %v about the opted-out lead; want nothing", effects)
	}
	if got := h.engagements(w.camp)[out.UserID]; len(got) != 0 {
		t.Errorf("the opted-out lead has engagement outcomes %v", got)
	}
	if j := h.job(store.DMJobID(w.camp.ID, out.UserID)); j.State != store.JobCancelled {
		t.Errorf("the opted-out lead's DM job is %s; want cancelled", j.State)
	}
	if n := len(w.effectsOn(w.leads[1])); n != 4 {
		t.Errorf("the other lead saw %d writes; want follow, like, comment and DM", n)
	}
}

// TestEngageRateLimitHoldsAccount: a 429 on a follow holds the account as
// one on a DM does: nothing more until X's limit lifts, then the follow
// and the rest, and the DM.
func TestEngageRateLimitHoldsAccount(t *testing.T) {
	w := newEngageWorld(t, 1)
	h := w.h
	l := w.leads[0]
	lifts := t0.Add(2 * time.Hour)
	follow := h.net.FollowF
	h.net.FollowF = func(ctx context.Context, s sdk.Session, id string) (bool, error) {
		h.net.FollowF = follow
		return false, &sdk.Error{Kind: sdk.RateLimited, Message: "429 Too Many Requests", ResetAt: lifts}
	}
	e := h.engine()
	h.runFor(e, time.Hour, 5*time.Minute)
	if holds := h.holdsOf(w.acct.ID); len(holds) != 1 || !strings.Contains(holds[0].Reason, "rate limited") {
		t.Errorf("holds %+v; want the rate limit's", holds)
	}
	if len(h.x.effects) != 0 || len(h.engagements(w.camp)) != 0 {
		t.Errorf("while held, X saw %v and outcomes are %v; want nothing", h.x.effects, h.engagements(w.camp))
	}
	h.runFor(e, 2*time.Hour, 5*time.Minute)
	if effects := w.effectsOn(l); len(effects) != 4 || !strings.HasPrefix(effects[0], "follow") {
		t.Errorf("after the limit lifted X saw %v; want the follow, the like, the comment and the DM", effects)
	}
	wantOutcome(t, l.UserID, h.engagements(w.camp)[l.UserID], store.EngageFollow, store.EngageDone, "")
}

// TestEngageMovesWithFailover: when the account a first DM was assigned
// to cannot act (its session expired on the follow), the DM moves to the
// campaign's other account, and the engagement with it: that account
// follows, likes, comments and sends.
func TestEngageMovesWithFailover(t *testing.T) {
	h := newHarness(t)
	h.withAI(commenter())
	broken := h.account("broken", h.known, engager)
	spare := h.account("spare", h.known, engager)
	src := h.source("fans")
	leads := h.leads(src, 2)
	for _, l := range leads {
		h.x.post(l.UserID, "Hello from "+l.Username)
	}
	c := h.campaign("hello", []store.Source{src}, []store.Account{broken, spare}, variants(1, false), engageAll)
	follow := h.net.FollowF
	h.net.FollowF = func(ctx context.Context, s sdk.Session, id string) (bool, error) {
		if s.Handle == "broken" {
			return false, sdk.Errorf(sdk.SessionExpired, "401 Unauthorized")
		}
		return follow(ctx, s, id)
	}
	h.runUntilIdle(h.engine())

	for _, ef := range h.x.effects {
		if ef.Handle != "spare" {
			t.Errorf("@%s did %s %s; want only @spare to act", ef.Handle, ef.Kind, ef.Target)
		}
	}
	if n := len(h.x.effects); n != 8 {
		t.Errorf("X saw %d writes; want a follow, a like, a comment and a DM for each of 2 leads", n)
	}
	for lead, byStep := range h.engagements(c) {
		for _, step := range store.EngageSteps {
			if e := byStep[step]; e.State != store.EngageDone || e.AccountID != spare.ID {
				t.Errorf("lead %s: %s is %s by %s; want done by @spare", lead, step, e.State, e.AccountID)
			}
		}
	}
}

// interrupt makes the step's plugin call reach X (if delivered) and then
// the run stop, as a SIGKILL would: the intent stays, the outcome is
// never written. A new process recovers.
func interrupt(w *engageWorld, step store.EngageStep, delivered bool) *Engine {
	h := w.h
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	follow, like, comment := h.net.FollowF, h.net.LikeF, h.net.CommentF
	restore := func() { h.net.FollowF, h.net.LikeF, h.net.CommentF = follow, like, comment }
	switch step {
	case store.EngageFollow:
		h.net.FollowF = func(ctx context.Context, s sdk.Session, id string) (bool, error) {
			restore()
			if delivered {
				_, _ = follow(ctx, s, id)
			}
			cancel()
			return false, ctx.Err()
		}
	case store.EngageLike:
		h.net.LikeF = func(ctx context.Context, s sdk.Session, id string) error {
			restore()
			if delivered {
				_ = like(ctx, s, id)
			}
			cancel()
			return ctx.Err()
		}
	case store.EngageComment:
		h.net.CommentF = func(ctx context.Context, s sdk.Session, id, text string) (sdk.Post, error) {
			restore()
			if delivered {
				_, _ = comment(ctx, s, id, text)
			}
			cancel()
			return sdk.Post{}, ctx.Err()
		}
	}
	e := h.engine()
	if _, err := e.RunDue(ctx); err == nil {
		h.t.Error("RunDue returned no error after its context was cancelled")
	}
	if n := len(h.intents()); n != 1 || h.intents()[0].Engage != step {
		h.t.Fatalf("intents after the interruption: %+v; want the %s's", h.intents(), step)
	}
	if teststore.Postgres() {
		h.clk.Advance(e.ttl) // the old process's leases stay live until they expire
	}
	return h.restart()
}

// TestEngageCommentInDoubtNotPostedTwice: a comment whose outcome the
// engine never learnt (the process died inside the call, or the call
// ended in an error that says nothing) is resolved from the account's own
// posts on X: found, it is recorded; not there, it is posted once; and
// when X cannot say, it is never posted again. The DM goes either way,
// and the steps already done are not done again.
func TestEngageCommentInDoubtNotPostedTwice(t *testing.T) {
	untyped := func(w *engageWorld, _ store.EngageStep, delivered bool) *Engine {
		h := w.h
		comment := h.net.CommentF
		h.net.CommentF = func(ctx context.Context, s sdk.Session, id, text string) (sdk.Post, error) {
			h.net.CommentF = comment
			if delivered {
				_, _ = comment(ctx, s, id, text)
			}
			return sdk.Post{}, errBoom
		}
		return h.engine()
	}
	tests := []struct {
		name      string
		happen    func(w *engageWorld, step store.EngageStep, delivered bool) *Engine
		delivered bool
		// blind makes the account's own posts unreadable.
		blind bool
		want  store.EngageState
	}{
		{name: "killed, on X", happen: interrupt, delivered: true, want: store.EngageDone},
		{name: "killed, not on X", happen: interrupt, delivered: false, want: store.EngageDone},
		{name: "killed, X cannot say", happen: interrupt, delivered: true, blind: true, want: store.EngageFailed},
		{name: "untyped error, on X", happen: untyped, delivered: true, want: store.EngageDone},
		{name: "untyped error, not on X", happen: untyped, delivered: false, want: store.EngageFailed},
		{name: "untyped error, X cannot say", happen: untyped, delivered: true, blind: true, want: store.EngageFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newEngageWorld(t, 1)
			h := w.h
			l, post := w.leads[0], w.latest[w.leads[0].UserID]
			if tt.blind {
				posts := h.net.UserPostsF
				h.net.UserPostsF = func(ctx context.Context, s sdk.Session, id string, n int) ([]sdk.Post, error) {
					if id == s.UserID {
						return nil, sdk.Errorf(sdk.Retryable, "503 Service Unavailable")
					}
					return posts(ctx, s, id, n)
				}
			}
			e := tt.happen(w, store.EngageComment, tt.delivered)
			// Once the comment is settled, nothing holds up the DM: it goes
			// at once, not when a lease taken to settle the comment expires.
			h.runDue(e)
			if h.x.firstDMsTo(l.UserID) != 1 {
				t.Errorf("no first DM right after the comment was settled (job: %+v)", h.job(store.DMJobID(w.camp.ID, l.UserID)))
			}
			h.runFor(e, time.Hour, 5*time.Minute)

			wantComments := 1
			if !tt.delivered && tt.want != store.EngageDone {
				wantComments = 0
			}
			if n := len(h.x.commentsOn(post.ID)); n != wantComments {
				t.Errorf("X holds %d comments on the lead's post; want %d", n, wantComments)
			}
			got := h.engagements(w.camp)[l.UserID][store.EngageComment]
			if got.State != tt.want {
				t.Errorf("comment is %s (%q); want %s", got.State, got.Reason, tt.want)
			}
			if tt.blind && (!got.InDoubt || !strings.Contains(got.Reason, "in doubt")) {
				t.Errorf("comment %+v; want failed as in doubt, with the reason", got)
			}
			if got.State == store.EngageDone && got.CommentID != h.x.commentsOn(post.ID)[0].ID {
				t.Errorf("comment recorded as %q; want X's id %q", got.CommentID, h.x.commentsOn(post.ID)[0].ID)
			}
			if h.x.count("follow") != 1 || h.x.count("like") != 1 {
				t.Errorf("X saw %d follows and %d likes; want each once: steps done are not done again", h.x.count("follow"), h.x.count("like"))
			}
			if h.x.firstDMsTo(l.UserID) != 1 {
				t.Errorf("X holds %d first DMs to the lead; want 1", h.x.firstDMsTo(l.UserID))
			}
			if n := len(h.intents()); n != 0 {
				t.Errorf("%d intents left", n)
			}
		})
	}
}

// TestEngageFollowOrLikeInDoubtIsDoneAgain: a follow or a like the
// process died inside is simply done again after the restart (X takes
// either again without effect), and recorded once; the step before it is
// not done again.
func TestEngageFollowOrLikeInDoubtIsDoneAgain(t *testing.T) {
	for _, step := range []store.EngageStep{store.EngageFollow, store.EngageLike} {
		t.Run(string(step), func(t *testing.T) {
			t.Parallel()
			w := newEngageWorld(t, 1)
			h := w.h
			l := w.leads[0]
			e := interrupt(w, step, true)
			h.runFor(e, time.Hour, 5*time.Minute)

			got := h.engagements(w.camp)[l.UserID]
			for _, s := range store.EngageSteps {
				wantOutcome(t, l.UserID, got, s, store.EngageDone, "")
			}
			wantFollows, wantLikes := 2, 1
			if step == store.EngageLike {
				wantFollows, wantLikes = 1, 2
			}
			if h.x.count("follow") != wantFollows || h.x.count("like") != wantLikes || h.x.count("comment") != 1 {
				t.Errorf("X saw %d follows, %d likes, %d comments; want %d, %d, 1",
					h.x.count("follow"), h.x.count("like"), h.x.count("comment"), wantFollows, wantLikes)
			}
			h.view(func(tx storetest.Tx) error {
				if n, err := tx.EngagedOn(ws, w.acct.ID, step, t0.Format(time.DateOnly)); err != nil || n != 1 {
					t.Errorf("%s counted %d times (%v); want once", step, n, err)
				}
				return nil
			})
			if h.x.firstDMsTo(l.UserID) != 1 {
				t.Errorf("X holds %d first DMs to the lead; want 1", h.x.firstDMsTo(l.UserID))
			}
		})
	}
}
