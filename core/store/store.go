package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/gofrs/flock"
	"github.com/tidwall/buntdb"
)

// ErrNotFound is returned when a key does not exist.
var ErrNotFound = errors.New("not found")

// ErrLocked is returned by Open when another process holds the data dir.
var ErrLocked = errors.New("data dir is in use")

// Store is the buntdb file of one data dir.
type Store struct {
	dir  string
	db   *buntdb.DB
	lock *flock.Flock
	// commits counts read-write transactions that committed: each is one
	// synced write to disk, the cost the engine's design is measured in.
	commits atomic.Uint64
}

const (
	dbFile   = "outreach.db"
	lockFile = "outreach.lock"
)

// Open opens (creating if needed) the store in dir and takes its lock. A
// second process fails with ErrLocked and a message naming the holder.
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
		who, _ := os.ReadFile(lockPath)
		return nil, fmt.Errorf("%w: %s is held by %s; stop that process or use another --data dir", ErrLocked, dir, strings.TrimSpace(string(who)))
	}
	// The lock file names its holder for the message above; the lock itself
	// is the flock, released by the kernel if this process dies.
	if err := os.WriteFile(lockPath, []byte(holder+"\n"), 0o600); err != nil {
		lk.Unlock()
		return nil, fmt.Errorf("write lock file: %w", err)
	}
	db, err := buntdb.Open(filepath.Join(dir, dbFile))
	if err != nil {
		lk.Unlock()
		return nil, fmt.Errorf("open store: %w", err)
	}
	var cfg buntdb.Config
	if err := db.ReadConfig(&cfg); err != nil {
		db.Close()
		lk.Unlock()
		return nil, fmt.Errorf("open store: %w", err)
	}
	// Every commit reaches the disk before Update returns: an intent record
	// must survive a crash that happens during the plugin call after it.
	cfg.SyncPolicy = buntdb.Always
	if err := db.SetConfig(cfg); err != nil {
		db.Close()
		lk.Unlock()
		return nil, fmt.Errorf("open store: %w", err)
	}
	return &Store{dir: dir, db: db, lock: lk}, nil
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

// Update runs fn in a read-write transaction, committed (and synced) if fn
// returns nil and rolled back otherwise: all or nothing.
func (s *Store) Update(fn func(*Tx) error) error {
	err := s.db.Update(func(tx *buntdb.Tx) error { return fn(&Tx{tx: tx}) })
	if err == nil {
		s.commits.Add(1)
	}
	return err
}

// Commits returns how many read-write transactions have committed (each
// one synced to disk) since the store was opened.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *buntdb.Tx) error { return fn(&Tx{tx: tx}) })
}

// Tx is a transaction. Its methods are the only way records are read or
// written, so key layout lives in this package alone.
type Tx struct{ tx *buntdb.Tx }

func (t *Tx) get(key string, v any) error {
	raw, err := t.tx.Get(key)
	if errors.Is(err, buntdb.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	return nil
}

func (t *Tx) put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	_, _, err = t.tx.Set(key, string(b), nil)
	return err
}

func (t *Tx) getString(key string) (string, error) {
	v, err := t.tx.Get(key)
	if errors.Is(err, buntdb.ErrNotFound) {
		return "", ErrNotFound
	}
	return v, err
}

func (t *Tx) setString(key, v string) error {
	_, _, err := t.tx.Set(key, v, nil)
	return err
}

func (t *Tx) del(key string) error {
	_, err := t.tx.Delete(key)
	if errors.Is(err, buntdb.ErrNotFound) {
		return nil
	}
	return err
}

func (t *Tx) exists(key string) bool {
	_, err := t.tx.Get(key)
	return err == nil
}

// scan calls fn for each key with prefix, in key order, until fn returns
// false.
func (t *Tx) scan(prefix string, fn func(key, value string) bool) error {
	return t.tx.AscendGreaterOrEqual("", prefix, func(k, v string) bool {
		if !strings.HasPrefix(k, prefix) {
			return false
		}
		return fn(k, v)
	})
}

func scanJSON[T any](t *Tx, prefix string) ([]T, error) {
	var (
		out  []T
		derr error
	)
	err := t.scan(prefix, func(k, v string) bool {
		var x T
		if derr = json.Unmarshal([]byte(v), &x); derr != nil {
			derr = fmt.Errorf("decode %s: %w", k, derr)
			return false
		}
		out = append(out, x)
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, derr
}
