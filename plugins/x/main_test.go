package x

import (
	"net"
	"net/http"
	"os"
	"testing"

	"github.com/outreachhq/outreach/sdk"
)

// TestMain holds every test of the package to loopback: the connector's
// own transports refuse other addresses under EnvLoopbackOnly, and so does
// any client a test builds on http.DefaultTransport.
func TestMain(m *testing.M) {
	if err := os.Setenv(sdk.EnvLoopbackOnly, "1"); err != nil {
		panic(err)
	}
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t.DialContext = sdk.GuardDialer(&net.Dialer{}).DialContext
	}
	os.Exit(m.Run())
}
