package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// SourceInput is a lead source as the API creates it.
type SourceInput struct {
	Name     string
	Targets  []store.Target
	Filter   *filter.Spec
	MaxLeads int
	Schedule string
}

// SourceInfo is a lead source and its progress.
type SourceInfo struct {
	store.Source
	// Kept counts the leads it has kept.
	Kept int
	// Jobs are its scrapes, one per target and relation.
	Jobs []store.Job
}

// Scraped counts the users its scrapes have read.
func (s SourceInfo) Scraped() int {
	n := 0
	for _, j := range s.Jobs {
		n += j.Seen
	}
	return n
}

// Status sums up its scrapes as the hosted API does: pending before any
// has started, processing while one runs or waits, completed once all
// have ended and some succeeded, failed when all failed.
func (s SourceInfo) Status() string {
	jobs := s.Jobs
	var pending, started, failed int
	for _, j := range jobs {
		switch ScrapeStatus(j) {
		case "processing":
			started++
			pending++
		case "pending":
			pending++
		case "failed":
			failed++
		}
	}
	switch {
	case len(jobs) == 0 || pending == len(jobs) && started == 0:
		return "pending"
	case pending > 0:
		return "processing"
	case failed == len(jobs):
		return "failed"
	}
	return "completed"
}

// Progress is the share of its scrapes that have ended, in percent.
func (s SourceInfo) Progress() int {
	if len(s.Jobs) == 0 {
		return 0
	}
	ended := 0
	for _, j := range s.Jobs {
		if j.State.Final() {
			ended++
		}
	}
	return ended * 100 / len(s.Jobs)
}

// ScrapeStatus is one scrape's status as the hosted API names it: pending
// before it starts, processing once it has, completed when it succeeded,
// failed when it failed or was cancelled.
func ScrapeStatus(j store.Job) string {
	switch j.State {
	case store.JobPending:
		if j.Seen > 0 || j.Cursor != "" || j.Attempts > 0 || !j.Lease.Expires.IsZero() {
			return "processing"
		}
		return "pending"
	case store.JobDone, store.JobSkipped:
		return "completed"
	}
	return "failed"
}

// CreateSource creates a lead source and queues one scrape per target and
// relation, in one transaction.
func (s *Service) CreateSource(ctx context.Context, ws string, in SourceInput) (SourceInfo, error) {
	src, err := checkSource(in)
	if err != nil {
		return SourceInfo{}, err
	}
	var info SourceInfo
	err = s.update(ctx, func(tx Tx) (bool, error) {
		if err := tx.PutWorkspace(ws); err != nil {
			return false, err
		}
		now := s.clock.Now().UTC()
		src.ID, src.Workspace, src.CreatedAt, src.UpdatedAt = uuid.NewString(), ws, now, now
		if err := tx.PutSource(src); err != nil {
			return false, err
		}
		if err := queueScrapes(tx, src, now); err != nil {
			return false, err
		}
		info, err = sourceInfo(tx, src)
		return true, err
	})
	return info, err
}

// checkSource validates a source's input, naming the field at fault.
func checkSource(in SourceInput) (store.Source, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return store.Source{}, invalid("name", "give the lead source a name")
	}
	if len(in.Targets) == 0 {
		return store.Source{}, invalid("sources", "give at least one handle to scrape")
	}
	src := store.Source{Name: name, Filter: in.Filter, MaxLeads: in.MaxLeads, Schedule: strings.TrimSpace(in.Schedule)}
	seen := map[string]bool{}
	for i, t := range in.Targets {
		h, err := config.CheckHandle(t.Handle)
		if err != nil {
			return store.Source{}, invalid(fmt.Sprintf("sources[%d].handle", i), "%v", err)
		}
		if !t.Followers && !t.Following {
			return store.Source{}, invalid(fmt.Sprintf("sources[%d]", i), "set followers or following (or both) to true for @%s", h)
		}
		if seen[store.NormalizeHandle(h)] {
			return store.Source{}, invalid(fmt.Sprintf("sources[%d].handle", i), "@%s is listed twice; list each handle once", h)
		}
		seen[store.NormalizeHandle(h)] = true
		src.Targets = append(src.Targets, store.Target{Handle: h, Followers: t.Followers, Following: t.Following})
	}
	if in.Filter != nil {
		if errs := filter.Validate(*in.Filter); len(errs) > 0 {
			return store.Source{}, invalid("filters."+filterFields[errs[0].Field], "%s", errs[0].Reason)
		}
	}
	if in.MaxLeads < 0 {
		return store.Source{}, invalid("max_leads", "cannot be negative")
	}
	if src.Schedule != "" {
		if _, err := schedule.ParseCron(src.Schedule); err != nil {
			return store.Source{}, invalid("schedule", "%q is not a cron schedule: %v", src.Schedule, err)
		}
	}
	return src, nil
}

