package x

import (
	"os"
	"testing"

	"github.com/outreachhq/outreach/sdk/plugintest"
)

// TestMain holds every test of the package to loopback: the connector's
// own transports refuse other addresses under sdk.EnvLoopbackOnly, and so
// does any client a test builds on http.DefaultTransport.
func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	os.Exit(m.Run())
}
