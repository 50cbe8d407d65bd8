package service

import (
	"os"
	"testing"

	"github.com/outreachhq/outreach/core/store/teststore"
	"github.com/outreachhq/outreach/sdk/plugintest"
)

// TestMain runs the package's tests, internal and external, on the store
// teststore picks, and stops its Postgres cluster afterwards.
func TestMain(m *testing.M) {
	plugintest.HoldToLoopback()
	os.Exit(teststore.Main(m))
}
