package storetest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

func conversation(ws, id, account, lead, campaign string, last int) store.Conversation {
	return store.Conversation{ID: id, Workspace: ws, AccountID: account, LeadID: lead, CampaignID: campaign,
		LastAt: at(last), LastText: "hello", LastSent: true, MessageCount: 1, CreatedAt: t0, UpdatedAt: at(last)}
}

func putConversations(t *testing.T, db store.Transactor[Conversations], cs ...store.Conversation) {
	t.Helper()
	update(t, db, func(tx Conversations) error {
		for _, c := range cs {
			if err := tx.PutConversation(c); err != nil {
				return err
			}
		}
		return nil
	})
}

func testConversations(t *testing.T, open Opener) {
	t.Run("create only a new one", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Conversations { return tx })
		a := conversation("w", "100-201", "a1", "201", "k1", 10)
		b := a
		b.LastText, b.MessageCount = "another", 7
		first := store.Message{ID: "e1", Workspace: "w", ConversationID: a.ID, SenderID: "100", Text: "hello", Sent: true, At: at(10)}
		second := first
		second.ID, second.Text = "e2", "another"
		// existing is called for the one there already, before the
		// transaction commits, and what it writes commits.
		var existing []int
		var found store.Conversation
		update(t, db, func(tx Conversations) error {
			existing, found = nil, store.Conversation{}
			for i, c := range []struct {
				c     store.Conversation
				first *store.Message
			}{{a, &first}, {b, &second}, {conversation("v", "100-201", "a1", "201", "k1", 10), nil}} {
				err := tx.CreateConversation(c.c, c.first, func() error {
					existing = append(existing, i)
					var err error
					if found, err = tx.Conversation(c.c.Workspace, c.c.ID); err != nil {
						return err
					}
					_, err = tx.AddMessage(*c.first)
					return err
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if !slices.Equal(existing, []int{1}) {
			t.Errorf("CreateConversation called existing for %v of a new one, the same id again, the id in another workspace; want [1]", existing)
		}
		same(t, "the conversation existing read", found, a)
		same(t, "the conversation created first", read(t, db, func(tx Conversations) (store.Conversation, error) { return tx.Conversation("w", "100-201") }), a)
		same(t, "the messages of the conversation created first", read(t, db, func(tx Conversations) ([]store.Message, error) { return tx.Messages("w", "100-201") }), []store.Message{first, second})
		same(t, "the messages of the one created without", read(t, db, func(tx Conversations) ([]store.Message, error) { return tx.Messages("v", "100-201") }), []store.Message{})
	})
	t.Run("put, get and filters", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Conversations { return tx })
		deal := 1200.0
		a := conversation("w", "100-201", "a1", "201", "k1", 10)
		a.Unread, a.Replied, a.RepliedAt = true, true, at(9)
		a.CRM = store.CRM{Tag: "interested", Notes: "call back", DealValue: &deal, DealCurrency: "EUR"}
		a.AutoAnswers, a.HandedOff, a.HumanAnswered = 2, true, true
		d := conversation("w", "100-204", "a2", "201", "", 5)
		d.Unread, d.CRM.Tag = true, "interested"
		putConversations(t, db,
			a,
			conversation("w", "100-202", "a1", "202", "k1", 20),
			conversation("w", "100-203", "a2", "203", "k2", 20), // LastAt as 100-202's: the larger id first
			d,
			conversation("w", "100-205", "a1", "205", "", 30),
			conversation("v", "100-206", "a1", "206", "k1", 40),
		)
		same(t, "Conversation", read(t, db, func(tx Conversations) (store.Conversation, error) { return tx.Conversation("w", "100-201") }), a)
		for _, q := range []store.ConversationQuery{{}, {AccountID: "a1"}, {Tag: "interested"}} {
			listed := read(t, db, func(tx Conversations) ([]store.Conversation, error) { return tx.Conversations("w", q) })
			i := slices.IndexFunc(listed, func(c store.Conversation) bool { return c.ID == a.ID })
			if i < 0 {
				t.Fatalf("Conversations(%+v) does not list %s", q, a.ID)
			}
			same(t, fmt.Sprintf("the listing of %s by %+v", a.ID, q), listed[i], a)
		}
		wantNotFound(t, "Conversation of another workspace",
			readErr(t, db, func(tx Conversations) error { _, err := tx.Conversation("v", "100-201"); return err }))

		list := func(q store.ConversationQuery) []string {
			return conversationIDs(read(t, db, func(tx Conversations) ([]store.Conversation, error) { return tx.Conversations("w", q) }))
		}
		cursor := func(id string) *store.ConversationCursor {
			c := read(t, db, func(tx Conversations) (store.Conversation, error) { return tx.Conversation("w", id) })
			return store.CursorOf(c)
		}
		tests := []struct {
			name string
			q    store.ConversationQuery
			want []string
		}{
			{"all, newest first", store.ConversationQuery{}, []string{"100-205", "100-203", "100-202", "100-201", "100-204"}},
			{"account", store.ConversationQuery{AccountID: "a1"}, []string{"100-205", "100-202", "100-201"}},
			{"lead", store.ConversationQuery{LeadID: "201"}, []string{"100-201", "100-204"}},
			{"campaign", store.ConversationQuery{CampaignID: "k1"}, []string{"100-202", "100-201"}},
			{"tag", store.ConversationQuery{Tag: "interested"}, []string{"100-201", "100-204"}},
			{"unread", store.ConversationQuery{UnreadOnly: true}, []string{"100-201", "100-204"}},
			{"account and tag", store.ConversationQuery{AccountID: "a2", Tag: "interested"}, []string{"100-204"}},
			{"account and unread", store.ConversationQuery{AccountID: "a1", UnreadOnly: true}, []string{"100-201"}},
			{"limit", store.ConversationQuery{Limit: 2}, []string{"100-205", "100-203"}},
			{"after", store.ConversationQuery{After: cursor("100-203")}, []string{"100-202", "100-201", "100-204"}},
			{"after and limit", store.ConversationQuery{After: cursor("100-202"), Limit: 1}, []string{"100-201"}},
			{"account after", store.ConversationQuery{AccountID: "a1", After: cursor("100-205")}, []string{"100-202", "100-201"}},
			{"tag after", store.ConversationQuery{Tag: "interested", After: cursor("100-201")}, []string{"100-204"}},
			{"after the last", store.ConversationQuery{After: cursor("100-204")}, nil},
			{"missing account", store.ConversationQuery{AccountID: "a9"}, nil},
		}
		withLeads := func(q store.ConversationQuery) []string {
			cs := read(t, db, func(tx Conversations) ([]store.ConversationWithLead, error) { return collectWithLeads(tx, "w", q) })
			return ids(cs, func(c store.ConversationWithLead) string { return c.ID })
		}
		for _, tt := range tests {
			for range 2 {
				same(t, "Conversations, "+tt.name, list(tt.q), tt.want)
			}
			same(t, "ConversationsWithLeads, "+tt.name, withLeads(tt.q), tt.want)
		}

		// Pages of two walk every conversation once.
		var walked []string
		for q := (store.ConversationQuery{Limit: 2}); ; {
			page := read(t, db, func(tx Conversations) ([]store.Conversation, error) { return tx.Conversations("w", q) })
			if len(page) == 0 {
				break
			}
			walked = append(walked, conversationIDs(page)...)
			q.After = store.CursorOf(page[len(page)-1])
		}
		same(t, "Conversations paged", walked, list(store.ConversationQuery{}))

		// A new message moves a conversation to the top; a new tag moves it
		// between tags.
		b := conversation("w", "100-202", "a1", "202", "k1", 40)
		a.CRM.Tag = "booked"
		putConversations(t, db, b, a)
		same(t, "Conversations after a new message", list(store.ConversationQuery{}), []string{"100-202", "100-205", "100-203", "100-201", "100-204"})
		same(t, "Conversations of the old tag", list(store.ConversationQuery{Tag: "interested"}), []string{"100-204"})
		same(t, "Conversations of the new tag", list(store.ConversationQuery{Tag: "booked"}), []string{"100-201"})
		same(t, "Conversations of the account", list(store.ConversationQuery{AccountID: "a1"}), []string{"100-202", "100-205", "100-201"})
	})

	t.Run("listings show each conversation's lead as stored", func(t *testing.T) {
		db := open(t)
		lead := func(ws, id, bio string) store.Lead {
			return store.Lead{UserID: id, Workspace: ws, Username: "user_" + id, Name: "User " + id, Bio: bio, Followers: 10, FoundAt: t0}
		}
		a := conversation("w", "100-201", "a1", "201", "k1", 10)
		a.CRM.Tag = "interested"
		b := conversation("w", "101-201", "a2", "201", "k1", 20)
		c := conversation("w", "100-202", "a1", "202", "k1", 30)
		update(t, db, func(tx Tx) error {
			for _, l := range []store.Lead{lead("w", "201", "first"), lead("v", "202", "another workspace's")} {
				if err := tx.PutLead(l); err != nil {
					return err
				}
			}
			for _, c := range []store.Conversation{a, b, c} {
				if err := tx.PutConversation(c); err != nil {
					return err
				}
			}
			return nil
		})
		listed := func(q store.ConversationQuery) []store.ConversationWithLead {
			return read(t, db, func(tx Tx) ([]store.ConversationWithLead, error) { return collectWithLeads(tx, "w", q) })
		}
		same(t, "EachConversationWithLead", listed(store.ConversationQuery{}), []store.ConversationWithLead{
			{Conversation: c}, // its lead is another workspace's
			{Conversation: b, Lead: lead("w", "201", "first")},
			{Conversation: a, Lead: lead("w", "201", "first")},
		})

		// The lead changes, and 202 is found by a source: every listing
		// shows them as they are now.
		update(t, db, func(tx Tx) error {
			if err := tx.PutLead(lead("w", "201", "second")); err != nil {
				return err
			}
			_, err := tx.AddSourceLead("w", "s1", lead("w", "202", "found"))
			return err
		})
		for _, q := range []store.ConversationQuery{{}, {AccountID: "a1"}, {Tag: "interested"}, {LeadID: "201"}, {Limit: 1}} {
			for _, got := range listed(q) {
				want := map[string]string{"201": "second", "202": "found"}[got.LeadID]
				if got.Lead.UserID != got.LeadID || got.Lead.Bio != want {
					t.Errorf("EachConversationWithLead(%+v) lists %s with lead %+v; want lead %s with bio %q", q, got.ID, got.Lead, got.LeadID, want)
				}
			}
		}
		// A conversation that changes keeps its lead.
		b.LastAt, b.LastText = at(40), "new"
		update(t, db, func(tx Tx) error { return tx.PutConversation(b) })
		same(t, "EachConversationWithLead after a message", listed(store.ConversationQuery{Limit: 1}), []store.ConversationWithLead{
			{Conversation: b, Lead: lead("w", "201", "second")},
		})

		// fn may read in the transaction; its error ends the walk.
		stop := errors.New("stop")
		var seen []string
		err := readErr(t, db, func(tx Tx) error {
			return tx.EachConversationWithLead("w", store.ConversationQuery{}, func(c *store.ConversationWithLead) error {
				stored, err := tx.Conversation("w", c.ID)
				if err != nil {
					return err
				}
				if seen = append(seen, stored.ID); len(seen) == 2 {
					return stop
				}
				return nil
			})
		})
		if !errors.Is(err, stop) || !slices.Equal(seen, []string{"101-201", "100-202"}) {
			t.Errorf("a walk whose fn reads, then fails at the second: saw %v, returned %v; want [101-201 100-202] and fn's error", seen, err)
		}
	})

	t.Run("a page is stable under inserts", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Conversations { return tx })
		var before []store.Conversation
		for _, last := range []int{10, 20, 30, 40, 50, 60} {
			before = append(before, conversation("w", fmt.Sprintf("c%d", last), "a1", "1", "", last))
		}
		putConversations(t, db, before...)
		page1 := read(t, db, func(tx Conversations) ([]store.Conversation, error) {
			return tx.Conversations("w", store.ConversationQuery{Limit: 3})
		})
		same(t, "page 1", conversationIDs(page1), []string{"c60", "c50", "c40"})

		// Newer and older conversations arrive, two of them at the time of
		// the cursor's: one sorts before it, one after.
		putConversations(t, db,
			conversation("w", "n70", "a1", "1", "", 70),
			conversation("w", "n35", "a1", "1", "", 35),
			conversation("w", "c41", "a1", "1", "", 40),
			conversation("w", "c3z", "a1", "1", "", 40),
		)
		page2 := read(t, db, func(tx Conversations) ([]store.Conversation, error) {
			return tx.Conversations("w", store.ConversationQuery{After: store.CursorOf(page1[2])})
		})
		got := conversationIDs(page2)
		same(t, "page 2", got, []string{"c3z", "n35", "c30", "c20", "c10"})
		for _, id := range conversationIDs(page1) {
			if slices.Contains(got, id) {
				t.Errorf("page 2 lists %s again", id)
			}
		}
	})

	t.Run("a cursor keeps the precision of the time it was made from", func(t *testing.T) {
		// A real clock's times have nanoseconds; a store may keep fewer
		// (Postgres keeps microseconds). A cursor made from a conversation
		// read back must still continue strictly after it.
		db := store.Narrow(open(t), func(tx Tx) Conversations { return tx })
		var cs []store.Conversation
		for i := range 4 {
			c := conversation("w", fmt.Sprintf("p%d", i), "a1", "1", "", 10)
			c.LastAt = c.LastAt.Add(time.Duration(i)*time.Millisecond + 123456*time.Nanosecond + 789)
			cs = append(cs, c)
		}
		putConversations(t, db, cs...)
		var walked []string
		for q := (store.ConversationQuery{Limit: 1}); ; {
			page := read(t, db, func(tx Conversations) ([]store.Conversation, error) { return tx.Conversations("w", q) })
			if len(page) == 0 || len(walked) > len(cs) {
				break
			}
			walked = append(walked, conversationIDs(page)...)
			q.After = store.CursorOf(page[0])
		}
		same(t, "Conversations paged one by one", walked, []string{"p3", "p2", "p1", "p0"})
	})

	t.Run("reply tallies follow replies", func(t *testing.T) {
		db := store.Narrow(open(t), func(tx Tx) Conversations { return tx })
		tallies := func(ws, campaign string) []store.ReplyTally {
			return read(t, db, func(tx Conversations) ([]store.ReplyTally, error) { return tx.ReplyTallies(ws, campaign) })
		}
		replied := func(c store.Conversation) store.Conversation {
			c.Replied, c.RepliedAt = true, c.LastAt
			return c
		}
		x := replied(conversation("w", "x", "a1", "1", "k1", 10))
		y := conversation("w", "y", "a1", "2", "k1", 10)
		y.Variant = 1
		z := replied(conversation("w", "z", "a2", "3", "k1", 10))
		putConversations(t, db, x, y, z, replied(conversation("w", "q", "a1", "4", "k2", 10)), replied(conversation("v", "x", "a1", "1", "k1", 10)))
		same(t, "ReplyTallies", sortReplies(tallies("w", "k1")), []store.ReplyTally{
			{CampaignID: "k1", AccountID: "a1", Variant: 0, N: 1},
			{CampaignID: "k1", AccountID: "a2", Variant: 0, N: 1},
		})

		// y replies; x's reply is taken back; z gets another message, which
		// counts no second reply.
		x.Replied = false
		z.LastAt, z.MessageCount = at(20), 2
		putConversations(t, db, replied(y), x, z)
		same(t, "ReplyTallies after changes", sortReplies(tallies("w", "k1")), []store.ReplyTally{
			{CampaignID: "k1", AccountID: "a1", Variant: 1, N: 1},
			{CampaignID: "k1", AccountID: "a2", Variant: 0, N: 1},
		})
		same(t, "ReplyTallies of the other workspace", tallies("v", "k1"), []store.ReplyTally{{CampaignID: "k1", AccountID: "a1", N: 1}})
		same(t, "ReplyTallies of a campaign without replies", tallies("w", "k9"), nil)

		sentiments := func(ws, account string) []store.SentimentTally {
			return read(t, db, func(tx Conversations) ([]store.SentimentTally, error) { return tx.SentimentTallies(ws, account) })
		}
		same(t, "SentimentTallies", sentiments("w", "a1"), []store.SentimentTally{
			{AccountID: "a1", CampaignID: "k1", N: 1},
			{AccountID: "a1", CampaignID: "k2", N: 1},
		})
		// y's reply is classified, then z's twice: each counts once, as
		// its latest classification.
		y.Replied, y.RepliedAt, y.Sentiment = true, y.LastAt, store.SentimentPositive
		z.Sentiment = store.SentimentNegative
		putConversations(t, db, y, z)
		z.Sentiment = store.SentimentNeutral
		putConversations(t, db, z)
		same(t, "SentimentTallies of a1 after classifications", sentiments("w", "a1"), []store.SentimentTally{
			{AccountID: "a1", CampaignID: "k1", Sentiment: store.SentimentPositive, N: 1},
			{AccountID: "a1", CampaignID: "k2", N: 1},
		})
		same(t, "SentimentTallies of a2 after classifications", sentiments("w", "a2"), []store.SentimentTally{
			{AccountID: "a2", CampaignID: "k1", Sentiment: store.SentimentNeutral, N: 1},
		})
		same(t, "SentimentTallies of the other workspace", sentiments("v", "a1"), []store.SentimentTally{{AccountID: "a1", CampaignID: "k1", N: 1}})
		same(t, "SentimentTallies of an account without replies", sentiments("w", "a9"), nil)
	})
}

