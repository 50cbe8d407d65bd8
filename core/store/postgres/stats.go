package postgres

import (
	"context"
	"fmt"
)

// Stats are the database's own counters of the work done on it, by every
// process: what a DM costs is the difference of two readings over the DMs
// sent between them.
type Stats struct {
	// Transactions committed or rolled back in this database.
	Transactions int64
	// Rollbacks are the transactions rolled back: those that failed, most
	// of them Updates that lost to a concurrent one and ran again (a View
	// that succeeds commits).
	Rollbacks int64
	// Statements run in this database, from pg_stat_statements; 0 when the
	// extension is not installed in it.
	Statements int64
}

// Stats reads the database's counters. PostgreSQL's statistics lag the
// work by up to a second or so (each backend reports at most that often).
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.pool.QueryRow(ctx, `
		SELECT xact_commit + xact_rollback, xact_rollback FROM pg_stat_database WHERE datname = current_database()`).Scan(&st.Transactions, &st.Rollbacks)
	if err != nil {
		return st, fmt.Errorf("read the database's statistics: %w", err)
	}
	var installed bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('pg_stat_statements') IS NOT NULL`).Scan(&installed); err != nil || !installed {
		return st, wrap("read the database's statistics", err)
	}
	err = s.pool.QueryRow(ctx, `
		SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&st.Statements)
	return st, wrap("read pg_stat_statements", err)
}
