// Package teststore gives tests the store they run on: a buntdb data dir,
// or a fresh Postgres database when $OUTREACH_TEST_STORE is "postgres".
// make test runs the engine's and the service's tests both ways, so that
// each behaviour they check holds on both stores.
package teststore

import (
	"context"
	"os"
	"testing"

	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
	"github.com/outreachhq/outreach/core/store/storetest"
)

// Env names the variable that picks the store: "postgres", or anything
// else (unset) for buntdb.
const Env = "OUTREACH_TEST_STORE"

// Postgres reports whether this process's tests run on Postgres.
func Postgres() bool { return os.Getenv(Env) == "postgres" }

// Main runs a test binary's tests (from its TestMain) and stops the
// Postgres cluster they started, if any.
func Main(m *testing.M) int { return pgtest.Main(m) }

// Store is an open store of either kind, with every method of the
// contract.
type Store interface {
	store.Transactor[storetest.Tx]
	// Commits counts the Updates that committed since it was opened.
	Commits() uint64
	Close() error
}

// Place is where one test's data lives: a data dir, or a database. Open
// opens it, and opens it again after a Close, as a restarted process
// would.
type Place struct {
	// Dir is a directory of the test's own: the data dir on buntdb. Tests
	// keep the sealing key there either way.
	Dir string
	url string
}

// New returns a fresh, empty place for t's data, on the store
// $OUTREACH_TEST_STORE picks.
func New(t testing.TB) *Place {
	t.Helper()
	if Postgres() {
		return NewPostgres(t)
	}
	return NewBunt(t)
}

// NewBunt returns a fresh buntdb data dir, whatever $OUTREACH_TEST_STORE
// says: for a benchmark that measures both stores in one run.
func NewBunt(t testing.TB) *Place {
	t.Helper()
	return &Place{Dir: t.TempDir()}
}

// NewPostgres returns a fresh Postgres database, whatever
// $OUTREACH_TEST_STORE says; it skips t without PostgreSQL, as every
// Postgres test does.
func NewPostgres(t testing.TB) *Place {
	t.Helper()
	return &Place{Dir: t.TempDir(), url: pgtest.NewDatabase(t)}
}

// NewDurablePostgres is NewPostgres on a server that syncs every commit to
// disk, as production servers do (the tests' own syncs nothing): for
// benchmarks of what a durable commit costs (pgtest.NewDurableDatabase).
func NewDurablePostgres(t testing.TB) *Place {
	t.Helper()
	return &Place{Dir: t.TempDir(), url: pgtest.NewDurableDatabase(t)}
}

// Open opens the place's store; holder names the opener (buntdb's lock
// file shows it). The test closes it, or a cleanup does.
func (p *Place) Open(t testing.TB, holder string) Store {
	t.Helper()
	var s Store
	if p.url != "" {
		pg, err := postgres.Open(context.Background(), p.url, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s = pgStore{pg}
	} else {
		bs, err := bunt.Open(p.Dir, holder)
		if err != nil {
			t.Fatal(err)
		}
		s = buntStore{bs}
	}
	return s
}

type buntStore struct{ *bunt.Store }

func (b buntStore) View(ctx context.Context, fn func(storetest.Tx) error) error {
	return b.Store.View(ctx, func(tx *bunt.Tx) error { return fn(tx) })
}

func (b buntStore) Update(ctx context.Context, fn func(storetest.Tx) error) error {
	return b.Store.Update(ctx, func(tx *bunt.Tx) error { return fn(tx) })
}

type pgStore struct{ *postgres.Store }

func (p pgStore) View(ctx context.Context, fn func(storetest.Tx) error) error {
	return p.Store.View(ctx, func(tx *postgres.Tx) error { return fn(tx) })
}

func (p pgStore) Update(ctx context.Context, fn func(storetest.Tx) error) error {
	return p.Store.Update(ctx, func(tx *postgres.Tx) error { return fn(tx) })
}

func (p pgStore) Close() error {
	p.Store.Close()
	return nil
}
