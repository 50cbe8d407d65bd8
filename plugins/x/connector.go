package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// Version is the connector's version, reported in its plugin info.
const Version = "0.1.0"

// Connector implements sdk.Plugin, sdk.Network, sdk.Engagement,
// sdk.Authorizer, sdk.RateBudgeter and sdk.Pricer over the X API v2.
type Connector struct {
	mu         sync.RWMutex
	cfg        Config
	transports transports
	// sleep waits between tries of a read; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

var (
	_ sdk.Plugin     = (*Connector)(nil)
	_ sdk.Network    = (*Connector)(nil)
	_ sdk.Authorizer = (*Connector)(nil)
	_ sdk.Pricer     = (*Connector)(nil)
)

// New returns a connector with the default configuration.
func New() *Connector {
	cfg, err := parseConfig(nil)
	if err != nil {
		panic(err) // the defaults are constants
	}
	return &Connector{cfg: cfg, sleep: sleepCtx}
}

// config returns the current configuration.
func (c *Connector) config() Config {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cfg
}

// Info implements sdk.Plugin.
func (c *Connector) Info(context.Context) (sdk.Info, error) {
	return sdk.Info{
		Name:    "x",
		Version: Version,
		Kinds:   []string{sdk.KindNetwork},
		Capabilities: []string{
			sdk.CapScrape, sdk.CapDM, sdk.CapDMEvents,
			sdk.CapFollow, sdk.CapLike, sdk.CapComment, sdk.CapTweet, sdk.CapUserPosts,
		},
	}, nil
}

// ConfigSchema implements sdk.Plugin.
func (c *Connector) ConfigSchema(context.Context) ([]sdk.ConfigField, error) {
	return slices.Clone(configFields), nil
}

// Configure implements sdk.Plugin. A bad value is a Permanent error that
// names the field, and leaves the previous configuration in place.
func (c *Connector) Configure(_ context.Context, raw json.RawMessage) error {
	cfg, err := parseConfig(raw)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.cfg = cfg
	c.mu.Unlock()
	c.transports.closeIdle()
	return nil
}

// userFields are the user fields every lookup asks for: what filters and
// personalisation need.
const userFields = "created_at,description,location,url,verified,protected,profile_image_url,public_metrics"

// dmEventFields are the DM event fields every read asks for.
const dmEventFields = "id,text,event_type,dm_conversation_id,created_at,sender_id"

// CheckSession implements sdk.Network.
func (c *Connector) CheckSession(ctx context.Context, s sdk.Session) (sdk.User, error) {
	var resp struct {
		Data *apiUser `json:"data"`
	}
	if err := c.get(ctx, s, "/2/users/me", url.Values{"user.fields": {userFields}}, &resp); err != nil {
		return sdk.User{}, err
	}
	if resp.Data == nil {
		return sdk.User{}, sdk.Errorf(sdk.SessionExpired, "x: /2/users/me returned no user")
	}
	return resp.Data.toSDK(), nil
}

// LookupUsers implements sdk.Network.
func (c *Connector) LookupUsers(ctx context.Context, s sdk.Session, usernames []string) ([]sdk.User, error) {
	var users []sdk.User
	for _, name := range usernames {
		var resp struct {
			Data *apiUser `json:"data"`
		}
		path := "/2/users/by/username/" + url.PathEscape(strings.TrimPrefix(name, "@"))
		if err := c.get(ctx, s, path, url.Values{"user.fields": {userFields}}, &resp); err != nil {
			if sdk.KindOf(err) == sdk.NotFound {
				continue
			}
			return nil, err
		}
		if resp.Data != nil {
			users = append(users, resp.Data.toSDK())
		}
	}
	return users, nil
}

// Scrape implements sdk.Network.
func (c *Connector) Scrape(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	var rel string
	switch req.Relation {
	case sdk.Followers:
		rel = "followers"
	case sdk.Following:
		rel = "following"
	default:
		return sdk.Errorf(sdk.Permanent, "x: scrape: unknown relation %d", req.Relation)
	}
	size := req.PageSize
	if size <= 0 || size > 1000 {
		size = 1000
	}
	cursor := req.Cursor
	for {
		q := url.Values{"max_results": {fmt.Sprint(size)}, "user.fields": {userFields}}
		if cursor != "" {
			q.Set("pagination_token", cursor)
		}
		var resp struct {
			Data []apiUser `json:"data"`
			Meta struct {
				NextToken string `json:"next_token"`
			} `json:"meta"`
		}
		if err := c.get(ctx, req.Session, "/2/users/"+url.PathEscape(req.UserID)+"/"+rel, q, &resp); err != nil {
			return err
		}
		page := sdk.Page{Users: make([]sdk.User, len(resp.Data)), NextCursor: resp.Meta.NextToken}
		for i, u := range resp.Data {
			page.Users[i] = u.toSDK()
		}
		if err := emit(page); err != nil {
			return err
		}
		if page.NextCursor == "" {
			return nil
		}
		cursor = page.NextCursor
	}
}

// SendDM implements sdk.Network.
func (c *Connector) SendDM(ctx context.Context, s sdk.Session, recipientID, text string) (sdk.SentDM, error) {
	type ids struct {
		ConversationID string `json:"dm_conversation_id"`
		EventID        string `json:"dm_event_id"`
	}
	var resp struct {
		Data ids `json:"data"`
		// The legacy reference pages show the ids without the data
		// wrapper (x-api-v2/README.md, "Sources disagree").
		ids
	}
	path := "/2/dm_conversations/with/" + url.PathEscape(recipientID) + "/messages"
	if err := c.post(ctx, s, path, map[string]string{"text": text}, &resp); err != nil {
		return sdk.SentDM{}, err
	}
	sent := resp.Data
	if sent.EventID == "" {
		sent = resp.ids
	}
	if sent.EventID == "" {
		// X said yes but not what it sent: the host must look.
		return sdk.SentDM{}, inDoubt(http.MethodPost, path, "the answer has no dm_event_id")
	}
	return sdk.SentDM{ConversationID: sent.ConversationID, EventID: sent.EventID}, nil
}

// ConversationEvents implements sdk.Network.
func (c *Connector) ConversationEvents(ctx context.Context, s sdk.Session, participantID string, limit int) ([]sdk.DMEvent, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var resp dmEventsResponse
	q := url.Values{"max_results": {fmt.Sprint(limit)}, "dm_event.fields": {dmEventFields}}
	path := "/2/dm_conversations/with/" + url.PathEscape(participantID) + "/dm_events"
	if err := c.get(ctx, s, path, q, &resp); err != nil {
		return nil, err
	}
	out := make([]sdk.DMEvent, len(resp.Data))
	for i, e := range resp.Data {
		out[i] = e.toSDK()
	}
	return out, nil
}

// ReadDMEvents implements sdk.Network. X lists DM events newest first, so
// it pages back until it reaches the cursor (the newest event id seen last
// time) and returns what it passed, oldest first.
func (c *Connector) ReadDMEvents(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	var newer []sdk.DMEvent
	token := ""
	for {
		q := url.Values{"max_results": {"100"}, "dm_event.fields": {dmEventFields}}
		if token != "" {
			q.Set("pagination_token", token)
		}
		var resp dmEventsResponse
		if err := c.get(ctx, s, "/2/dm_events", q, &resp); err != nil {
			return nil, "", err
		}
		reached := false
		for _, e := range resp.Data {
			if cursor != "" && !idAfter(e.ID, cursor) {
				reached = true
				break
			}
			newer = append(newer, e.toSDK())
		}
		if reached || cursor == "" || resp.Meta.NextToken == "" {
			break
		}
		token = resp.Meta.NextToken
	}
	next := cursor
	for i, j := 0, len(newer)-1; i < j; i, j = i+1, j-1 {
		newer[i], newer[j] = newer[j], newer[i]
	}
	if len(newer) > 0 {
		next = newer[len(newer)-1].ID
	}
	return newer, next, nil
}

// idAfter reports whether X id a is newer than b. X ids are decimal
// snowflakes: a longer id is larger, and equal lengths compare as text.
func idAfter(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}
