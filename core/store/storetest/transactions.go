package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

func testTransactions(t *testing.T, open Opener) {
	t.Run("a failed update leaves nothing behind", func(t *testing.T) { testRollback(t, open) })
	t.Run("an update reads its own writes", func(t *testing.T) { testOwnWrites(t, open) })
	t.Run("readers run alongside a writer", func(t *testing.T) { testReadersAlongsideWriter(t, open) })
	t.Run("a view writes nothing", func(t *testing.T) { testViewWritesNothing(t, open) })
}

// testViewWritesNothing: a write in a View fails or is dropped; either
// way nothing of it is stored.
func testViewWritesNothing(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
	_ = db.View(t.Context(), func(tx Accounts) error { return tx.PutAccount(account("w", "a1", "acme", t0)) })
	wantNotFound(t, "an account put in a View", readErr(t, db, func(tx Accounts) error { _, err := tx.Account("w", "a1"); return err }))
}

// observed is what a consumer can see of workspace w, for comparing before
// and after an update that failed.
type observed struct {
	Workspaces      []string
	Accounts        []store.Account
	ByHandle        string
	State           store.AccountState
	SentOn          int
	Objects         [6]int
	SourceLeads     []string
	Lead            string
	ContactedBy     string
	DoNotContact    bool
	Jobs            []store.Job
	QueueHeads      []string
	DueJobs         []string
	PendingJobs     int
	CampaignTallies []store.JobTally
	AccountTallies  []store.JobTally
	Intents         []store.Intent
	Conversations   []store.Conversation
	ReplyTallies    []store.ReplyTally
	Messages        []store.Message
	Events          []store.Event
	Cursor          int64
	Deliveries      []store.Delivery
	APIKeys         []store.APIKey
}

func observe(tx Tx) (o observed, err error) {
	const ws = "w"
	far := t0.AddDate(10, 0, 0)
	try := func(e error) {
		if err == nil && e != nil {
			err = e
		}
	}
	var e error
	o.Workspaces, e = tx.Workspaces()
	try(e)
	o.Accounts, e = tx.AllAccounts()
	try(e)
	if a, e := tx.AccountByHandle("acme-w"); e == nil {
		o.ByHandle = a.ID
	} else if !errors.Is(e, store.ErrNotFound) {
		try(e)
	}
	o.State, e = tx.AccountState(ws, "a1")
	try(e)
	o.SentOn, e = tx.SentOn(ws, "a1", "2026-03-02")
	try(e)
	for i, n := range []func() (int, error){
		func() (int, error) { return size(tx.Filters(ws)) }, func() (int, error) { return size(tx.Sources(ws)) },
		func() (int, error) { return size(tx.Campaigns(ws)) }, func() (int, error) { return size(tx.Webhooks(ws)) },
		func() (int, error) { return size(tx.ScheduledTweets(ws)) }, func() (int, error) { return size(tx.CustomTags(ws)) },
	} {
		o.Objects[i], e = n()
		try(e)
	}
	o.SourceLeads, e = tx.SourceLeads(ws, "s1", 0, 100)
	try(e)
	if l, e := tx.Lead(ws, "100"); e == nil {
		o.Lead = l.Name
	}
	o.ContactedBy, e = tx.ContactedBy(ws, "200")
	try(e)
	o.DoNotContact, e = tx.DoNotContact(ws, "400")
	try(e)
	o.Jobs, e = tx.Jobs(ws, store.JobQuery{State: store.JobPending})
	try(e)
	heads, e := tx.QueueHeads(ws, "a1")
	try(e)
	o.QueueHeads = jobIDs(heads)
	due, e := tx.DueJobs(far, 100)
	try(e)
	o.DueJobs = jobIDs(due)
	o.PendingJobs, e = tx.PendingJobs(ws)
	try(e)
	o.CampaignTallies, e = tx.CampaignTallies(ws, "k1")
	try(e)
	o.AccountTallies, e = tx.AccountTallies(ws, "a1")
	try(e)
	o.Intents, e = tx.ExpiredIntents(far, 100)
	try(e)
	o.Conversations, e = tx.Conversations(ws, store.ConversationQuery{})
	try(e)
	o.ReplyTallies, e = tx.ReplyTallies(ws, "k1")
	try(e)
	o.Messages, e = tx.Messages(ws, "100-200")
	try(e)
	o.Events, e = tx.Events(ws, 0, 100)
	try(e)
	o.Cursor, e = tx.EventCursor("webhooks")
	try(e)
	o.Deliveries, e = tx.Deliveries(ws, "h1", 100)
	try(e)
	o.APIKeys, e = tx.APIKeys(ws)
	try(e)
	return o, err
}

