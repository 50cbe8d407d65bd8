package pluginhost

import (
	"context"
	"fmt"

	"github.com/outreachhq/outreach/sdk"
)

// network wraps a plugin's Network client with deadlines, relaunch and
// errors that name the plugin.
type network struct{ m *managed }

var _ sdk.Network = (*network)(nil)

// call runs one unary call with the host's deadline.
func call[T any](n *network, ctx context.Context, op string, f func(context.Context, sdk.Network) (T, error)) (T, error) {
	var zero T
	c, err := n.m.current()
	if err != nil {
		return zero, err
	}
	ctx, cancel := context.WithTimeout(ctx, n.m.host.opts.CallTimeout)
	defer cancel()
	v, err := f(ctx, c)
	if err != nil {
		return zero, n.wrap(op, err)
	}
	return v, nil
}

func (n *network) wrap(op string, err error) error {
	// %w keeps *sdk.Error reachable for sdk.KindOf.
	return fmt.Errorf("plugin %q: %s: %w", n.m.name, op, err)
}

func (n *network) CheckSession(ctx context.Context, s sdk.Session) (sdk.User, error) {
	return call(n, ctx, "check session", func(ctx context.Context, c sdk.Network) (sdk.User, error) {
		return c.CheckSession(ctx, s)
	})
}

func (n *network) LookupUsers(ctx context.Context, s sdk.Session, usernames []string) ([]sdk.User, error) {
	return call(n, ctx, "look up users", func(ctx context.Context, c sdk.Network) ([]sdk.User, error) {
		return c.LookupUsers(ctx, s, usernames)
	})
}

// Scrape has no overall deadline (a large list takes long); the caller's
// context bounds it.
func (n *network) Scrape(ctx context.Context, req sdk.ScrapeRequest, emit func(sdk.Page) error) error {
	c, err := n.m.current()
	if err != nil {
		return err
	}
	if err := c.Scrape(ctx, req, emit); err != nil {
		return n.wrap("scrape", err)
	}
	return nil
}

func (n *network) SendDM(ctx context.Context, s sdk.Session, recipientID, text string) (sdk.SentDM, error) {
	return call(n, ctx, "send DM", func(ctx context.Context, c sdk.Network) (sdk.SentDM, error) {
		return c.SendDM(ctx, s, recipientID, text)
	})
}

func (n *network) ConversationEvents(ctx context.Context, s sdk.Session, participantID string, limit int) ([]sdk.DMEvent, error) {
	return call(n, ctx, "conversation events", func(ctx context.Context, c sdk.Network) ([]sdk.DMEvent, error) {
		return c.ConversationEvents(ctx, s, participantID, limit)
	})
}

type eventsAndCursor struct {
	events []sdk.DMEvent
	cursor string
}

func (n *network) ReadDMEvents(ctx context.Context, s sdk.Session, cursor string) ([]sdk.DMEvent, string, error) {
	r, err := call(n, ctx, "read DM events", func(ctx context.Context, c sdk.Network) (eventsAndCursor, error) {
		events, next, err := c.ReadDMEvents(ctx, s, cursor)
		return eventsAndCursor{events, next}, err
	})
	return r.events, r.cursor, err
}
