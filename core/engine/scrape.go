package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/outreachhq/outreach/core/filter"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// errBudget stops a scrape whose source has all the leads it wants.
var errBudget = errors.New("lead budget reached")

// matcher decides whether a scraped user becomes a lead.
type matcher func(store.Lead) (bool, error)

// compiledFilter is a cached matcher and the versions it was built from.
type compiledFilter struct {
	version string
	match   matcher
}

// sourceMatcher returns the source's compiled filter, compiling it only
// when the source or its named filter has changed since the last time.
func (e *Engine) sourceMatcher(tx Tx, src store.Source) (matcher, error) {
	spec, version := src.Filter, src.UpdatedAt.String()
	if src.FilterID != "" {
		f, err := tx.Filter(src.Workspace, src.FilterID)
		if err != nil {
			return nil, fmt.Errorf("filter of source %q: %w", src.Name, err)
		}
		spec, version = &f.Spec, version+"/"+f.UpdatedAt.String()
	}
	if c, ok := e.filters.Load(src.ID); ok && c.(compiledFilter).version == version {
		return c.(compiledFilter).match, nil
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
	e.filters.Store(src.ID, compiledFilter{version: version, match: m})
	return m, nil
}

func leadFromUser(ws string, u sdk.User, at time.Time) store.Lead {
	return store.Lead{
		UserID: u.ID, Workspace: ws, Username: u.Username, Name: u.Name, Bio: u.Description,
		Location: u.Location, Website: u.URL, Followers: u.FollowersCount, Following: u.FollowingCount,
		Verified: u.Verified, Protected: u.Protected, ProfileImageURL: u.ProfileImageURL, FoundAt: at,
	}
}

// workJob runs a job that names no account (a scrape) under its own lease.
func (e *Engine) workJob(ctx context.Context, k unitKey) (bool, error) {
	var j store.Job
	err := e.update(ctx, func(tx Tx) error {
		j = store.Job{}
		cur, err := tx.Job(k.ws, k.job)
		if store.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		now := e.clk.Now()
		if cur.State != store.JobPending || cur.DueAt.After(now) || cur.Lease.Live(now) && cur.Lease.Owner != e.owner {
			return nil
		}
		cur.Lease = e.grant(now)
		j = cur
		return tx.PutJob(cur)
	})
	if err != nil || j.ID == "" {
		return false, err
	}
	l := &lease{ws: j.Workspace}
	l.setJob(j.ID)
	stop := e.keepAlive(ctx, l)
	defer stop()
	switch j.Kind {
	case store.JobScrape:
		return true, e.scrape(ctx, j)
	}
	return true, e.finish(ctx, j, store.JobFailed, fmt.Errorf("unknown job kind %q", j.Kind))
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
	err := e.view(ctx, func(tx Tx) (err error) {
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
		return e.finish(ctx, j, store.JobCancelled, errors.New("lead source was removed"))
	}
	if err != nil {
		return e.finish(ctx, j, store.JobFailed, err)
	}
	acct, ok := scrapingAccount(accounts)
	if !ok {
		return e.update(ctx, func(tx Tx) error {
			return tx.PutJob(requeued(j, e.clk.Now().Add(15*time.Minute), errors.New("no active account to scrape with")))
		})
	}
	net, sess, err := e.connect(ctx, acct)
	if err != nil {
		return e.failed(ctx, j, err)
	}
	if held, err := e.scrapeOverSpend(ctx, j, acct); held || err != nil {
		return err
	}
	if j.Relation == store.RelationList {
		return e.lookupList(ctx, acct, src, m, j, net, sess)
	}
	if j.TargetUserID == "" {
		users, err := net.LookupUsers(ctx, sess, []string{j.Handle})
		if err != nil {
			return e.failed(ctx, j, err)
		}
		if len(users) == 0 {
			return e.failed(ctx, j, sdk.Errorf(sdk.NotFound, "@%s does not exist", j.Handle))
		}
		j.TargetUserID = users[0].ID
	}
	relation := sdk.Followers
	if j.Relation == store.RelationFollowing {
		relation = sdk.Following
	}
	var storeErr error
	err = net.Scrape(ctx, sdk.ScrapeRequest{Session: sess, UserID: j.TargetUserID, Relation: relation, Cursor: j.Cursor, PageSize: scrapePage},
		func(p sdk.Page) error {
			var full bool
			full, storeErr = e.keepPage(ctx, acct, sdk.OpScrape, src, m, &j, p)
			if storeErr != nil {
				return storeErr
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
		return e.update(ctx, func(tx Tx) error { return e.scraped(tx, j, e.clk.Now()) })
	}
	return e.failed(ctx, j, err)
}

// scrapePage is how many users a page of a scrape asks for: X's most.
const scrapePage = 1000

// listBatch is how many of a lead list's handles one lookup asks for.
const listBatch = 100

// lookupList keeps a lead list's users (a source with Listed rather than
// Targets): it looks the handles up on X a batch at a time from its
// checkpoint, the count of handles looked up so far, and commits each batch
// as a scrape commits a page. A handle X does not know is skipped; a name
// the list gives replaces the profile's, for {{firstName}}.
func (e *Engine) lookupList(ctx context.Context, acct store.Account, src store.Source, m matcher, j store.Job, net sdk.Network, sess sdk.Session) error {
	from, _ := strconv.Atoi(j.Cursor)
	for from < len(src.Listed) {
		batch := src.Listed[from:min(from+listBatch, len(src.Listed))]
		handles := make([]string, len(batch))
		names := map[string]string{}
		for i, l := range batch {
			handles[i] = l.Handle
			if l.Name != "" {
				names[store.NormalizeHandle(l.Handle)] = l.Name
			}
		}
		users, err := net.LookupUsers(ctx, sess, handles)
		if err != nil {
			return e.failed(ctx, j, err)
		}
		for i := range users {
			if n, ok := names[store.NormalizeHandle(users[i].Username)]; ok {
				users[i].Name = n
			}
		}
		from += len(batch)
		next := strconv.Itoa(from)
		if from >= len(src.Listed) {
			next = ""
		}
		full, err := e.keepPage(ctx, acct, sdk.OpLookupUsers, src, m, &j, sdk.Page{Users: users, NextCursor: next})
		if err != nil || full || j.State == store.JobDone {
			return err
		}
	}
	return e.update(ctx, func(tx Tx) error { return e.scraped(tx, j, e.clk.Now()) })
}

// keepPage commits one page of a scrape: the leads its filter keeps, the
// first DMs they lead to, and the checkpoint. It reports whether the
// source has all the leads it wants.
func (e *Engine) keepPage(ctx context.Context, acct store.Account, op string, src store.Source, m matcher, j *store.Job, p sdk.Page) (bool, error) {
	var (
		full       bool
		seen, kept int
		filled     []service.Filled
		next       store.Job
	)
	err := e.update(ctx, func(tx Tx) error {
		seen, kept, full, filled = 0, 0, false, nil
		now := e.clk.Now()
		// The page cost what it returned, kept or not.
		if err := e.addSpend(tx, acct, op, 1, len(p.Users), now); err != nil {
			return err
		}
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
			added, err := tx.AddSourceLead(src.Workspace, src.ID, l)
			if err != nil {
				return err
			}
			if added {
				have++
				kept++
			}
		}
		full = full || (src.MaxLeads > 0 && have >= src.MaxLeads)
		cur := *j
		cur.Cursor, cur.Seen, cur.Kept, cur.UpdatedAt = p.NextCursor, j.Seen+seen, j.Kept+kept, now
		cur.Lease = e.grant(now)
		if full || p.NextCursor == "" {
			// The last page ends the scrape in its own transaction: a crash
			// after it must not start the walk over.
			if err := e.scraped(tx, cur, now); err != nil {
				return err
			}
			cur.State = store.JobDone
		} else if err := tx.PutJob(cur); err != nil {
			return err
		}
		if filled, err = service.FillCampaigns(tx, src.Workspace, src.ID, now); err != nil {
			return err
		}
		next = cur
		return nil
	})
	if err != nil {
		return false, err
	}
	*j = next // not before: a run again must start from the same checkpoint
	e.observe(Event{Kind: Scraped, Workspace: src.Workspace, SourceID: src.ID, Seen: seen, Kept: kept})
	for _, f := range filled {
		e.observe(Event{Kind: Queued, Workspace: src.Workspace, CampaignID: f.CampaignID, Count: f.Queued})
	}
	if len(filled) > 0 {
		e.Wake()
	}
	return full, nil
}

// scraped ends a scrape: the job is done and, if it was the source's last
// one pending, a scraping_completed event is appended.
func (e *Engine) scraped(tx Tx, j store.Job, now time.Time) error {
	if err := tx.PutJob(finished(j, store.JobDone, nil, now)); err != nil {
		return err
	}
	pending, err := tx.Jobs(j.Workspace, store.JobQuery{SourceID: j.SourceID, State: store.JobPending, Limit: 1})
	if err != nil || len(pending) > 0 {
		return err
	}
	src, err := tx.Source(j.Workspace, j.SourceID)
	if err != nil {
		return err
	}
	jobs, err := tx.Jobs(j.Workspace, store.JobQuery{SourceID: j.SourceID, Kind: store.JobScrape})
	if err != nil {
		return err
	}
	kept, err := tx.SourceLeadCount(j.Workspace, j.SourceID)
	if err != nil {
		return err
	}
	return service.AppendEvent(tx, j.Workspace, store.EventScrapingCompleted, now, store.ScrapingCompletedData{
		LeadSourceID: src.ID, Name: src.Name, LeadsImported: kept, Status: service.SourceInfo{Jobs: jobs}.Status(),
	})
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
