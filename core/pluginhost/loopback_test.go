package pluginhost

import (
	"context"
	"slices"
	"testing"

	"github.com/outreachhq/outreach/core/pluginhost/pluginhosttest"
	"github.com/outreachhq/outreach/sdk"
)

// TestLoopbackOnlyReachesPlugins: plugins start without the host's
// environment, except the loopback guard, so that a test's plugin
// processes cannot dial off the machine either.
func TestLoopbackOnlyReachesPlugins(t *testing.T) {
	t.Setenv(sdk.EnvLoopbackOnly, "1")
	s := sim(t)
	h := newHost(t, Options{})
	n, err := h.Network("fault", faultConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	users, err := n.LookupUsers(context.Background(), sdk.Session{}, []string{pluginhosttest.EnvProbe})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(users, func(u sdk.User) bool { return u.ID == sdk.EnvLoopbackOnly }) {
		t.Errorf("the plugin's environment lacks %s: %v", sdk.EnvLoopbackOnly, users)
	}
}
