package x

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/outreachhq/outreach/plugins/x/xsim"
	"github.com/outreachhq/outreach/sdk"
)

// TestAccountFaultsAreTyped: against the simulated X failing as X does, a
// 403 about the account is told from one about the recipient, so an
// account-level problem never reads as "this lead is closed".
func TestAccountFaultsAreTyped(t *testing.T) {
	zero := 0
	for _, tc := range []struct {
		name   string
		faults xsim.Faults
		want   sdk.ErrorKind
	}{
		{"suspended", xsim.Faults{Accounts: map[string]xsim.AccountFaults{"acme_sales": {Suspended: true}}}, sdk.AccountBlocked},
		{"locked", xsim.Faults{Accounts: map[string]xsim.AccountFaults{"acme_sales": {Locked: true}}}, sdk.AccountBlocked},
		{"client forbidden", xsim.Faults{Accounts: map[string]xsim.AccountFaults{"acme_sales": {ClientForbidden: true}}}, sdk.AccountBlocked},
		{"looks automated", xsim.Faults{Accounts: map[string]xsim.AccountFaults{"acme_sales": {AutomatedAfter: &zero}}}, sdk.Automated},
		{"session expired", xsim.Faults{Accounts: map[string]xsim.AccountFaults{"acme_sales": {SessionExpired: true}}}, sdk.SessionExpired},
		{"server error", xsim.Faults{ErrorRate: 1}, sdk.InDoubt},
		{"connection cut", xsim.Faults{ResetRate: 1}, sdk.InDoubt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			c, s, sim := connect(t, clk)
			to := openFollower(t, c, s, sim)
			if err := sim.SetFaults(tc.faults); err != nil {
				t.Fatal(err)
			}
			if _, err := c.SendDM(context.Background(), s, to, "hello"); sdk.KindOf(err) != tc.want {
				t.Errorf("SendDM: %v (kind %q); want %s", err, sdk.KindOf(err), tc.want)
			}
		})
	}
}

// TestRecipientClosedStaysRecipientClosed: a prospect who refuses DMs is
// still the recipient's choice while another account is suspended.
func TestRecipientClosedStaysRecipientClosed(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, sim := connect(t, clk)
	if err := sim.SetFaults(xsim.Faults{Accounts: map[string]xsim.AccountFaults{"someone_else": {Suspended: true}}}); err != nil {
		t.Fatal(err)
	}
	var closed string
	for _, u := range followers(t, c, s) {
		if su, ok := sim.UserByUsername(u.Username); ok && !su.AcceptsDMs {
			closed = u.ID
			break
		}
	}
	if closed == "" {
		t.Fatal("no follower on the first page refuses DMs")
	}
	if _, err := c.SendDM(context.Background(), s, closed, "hello"); sdk.KindOf(err) != sdk.RecipientClosed {
		t.Errorf("DM to a user who refuses DMs: %v; want RecipientClosed", err)
	}
}

// TestStormIsRateLimitedWithReset: a 429 storm reads as RateLimited until
// the storm's end, on reads and writes.
func TestStormIsRateLimitedWithReset(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c, s, sim := connect(t, clk)
	to := openFollower(t, c, s, sim)
	if err := sim.SetFaults(xsim.Faults{RateLimitStorm: &xsim.Storm{For: 30 * time.Second}}); err != nil {
		t.Fatal(err)
	}
	end := clk.Now().Add(30 * time.Second)
	_, sendErr := c.SendDM(context.Background(), s, to, "hello")
	_, checkErr := c.CheckSession(context.Background(), s)
	for _, err := range []error{sendErr, checkErr} {
		var e *sdk.Error
		if !errors.As(err, &e) || e.Kind != sdk.RateLimited || !e.ResetAt.Equal(end) {
			t.Errorf("in a storm: %v; want RateLimited until %s", err, end)
		}
	}
	clk.advance(30 * time.Second)
	if _, err := c.SendDM(context.Background(), s, to, "hello"); err != nil {
		t.Errorf("after the storm: %v", err)
	}
}

// openFollower returns the id of a follower of @paulg who accepts DMs.
func openFollower(t *testing.T, c *Connector, s sdk.Session, sim *xsim.Sim) string {
	t.Helper()
	for _, u := range followers(t, c, s) {
		if su, ok := sim.UserByUsername(u.Username); ok && su.AcceptsDMs {
			return u.ID
		}
	}
	t.Fatal("no follower on the first page accepts DMs")
	return ""
}
