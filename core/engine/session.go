package engine

import (
	"context"
	"fmt"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/sdk"
)

// connect returns the network plugin and session of an account. The first
// time an account is used its session is checked, which also tells its X
// user id (needed to tell its messages from its leads') and profile.
func (e *Engine) connect(ctx context.Context, a store.Account) (sdk.Network, sdk.Session, error) {
	net, err := e.opts.Network(a.Network)
	if err != nil {
		return nil, sdk.Session{}, fmt.Errorf("account @%s: %w", a.Handle, err)
	}
	sess, err := e.opts.Session(ctx, a)
	if err != nil {
		return nil, sdk.Session{}, fmt.Errorf("account @%s: %w", a.Handle, err)
	}
	if a.XUserID != "" {
		sess.UserID = a.XUserID
		return net, sess, nil
	}
	u, err := net.CheckSession(ctx, sess)
	if err != nil {
		return nil, sdk.Session{}, fmt.Errorf("account @%s: %w", a.Handle, err)
	}
	err = e.st.Update(func(tx *store.Tx) error {
		cur, err := tx.Account(a.Workspace, a.ID)
		if err != nil {
			return err
		}
		cur.XUserID, cur.DisplayName, cur.ProfileImageURL, cur.Verified = u.ID, u.Name, u.ProfileImageURL, u.Verified
		return tx.PutAccount(cur)
	})
	sess.UserID = u.ID
	return net, sess, err
}