// filterFields names the filter's fields as the API's filters object
// does, for the errors of CreateSource.
var filterFields = map[string]string{
	filter.FieldIncludeKeywords: "includeKeywords",
	filter.FieldExcludeKeywords: "excludeKeywords",
	filter.FieldIncludeWithin:   "includeWithinLogic",
	filter.FieldIncludeBetween:  "includeBetweenLogic",
	filter.FieldExcludeWithin:   "excludeWithinLogic",
	filter.FieldExcludeBetween:  "excludeBetweenLogic",
	filter.FieldLocationExclude: "locationExcludeKeywords",
	filter.FieldFollowers:       "followers",
	filter.FieldFollowing:       "following",
	filter.FieldWhere:           "where",
}

// queueScrapes queues the scrape of each target and relation of a source
// that has none yet.
func queueScrapes(tx Tx, src store.Source, now time.Time) error {
	for _, t := range src.Targets {
		for _, rel := range t.Relations() {
			id := store.ScrapeJobID(src.ID, rel, t.Handle)
			switch _, err := tx.Job(src.Workspace, id); {
			case err == nil:
				continue
			case !store.IsNotFound(err):
				return err
			}
			j := store.Job{
				ID: id, Workspace: src.Workspace, Kind: store.JobScrape, State: store.JobPending, DueAt: now,
				SourceID: src.ID, Handle: t.Handle, Relation: rel, CreatedAt: now, UpdatedAt: now,
			}
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
	}
	return nil
}

func sourceInfo(tx Tx, src store.Source) (SourceInfo, error) {
	info := SourceInfo{Source: src}
	var err error
	if info.Kept, err = tx.SourceLeadCount(src.Workspace, src.ID); err != nil {
		return info, err
	}
	info.Jobs, err = tx.Jobs(src.Workspace, store.JobQuery{SourceID: src.ID, Kind: store.JobScrape})
	return info, err
}

// ListSources returns a page of the workspace's lead sources, newest
// first, and how many there are in all.
func (s *Service) ListSources(ctx context.Context, ws string, limit, offset int) ([]SourceInfo, int, error) {
	var (
		out   []SourceInfo
		total int
	)
	err := s.view(ctx, func(tx Tx) error {
		all, err := tx.Sources(ws)
		if err != nil {
			return err
		}
		total = len(all)
		for _, src := range page(newestFirst(all), limit, offset) {
			info, err := sourceInfo(tx, src)
			if err != nil {
				return err
			}
			out = append(out, info)
		}
		return nil
	})
	return out, total, err
}

// Source returns a lead source and its progress.
func (s *Service) Source(ctx context.Context, ws, id string) (SourceInfo, error) {
	var info SourceInfo
	err := s.view(ctx, func(tx Tx) error {
		src, err := tx.Source(ws, id)
		if store.IsNotFound(err) {
			return notFound("lead source %s", id)
		}
		if err != nil {
			return err
		}
		info, err = sourceInfo(tx, src)
		return err
	})
	return info, err
}

// removeSource deletes a source and cancels its pending scrapes. Its leads
// stay: campaigns may have them.
func removeSource(tx Tx, src store.Source, now time.Time) error {
	if err := cancelJobs(tx, src.Workspace, store.JobQuery{SourceID: src.ID, State: store.JobPending}, now, "its lead source was removed"); err != nil {
		return err
	}
	return tx.DeleteSource(src.Workspace, src.ID)
}

// newestFirst reverses a list kept oldest first.
func newestFirst[T any](xs []T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

// page returns the limit items from offset on (limit 0: all of them).
func page[T any](xs []T, limit, offset int) []T {
	if offset >= len(xs) {
		return nil
	}
	xs = xs[max(offset, 0):]
	if limit > 0 && limit < len(xs) {
		xs = xs[:limit]
	}
	return xs
}
