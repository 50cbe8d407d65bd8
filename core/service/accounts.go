package service

import (
	"context"

	"github.com/outreachhq/outreach/core/store"
)

// AccountInfo is an account with the counters the API reports beside it.
type AccountInfo struct {
	store.Account
	DMsSent int
}

// ListAccounts returns the workspace's accounts, oldest first.
func (s *Service) ListAccounts(_ context.Context, workspace string) ([]AccountInfo, error) {
	var out []AccountInfo
	err := s.st.View(func(tx *store.Tx) error {
		accounts, err := tx.Accounts(workspace)
		if err != nil {
			return err
		}
		out = make([]AccountInfo, len(accounts))
		for i, a := range accounts {
			n, err := tx.Counter(workspace, "dms_sent", a.ID)
			if err != nil {
				return err
			}
			out[i] = AccountInfo{Account: a, DMsSent: n}
		}
		return nil
	})
	return out, err
}
