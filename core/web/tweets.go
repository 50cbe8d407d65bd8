package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// tweetsService is what the tweets page needs from the service layer.
type tweetsService interface {
	// ListTweets returns a page of scheduled tweets, soonest first, and
	// how many match in all.
	ListTweets(ctx context.Context, ws string, f service.TweetFilter, limit, offset int) ([]service.TweetInfo, int, error)
	// ScheduleTweet schedules a tweet from an account at a time in the
	// future.
	ScheduleTweet(ctx context.Context, ws, accountID, text string, at time.Time) (service.TweetInfo, error)
	// CancelTweet cancels a pending scheduled tweet.
	CancelTweet(ctx context.Context, ws, id string) (store.ScheduledTweet, error)
	// ListAccounts returns the workspace's accounts, to post from.
	ListAccounts(ctx context.Context, ws string) ([]service.AccountInfo, error)
}

func (d *Dashboard) registerTweets() {
	d.handle("GET /tweets", d.tweets)
	d.handle("POST /tweets", d.scheduleTweet)
	d.handle("POST /tweets/{id}/cancel", d.cancelTweet)
}

// tweetsPerPage is how many tweets a page lists.
const tweetsPerPage = 50

// tweetStatuses are the statuses the list filters on, with their labels:
// the store's "pending" is what people call scheduled.
var tweetStatuses = []statusOption{
	{"", "All"},
	{string(store.TweetPending), "Scheduled"},
	{string(store.TweetPosted), "Posted"},
	{string(store.TweetFailed), "Failed"},
	{string(store.TweetCancelled), "Cancelled"},
}

type statusOption struct{ Value, Label string }

// tweetsForm is the schedule form as it was sent, and what was wrong with
// it: Field names the control at fault (account, text or at).
type tweetsForm struct {
	Account, Text, At string
	Field, Error      string
}

type tweetsData struct {
	Status   string
	Statuses []statusOption
	Tweets   []tweetsRow
	// Total counts the tweets that match; From and To number this page's.
	Total, From, To  int
	PrevURL, NextURL string
	Accounts         []tweetsAccount
	Form             tweetsForm
	MinAt            string
	MaxLength        int
}

type tweetsAccount struct{ ID, Handle string }

// tweetsRow is one scheduled tweet as the page lists it.
type tweetsRow struct {
	ID, Handle, Text string
	Status           string
	ScheduledAt      time.Time
	PostedAt         time.Time
	// Error is why it failed or was cancelled.
	Error string
	// PostURL is the posted tweet on X.
	PostURL   string
	CanCancel bool
}

// StatusClass is the badge style of the tweet's status.
func (t tweetsRow) StatusClass() string { return stateBadge(t.Status) }

func (d *Dashboard) tweets(w http.ResponseWriter, r *request) {
	d.showTweets(w, r, http.StatusOK, tweetsForm{})
}

// showTweets renders the page: the list as the query filters it, and the
// schedule form as given.
func (d *Dashboard) showTweets(w http.ResponseWriter, r *request, status int, form tweetsForm) {
	q := r.URL.Query()
	data := tweetsData{Status: q.Get("status"), Statuses: tweetStatuses, Form: form, MaxLength: service.MaxTweetLength,
		MinAt: d.now().UTC().Format(datetimeLocal)}
	if !slices.ContainsFunc(tweetStatuses, func(o statusOption) bool { return o.Value == data.Status }) {
		d.fail(w, r, &service.ValidationError{Field: "status", Reason: "give pending, posted, failed or cancelled"})
		return
	}
	offset, err := strconv.Atoi(q.Get("offset"))
	if err != nil || offset < 0 {
		offset = 0
	}
	list, total, err := d.svc.ListTweets(r.ctx(), r.ws, service.TweetFilter{Status: store.TweetStatus(data.Status)}, tweetsPerPage, offset)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	accounts, err := d.svc.ListAccounts(r.ctx(), r.ws)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	for _, a := range accounts {
		data.Accounts = append(data.Accounts, tweetsAccount{ID: a.ID, Handle: a.Handle})
	}
	for _, t := range list {
		data.Tweets = append(data.Tweets, tweetsRowOf(t))
	}
	data.Total, data.From, data.To = total, offset+1, offset+len(list)
	page := func(at int) string {
		v := url.Values{}
		if data.Status != "" {
			v.Set("status", data.Status)
		}
		if at > 0 {
			v.Set("offset", strconv.Itoa(at))
		}
		if len(v) == 0 {
			return "/tweets"
		}
		return "/tweets?" + v.Encode()
	}
	if offset > 0 {
		data.PrevURL = page(max(offset-tweetsPerPage, 0))
	}
	if offset+len(list) < total {
		data.NextURL = page(offset + len(list))
	}
	v := view{Title: "Scheduled tweets", Nav: "tweets", Data: data}
	if q.Get("done") == "scheduled" {
		v.Flash = "Tweet scheduled."
	}
	d.render(w, r, status, "tweets", v)
}

