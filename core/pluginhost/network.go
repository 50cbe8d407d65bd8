package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

// network is a plugin's Network (and Engagement) with the host's deadlines,
// relaunches and errors that name the plugin.
type network struct{ m *managed }

var (
	_ sdk.Network      = (*network)(nil)
	_ sdk.Engagement   = (*network)(nil)
	_ sdk.RateBudgeter = (*network)(nil)
	_ sdk.Authorizer   = (*network)(nil)
	_ sdk.Pricer       = (*network)(nil)
)

// Reads are idempotent: call retries them once after a crash.
const (
	read   = true
	effect = false
)

func (n *network) CheckSession(ctx context.Context, s sdk.Session) (sdk.User, error) {
	return call(n.m, ctx, "check session", read, func(ctx context.Context, p *process) (sdk.User, error) {
		return p.network.CheckSession(ctx, s)
	})
}

func (n *network) LookupUsers(ctx context.Context, s sdk.Session, usernames []string) ([]sdk.User, error) {
	return call(n.m, ctx, "look up users", read, func(ctx context.Context, p *process) ([]sdk.User, error) {
		return p.network.LookupUsers(ctx, s, usernames)
	})
}

// Scrape has no overall deadline (a long list takes long) but each page
// must arrive within CallTimeout of the previous one; the time emit takes
// does not count. After a crash it is tried once more if no page had
// arrived; after that the caller resumes from its last cursor.
func (n *network) Scrape(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	timeout := n.m.host.opts.CallTimeout
	pages := 0
	scrape := func(ctx context.Context, p *process) (struct{}, error) {
		sctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		idle := time.AfterFunc(timeout, func() { cancel(errIdle) })
		defer idle.Stop()
		err := p.network.Scrape(sctx, req, func(page sdk.Page) error {
			if !idle.Stop() {
				return errIdle
			}
			defer idle.Reset(timeout)
			pages++
			return emit(page)
		})
		if err != nil && sdk.KindOf(err) == "" && errors.Is(context.Cause(sctx), errIdle) {
			err = fmt.Errorf("%w: %w", errIdle, err)
		}
		return struct{}{}, err
	}
	_, err := invoke(n.m, ctx, "scrape", effect, false, scrape)
	if errors.Is(err, errCrashed) && pages == 0 {
		_, err = invoke(n.m, ctx, "scrape", effect, false, scrape)
	}
	return err
}

func (n *network) SendDM(ctx context.Context, s sdk.Session, recipientID, text string) (sdk.SentDM, error) {
	sent, err := call(n.m, ctx, "send DM", effect, func(ctx context.Context, p *process) (sdk.SentDM, error) {
		return p.network.SendDM(ctx, s, recipientID, text)
	})
	if err == nil && (sent.ConversationID == "" || sent.EventID == "") {
		// Untyped on purpose: the plugin said it sent, but not what, so the
		// engine settles it by reading the conversation.
		return sdk.SentDM{}, fmt.Errorf("plugin %q: send DM: malformed response %+v: no conversation or event id", n.m.name, sent)
	}
	return sent, err
}

func (n *network) ConversationEvents(ctx context.Context, s sdk.Session, participantID string, limit int) ([]sdk.DMEvent, error) {
	return call(n.m, ctx, "conversation events", read, func(ctx context.Context, p *process) ([]sdk.DMEvent, error) {
		return p.network.ConversationEvents(ctx, s, participantID, limit)
	})
}

type eventsAndCursor struct {
	events []sdk.DMEvent
	cursor string
}

func (n *network) ReadDMEvents(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	r, err := call(n.m, ctx, "read DM events", read, func(ctx context.Context, p *process) (eventsAndCursor, error) {
		events, next, err := p.network.ReadDMEvents(ctx, s, cursor)
		return eventsAndCursor{events, next}, err
	})
	return r.events, r.cursor, err
}

// engagement returns p's Engagement: every gRPC network client has one.
func engagement(p *process) sdk.Engagement { return p.network.(sdk.Engagement) }

func (n *network) Follow(ctx context.Context, s sdk.Session, userID string) (bool, error) {
	return call(n.m, ctx, "follow", effect, func(ctx context.Context, p *process) (bool, error) {
		return engagement(p).Follow(ctx, s, userID)
	})
}

func (n *network) Like(ctx context.Context, s sdk.Session, postID string) error {
	_, err := call(n.m, ctx, "like", effect, func(ctx context.Context, p *process) (struct{}, error) {
		return struct{}{}, engagement(p).Like(ctx, s, postID)
	})
	return err
}

