package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// NetworkFixture is the world a network plugin is tested against: a test
// double of the network (such as plugins/x/xsim on loopback) and accounts
// and users in it.
type NetworkFixture struct {
	// Config points the plugin at the test double.
	Config json.RawMessage
	// Session is an account that works; Expired one whose credentials the
	// network rejects.
	Session, Expired sdk.Session
	// Username exists; MissingUsername does not.
	Username, MissingUsername string
	// ScrapeUserID has at least three pages of followers of PageSize.
	ScrapeUserID string
	PageSize     int
	// Recipient is a user id that accepts DMs from Session.
	Recipient string
	// ClosedRecipient, if set, is a user id that does not accept them.
	ClosedRecipient string
	// PostAuthorID, if set, is a user with posts to like and comment on.
	PostAuthorID string
}

// errStop is what the suite's emit returns to stop a scrape early.
var errStop = errors.New("plugintest: stop here")

// TestNetwork checks a network plugin against f: TestPlugin, then every
// call of Network with a working and an expired session, scraping a page at
// a time and resuming from a cursor, a DM that then shows in the
// conversation and in the account's new events, the Engagement calls the
// plugin lists in its capabilities (the others must fail Permanent), and,
// if the plugin declares rate budgets, that they are sane.
func TestNetwork(t *testing.T, c *Conn, f NetworkFixture) {
	if c.Network == nil {
		t.Fatalf("plugin %q does not serve the network kind (kinds %v)", c.Info.Name, c.Info.Kinds)
	}
	TestPlugin(t, c, f.Config)
	ctx := context.Background()
	if err := c.Plugin.Configure(ctx, f.Config); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	n := c.Network
	sess := f.Session
	me, err := n.CheckSession(ctx, sess)
	if err != nil {
		t.Fatalf("CheckSession: %v", err)
	}
	sess.UserID = me.ID
	t.Run("check session", func(t *testing.T) {
		if me.ID == "" || me.Username == "" {
			t.Errorf("CheckSession returned %+v: want the account's id and username", me)
		}
		_, err := n.CheckSession(ctx, f.Expired)
		wantKind(t, "CheckSession(expired session)", err, sdk.SessionExpired)
	})
	t.Run("look up users", func(t *testing.T) {
		users, err := n.LookupUsers(ctx, sess, []string{f.Username, f.MissingUsername})
		if err != nil {
			t.Fatalf("LookupUsers: %v", err)
		}
		if len(users) != 1 || !strings.EqualFold(users[0].Username, f.Username) || users[0].ID == "" {
			t.Errorf("LookupUsers(%q, %q) = %+v: want only %q, with its id", f.Username, f.MissingUsername, users, f.Username)
		}
		if users, err := n.LookupUsers(ctx, sess, nil); err != nil || len(users) != 0 {
			t.Errorf("LookupUsers(none) = %v, %v: want no users and no error", users, err)
		}
		// The host calls plugins from many goroutines.
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				if _, err := n.LookupUsers(ctx, sess, []string{f.Username}); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent LookupUsers: %v", err)
		}
	})
	t.Run("scrape", func(t *testing.T) { testScrape(t, n, sess, f) })
	t.Run("send DM", func(t *testing.T) { testSendDM(t, n, sess, f) })
	t.Run("read DM events", func(t *testing.T) { testReadDMEvents(t, n, sess, f) })
	t.Run("expired session", func(t *testing.T) {
		_, err := n.SendDM(ctx, f.Expired, f.Recipient, "never sent")
		wantKind(t, "SendDM(expired session)", err, sdk.SessionExpired)
		_, _, err = n.ReadDMEvents(ctx, f.Expired, "")
		wantKind(t, "ReadDMEvents(expired session)", err, sdk.SessionExpired)
	})
	t.Run("engagement", func(t *testing.T) { testEngagement(t, c, sess, f) })
	t.Run("rate budgets", func(t *testing.T) { testRateBudgets(t, c) })
}

