package bunt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/gofrs/flock"
	"github.com/tidwall/buntdb"

	"github.com/outreachhq/outreach/core/store"
)

// ErrLocked is what Open answers, as a *LockedError naming the holder,
// when another process holds the data dir.
var ErrLocked = errors.New("data dir is in use")

const dbFile = "outreach.db"

// Store is the buntdb file of one data dir, held by this process alone.
// Its transactions are *Tx; it is a store.Transactor[*Tx].
type Store struct {
	dir    string
	holder string
	db     *buntdb.DB
	// config is db's, kept to switch its sync policy (commit.go).
	config buntdb.Config
	lock   *flock.Flock
	// writer serializes Updates: see overlay.go.
	writer sync.Mutex
	// named are the named locks of Lock (locks.go).
	named sync.Map
	// commits counts Updates that wrote: each is one synced append to the
	// file, the cost the engine's design is measured in.
	commits atomic.Uint64
}

var _ store.Transactor[*Tx] = (*Store)(nil)

// Open opens the store of data dir dir, creating both if needed, and locks
// it for this process, which holder names ("outreach serve (pid 42)"). A
// second Open of the same dir, from this process or another, fails with a
// *LockedError (errors.Is ErrLocked) that names the holder and the API it
// announced, if any.
func Open(dir, holder string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	lockPath := filepath.Join(dir, lockFile)
	lk := flock.New(lockPath)
	ok, err := lk.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock data dir %s: %w", dir, err)
	}
	if !ok {
		return nil, readLocked(dir)
	}
	// The file names its holder for the message above; the lock itself is
	// the flock, which the kernel releases if this process dies.
	if err := os.WriteFile(lockPath, []byte(holder+"\n"), 0o600); err != nil {
		lk.Unlock()
		return nil, fmt.Errorf("write lock file: %w", err)
	}
	db, cfg, err := openDB(filepath.Join(dir, dbFile))
	if err != nil {
		lk.Unlock()
		return nil, err
	}
	s := &Store{dir: dir, holder: holder, db: db, config: cfg, lock: lk}
	if err := s.upgrade(); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := s.voidLeases(); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// openDB opens the buntdb file at path, after cutting what an Update
// killed mid-write left in it (commit.go).
func openDB(path string) (*buntdb.DB, buntdb.Config, error) {
	var cfg buntdb.Config
	if _, err := dropUncommitted(path); err != nil {
		return nil, cfg, fmt.Errorf("open store %s: %w", path, err)
	}
	db, err := buntdb.Open(path)
	if err != nil {
		return nil, cfg, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := db.ReadConfig(&cfg); err != nil {
		db.Close()
		return nil, cfg, fmt.Errorf("open store: %w", err)
	}
	// Every commit reaches the disk before Update returns: an intent record
	// must survive a crash during the plugin call that follows it.
	cfg.SyncPolicy = buntdb.Always
	if err := db.SetConfig(cfg); err != nil {
		db.Close()
		return nil, cfg, fmt.Errorf("open store: %w", err)
	}
	return db, cfg, nil
}

// Dir is the data dir.
func (s *Store) Dir() string { return s.dir }

// Close closes the file and releases the lock.
func (s *Store) Close() error {
	err := s.db.Close()
	if uerr := s.lock.Unlock(); err == nil {
		err = uerr
	}
	return err
}

// Commits returns how many Updates have committed writes since Open. Each
// is one synced write to disk; an Update that wrote nothing, or failed,
// does not count.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// View runs fn on a consistent snapshot of the committed data. Views run
// alongside one another and alongside an Update, whose writes they do not
// see until it commits.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(btx *buntdb.Tx) error {
		tx := &Tx{data: snapshot{btx}}
		defer func() { tx.closed = true }()
		return fn(tx)
	})
}

// Update runs fn in a read-write transaction: if fn returns nil, its
// writes are committed (synced to disk) together; otherwise none is.
// Updates run one at a time.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	wrote, err := s.update(fn)
	if wrote {
		s.commits.Add(1)
	}
	return err
}

func (s *Store) update(fn func(*Tx) error) (wrote bool, err error) {
	s.writer.Lock()
	defer s.writer.Unlock()
	tx := &Tx{data: direct{s.db}, writes: newOverlay()}
	err = fn(tx)
	tx.closed = true
	if err != nil || tx.writes.len() == 0 {
		return false, err
	}
	if err := s.commit(tx.writes.apply); err != nil {
		return false, fmt.Errorf("commit: %w", err)
	}
	return true, nil
}
