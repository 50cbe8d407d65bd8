package service

import (
	"time"

	"github.com/outreachhq/outreach/core/store"
)

// ScheduleTx is what running a source's or a campaign's schedule reads and
// writes.
type ScheduleTx interface {
	FillTx
	Source(ws, id string) (store.Source, error)
	PutSource(s store.Source) error
	Campaign(ws, id string) (store.Campaign, error)
}

// RunSourceSchedule runs a source's schedule at now: each of its targets is
// scraped again from the start (a scrape still under way is left to
// finish), and only leads the source does not have yet are kept. It
// returns how many scrapes it queued.
func RunSourceSchedule(tx ScheduleTx, src store.Source, now time.Time) (int, error) {
	queued := 0
	for _, t := range src.Targets {
		for _, rel := range t.Relations() {
			id := store.ScrapeJobID(src.ID, rel, t.Handle)
			j, err := tx.Job(src.Workspace, id)
			switch {
			case store.IsNotFound(err):
				j = store.Job{ID: id, Workspace: src.Workspace, Kind: store.JobScrape, SourceID: src.ID, Handle: t.Handle, Relation: rel, CreatedAt: now}
			case err != nil:
				return queued, err
			case j.State == store.JobPending:
				continue
			}
			j.State, j.DueAt, j.DoneAt, j.UpdatedAt = store.JobPending, now, time.Time{}, now
			// A new walk from the first page, of whoever holds the handle now.
			j.Cursor, j.TargetUserID, j.Attempts, j.LastError, j.Lease = "", "", 0, "", store.Lease{}
			if err := tx.PutJob(j); err != nil {
				return queued, err
			}
			queued++
		}
	}
	src.ScheduleRanAt = now
	return queued, tx.PutSource(src)
}

// RunCampaignSchedule runs a campaign's schedule at now: it takes in the
// leads its sources found since the last run (Fill), and returns how many
// first DMs that queued.
func RunCampaignSchedule(tx ScheduleTx, c store.Campaign, now time.Time) (int, error) {
	c.ScheduleRanAt = now
	return Fill(tx, &c, now)
}
