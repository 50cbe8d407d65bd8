package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// The schema is a series of migrations, migrations/NNNN_name.sql, applied
// in order, each in a transaction of its own that also records it in
// outreach_schema_migrations. A database's version is the last one
// recorded; SchemaVersion is the last this binary embeds.
//
// River's own tables come first, from River's own versioned migrations
// (rivermigrate): ours may index them.
//
// Migrating holds a session advisory lock (migrateLock) throughout, so two
// processes that migrate at once take turns: the second finds the first's
// migrations recorded and applies none of them again.

// SchemaVersion is the newest migration this binary knows.
const SchemaVersion = 7

var (
	// ErrSchemaNewer is what Open answers, wrapped, for a database a newer
	// outreach has migrated: this one does not know its schema.
	ErrSchemaNewer = errors.New("database schema is newer than this outreach")
	// ErrSchemaOlder is what Open answers, wrapped, for a database whose
	// schema lacks migrations this outreach needs.
	ErrSchemaOlder = errors.New("database schema is older than this outreach")
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLock is the advisory lock key migrations hold ("migrat" in
// ASCII).
const migrateLock = 0x6d6967726174

type migration struct {
	version int
	name    string
	sql     string
}

// migrations reads the embedded migrations, in order; a gap or a
// duplicate in their numbers is a bug of the build, which a test catches.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: its name must start with its number", base)
		}
		sql, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(sql)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %d", m.name, i+1)
		}
	}
	if len(out) != SchemaVersion {
		return nil, fmt.Errorf("%d migrations embedded, but SchemaVersion is %d", len(out), SchemaVersion)
	}
	return out, nil
}

// Migrate applies the migrations the database at url lacks, and reports
// its version before and after. It refuses a database newer than this
// binary (ErrSchemaNewer). Running it again is a no-op.
func Migrate(ctx context.Context, url string) (from, to int, err error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	defer pool.Close()
	return migratePool(ctx, pool)
}

// migratePool migrates on one connection of pool, which holds the lock,
// and River's migrations on another: River applies each of its versions in
// a transaction of its own, as some must.
func migratePool(ctx context.Context, pool *pgxpool.Pool) (from, to int, err error) {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	defer c.Release()
	conn := c.Conn()
	ms, err := migrations()
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLock)); err != nil {
		return 0, 0, fmt.Errorf("migrate: take the migration lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLock))
	}()
	if _, err := conn.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS outreach_schema_migrations (
			version integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	from, err = schemaVersion(ctx, conn)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	if from > SchemaVersion {
		return from, from, fmt.Errorf("migrate: %w", compareVersion(from))
	}
	if _, err := riverMigrator(pool).Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return from, from, fmt.Errorf("migrate: River's tables: %w", err)
	}
	for _, m := range ms[from:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO outreach_schema_migrations (version) VALUES ($1)`, m.version)
			return err
		})
		if err != nil {
			return from, m.version - 1, fmt.Errorf("migrate: apply %s: %w", m.name, err)
		}
	}
	return from, SchemaVersion, nil
}

func riverMigrator(pool *pgxpool.Pool) *rivermigrate.Migrator[pgx.Tx] {
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		panic(fmt.Sprintf("postgres: River's migrator: %v", err)) // only for a bad config, which this is not
	}
	return m
}

// checkRiver refuses a database whose River tables lack migrations this
// binary's River needs.
func checkRiver(ctx context.Context, pool *pgxpool.Pool) error {
	res, err := riverMigrator(pool).Validate(ctx, nil)
	if err != nil {
		return wrap("check River's tables", err)
	}
	if !res.OK {
		return fmt.Errorf("%w: River's tables need migrating (%s); run `outreach migrate`", ErrSchemaOlder, strings.Join(res.Messages, "; "))
	}
	return nil
}

// schemaVersion is the last migration the database records; 0 for a
// database without any.
func schemaVersion(ctx context.Context, conn *pgx.Conn) (int, error) {
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('outreach_schema_migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, wrap("read the schema version", err)
	}
	var v int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM outreach_schema_migrations`).Scan(&v); err != nil {
		return 0, wrap("read the schema version", err)
	}
	return v, nil
}

// compareVersion says what to do about a database at version v, if
// anything.
func compareVersion(v int) error {
	switch {
	case v > SchemaVersion:
		return fmt.Errorf("%w: the database is at schema version %d, this outreach knows versions up to %d; upgrade outreach",
			ErrSchemaNewer, v, SchemaVersion)
	case v < SchemaVersion:
		return fmt.Errorf("%w: the database is at schema version %d, this outreach needs version %d; run `outreach migrate`",
			ErrSchemaOlder, v, SchemaVersion)
	}
	return nil
}
