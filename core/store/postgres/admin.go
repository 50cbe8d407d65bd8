package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"riverqueue.com/riverui"
)

// AdminUI returns River's web UI for the store's queue, served under
// prefix ("/admin/jobs"), and starts what it runs in the background until
// ctx is done. It shows every workspace's queue jobs: whoever serves it
// must put it behind an operator's credential, never a workspace's key.
func (s *Store) AdminUI(ctx context.Context, prefix string, log *slog.Logger) (http.Handler, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(s.queue, nil),
		Logger:    log,
		Prefix:    prefix,
		// Our jobs' arguments are ids only, but the list shows none unless
		// asked: an operator looks at queues, not at workspaces.
		JobListHideArgsByDefault: true,
	})
	if err != nil {
		return nil, fmt.Errorf("River's UI: %w", err)
	}
	if err := h.Start(ctx); err != nil {
		return nil, fmt.Errorf("River's UI: %w", err)
	}
	return h, nil
}