func testRollback(t *testing.T, open Opener) {
	db := open(t)
	fill(t, db, "w")
	before := read(t, db, observe)

	headJob := dm("w", "k1", "a1", "200", t0)
	tests := []struct {
		name  string
		write func(Tx) error
	}{
		{"workspace and account", func(tx Tx) error {
			return errors.Join(tx.PutWorkspace("z"), tx.PutAccount(account("w", "a2", "newbie", at(1))))
		}},
		{"account moved", func(tx Tx) error {
			a, err := tx.Account("w", "a1")
			a.Handle, a.Address = "renamed", "account.other"
			return errors.Join(err, tx.PutAccount(a))
		}},
		{"account deleted", func(tx Tx) error { return tx.DeleteAccount("w", "a1") }},
		{"account state", func(tx Tx) error {
			return errors.Join(
				tx.PutAccountState(store.AccountState{Workspace: "w", AccountID: "a1", Lease: store.Lease{Owner: "me", Expires: at(5)}}),
				tx.AddSentOn("w", "a1", "2026-03-02", 3))
		}},
		{"objects", func(tx Tx) error {
			return errors.Join(
				tx.PutCampaign(store.Campaign{ID: "k2", Workspace: "w", CreatedAt: t0}), tx.DeleteSource("w", "s1"),
				tx.PutCustomTag(store.CustomTag{ID: "g2", Workspace: "w"}), tx.DeleteWebhook("w", "h1"))
		}},
		{"leads", func(tx Tx) error {
			renamed := lead("w", "100")
			renamed.Name = "renamed"
			_, err1 := tx.AddSourceLead("w", "s1", lead("w", "101"))
			_, err2 := tx.AddSourceLead("w", "s2", renamed)
			return errors.Join(err1, err2, tx.MarkContacted("w", "200", "k2"), tx.AddDoNotContact("w", "400", "stop"))
		}},
		{"new pending jobs", func(tx Tx) error {
			return errors.Join(
				tx.PutJob(dm("w", "k1", "a1", "201", at(-30))),     // ahead of the queue's head
				tx.PutJob(scrape("w", "s1", "paulg", at(-30))),     // ahead of the due order
				tx.PutJob(followup("w", "k1", "a1", "200", 1, t0))) // a new lane
		}},
		{"job state changes", func(tx Tx) error {
			return errors.Join(tx.PutJob(done(headJob)), tx.PutJob(done(scrape("w", "s1", "naval", t0))))
		}},
		{"job rescheduled", func(tx Tx) error {
			return tx.PutJob(with(headJob, func(j *store.Job) { j.DueAt = at(90) }))
		}},
		{"intents", func(tx Tx) error {
			return errors.Join(tx.PutIntent(intent("w", "j9", 1)), tx.DeleteIntent("w", store.DMJobID("k1", "200")))
		}},
		{"conversations", func(tx Tx) error {
			c, err := tx.Conversation("w", "100-200")
			c.Replied, c.LastAt = false, at(50)
			n := conversation("w", "100-300", "a1", "300", "k1", 60)
			n.Replied = true
			_, err2 := tx.AddMessage(store.Message{ID: "m2", Workspace: "w", ConversationID: "100-200", At: at(50)})
			return errors.Join(err, err2, tx.PutConversation(c), tx.PutConversation(n))
		}},
		{"outbox", func(tx Tx) error {
			_, err := tx.AppendEvent(store.Event{ID: "e2", Workspace: "w", Type: store.EventNewReply, At: t0, Data: json.RawMessage(`{}`)})
			return errors.Join(err,
				tx.SetEventCursor("webhooks", 9),
				tx.PutDelivery(store.Delivery{ID: "d2", Workspace: "w", WebhookID: "h1", CreatedAt: at(1)}),
				tx.PutAPIKey(store.APIKey{ID: "k2", Workspace: "w", Hash: "hash-2", CreatedAt: t0}))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rolledBack(t, db, tt.write)
			same(t, "what a reader sees after the failed update", read(t, db, observe), before)
		})
	}

	// The outbox's order survives failed appends.
	last := before.Events[len(before.Events)-1].Seq
	e := write(t, db, func(tx Tx) (store.Event, error) {
		return tx.AppendEvent(store.Event{ID: "e3", Workspace: "w", Type: store.EventNewReply, At: t0, Data: json.RawMessage(`{}`)})
	})
	if e.Seq <= last {
		t.Errorf("AppendEvent after failed appends gave Seq %d, want more than %d", e.Seq, last)
	}
}

