package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// tweetsService is what the operations of /scheduled-tweets call.
type tweetsService interface {
	// ScheduleTweet schedules a tweet from an account at a time in the
	// future.
	ScheduleTweet(ctx context.Context, workspace, accountID, text string, at time.Time) (service.TweetInfo, error)
	// ListTweets returns a page of scheduled tweets, soonest first, and how
	// many match in all.
	ListTweets(ctx context.Context, workspace string, f service.TweetFilter, limit, offset int) ([]service.TweetInfo, int, error)
	// CancelTweet cancels a pending scheduled tweet.
	CancelTweet(ctx context.Context, workspace, id string) (store.ScheduledTweet, error)
}

// scheduleTweetRequest is the body of schedule-tweet.
type scheduleTweetRequest struct {
	AccountID   string    `json:"account_id" maxLength:"64" doc:"The account to post from (its id from GET /api/v1/accounts)." example:"550e8400-e29b-41d4-a716-446655440000"`
	TweetText   string    `json:"tweet_text" minLength:"1" maxLength:"280" doc:"The tweet, at most 280 characters." example:"Just launched a new feature! Check it out"`
	ScheduledAt time.Time `json:"scheduled_at" doc:"When to post it, RFC 3339; it must be in the future." example:"2024-03-20T15:00:00Z"`
}

// scheduledTweet is a scheduled tweet as schedule-tweet answers it.
type scheduledTweet struct {
	ID            string `json:"id" format:"uuid" doc:"Scheduled tweet id; tweet_id when cancelling it." example:"7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"`
	AccountID     string `json:"account_id" format:"uuid" doc:"The account it is posted from." example:"550e8400-e29b-41d4-a716-446655440000"`
	AccountHandle string `json:"account_handle" doc:"That account's X handle, without the @." example:"myhandle"`
	TweetText     string `json:"tweet_text" doc:"The tweet." example:"Just launched a new feature! Check it out"`
	ScheduledAt   string `json:"scheduled_at" format:"date-time" doc:"When it is posted, RFC 3339 in UTC with milliseconds." example:"2024-03-20T15:00:00.000Z"`
	Status        string `json:"status" enum:"pending,posted,failed,cancelled" doc:"pending: waiting to be posted; posted: posted; failed: could not be posted (see error_message); cancelled: cancelled before it was posted." example:"pending"`
	CreatedAt     string `json:"created_at" format:"date-time" doc:"When it was scheduled, RFC 3339 in UTC with milliseconds." example:"2024-03-15T10:30:00.000Z"`
}

// scheduleTweetResult is the body of schedule-tweet.
type scheduleTweetResult struct {
	Success        bool           `json:"success" doc:"Always true on success." example:"true"`
	Message        string         `json:"message" doc:"What happened." example:"Tweet scheduled successfully"`
	ScheduledTweet scheduledTweet `json:"scheduled_tweet" doc:"The scheduled tweet."`
}

// listedTweet is a scheduled tweet as list-scheduled-tweets shows it.
type listedTweet struct {
	ID            string  `json:"id" format:"uuid" doc:"Scheduled tweet id." example:"7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"`
	AccountID     string  `json:"account_id" format:"uuid" doc:"The account it is posted from." example:"550e8400-e29b-41d4-a716-446655440000"`
	AccountHandle string  `json:"account_handle" doc:"That account's X handle; empty if the account was removed." example:"myhandle"`
	AccountName   string  `json:"account_name" doc:"That account's display name (its handle until it has been checked on X)." example:"My Account"`
	AccountImage  string  `json:"account_image" doc:"That account's profile picture URL; empty until it has been checked on X." example:"https://pbs.twimg.com/profile_images/1/photo.jpg"`
	TweetText     string  `json:"tweet_text" doc:"The tweet." example:"Just launched a new feature!"`
	ScheduledAt   string  `json:"scheduled_at" format:"date-time" doc:"When it is posted, RFC 3339 in UTC with milliseconds." example:"2024-03-20T15:00:00.000Z"`
	Status        string  `json:"status" enum:"pending,posted,failed,cancelled" doc:"pending: waiting to be posted; posted: posted; failed: could not be posted (see error_message); cancelled: cancelled before it was posted." example:"pending"`
	PostedAt      *string `json:"posted_at" nullable:"true" format:"date-time" doc:"When it was posted, RFC 3339 in UTC with milliseconds; null until then." example:"2024-03-20T15:00:02.000Z"`
	ErrorMessage  *string `json:"error_message" nullable:"true" doc:"Why it failed or was cancelled; null otherwise." example:"the account's session expired"`
	CreatedAt     string  `json:"created_at" format:"date-time" doc:"When it was scheduled, RFC 3339 in UTC with milliseconds." example:"2024-03-15T10:30:00.000Z"`
}

// tweetList is the body of list-scheduled-tweets.
type tweetList struct {
	ScheduledTweets []listedTweet `json:"scheduled_tweets" nullable:"false" doc:"The page of scheduled tweets, soonest first."`
	Pagination      offsetPage    `json:"pagination" doc:"Where this page is in the listing."`
}

