package x

import (
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// apiUser is X's User object with the fields the connector asks for.
type apiUser struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Username        string `json:"username"`
	Description     string `json:"description"`
	Location        string `json:"location"`
	URL             string `json:"url"`
	Verified        bool   `json:"verified"`
	Protected       bool   `json:"protected"`
	ProfileImageURL string `json:"profile_image_url"`
	CreatedAt       string `json:"created_at"`
	PublicMetrics   struct {
		FollowersCount int64 `json:"followers_count"`
		FollowingCount int64 `json:"following_count"`
		TweetCount     int64 `json:"tweet_count"`
	} `json:"public_metrics"`
}

func (u apiUser) toSDK() sdk.User {
	created, _ := time.Parse(time.RFC3339, u.CreatedAt)
	return sdk.User{
		ID: u.ID, Username: u.Username, Name: u.Name, Description: u.Description,
		Location: u.Location, URL: u.URL, Verified: u.Verified, Protected: u.Protected,
		FollowersCount: u.PublicMetrics.FollowersCount, FollowingCount: u.PublicMetrics.FollowingCount,
		TweetCount: u.PublicMetrics.TweetCount, ProfileImageURL: u.ProfileImageURL, CreatedAt: created,
	}
}

// apiDMEvent is X's DmEvent object.
type apiDMEvent struct {
	ID               string `json:"id"`
	EventType        string `json:"event_type"`
	Text             string `json:"text"`
	SenderID         string `json:"sender_id"`
	DMConversationID string `json:"dm_conversation_id"`
	CreatedAt        string `json:"created_at"`
}

func (e apiDMEvent) toSDK() sdk.DMEvent {
	created, _ := time.Parse(time.RFC3339, e.CreatedAt)
	return sdk.DMEvent{ID: e.ID, ConversationID: e.DMConversationID, SenderID: e.SenderID, Text: e.Text, CreatedAt: created, EventType: e.EventType}
}

type dmEventsResponse struct {
	Data []apiDMEvent `json:"data"`
	Meta struct {
		NextToken string `json:"next_token"`
	} `json:"meta"`
}