func testOwnWrites(t *testing.T, open Opener) {
	db := open(t)
	fill(t, db, "w")
	update(t, db, func(tx Tx) error {
		j := dm("w", "k1", "a1", "201", at(-30))
		if err := tx.PutJob(j); err != nil {
			return err
		}
		got, err := tx.Job("w", j.ID)
		if err != nil {
			return fmt.Errorf("Job after PutJob in the same update: %w", err)
		}
		same(t, "Job after PutJob", got, j)
		heads, err := tx.QueueHeads("w", "a1")
		if err != nil {
			return err
		}
		same(t, "QueueHeads after PutJob", jobIDs(heads), []string{j.ID})
		if n, err := tx.PendingJobs("w"); err != nil || n != 3 {
			t.Errorf("PendingJobs after PutJob = %d, %v; want 3", n, err)
		}
		tallies, err := tx.CampaignTallies("w", "k1")
		if err != nil {
			return err
		}
		same(t, "CampaignTallies after PutJob", tallies, []store.JobTally{{CampaignID: "k1", AccountID: "a1", Kind: store.JobDM, State: store.JobPending, N: 2}})

		c := conversation("w", "100-300", "a1", "300", "k1", 60)
		if err := tx.PutConversation(c); err != nil {
			return err
		}
		convs, err := tx.Conversations("w", store.ConversationQuery{Limit: 1})
		if err != nil {
			return err
		}
		same(t, "Conversations after PutConversation", conversationIDs(convs), []string{"100-300"})

		if err := tx.DeleteAccount("w", "a1"); err != nil {
			return err
		}
		_, err = tx.AccountByHandle("acme-w")
		wantNotFound(t, "AccountByHandle after DeleteAccount", err)
		return nil
	})
}

// testReadersAlongsideWriter holds an Update open after its writes and
// checks that Views started meanwhile complete without seeing them.
func testReadersAlongsideWriter(t *testing.T, open Opener) {
	db := store.Narrow(open(t), func(tx Tx) Accounts { return tx })
	written, release := make(chan struct{}), make(chan struct{})
	committed := make(chan error, 1)
	go func() {
		committed <- db.Update(t.Context(), func(tx Accounts) error {
			if err := tx.PutAccount(account("w", "a1", "acme", t0)); err != nil {
				return err
			}
			close(written)
			<-release
			return nil
		})
	}()
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()
	<-written

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			errs <- db.View(t.Context(), func(tx Accounts) error {
				a, err := tx.Account("w", "a1")
				if !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("a View during the Update read %+v, %v; want store.ErrNotFound", a.ID, err)
				}
				if as, err := tx.AllAccounts(); err != nil || len(as) != 0 {
					return fmt.Errorf("a View during the Update listed %d accounts (%v); want none", len(as), err)
				}
				return nil
			})
		})
	}
	views := make(chan struct{})
	go func() { wg.Wait(); close(views) }()
	select {
	case <-views:
	case <-time.After(30 * time.Second):
		// A failure detector, not a wait for work: readers that wait for a
		// writer would never finish here.
		t.Fatal("Views did not complete while an Update was open: readers must not wait for a writer")
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}

	close(release)
	released = true
	if err := <-committed; err != nil {
		t.Fatalf("Update: %v", err)
	}
	got := read(t, db, func(tx Accounts) (store.Account, error) { return tx.Account("w", "a1") })
	if got.ID != "a1" {
		t.Errorf("a View after the commit read %q, want the account", got.ID)
	}
}