func (n *network) Comment(ctx context.Context, s sdk.Session, postID, text string) (sdk.Post, error) {
	return call(n.m, ctx, "comment", effect, func(ctx context.Context, p *process) (sdk.Post, error) {
		return engagement(p).Comment(ctx, s, postID, text)
	})
}

func (n *network) PostTweet(ctx context.Context, s sdk.Session, text string) (sdk.Post, error) {
	return call(n.m, ctx, "post tweet", effect, func(ctx context.Context, p *process) (sdk.Post, error) {
		return engagement(p).PostTweet(ctx, s, text)
	})
}

func (n *network) UserPosts(ctx context.Context, s sdk.Session, userID string, limit int) ([]sdk.Post, error) {
	return call(n.m, ctx, "user posts", read, func(ctx context.Context, p *process) ([]sdk.Post, error) {
		return engagement(p).UserPosts(ctx, s, userID, limit)
	})
}

// RateBudgets asks the plugin for its per-account budgets; a plugin built
// without them answers a Permanent "not supported".
func (n *network) RateBudgets(ctx context.Context) ([]sdk.Budget, error) {
	return call(n.m, ctx, "rate budgets", read, func(ctx context.Context, p *process) ([]sdk.Budget, error) {
		rb, ok := p.network.(sdk.RateBudgeter)
		if !ok {
			return nil, sdk.Errorf(sdk.Permanent, "not supported by this plugin: rate budgets")
		}
		return rb.RateBudgets(ctx)
	})
}

// authorizer is the process's Authorizer: every network client has one,
// which answers Permanent "not supported" for a plugin without it.
func authorizer(p *process) sdk.Authorizer {
	if a, ok := p.network.(sdk.Authorizer); ok {
		return a
	}
	return unsupportedAuth{}
}

type unsupportedAuth struct{}

func (unsupportedAuth) err() error {
	return sdk.Errorf(sdk.Permanent, "not supported by this plugin: signing accounts in")
}
func (u unsupportedAuth) AuthSpec(context.Context) (sdk.AuthSpec, error) {
	return sdk.AuthSpec{}, u.err()
}
func (u unsupportedAuth) AuthorizeURL(context.Context, sdk.AuthorizeRequest) (string, error) {
	return "", u.err()
}
func (u unsupportedAuth) ExchangeCode(context.Context, sdk.ExchangeRequest) (sdk.Token, error) {
	return sdk.Token{}, u.err()
}
func (u unsupportedAuth) RefreshToken(context.Context, sdk.RefreshRequest) (sdk.Token, error) {
	return sdk.Token{}, u.err()
}

func (n *network) AuthSpec(ctx context.Context) (sdk.AuthSpec, error) {
	return call(n.m, ctx, "auth spec", read, func(ctx context.Context, p *process) (sdk.AuthSpec, error) {
		return authorizer(p).AuthSpec(ctx)
	})
}

func (n *network) AuthorizeURL(ctx context.Context, req sdk.AuthorizeRequest) (string, error) {
	return call(n.m, ctx, "authorize url", read, func(ctx context.Context, p *process) (string, error) {
		return authorizer(p).AuthorizeURL(ctx, req)
	})
}

// ExchangeCode and RefreshToken are effects: a code is good once, and a
// refresh rotates the refresh token, so neither is tried again after a
// crash.
func (n *network) ExchangeCode(ctx context.Context, req sdk.ExchangeRequest) (sdk.Token, error) {
	return call(n.m, ctx, "exchange code", effect, func(ctx context.Context, p *process) (sdk.Token, error) {
		return authorizer(p).ExchangeCode(ctx, req)
	})
}

func (n *network) RefreshToken(ctx context.Context, req sdk.RefreshRequest) (sdk.Token, error) {
	return call(n.m, ctx, "refresh token", effect, func(ctx context.Context, p *process) (sdk.Token, error) {
		return authorizer(p).RefreshToken(ctx, req)
	})
}

// Prices asks the plugin for its price table.
func (n *network) Prices(ctx context.Context) (sdk.PriceTable, error) {
	return call(n.m, ctx, "prices", read, func(ctx context.Context, p *process) (sdk.PriceTable, error) {
		pr, ok := p.network.(sdk.Pricer)
		if !ok {
			return sdk.PriceTable{}, sdk.Errorf(sdk.Permanent, "not supported by this plugin: prices")
		}
		return pr.Prices(ctx)
	})
}
