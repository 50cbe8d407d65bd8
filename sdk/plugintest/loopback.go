package plugintest

import (
	"net"
	"net/http"
	"os"

	"github.com/outreachhq/outreach/sdk"
)

// HoldToLoopback keeps a test binary on this machine: it sets
// sdk.EnvLoopbackOnly, which the plugin host passes to every plugin it
// starts (whose dialers, built with sdk.GuardDialer, then refuse other
// addresses), and makes http.DefaultTransport refuse them too. Call it
// first in TestMain.
func HoldToLoopback() {
	if err := os.Setenv(sdk.EnvLoopbackOnly, "1"); err != nil {
		panic(err)
	}
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t.DialContext = sdk.GuardDialer(&net.Dialer{}).DialContext
	}
}
