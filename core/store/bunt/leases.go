package bunt

import (
	"github.com/outreachhq/outreach/core/store"
)

// voidLeases clears every lease a previous process left in the file: the
// lease of every intent, of every account state and of every job that has
// one. The file lock means no other process can hold the data dir, so no
// worker anywhere still works under those leases. Left in place, they
// would keep this process's workers from an account, or a job, until they
// expired; voided, an intent is in doubt at once and is resolved by
// recovery, as a crash requires.
//
// Jobs and states with a lease are found through the leased index; intents
// through the expiry index, which holds every intent (they are few: only
// effects in flight have one).
func (s *Store) voidLeases() error {
	_, err := s.update(func(t *Tx) error {
		jobs, err := t.refs(prefix("leased", "job"))
		if err != nil {
			return err
		}
		for _, r := range jobs {
			j, err := t.Job(r[0], r[1])
			if err != nil {
				return err
			}
			j.Lease = store.Lease{}
			if err := t.PutJob(j); err != nil {
				return err
			}
		}
		states, err := t.refs(prefix("leased", "state"))
		if err != nil {
			return err
		}
		for _, r := range states {
			st, err := t.AccountState(r[0], r[1])
			if err != nil {
				return err
			}
			st.Lease = store.Lease{}
			if err := t.PutAccountState(st); err != nil {
				return err
			}
		}
		intents, err := t.refs(prefix("intexp"))
		if err != nil {
			return err
		}
		for _, r := range intents {
			in, err := t.Intent(r[0], r[1])
			if err != nil {
				return err
			}
			if in.Lease.Owner == "" && in.Lease.Expires.IsZero() {
				continue
			}
			in.Lease = store.Lease{}
			if err := t.PutIntent(in); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// refs reads the (workspace, id) refs stored under p.
func (t *Tx) refs(p string) ([][2]string, error) {
	var out [][2]string
	err := t.scanPrefix(p, func(k, v string) (bool, error) {
		ws, id, err := unref(k, v)
		out = append(out, [2]string{ws, id})
		return err == nil, err
	})
	return out, err
}

// indexLease keeps k, valued v, while lease l has an owner.
func (t *Tx) indexLease(k, v string, l store.Lease) error {
	if l.Owner != "" {
		return t.set(k, v)
	}
	return t.del(k)
}
