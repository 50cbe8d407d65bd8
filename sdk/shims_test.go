package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

// echo is a plugin of every kind that answers with what it was sent, so a
// test can check that the shims carry every field both ways.
type echo struct {
	sessions []sdk.Session
	events   []sdk.Event
}

var (
	now     = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	user    = sdk.User{ID: "1", Username: "ana", Name: "Ana", Description: "bio", Location: "Lisbon", URL: "https://a.example", Verified: true, Protected: true, FollowersCount: 10, FollowingCount: 20, TweetCount: 30, ProfileImageURL: "https://img", CreatedAt: now}
	dmEvent = sdk.DMEvent{ID: "e1", ConversationID: "1-2", SenderID: "2", Text: "hi", CreatedAt: now, EventType: "MessageCreate"}
	post    = sdk.Post{ID: "p1", AuthorID: "1", Text: "post", CreatedAt: now, InReplyToID: "p0"}
	budgets = []sdk.Budget{
		{Operation: sdk.OpDMEvents, Requests: 15, Window: 15 * time.Minute},
		{Operation: "custom", Requests: 1, Window: 1500 * time.Millisecond},
	}
)

func (e *echo) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "echo", Version: "1.0.0", Kinds: []string{sdk.KindNetwork, sdk.KindAI, sdk.KindSink}, Capabilities: []string{"a", "b"}}, nil
}
func (e *echo) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return []sdk.ConfigField{{Name: "k", Type: "string", Required: true, Sensitive: true, Description: "d"}}, nil
}
func (e *echo) Configure(_ context.Context, raw json.RawMessage) error {
	if string(raw) != `{"k":"v"}` {
		return sdk.Errorf(sdk.Permanent, "config %s", raw)
	}
	return nil
}
func (e *echo) CheckSession(_ context.Context, s sdk.Session) (sdk.User, error) {
	e.sessions = append(e.sessions, s)
	return user, nil
}
func (e *echo) LookupUsers(_ context.Context, _ sdk.Session, names []string) ([]sdk.User, error) {
	u := user
	u.Username = names[0]
	return []sdk.User{u}, nil
}
func (e *echo) Scrape(_ context.Context, r sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	for _, c := range []string{"c1", ""} {
		if err := emit(sdk.Page{Users: []sdk.User{user}, NextCursor: c + r.Cursor}); err != nil {
			return err
		}
	}
	return nil
}
func (e *echo) SendDM(_ context.Context, _ sdk.Session, to, text string) (sdk.SentDM, error) {
	return sdk.SentDM{ConversationID: to, EventID: text}, nil
}
func (e *echo) ConversationEvents(context.Context, sdk.Session, string, int) ([]sdk.DMEvent, error) {
	return []sdk.DMEvent{dmEvent}, nil
}
func (e *echo) ReadDMEvents(_ context.Context, _ sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	return []sdk.DMEvent{dmEvent}, cursor + "+1", nil
}
func (e *echo) Follow(context.Context, sdk.Session, string) (bool, error) { return true, nil }
func (e *echo) Like(context.Context, sdk.Session, string) error {
	return &sdk.Error{Kind: sdk.RateLimited, Message: "later", ResetAt: now}
}
func (e *echo) Comment(context.Context, sdk.Session, string, string) (sdk.Post, error) {
	return post, nil
}
func (e *echo) PostTweet(context.Context, sdk.Session, string) (sdk.Post, error) { return post, nil }
func (e *echo) UserPosts(context.Context, sdk.Session, string, int) ([]sdk.Post, error) {
	return []sdk.Post{post, post}, nil
}
func (e *echo) RateBudgets(context.Context) ([]sdk.Budget, error) { return budgets, nil }
func (e *echo) GenerateComment(_ context.Context, r sdk.CommentRequest) (sdk.Generated, error) {
	return sdk.Generated{Text: r.PostText + r.AuthorUsername + r.AuthorName + r.AuthorBio + r.Instructions, Model: "m", PromptVersion: fmt.Sprint(r.MaxLength)}, nil
}
func (e *echo) ClassifyReply(_ context.Context, r sdk.ClassifyRequest) (sdk.Classification, error) {
	return sdk.Classification{Sentiment: sdk.Negative, Confidence: float64(len(r.Context)) / 10, OptOut: true, Booking: true, Model: "m", PromptVersion: r.Text}, nil
}
func (e *echo) DraftReply(_ context.Context, r sdk.DraftRequest) (sdk.Generated, error) {
	return sdk.Generated{Text: r.LeadName + r.Conversation[1].Text, Model: "m", PromptVersion: fmt.Sprint(r.MaxLength)}, nil
}
func (e *echo) Emit(_ context.Context, events []sdk.Event) error {
	e.events = append(e.events, events...)
	return nil
}

