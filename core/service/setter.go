package service

import (
	"context"

	"github.com/outreachhq/outreach/core/store"
)

// SetterStats is what the AI setter has done for one account with it on:
// its answers by outcome, and the conversations it handed to a person.
type SetterStats struct {
	AccountID, Handle string
	// Sent answers went out; Waiting ones are due later; Held ones were
	// cancelled, skipped or failed (their jobs say why).
	Sent, Waiting, Held int
	// HandedOff counts the conversations handed to a person.
	HandedOff int
}

// SetterStats returns the AI setter's figures for each account of the
// workspace that has it on, in the accounts' order.
func (s *Service) SetterStats(ctx context.Context, ws string) ([]SetterStats, error) {
	var out []SetterStats
	err := s.view(ctx, func(tx Tx) error {
		out = out[:0]
		accounts, err := tx.Accounts(ws)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if !a.AISetter {
				continue
			}
			st := SetterStats{AccountID: a.ID, Handle: a.Handle}
			tallies, err := tx.AccountTallies(ws, a.ID)
			if err != nil {
				return err
			}
			for _, t := range tallies {
				switch {
				case t.Kind != store.JobAnswer:
				case t.State == store.JobDone:
					st.Sent += t.N
				case t.State == store.JobPending:
					st.Waiting += t.N
				default:
					st.Held += t.N
				}
			}
			convs, err := tx.Conversations(ws, store.ConversationQuery{AccountID: a.ID})
			if err != nil {
				return err
			}
			for _, c := range convs {
				if c.HandedOff {
					st.HandedOff++
				}
			}
			out = append(out, st)
		}
		return nil
	})
	return out, err
}
