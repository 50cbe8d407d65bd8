package storetest

import (
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

// readAheadRecords reads, one by one, every record ReadAhead can name.
type readAheadRecords struct {
	Job          store.Job
	Campaign     store.Campaign
	Account      store.Account
	State        store.AccountState
	Heads        []string
	HeadsAfter   []string
	Conversation store.Conversation
	Intent       store.Intent
	Lead         store.Lead
	DoNotContact bool
	SentOn       int
}

func readAll(tx Tx) (readAheadRecords, error) {
	var (
		r   readAheadRecords
		err error
	)
	if r.Job, err = tx.Job("w", "j1"); err != nil {
		return r, err
	}
	if r.Campaign, err = tx.Campaign("w", "k1"); err != nil {
		return r, err
	}
	if r.Account, err = tx.Account("w", "a1"); err != nil {
		return r, err
	}
	if r.State, err = tx.AccountState("w", "a1"); err != nil {
		return r, err
	}
	heads, err := tx.QueueHeads("w", "a1")
	if err != nil {
		return r, err
	}
	r.Heads = jobIDs(heads)
	if heads, err = tx.QueueHeadsAfter("w", "a1", "j1"); err != nil {
		return r, err
	}
	r.HeadsAfter = jobIDs(heads)
	if r.Conversation, err = tx.Conversation("w", "c1"); err != nil {
		return r, err
	}
	if r.Intent, err = tx.Intent("w", "j1"); err != nil {
		return r, err
	}
	if r.Lead, err = tx.Lead("w", "u1"); err != nil {
		return r, err
	}
	if r.DoNotContact, err = tx.DoNotContact("w", "u1"); err != nil {
		return r, err
	}
	r.SentOn, err = tx.SentOn("w", "a1", "2026-03-02")
	return r, err
}

// allReads names every record readAll reads, and one that does not exist.
var allReads = []store.Read{
	{Kind: store.ReadJob, Workspace: "w", ID: "j1"},
	{Kind: store.ReadCampaign, Workspace: "w", ID: "k1"},
	{Kind: store.ReadAccount, Workspace: "w", ID: "a1"},
	{Kind: store.ReadAccountState, Workspace: "w", ID: "a1"},
	{Kind: store.ReadQueueHeads, Workspace: "w", ID: "a1"},
	{Kind: store.ReadQueueHeads, Workspace: "w", ID: "a1", Except: "j1"},
	{Kind: store.ReadConversation, Workspace: "w", ID: "c1"},
	{Kind: store.ReadIntent, Workspace: "w", ID: "j1"},
	{Kind: store.ReadLead, Workspace: "w", ID: "u1"},
	{Kind: store.ReadDoNotContact, Workspace: "w", ID: "u1"},
	{Kind: store.ReadSentOn, Workspace: "w", ID: "a1", Day: "2026-03-02"},
	{Kind: store.ReadJob, Workspace: "w", ID: "missing"},
}

// testReadAhead: reading ahead changes no answer, in a View or an Update,
// before the reads or with writes in between, of a record or of one that
// does not exist.
func testReadAhead(t *testing.T, open Opener) {
	db := open(t)
	job := store.Job{ID: "j1", Workspace: "w", Kind: store.JobDM, State: store.JobPending, DueAt: t0, CampaignID: "k1", AccountID: "a1", LeadID: "u1", CreatedAt: t0}
	update(t, db, func(tx Tx) error {
		for _, err := range []error{
			tx.PutWorkspace("w"), tx.PutAccount(account("w", "a1", "acme", t0)),
			tx.PutAccountState(store.AccountState{Workspace: "w", AccountID: "a1", NextSendAt: at(5)}),
			tx.PutCampaign(store.Campaign{ID: "k1", Workspace: "w", Name: "c", CreatedAt: t0}),
			tx.PutJob(job), tx.PutConversation(conversation("w", "c1", "a1", "u1", "k1", 1)),
			tx.PutIntent(store.Intent{JobID: "j1", Workspace: "w", Kind: store.JobDM, AccountID: "a1", RecipientID: "u1", Text: "hi", At: t0}),
			tx.AddDoNotContact("w", "u1", "stop"), tx.AddSentOn("w", "a1", "2026-03-02", 2),
		} {
			if err != nil {
				return err
			}
		}
		_, err := tx.AddSourceLead("w", "s1", lead("w", "u1"))
		return err
	})
	want := read(t, db, readAll)

	got := read(t, db, func(tx Tx) (readAheadRecords, error) {
		if err := tx.ReadAhead(allReads...); err != nil {
			return readAheadRecords{}, err
		}
		return readAll(tx)
	})
	same(t, "read ahead in a View", got, want)

	// In an Update, read ahead, write every record, then read: the writes
	// show, and a record read twice after one read ahead reads the same.
	changed := write(t, db, func(tx Tx) (readAheadRecords, error) {
		if err := tx.ReadAhead(allReads...); err != nil {
			return readAheadRecords{}, err
		}
		if _, err := tx.Job("w", "missing"); !store.IsNotFound(err) {
			t.Errorf("a missing job read ahead: err = %v, want store.ErrNotFound", err)
		}
		j := job
		j.State = store.JobDone
		c := conversation("w", "c1", "a1", "u1", "k1", 1)
		c.Replied = true
		a := account("w", "a1", "acme2", t0)
		l := lead("w", "u1")
		l.Name = "Another Name"
		for _, err := range []error{
			tx.PutJob(j), tx.PutCampaign(store.Campaign{ID: "k1", Workspace: "w", Name: "c2", CreatedAt: t0}), tx.PutAccount(a),
			tx.PutAccountState(store.AccountState{Workspace: "w", AccountID: "a1", NextSendAt: at(9)}), tx.PutConversation(c),
			tx.DeleteIntent("w", "j1"), tx.AddSentOn("w", "a1", "2026-03-02", 1),
		} {
			if err != nil {
				return readAheadRecords{}, err
			}
		}
		if _, err := tx.Intent("w", "j1"); !store.IsNotFound(err) {
			t.Errorf("an intent deleted after it was read ahead: err = %v, want store.ErrNotFound", err)
		}
		// Each record written since it was read ahead reads as written;
		// the lead and the do-not-contact list, not written, as before.
		now, err := readAll(tx)
		if err != nil && !store.IsNotFound(err) {
			return readAheadRecords{}, err
		}
		if now.Job.State != store.JobDone || now.Campaign.Name != "c2" || now.Account.Handle != "acme2" ||
			!now.State.NextSendAt.Equal(at(9)) || !now.Conversation.Replied || len(now.Heads) != 0 {
			t.Errorf("records written after they were read ahead read as: %+v", now)
		}
		if err := tx.PutIntent(store.Intent{JobID: "j1", Workspace: "w", Kind: store.JobDM, AccountID: "a1", RecipientID: "u1", Text: "again", At: t0}); err != nil {
			return readAheadRecords{}, err
		}
		if err := tx.ReadAhead(allReads...); err != nil {
			return readAheadRecords{}, err
		}
		r, err := readAll(tx)
		if err != nil {
			return r, err
		}
		again, err := readAll(tx)
		same(t, "read twice after one read ahead", again, r)
		return r, err
	})
	after := read(t, db, readAll)
	same(t, "read ahead, then written, in an Update", changed, after)
	if changed.Job.State != store.JobDone || changed.Campaign.Name != "c2" || changed.Account.Handle != "acme2" ||
		!changed.State.NextSendAt.Equal(at(9)) || !changed.Conversation.Replied || changed.Intent.Text != "again" ||
		changed.SentOn != 3 || len(changed.Heads) != 0 {
		t.Errorf("the Update read, after its writes: %+v", changed)
	}
}
