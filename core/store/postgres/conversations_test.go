package postgres_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

// TestConversationPages pages through a few thousand conversations, many
// of them at the same LastAt, and finds each once, in order.
func TestConversationPages(t *testing.T) {
	st := open(t, pgtest.NewDatabase(t), postgres.Options{})
	var all []store.Conversation
	for i := range 3000 {
		all = append(all, store.Conversation{
			ID: fmt.Sprintf("100-%d", 1000+i), Workspace: "w", AccountID: fmt.Sprintf("a%d", i%3), LeadID: fmt.Sprint(1000 + i),
			LastAt: t0.Add(time.Duration(i%700) * time.Minute), Unread: i%2 == 0, CreatedAt: t0,
		})
	}
	if err := st.Update(t.Context(), func(tx *postgres.Tx) error {
		for _, c := range all {
			if err := tx.PutConversation(c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(a, b store.Conversation) int {
		return cmp.Or(b.LastAt.Compare(a.LastAt), cmp.Compare(b.ID, a.ID))
	})

	for _, q := range []store.ConversationQuery{{}, {AccountID: "a1"}, {UnreadOnly: true}} {
		var want []string
		for _, c := range all {
			if (q.AccountID == "" || c.AccountID == q.AccountID) && (!q.UnreadOnly || c.Unread) {
				want = append(want, c.ID)
			}
		}
		var got []string
		pages := 0
		for q.Limit = 50; ; pages++ {
			var page []store.Conversation
			if err := st.View(t.Context(), func(tx *postgres.Tx) (err error) {
				page, err = tx.Conversations("w", q)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, c := range page {
				got = append(got, c.ID)
			}
			q.After = store.CursorOf(page[len(page)-1])
		}
		if !slices.Equal(got, want) {
			t.Errorf("query %+v: paging listed %d conversations (%d pages), want %d, each once, newest first", q, len(got), pages, len(want))
		}
	}
}