// collectWithLeads returns the page EachConversationWithLead walks, each
// conversation copied.
func collectWithLeads(tx Conversations, ws string, q store.ConversationQuery) ([]store.ConversationWithLead, error) {
	var out []store.ConversationWithLead
	err := tx.EachConversationWithLead(ws, q, func(c *store.ConversationWithLead) error {
		out = append(out, *c)
		return nil
	})
	return out, err
}

func sortReplies(ts []store.ReplyTally) []store.ReplyTally {
	slices.SortFunc(ts, func(a, b store.ReplyTally) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Variant, b.Variant))
	})
	return ts
}

func testMessages(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Conversations { return tx })
	msg := func(ws, conv, id string, minute int) store.Message {
		return store.Message{ID: id, Workspace: ws, ConversationID: conv, SenderID: "100", Text: "text " + id, Sent: true, At: at(minute)}
	}
	var added []bool
	update(t, db, func(tx Conversations) error {
		for _, m := range []store.Message{msg("w", "c", "m1", 5), msg("w", "c", "m2", 1), msg("w", "c", "m0", 5), msg("w", "d", "m1", 0), msg("v", "c", "m9", 0)} {
			ok, err := tx.AddMessage(m)
			if err != nil {
				return err
			}
			added = append(added, ok)
		}
		return nil
	})
	same(t, "AddMessage reports", added, []bool{true, true, true, true, true})

	again := msg("w", "c", "m1", 7)
	again.Text = "changed"
	if ok := write(t, db, func(tx Conversations) (bool, error) { return tx.AddMessage(again) }); ok {
		t.Errorf("AddMessage of a message the conversation has = true, want false")
	}
	list := func(ws, conv string) []store.Message {
		return read(t, db, func(tx Conversations) ([]store.Message, error) { return tx.Messages(ws, conv) })
	}
	same(t, "Messages (by At, then ID)", list("w", "c"), []store.Message{msg("w", "c", "m2", 1), msg("w", "c", "m0", 5), msg("w", "c", "m1", 5)})
	same(t, "Messages of another conversation", list("w", "d"), []store.Message{msg("w", "d", "m1", 0)})
	same(t, "Messages of another workspace", list("v", "d"), nil)
}