// TestShimsCarryEveryField sends every call through the gRPC shims and
// compares what comes out with what went in.
func TestShimsCarryEveryField(t *testing.T) {
	ctx := context.Background()
	impl := &echo{}
	c := plugintest.InProcess(t, sdk.ServeConfig{Plugin: impl, Network: impl, AI: impl, Sink: impl})
	check := func(what string, got, want any) {
		t.Helper()
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", what, d)
		}
	}
	info, _ := c.Plugin.Info(ctx)
	want, _ := impl.Info(ctx)
	check("Info", info, want)
	schema, _ := c.Plugin.ConfigSchema(ctx)
	wantSchema, _ := impl.ConfigSchema(ctx)
	check("ConfigSchema", schema, wantSchema)
	if err := c.Plugin.Configure(ctx, json.RawMessage(`{"k":"v"}`)); err != nil {
		t.Error(err)
	}

	sess := sdk.Session{AccountID: "a", Handle: "h", UserID: "u", Credentials: map[string]string{"bearer_token": "t"}, Proxy: "http://p"}
	u, _ := c.Network.CheckSession(ctx, sess)
	check("CheckSession", u, user)
	check("Session", impl.sessions[0], sess)
	var pages []sdk.Page
	err := c.Network.Scrape(ctx, sdk.ScrapeRequest{Session: sess, UserID: "1", Relation: sdk.Following, Cursor: "x", PageSize: 5}, func(p sdk.Page) error {
		pages = append(pages, p)
		return nil
	})
	check("Scrape", pages, []sdk.Page{{Users: []sdk.User{user}, NextCursor: "c1x"}, {Users: []sdk.User{user}, NextCursor: "x"}})
	if err != nil {
		t.Error(err)
	}
	sent, _ := c.Network.SendDM(ctx, sess, "to", "text")
	check("SendDM", sent, sdk.SentDM{ConversationID: "to", EventID: "text"})
	events, next, _ := c.Network.ReadDMEvents(ctx, sess, "c")
	check("ReadDMEvents", events, []sdk.DMEvent{dmEvent})
	check("cursor", next, "c+1")

	eng := c.Network.(sdk.Engagement)
	pending, _ := eng.Follow(ctx, sess, "1")
	check("Follow", pending, true)
	var se *sdk.Error
	if err := eng.Like(ctx, sess, "p"); !errors.As(err, &se) || se.Kind != sdk.RateLimited || !se.ResetAt.Equal(now) {
		t.Errorf("Like = %v; want the rate limit with its reset time", err)
	}
	posts, _ := eng.UserPosts(ctx, sess, "1", 2)
	check("UserPosts", posts, []sdk.Post{post, post})
	declared, err := c.Network.(sdk.RateBudgeter).RateBudgets(ctx)
	if err != nil {
		t.Error(err)
	}
	check("RateBudgets", declared, budgets)

	comment, _ := c.AI.GenerateComment(ctx, sdk.CommentRequest{PostText: "a", AuthorUsername: "b", AuthorName: "n", AuthorBio: "o", Instructions: "c", MaxLength: 9})
	check("GenerateComment", comment, sdk.Generated{Text: "abnoc", Model: "m", PromptVersion: "9"})
	cls, _ := c.AI.ClassifyReply(ctx, sdk.ClassifyRequest{Text: "no", Context: []sdk.ConversationMessage{{FromAccount: true, Text: "hi"}}})
	check("ClassifyReply", cls, sdk.Classification{Sentiment: sdk.Negative, Confidence: 0.1, OptOut: true, Booking: true, Model: "m", PromptVersion: "no"})
	draft, _ := c.AI.DraftReply(ctx, sdk.DraftRequest{LeadName: "Ana", MaxLength: 7, Conversation: []sdk.ConversationMessage{{FromAccount: true, Text: "q"}, {Text: "a"}}})
	check("DraftReply", draft, sdk.Generated{Text: "Anaa", Model: "m", PromptVersion: "7"})

	ev, err := sdk.NewEvent(sdk.EventDMSent, "w", now, map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sink.Emit(ctx, []sdk.Event{ev, {ID: "bare"}}); err != nil {
		t.Fatal(err)
	}
	check("Emit", impl.events, []sdk.Event{ev, {ID: "bare"}})
}

// plain implements Network but neither Engagement nor RateBudgeter, as
// plugins built before they existed do.
type plain struct{ echo }

func (p *plain) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{Name: "plain", Version: "1.0.0", Kinds: []string{sdk.KindNetwork}}, nil
}

// TestEngagementIsOptional: the host's client has Engagement for every
// network plugin; a plugin without it answers Permanent.
func TestEngagementIsOptional(t *testing.T) {
	impl := &plain{}
	var n sdk.Network = struct {
		sdk.Network
	}{impl}
	c := plugintest.InProcess(t, sdk.ServeConfig{Plugin: impl, Network: n})
	_, err := c.Network.(sdk.Engagement).Follow(context.Background(), sdk.Session{}, "1")
	if sdk.KindOf(err) != sdk.Permanent {
		t.Errorf("Follow on a plugin without Engagement: %v; want Permanent", err)
	}
}

// TestRateBudgetsAreOptional: the host's client has RateBudgeter for every
// network plugin; a plugin without it answers Permanent.
func TestRateBudgetsAreOptional(t *testing.T) {
	impl := &plain{}
	var n sdk.Network = struct {
		sdk.Network
	}{impl}
	c := plugintest.InProcess(t, sdk.ServeConfig{Plugin: impl, Network: n})
	budgets, err := c.Network.(sdk.RateBudgeter).RateBudgets(context.Background())
	if sdk.KindOf(err) != sdk.Permanent || budgets != nil {
		t.Errorf("RateBudgets on a plugin without RateBudgeter: %v, %v; want a Permanent error", budgets, err)
	}
}
