package auth_test

import (
	"context"
	"testing"

	"github.com/outreachhq/outreach/core/auth"
	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/sdk"
)

// xnet is a network plugin whose calls succeed only with a token the
// network takes; it counts them.
type xnet struct {
	auth.Plugin // unused methods panic
	x           *network
	revoked     map[string]bool
	sends       int
}

func (n *xnet) SendDM(_ context.Context, s sdk.Session, _, _ string) (sdk.SentDM, error) {
	n.sends++
	tok := s.Credentials[sdk.CredentialAccessToken]
	if n.revoked[tok] || !n.x.valid(tok) {
		return sdk.SentDM{}, sdk.Errorf(sdk.SessionExpired, "x: 401 Unauthorized")
	}
	return sdk.SentDM{EventID: "1"}, nil
}

func (n *xnet) RefreshToken(ctx context.Context, r sdk.RefreshRequest) (sdk.Token, error) {
	return n.x.RefreshToken(ctx, r)
}

// TestOneRefreshOn401: a call X refuses with 401 although the token should
// still live (revoked, say) is made once more after one refresh; a second
// refusal stands as an expired session.
func TestOneRefreshOn401(t *testing.T) {
	clk := clock.NewVirtual(start)
	x := newNetwork(clk)
	k := keeper(t, buntStore(t), x, clk, sealer(t), func(string) {})
	signIn(t, k)
	ctx := context.Background()
	tok, err := k.Token(ctx, "x", "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	plugin := &xnet{x: x, revoked: map[string]bool{tok: true}}
	net := k.Wrap("x", plugin)
	s := sdk.Session{Handle: "alice", Credentials: map[string]string{sdk.CredentialAccessToken: tok}}
	if _, err := net.SendDM(ctx, s, "7", "hi"); err != nil {
		t.Fatalf("SendDM after a refresh: %v", err)
	}
	if plugin.sends != 2 || x.refreshes.Load() != 1 {
		t.Fatalf("%d sends, %d refreshes; want 2 and 1", plugin.sends, x.refreshes.Load())
	}

	// Every token is refused now: one refresh, then the refusal stands.
	plugin.sends = 0
	x.refreshes.Store(0)
	plugin.x = newNetwork(clk) // knows none of the tokens
	fresh, _ := k.Token(ctx, "x", "alice", "")
	s.Credentials[sdk.CredentialAccessToken] = fresh
	_, err = net.SendDM(ctx, s, "7", "hi")
	if sdk.KindOf(err) != sdk.SessionExpired || plugin.sends != 2 || x.refreshes.Load() != 1 {
		t.Fatalf("SendDM: %v after %d sends and %d refreshes; want SessionExpired after 2 and 1", err, plugin.sends, x.refreshes.Load())
	}
}
