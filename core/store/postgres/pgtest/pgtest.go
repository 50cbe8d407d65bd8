// Package pgtest gives tests fresh PostgreSQL databases: on the server
// OUTREACH_TEST_POSTGRES names (a URL), or else on a throwaway cluster it
// starts, once per test binary, from the PostgreSQL binaries installed on
// the machine. A test binary that uses it wraps its TestMain with Main, so
// that the cluster stops when the tests end. Without PostgreSQL, its tests
// are skipped, saying how to get it.
//
// Databases are copies of a template migrated once (CREATE DATABASE ...
// TEMPLATE), which takes milliseconds, and are dropped when their test
// ends. It is for tests only: the cluster trusts every local connection
// and syncs nothing to disk. A second cluster, started only if asked for
// (NewDurableDatabase), syncs every commit as a production server does, for
// benchmarks of what durability costs.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/outreachhq/outreach/core/store/postgres"
)

// EnvServer names the environment variable that points the tests at a
// PostgreSQL server (a URL, whose database is used to create and drop
// others) instead of a cluster of their own.
const EnvServer = "OUTREACH_TEST_POSTGRES"

var errNotFound = errors.New("PostgreSQL not found: install it (apt-get install postgresql) or set " + EnvServer)

// server is where the tests' databases are made.
type server struct {
	url      string // the maintenance database's
	template string
	cluster  *cluster // nil on a server of OUTREACH_TEST_POSTGRES
}

var (
	mu sync.Mutex
	// started and failed are, for the fast cluster (0) and the durable one
	// (1), the server once started and why it could not start.
	started [2]*server
	failed  [2]error
	dbs     atomic.Int64
)

// get returns the server, starting it on first use; it skips the test
// without PostgreSQL.
func get(t testing.TB) *server { t.Helper(); return getServer(t, false) }

// getServer is get of the durable cluster, or of the fast one.
func getServer(t testing.TB, durable bool) *server {
	t.Helper()
	i := 0
	if durable {
		i = 1
	}
	mu.Lock()
	defer mu.Unlock()
	if started[i] == nil && failed[i] == nil {
		started[i], failed[i] = start(durable)
	}
	switch {
	case errors.Is(failed[i], errNotFound):
		t.Skip(failed[i].Error())
	case failed[i] != nil:
		t.Fatalf("pgtest: %v", failed[i])
	}
	return started[i]
}

func start(durable bool) (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if u := os.Getenv(EnvServer); u != "" {
		if p, err := url.Parse(u); err != nil || p.Scheme != "postgres" && p.Scheme != "postgresql" {
			return nil, fmt.Errorf("%s=%q: want a URL, postgres://user:password@host:port/database", EnvServer, u)
		}
		// Test binaries run at once share the server: each makes a template
		// of its own, dropped by Main.
		s := &server{url: u, template: fmt.Sprintf("outreach_template_%d_%d", os.Getpid(), rand.Uint32())}
		if durable {
			// One template per server: the durable "cluster" is the same one.
			s.template += "_durable"
		}
		return s, s.makeTemplate(ctx, false)
	}
	c, err := startCluster(ctx, durable)
	if err != nil {
		return nil, err
	}
	s := &server{url: c.url("postgres"), template: "outreach_template", cluster: c}
	if err := s.makeTemplate(ctx, c.statements); err != nil {
		c.stop()
		return nil, err
	}
	return s, nil
}

// makeTemplate creates and migrates the template database; statements
// adds pg_stat_statements to it (and to the maintenance database), so
// that every test database can count its statements.
func (s *server) makeTemplate(ctx context.Context, statements bool) error {
	if err := s.exec(ctx, s.url, "CREATE DATABASE "+quote(s.template)); err != nil {
		return fmt.Errorf("create the template database: %w", err)
	}
	tmpl := dbURL(s.url, s.template)
	if _, _, err := postgres.Migrate(ctx, tmpl); err != nil {
		return fmt.Errorf("migrate the template database: %w", err)
	}
	if statements {
		for _, u := range []string{s.url, tmpl} {
			if err := s.exec(ctx, u, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"); err != nil {
				return err
			}
		}
	}
	return nil
}

// exec runs a statement in a connection of its own to the database at u.
func (s *server) exec(ctx context.Context, u, sql string) error {
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// create creates a database (from template, if not empty) that is dropped
// when t ends, and returns its URL.
func (s *server) create(t testing.TB, template string) string {
	t.Helper()
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), dbs.Add(1))
	sql := "CREATE DATABASE " + quote(name)
	if template != "" {
		sql += " TEMPLATE " + quote(template)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.exec(ctx, s.url, sql); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.exec(ctx, s.url, "DROP DATABASE IF EXISTS "+quote(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return dbURL(s.url, name)
}

// NewDatabase returns the connection URL of a fresh database, migrated to
// postgres.SchemaVersion and empty, dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	s := get(t)
	return s.create(t, s.template)
}

// NewDurableDatabase is NewDatabase on a cluster that syncs its commits to
// disk (fsync and synchronous_commit on), as a production server does,
// started on first use: for benchmarks of what a durable commit costs. On
// the server of OUTREACH_TEST_POSTGRES, it is a database of that server,
// as durable as the server is.
func NewDurableDatabase(t testing.TB) string {
	t.Helper()
	s := getServer(t, true)
	return s.create(t, s.template)
}

// EmptyDatabase returns the connection URL of a fresh database without
// any schema, dropped when t ends: for tests of migrations.
func EmptyDatabase(t testing.TB) string {
	t.Helper()
	return get(t).create(t, "")
}

// Main wraps a test binary's TestMain: it runs the tests, then stops the
// cluster they started (or drops the template they made on a server of
// OUTREACH_TEST_POSTGRES), and returns the exit code:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	for _, s := range started {
		switch {
		case s == nil:
		case s.cluster != nil:
			s.cluster.stop()
		default:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := s.exec(ctx, s.url, "DROP DATABASE IF EXISTS "+quote(s.template)+" WITH (FORCE)"); err != nil {
				fmt.Fprintf(os.Stderr, "pgtest: drop the template database: %v\n", err)
			}
			cancel()
		}
	}
	return code
}

// dbURL is server URL u (checked by start) with its database replaced by
// name.
func dbURL(u, name string) string {
	p, _ := url.Parse(u)
	p.Path = "/" + name
	p.RawPath = ""
	return p.String()
}

func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

// DropConnections ends every connection to the database at u but the one
// it uses itself, as a database that restarts or a network that fails
// would, and returns how many it ended.
func DropConnections(t testing.TB, u string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatalf("pgtest: drop connections: %v", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var n int
	err = conn.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
	if err != nil {
		t.Fatalf("pgtest: drop connections: %v", err)
	}
	return n
}

// DropDatabase drops the database at u now, ending its connections, as an
// operator's mistake or a lost volume would; its test's cleanup then finds
// it gone.
func DropDatabase(t testing.TB, u string) {
	t.Helper()
	s := get(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		t.Fatalf("pgtest: drop database: %v", err)
	}
	if err := s.exec(ctx, s.url, "DROP DATABASE IF EXISTS "+quote(cfg.Database)+" WITH (FORCE)"); err != nil {
		t.Fatalf("pgtest: drop database %s: %v", cfg.Database, err)
	}
}
