package service

import (
	"os"
	"testing"

	"github.com/outreachhq/outreach/core/store/teststore"
)

// TestMain runs the package's tests, internal and external, on the store
// teststore picks, and stops its Postgres cluster afterwards.
func TestMain(m *testing.M) { os.Exit(teststore.Main(m)) }
