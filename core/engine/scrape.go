package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// errBudget stops a scrape whose source has all the leads it wants.
var errBudget = errors.New("lead budget reached")

// matcher decides whether a scraped user becomes a lead.
type matcher func(store.Lead) (bool, error)

// sourceMatcher returns the source's compiled filter, compiling it only
// when the source or its named filter has changed since the last time.
func (e *Engine) sourceMatcher(tx *store.Tx, src store.Source) (matcher, error) {
	spec, version := src.Filter, src.UpdatedAt.String()
	if src.FilterID != "" {
		f, err := tx.Filter(src.Workspace, src.FilterID)
		if err != nil {
			return nil, fmt.Errorf("filter of source %q: %w", src.Name, err)
		}
		spec, version = &f.Spec, version+"/"+f.UpdatedAt.String()
	}
	if c, ok := e.filters[src.ID]; ok && c.version == version {
		return c.match, nil
	}
	m := matcher(func(store.Lead) (bool, error) { return true, nil })
	if spec != nil {
		prog, err := filter.Compile(*spec)
		if err != nil {
			return nil, fmt.Errorf("filter of source %q: %w", src.Name, err)
		}
		m = func(l store.Lead) (bool, error) {
			return prog.Match(filter.Lead{
				Username: l.Username, Name: l.Name, Bio: l.Bio, Location: l.Location, Website: l.Website,
				Followers: int(l.Followers), Following: int(l.Following), Verified: l.Verified, Protected: l.Protected,
			})
		}
	}
	e.filters[src.ID] = compiledFilter{version: version, match: m}
	return m, nil
}

// compiledFilter is a cached matcher and the versions it was built from.
type compiledFilter struct {
	version string
	match   matcher
}

func leadFromUser(ws string, u sdk.User, at time.Time) store.Lead {
	return store.Lead{
		UserID: u.ID, Workspace: ws, Username: u.Username, Name: u.Name, Bio: u.Description,
		Location: u.Location, Website: u.URL, Followers: u.FollowersCount, Following: u.FollowingCount,
		Verified: u.Verified, Protected: u.Protected, ProfileImageURL: u.ProfileImageURL, FoundAt: at,
	}
}

