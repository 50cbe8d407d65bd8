package engine

import (
	"os"
	"testing"

	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/plugins/x"
	"github.com/outreachhq/outreach/sdk"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

// TestMain runs the package's tests, internal and external, on the store
// teststore picks, and stops its Postgres cluster afterwards. Re-executed
// as `plugin serve x`, the test binary serves the X connector instead, as
// bin/outreach serves its built-ins: so a test or benchmark can run the
// engine against the real plugin out of process.
func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	if len(os.Args) > 3 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if os.Args[3] != "x" {
			os.Exit(2)
		}
		c := x.New()
		sdk.Serve(sdk.ServeConfig{Plugin: c, Network: c})
		os.Exit(0)
	}
	os.Exit(teststore.Main(m))
}
