package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

// TestXConformance runs the network conformance suite against the X
// connector, in process and out of process, on a simulated X started on
// loopback for the test: nothing else is ever contacted.
func TestXConformance(t *testing.T) {
	s := sim(t)
	f := xFixture(t, s)
	t.Run("in process", func(t *testing.T) {
		c := x.New()
		plugintest.TestNetwork(t, plugintest.InProcess(t, sdk.ServeConfig{Plugin: c, Network: c}), f)
	})
	t.Run("out of process", func(t *testing.T) {
		plugintest.TestNetwork(t, plugintest.Launch(t, selfTestCommand("x")), f)
	})
}

// xFixture finds, in the simulated world, what the suite needs: a user
// with followers to scrape, one who accepts DMs and one who does not.
func xFixture(t *testing.T, s *xsim.Sim) plugintest.NetworkFixture {
	t.Helper()
	cfg, _ := json.Marshal(map[string]string{"base_url": s.URL()})
	target, ok := s.UserByUsername("paulg")
	if !ok {
		t.Fatal("the simulated X has no @paulg")
	}
	f := plugintest.NetworkFixture{
		Config:          cfg,
		Session:         session(t, s, "acme_sales"),
		Expired:         sdk.Session{Handle: "acme_sales", Credentials: map[string]string{sdk.CredentialAccessToken: "expired-token"}},
		Username:        "paulg",
		MissingUsername: "ghost_nobody",
		ScrapeUserID:    target.ID,
		PostAuthorID:    target.ID,
		PageSize:        20,
	}
	// Walk @paulg's followers directly (no plugin process) for a recipient
	// of each kind.
	c := x.New()
	if err := c.Configure(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	err := c.Scrape(context.Background(), sdk.ScrapeRequest{Session: f.Session, UserID: target.ID, Relation: sdk.Followers, PageSize: 1000},
		func(p sdk.Page) error {
			for _, u := range p.Users {
				su, ok := s.UserByUsername(u.Username)
				switch {
				case !ok:
				case su.AcceptsDMs && f.Recipient == "":
					f.Recipient = u.ID
				case !su.AcceptsDMs && f.ClosedRecipient == "":
					f.ClosedRecipient = u.ID
				}
			}
			if f.Recipient != "" && f.ClosedRecipient != "" {
				return errFound
			}
			return nil
		})
	if err != errFound {
		t.Fatalf("no recipients found among @paulg's followers: %v", err)
	}
	return f
}

var errFound = errors.New("found")
