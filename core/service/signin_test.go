package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// TestSignedInResumesWaitingWork: an account the engine held for an
// expired session left its send and its workspace's scrape put off an
// hour; signing it in again lifts the hold and makes both due at once,
// while a follow-up due later stays where it was. Without a hold (a
// scrape alone met the expired session) the scrape resumes too.
func TestSignedInResumesWaitingWork(t *testing.T) {
	for _, held := range []bool{true, false} {
		t.Run(map[bool]string{true: "held", false: "not held"}[held], func(t *testing.T) { signedInResumes(t, held) })
	}
}

func signedInResumes(t *testing.T, held bool) {
	svc, st := newService(t)
	ctx := context.Background()
	cfg := load(t, `account "sales" {
  handle = "acme_sales"
}`)
	planAndApply(t, svc, cfg)
	now := start
	later := now.Add(time.Hour)
	var a store.Account
	err := st.Update(ctx, func(tx storetest.Tx) error {
		var err error
		if a, err = tx.AccountByHandle("acme_sales"); err != nil {
			return err
		}
		if held {
			h := store.Hold{Scope: store.HoldAll, By: "engine", Reason: "Session expired or account disconnected", Since: now, Until: later}
			if _, err := AddHold(tx, a, h, now); err != nil {
				return err
			}
		}
		for _, j := range []store.Job{
			{ID: "send", Kind: store.JobDM, AccountID: a.ID, LastError: "not signed in"},
			{ID: "scrape", Kind: store.JobScrape, LastError: "not signed in"},
			{ID: "followup", Kind: store.JobFollowup, AccountID: a.ID},
		} {
			j.Workspace, j.State, j.DueAt = a.Workspace, store.JobPending, later
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SignedIn(ctx, "@ACME_sales"); err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx storetest.Tx) error {
		stt, err := tx.AccountState(a.Workspace, a.ID)
		if err != nil {
			return err
		}
		if len(stt.Holds) != 0 {
			return errors.New("the hold is still there")
		}
		for id, due := range map[string]time.Time{"send": now, "scrape": now, "followup": later} {
			j, err := tx.Job(a.Workspace, id)
			if err != nil {
				return err
			}
			if !j.DueAt.Equal(due) {
				t.Errorf("job %s due %v, want %v", id, j.DueAt, due)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
