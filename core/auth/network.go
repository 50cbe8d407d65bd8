package auth

import (
	"context"

	"github.com/outreachhq/outreach/sdk"
)

// Network is a network plugin whose calls, when the network answers that
// the session's access token no longer works, are made once more after a
// refresh: a 401 refused the call, so nothing was done, and a token can
// die before its time (revoked, or the network's clock ahead of ours). A
// second refusal stands: the session is expired.
type Network struct {
	net    Plugin
	keeper *Keeper
	name   string
}

// Plugin is what the host's network clients implement.
type Plugin interface {
	sdk.Network
	sdk.Engagement
	sdk.RateBudgeter
	sdk.Authorizer
	sdk.Pricer
}

var _ Plugin = (*Network)(nil)

// Wrap returns net, the plugin called name, with calls retried once after a
// refresh as Network says.
func (k *Keeper) Wrap(name string, net Plugin) *Network {
	return &Network{net: net, keeper: k, name: name}
}

// again makes call with s, and once more with a refreshed token if the
// network refused s's token.
func again[T any](ctx context.Context, n *Network, s sdk.Session, call func(sdk.Session) (T, error)) (T, error) {
	v, err := call(s)
	stale := s.Credentials[sdk.CredentialAccessToken]
	if sdk.KindOf(err) != sdk.SessionExpired || stale == "" {
		return v, err
	}
	fresh, rerr := n.keeper.Refresh(ctx, n.name, s.Handle, s.Proxy, stale)
	if rerr != nil {
		var zero T
		return zero, rerr
	}
	creds := make(map[string]string, len(s.Credentials))
	for k, v := range s.Credentials {
		creds[k] = v
	}
	creds[sdk.CredentialAccessToken] = fresh
	s.Credentials = creds
	return call(s)
}

func (n *Network) CheckSession(ctx context.Context, s sdk.Session) (sdk.User, error) {
	return again(ctx, n, s, func(s sdk.Session) (sdk.User, error) { return n.net.CheckSession(ctx, s) })
}

func (n *Network) LookupUsers(ctx context.Context, s sdk.Session, usernames []string) ([]sdk.User, error) {
	return again(ctx, n, s, func(s sdk.Session) ([]sdk.User, error) { return n.net.LookupUsers(ctx, s, usernames) })
}

// Scrape is retried from the cursor of the last page it emitted.
func (n *Network) Scrape(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	_, err := again(ctx, n, req.Session, func(s sdk.Session) (struct{}, error) {
		req.Session = s
		return struct{}{}, n.net.Scrape(ctx, req, func(p sdk.Page) error {
			if err := emit(p); err != nil {
				return err
			}
			req.Cursor = p.NextCursor
			return nil
		})
	})
	return err
}

func (n *Network) SendDM(ctx context.Context, s sdk.Session, recipientID, text string) (sdk.SentDM, error) {
	return again(ctx, n, s, func(s sdk.Session) (sdk.SentDM, error) { return n.net.SendDM(ctx, s, recipientID, text) })
}

func (n *Network) ConversationEvents(ctx context.Context, s sdk.Session, participantID string, limit int) ([]sdk.DMEvent, error) {
	return again(ctx, n, s, func(s sdk.Session) ([]sdk.DMEvent, error) {
		return n.net.ConversationEvents(ctx, s, participantID, limit)
	})
}

func (n *Network) ReadDMEvents(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	type read struct {
		events []sdk.DMEvent
		cursor string
	}
	r, err := again(ctx, n, s, func(s sdk.Session) (read, error) {
		events, next, err := n.net.ReadDMEvents(ctx, s, cursor)
		return read{events, next}, err
	})
	return r.events, r.cursor, err
}

func (n *Network) Follow(ctx context.Context, s sdk.Session, userID string) (bool, error) {
	return again(ctx, n, s, func(s sdk.Session) (bool, error) { return n.net.Follow(ctx, s, userID) })
}

func (n *Network) Like(ctx context.Context, s sdk.Session, postID string) error {
	_, err := again(ctx, n, s, func(s sdk.Session) (struct{}, error) { return struct{}{}, n.net.Like(ctx, s, postID) })
	return err
}

func (n *Network) Comment(ctx context.Context, s sdk.Session, postID, text string) (sdk.Post, error) {
	return again(ctx, n, s, func(s sdk.Session) (sdk.Post, error) { return n.net.Comment(ctx, s, postID, text) })
}

func (n *Network) PostTweet(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
	return again(ctx, n, s, func(s sdk.Session) (sdk.Post, error) { return n.net.PostTweet(ctx, s, text) })
}

func (n *Network) UserPosts(ctx context.Context, s sdk.Session, userID string, limit int) ([]sdk.Post, error) {
	return again(ctx, n, s, func(s sdk.Session) ([]sdk.Post, error) { return n.net.UserPosts(ctx, s, userID, limit) })
}

func (n *Network) RateBudgets(ctx context.Context) ([]sdk.Budget, error) {
	return n.net.RateBudgets(ctx)
}
func (n *Network) Prices(ctx context.Context) (sdk.PriceTable, error) { return n.net.Prices(ctx) }
func (n *Network) AuthSpec(ctx context.Context) (sdk.AuthSpec, error) { return n.net.AuthSpec(ctx) }
func (n *Network) AuthorizeURL(ctx context.Context, r sdk.AuthorizeRequest) (string, error) {
	return n.net.AuthorizeURL(ctx, r)
}
func (n *Network) ExchangeCode(ctx context.Context, r sdk.ExchangeRequest) (sdk.Token, error) {
	return n.net.ExchangeCode(ctx, r)
}
func (n *Network) RefreshToken(ctx context.Context, r sdk.RefreshRequest) (sdk.Token, error) {
	return n.net.RefreshToken(ctx, r)
}