// scrape walks one target from its checkpoint. Each page is committed in
// one transaction with the leads it kept, the first DM jobs they lead to and
// the new checkpoint, so a crash resumes after the last committed page and
// never loses or repeats one.
func (e *Engine) scrape(ctx context.Context, j store.Job) error {
	var (
		src      store.Source
		accounts []store.Account
		m        matcher
	)
	err := e.st.View(func(tx *store.Tx) (err error) {
		if src, err = tx.Source(j.Workspace, j.SourceID); err != nil {
			return err
		}
		if accounts, err = tx.Accounts(j.Workspace); err != nil {
			return err
		}
		m, err = e.sourceMatcher(tx, src)
		return err
	})
	if store.IsNotFound(err) {
		return e.finish(j, store.JobCancelled, errors.New("lead source was removed"))
	}
	if err != nil {
		return e.finish(j, store.JobFailed, err)
	}
	acct, ok := scrapingAccount(accounts)
	if !ok {
		return e.retryLater(j, e.opts.Clock.Now().Add(15*time.Minute), errors.New("no active account to scrape with"))
	}
	net, sess, err := e.connect(ctx, acct)
	if err != nil {
		return e.failed(j, err)
	}
	if j.TargetUserID == "" {
		users, err := net.LookupUsers(ctx, sess, []string{j.Handle})
		if err != nil {
			return e.failed(j, err)
		}
		if len(users) == 0 {
			return e.failed(j, sdk.Errorf(sdk.NotFound, "@%s does not exist", j.Handle))
		}
		j.TargetUserID = users[0].ID
	}
	relation := sdk.Followers
	if j.Relation == "following" {
		relation = sdk.Following
	}
	var storeErr error
	err = net.Scrape(ctx, sdk.ScrapeRequest{Session: sess, UserID: j.TargetUserID, Relation: relation, Cursor: j.Cursor, PageSize: 1000},
		func(p sdk.Page) error {
			var (
				full       bool
				seen, kept int
				queued     []Event
			)
			storeErr = e.st.Update(func(tx *store.Tx) error {
				now := e.opts.Clock.Now()
				have, err := tx.SourceLeadCount(src.Workspace, src.ID)
				if err != nil {
					return err
				}
				for _, u := range p.Users {
					if src.MaxLeads > 0 && have >= src.MaxLeads {
						full = true
						break
					}
					seen++
					l := leadFromUser(src.Workspace, u, now)
					ok, err := m(l)
					if err != nil || !ok {
						continue
					}
					added, err := tx.AddSourceLead(src.ID, l)
					if err != nil {
						return err
					}
					if added {
						have++
						kept++
					}
				}
				full = full || (src.MaxLeads > 0 && have >= src.MaxLeads)
				j.Cursor, j.Seen, j.Kept, j.UpdatedAt = p.NextCursor, j.Seen+seen, j.Kept+kept, now
				if full || p.NextCursor == "" {
					// The last page ends the scrape in its own transaction: a
					// crash after it must not start the walk over.
					j.State, j.DoneAt, j.LastError = store.JobDone, now, ""
				}
				if queued, err = e.fillCampaigns(tx, src.Workspace, src.ID, now); err != nil {
					return err
				}
				return tx.PutJob(j)
			})
			if storeErr != nil {
				return storeErr
			}
			e.opts.Observe(Event{Kind: Scraped, Workspace: src.Workspace, SourceID: src.ID, Seen: seen, Kept: kept})
			for _, ev := range queued {
				e.opts.Observe(ev)
			}
			if len(queued) > 0 {
				e.Wake()
			}
			if full {
				return errBudget
			}
			return nil
		})
	switch {
	case storeErr != nil:
		return storeErr
	case j.State == store.JobDone:
		// Committed with its last page; whatever the plugin said after
		// that changes nothing.
		return nil
	case err == nil || errors.Is(err, errBudget):
		return e.finish(j, store.JobDone, nil)
	}
	return e.failed(j, err)
}

// scrapingAccount picks the account a scrape reads through: the first one
// that is not paused.
func scrapingAccount(accounts []store.Account) (store.Account, bool) {
	for _, a := range accounts {
		if !a.Paused {
			return a, true
		}
	}
	return store.Account{}, false
}

// failed handles a plugin error of a job that has no effect in doubt
// (scrapes, lookups): retry transient failures, give up on permanent ones.
func (e *Engine) failed(j store.Job, err error) error {
	now := e.opts.Clock.Now()
	switch sdk.KindOf(err) {
	case sdk.RateLimited:
		return e.retryLater(j, retryAt(err, now), err)
	case sdk.SessionExpired:
		// Nothing works for the account until its credentials are renewed;
		// waiting must not use up the job's attempts and fail its lead.
		e.opts.Logger.Error("account session expired; waiting for new credentials", "job", j.ID, "account", j.AccountID, "error", err)
		return e.retryLater(j, now.Add(pausedRetry), err)
	case sdk.NotFound, sdk.Permanent, sdk.RecipientClosed:
		e.opts.Observe(Event{Kind: Failed, Workspace: j.Workspace, CampaignID: j.CampaignID, SourceID: j.SourceID, Err: err})
		return e.finish(j, store.JobFailed, err)
	}
	j.Attempts++
	if j.Attempts >= maxAttempts {
		e.opts.Observe(Event{Kind: Failed, Workspace: j.Workspace, CampaignID: j.CampaignID, SourceID: j.SourceID, Err: err})
		return e.finish(j, store.JobFailed, err)
	}
	e.opts.Logger.Warn("job failed; will retry", "job", j.ID, "attempt", j.Attempts, "error", err)
	return e.retryLater(j, now.Add(e.backoff(j.Attempts)), err)
}

// retryAt is when to try again after a rate limit: when it lifts, or in a
// quarter of an hour if the plugin does not say.
func retryAt(err error, now time.Time) time.Time {
	var se *sdk.Error
	if errors.As(err, &se) && se.ResetAt.After(now) {
		return se.ResetAt
	}
	return now.Add(15 * time.Minute)
}