func testScrape(t *testing.T, n sdk.Network, sess sdk.Session, f NetworkFixture) {
	ctx := context.Background()
	req := sdk.ScrapeRequest{Session: sess, UserID: f.ScrapeUserID, Relation: sdk.Followers, PageSize: f.PageSize}
	var pages []sdk.Page
	err := n.Scrape(ctx, req, func(p sdk.Page) error {
		pages = append(pages, p)
		if len(pages) == 3 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Scrape stopped by emit returned %v; want emit's error", err)
	}
	if len(pages) != 3 {
		t.Fatalf("Scrape emitted %d pages after emit returned an error; want it to stop at once", len(pages))
	}
	seen := map[string]bool{}
	for i, p := range pages {
		if len(p.Users) == 0 || len(p.Users) > f.PageSize {
			t.Errorf("page %d has %d users: want 1 to %d", i, len(p.Users), f.PageSize)
		}
		if p.NextCursor == "" {
			t.Errorf("page %d has no next cursor, but the fixture has more pages", i)
		}
		for _, u := range p.Users {
			if u.ID == "" {
				t.Errorf("page %d: a user without an id: %+v", i, u)
			}
			if seen[u.ID] {
				t.Errorf("page %d repeats user %s", i, u.ID)
			}
			seen[u.ID] = true
		}
	}
	// Resuming from the cursor of page 2 gives page 3 again: a scrape that
	// crashed after committing page 2 loses and repeats nothing.
	req.Cursor = pages[1].NextCursor
	var resumed sdk.Page
	err = n.Scrape(ctx, req, func(p sdk.Page) error { resumed = p; return errStop })
	if !errors.Is(err, errStop) {
		t.Fatalf("resumed Scrape: %v", err)
	}
	if !slices.EqualFunc(resumed.Users, pages[2].Users, func(a, b sdk.User) bool { return a.ID == b.ID }) {
		t.Errorf("Scrape from the cursor of page 2 returned %d users starting %v; want page 3 again", len(resumed.Users), firstID(resumed.Users))
	}
	err = n.Scrape(ctx, sdk.ScrapeRequest{Session: f.Expired, UserID: f.ScrapeUserID, Relation: sdk.Followers, PageSize: f.PageSize},
		func(sdk.Page) error { return nil })
	wantKind(t, "Scrape(expired session)", err, sdk.SessionExpired)
}

func firstID(users []sdk.User) string {
	if len(users) == 0 {
		return "(none)"
	}
	return users[0].ID
}

// uniqueText is a message no earlier run sent.
func uniqueText(what string) string {
	return fmt.Sprintf("plugintest %s %d", what, time.Now().UnixNano())
}

func testSendDM(t *testing.T, n sdk.Network, sess sdk.Session, f NetworkFixture) {
	ctx := context.Background()
	text := uniqueText("dm")
	sent, err := n.SendDM(ctx, sess, f.Recipient, text)
	if err != nil {
		t.Fatalf("SendDM: %v", err)
	}
	if sent.ConversationID == "" || sent.EventID == "" {
		t.Fatalf("SendDM returned %+v: want the conversation and event ids (the engine records them)", sent)
	}
	events, err := n.ConversationEvents(ctx, sess, f.Recipient, 10)
	if err != nil {
		t.Fatalf("ConversationEvents: %v", err)
	}
	if len(events) > 10 {
		t.Errorf("ConversationEvents(limit 10) returned %d events", len(events))
	}
	found := false
	for i, ev := range events {
		if i > 0 && ev.CreatedAt.After(events[i-1].CreatedAt) {
			t.Errorf("ConversationEvents is not newest first: %s after %s", ev.CreatedAt, events[i-1].CreatedAt)
		}
		if ev.ID == sent.EventID {
			found = true
			if ev.Text != text || ev.SenderID != sess.UserID || ev.ConversationID != sent.ConversationID {
				t.Errorf("the sent DM reads back as %+v; want text %q from %s in %s", ev, text, sess.UserID, sent.ConversationID)
			}
		}
	}
	// The engine settles a send in doubt by this lookup: a DM that was
	// sent must be found.
	if !found {
		t.Errorf("ConversationEvents does not show the DM just sent (event %s)", sent.EventID)
	}
	if f.ClosedRecipient != "" {
		_, err := n.SendDM(ctx, sess, f.ClosedRecipient, text)
		wantKind(t, "SendDM(recipient who does not accept DMs)", err, sdk.RecipientClosed)
	}
}

func testReadDMEvents(t *testing.T, n sdk.Network, sess sdk.Session, f NetworkFixture) {
	ctx := context.Background()
	if _, err := n.SendDM(ctx, sess, f.Recipient, uniqueText("before")); err != nil {
		t.Fatalf("SendDM: %v", err)
	}
	first, cursor, err := n.ReadDMEvents(ctx, sess, "")
	if err != nil {
		t.Fatalf("ReadDMEvents(no cursor): %v", err)
	}
	if len(first) == 0 || cursor == "" {
		t.Fatalf("ReadDMEvents(no cursor) = %d events, cursor %q: want the newest events and a cursor", len(first), cursor)
	}
	seen := map[string]bool{}
	for _, ev := range first {
		seen[ev.ID] = true
	}
	text := uniqueText("after")
	sent, err := n.SendDM(ctx, sess, f.Recipient, text)
	if err != nil {
		t.Fatalf("SendDM: %v", err)
	}
	newer, next, err := n.ReadDMEvents(ctx, sess, cursor)
	if err != nil {
		t.Fatalf("ReadDMEvents(cursor): %v", err)
	}
	found := false
	for i, ev := range newer {
		if seen[ev.ID] {
			t.Errorf("ReadDMEvents(cursor) repeats event %s from before the cursor", ev.ID)
		}
		if i > 0 && ev.CreatedAt.Before(newer[i-1].CreatedAt) {
			t.Errorf("ReadDMEvents is not oldest first: %s before %s", ev.CreatedAt, newer[i-1].CreatedAt)
		}
		seen[ev.ID] = true
		found = found || ev.ID == sent.EventID
	}
	if !found {
		t.Errorf("ReadDMEvents(cursor) does not return the DM sent after the cursor (event %s)", sent.EventID)
	}
	again, _, err := n.ReadDMEvents(ctx, sess, next)
	if err != nil {
		t.Fatalf("ReadDMEvents(next cursor): %v", err)
	}
	for _, ev := range again {
		if seen[ev.ID] {
			t.Errorf("ReadDMEvents(next cursor) repeats event %s", ev.ID)
		}
	}
}

func testEngagement(t *testing.T, c *Conn, sess sdk.Session, f NetworkFixture) {
	ctx := context.Background()
	e, ok := c.Network.(sdk.Engagement)
	if !ok {
		t.Fatalf("the host's network client %T does not implement sdk.Engagement", c.Network)
	}
	has := func(cap string) bool { return slices.Contains(c.Info.Capabilities, cap) }
	t.Run("follow", func(t *testing.T) {
		_, err := e.Follow(ctx, sess, f.Recipient)
		checkCapability(t, has(sdk.CapFollow), "Follow", err)
	})
	var post sdk.Post
	t.Run("user posts", func(t *testing.T) {
		if has(sdk.CapUserPosts) && f.PostAuthorID == "" {
			t.Skip("the fixture has no PostAuthorID")
		}
		posts, err := e.UserPosts(ctx, sess, f.PostAuthorID, 5)
		if !checkCapability(t, has(sdk.CapUserPosts), "UserPosts", err) {
			return
		}
		if len(posts) == 0 || len(posts) > 5 {
			t.Fatalf("UserPosts(limit 5) returned %d posts; the fixture's author has some", len(posts))
		}
		for i, p := range posts {
			if p.ID == "" {
				t.Errorf("post %d has no id", i)
			}
			if i > 0 && p.CreatedAt.After(posts[i-1].CreatedAt) {
				t.Errorf("UserPosts is not newest first")
			}
		}
		post = posts[0]
	})
	t.Run("like", func(t *testing.T) {
		if post.ID == "" && has(sdk.CapLike) {
			t.Skip("no post to like: the plugin lists no user_posts capability or the fixture no PostAuthorID")
		}
		checkCapability(t, has(sdk.CapLike), "Like", e.Like(ctx, sess, post.ID))
	})
	t.Run("comment", func(t *testing.T) {
		if post.ID == "" && has(sdk.CapComment) {
			t.Skip("no post to comment on")
		}
		p, err := e.Comment(ctx, sess, post.ID, uniqueText("comment"))
		if checkCapability(t, has(sdk.CapComment), "Comment", err) && p.ID == "" {
			t.Errorf("Comment returned a post without an id")
		}
	})
	t.Run("tweet", func(t *testing.T) {
		p, err := e.PostTweet(ctx, sess, uniqueText("tweet"))
		if checkCapability(t, has(sdk.CapTweet), "PostTweet", err) && p.ID == "" {
			t.Errorf("PostTweet returned a post without an id")
		}
	})
}

// checkCapability checks a call's outcome against whether the plugin lists
// it: supported calls succeed, the others fail Permanent. It reports
// whether the call succeeded.
func checkCapability(t *testing.T, supported bool, call string, err error) bool {
	t.Helper()
	if !supported {
		wantPermanent(t, call+" (not in the plugin's capabilities)", err)
		return false
	}
	if err != nil {
		t.Errorf("%s: %v", call, err)
		return false
	}
	return true
}