type listTweetsInput struct {
	AccountID string `query:"account_id" maxLength:"64" doc:"Only the tweets of this account." example:"550e8400-e29b-41d4-a716-446655440000"`
	Status    string `query:"status" enum:"pending,posted,failed,cancelled" doc:"Only the tweets in this status. cancelled is beyond the hosted API: it has no cancelled tweets to list." example:"pending"`
	Limit     int    `query:"limit" default:"50" minimum:"1" maximum:"100" doc:"Max results (default 50, max 100)." example:"10"`
	Offset    int    `query:"offset" default:"0" minimum:"0" doc:"How many results to skip." example:"0"`
}

// cancelTweetRequest is the body of cancel-scheduled-tweet.
type cancelTweetRequest struct {
	TweetID string `json:"tweet_id" minLength:"1" maxLength:"64" doc:"The scheduled tweet to cancel." example:"7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"`
}

// cancelTweetResult is the body of cancel-scheduled-tweet.
type cancelTweetResult struct {
	Success bool   `json:"success" doc:"Always true on success." example:"true"`
	Message string `json:"message" doc:"What happened." example:"Scheduled tweet cancelled"`
	TweetID string `json:"tweet_id" format:"uuid" doc:"The cancelled tweet." example:"7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"`
}

// registerTweets registers the operations of /scheduled-tweets.
func registerTweets(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "schedule-tweet",
		Method:      http.MethodPost,
		Path:        "/scheduled-tweets",
		Summary:     "Schedule a tweet",
		Description: "Schedules a tweet from one of the workspace's accounts at a time in the future. " +
			"A tweet over 280 characters, or a time not in the future, is a 400 naming the field; an account of another workspace is not found.",
		Tags:      []string{"Scheduled tweets"},
		Responses: errorResponses(http.StatusNotFound),
	}, func(ctx context.Context, in *struct{ Body scheduleTweetRequest }) (*struct{ Body scheduleTweetResult }, error) {
		info, err := svc.ScheduleTweet(ctx, workspaceFrom(ctx), in.Body.AccountID, in.Body.TweetText, in.Body.ScheduledAt)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		t := info.ScheduledTweet
		return &struct{ Body scheduleTweetResult }{scheduleTweetResult{
			Success: true,
			Message: "Tweet scheduled successfully",
			ScheduledTweet: scheduledTweet{
				ID:            t.ID,
				AccountID:     t.AccountID,
				AccountHandle: info.Account.Handle,
				TweetText:     t.Text,
				ScheduledAt:   wireTimeMillis(t.ScheduledAt),
				Status:        string(t.Status),
				CreatedAt:     wireTimeMillis(t.CreatedAt),
			},
		}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-scheduled-tweets",
		Method:      http.MethodGet,
		Path:        "/scheduled-tweets",
		Summary:     "List scheduled tweets",
		Description: "Lists the workspace's scheduled tweets, soonest first, filtered by account and status, a page at a time.",
		Tags:        []string{"Scheduled tweets"},
	}, func(ctx context.Context, in *listTweetsInput) (*struct{ Body tweetList }, error) {
		f := service.TweetFilter{AccountID: in.AccountID, Status: store.TweetStatus(in.Status)}
		infos, total, err := svc.ListTweets(ctx, workspaceFrom(ctx), f, in.Limit, in.Offset)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &struct{ Body tweetList }{}
		out.Body.ScheduledTweets = make([]listedTweet, 0, len(infos))
		for _, info := range infos {
			out.Body.ScheduledTweets = append(out.Body.ScheduledTweets, listedTweetFrom(info))
		}
		out.Body.Pagination = offsetPage{Limit: in.Limit, Offset: in.Offset, Count: len(infos), Total: total}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "cancel-scheduled-tweet",
		Method:      http.MethodDelete,
		Path:        "/scheduled-tweets",
		Summary:     "Cancel a scheduled tweet",
		Description: "Cancels a scheduled tweet before it is posted. Only a pending tweet can be cancelled: " +
			"one that was posted, failed or was cancelled already, or is being posted at this moment, is a 409 whose message names its status.",
		Tags:      []string{"Scheduled tweets"},
		Responses: errorResponses(http.StatusNotFound, http.StatusConflict),
	}, func(ctx context.Context, in *struct{ Body cancelTweetRequest }) (*struct{ Body cancelTweetResult }, error) {
		t, err := svc.CancelTweet(ctx, workspaceFrom(ctx), in.Body.TweetID)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return &struct{ Body cancelTweetResult }{cancelTweetResult{
			Success: true, Message: "Scheduled tweet cancelled", TweetID: t.ID,
		}}, nil
	})
}

// listedTweetFrom converts a scheduled tweet to the listing's wire type.
func listedTweetFrom(info service.TweetInfo) listedTweet {
	t, a := info.ScheduledTweet, info.Account
	name := a.DisplayName
	if name == "" {
		name = a.Handle
	}
	out := listedTweet{
		ID:            t.ID,
		AccountID:     t.AccountID,
		AccountHandle: a.Handle,
		AccountName:   name,
		AccountImage:  a.ProfileImageURL,
		TweetText:     t.Text,
		ScheduledAt:   wireTimeMillis(t.ScheduledAt),
		Status:        string(t.Status),
		CreatedAt:     wireTimeMillis(t.CreatedAt),
	}
	if !t.PostedAt.IsZero() {
		at := wireTimeMillis(t.PostedAt)
		out.PostedAt = &at
	}
	if t.ErrorMessage != "" {
		msg := t.ErrorMessage
		out.ErrorMessage = &msg
	}
	return out
}
