package cli

import (
	"fmt"
	"os"

	"github.com/outreachhq/outreach/core/store"
)

// openStore opens the data dir's store, naming this process as its holder.
func (g *global) openStore(what string) (*store.Store, error) {
	return store.Open(g.dataDir(), fmt.Sprintf("%s (pid %d)", what, os.Getpid()))
}