func tweetsRowOf(t service.TweetInfo) tweetsRow {
	row := tweetsRow{
		ID: t.ID, Handle: t.Account.Handle, Text: t.Text, Status: string(t.Status), ScheduledAt: t.ScheduledAt,
		PostedAt: t.PostedAt, Error: t.ErrorMessage, CanCancel: t.Status == store.TweetPending,
	}
	if t.TweetID != "" && t.Account.Handle != "" {
		row.PostURL = "https://x.com/" + url.PathEscape(t.Account.Handle) + "/status/" + url.PathEscape(t.TweetID)
	}
	return row
}

// datetimeLocal is the format of an <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

// scheduleTweet schedules the form's tweet, at the form's time in the
// browser's zone (parseDatetimeLocal). A refused form is shown again, with
// the service's reason beside the control at fault.
func (d *Dashboard) scheduleTweet(w http.ResponseWriter, r *request) {
	form := tweetsForm{Account: r.PostFormValue("account"), Text: r.PostFormValue("text"), At: strings.TrimSpace(r.PostFormValue("at"))}
	at, err := parseDatetimeLocal(form.At, r.PostFormValue("at_offset"))
	if err != nil {
		form.Field, form.Error = "at", "Post at: give a date and time, such as 2030-03-20 17:00."
		d.showTweets(w, r, http.StatusBadRequest, form)
		return
	}
	// Shown again, the time is in UTC, as the page always gives it.
	form.At = at.Format(datetimeLocal)
	if _, err := d.svc.ScheduleTweet(r.ctx(), r.ws, form.Account, form.Text, at); err != nil {
		var verr *service.ValidationError
		if !errors.As(err, &verr) {
			d.fail(w, r, err)
			return
		}
		switch verr.Field {
		case "tweet_text":
			form.Field, form.Error = "text", "Tweet: "+verr.Reason+"."
		case "scheduled_at":
			form.Field, form.Error = "at", "Post at: "+verr.Reason+"."
		case "account_id":
			form.Field, form.Error = "account", "Account: "+verr.Reason+"."
		default:
			form.Error = verr.Error()
		}
		d.showTweets(w, r, http.StatusBadRequest, form)
		return
	}
	http.Redirect(w, r.Request, "/tweets?status=pending&done=scheduled", http.StatusSeeOther)
}

// parseDatetimeLocal reads a datetime-local value (with or without
// seconds) in the browser's zone: offset is how many minutes east of UTC
// that zone was at that time, as app.js puts in the field beside the input
// (NAME_offset). Without it (no script) the value is UTC, as the page gives
// it and its label then says.
func parseDatetimeLocal(s, offset string) (time.Time, error) {
	minutes := 0
	if offset != "" {
		var err error
		if minutes, err = strconv.Atoi(offset); err != nil || minutes < -14*60 || minutes > 14*60 {
			return time.Time{}, errors.New("not a time zone offset")
		}
	}
	for _, layout := range []string{datetimeLocal, datetimeLocal + ":05"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.Add(-time.Duration(minutes) * time.Minute), nil
		}
	}
	return time.Time{}, errors.New("not a date and time")
}

func (d *Dashboard) cancelTweet(w http.ResponseWriter, r *request) {
	if _, err := d.svc.CancelTweet(r.ctx(), r.ws, r.PathValue("id")); err != nil {
		d.fail(w, r, err)
		return
	}
	back(w, r, "/tweets")
}
