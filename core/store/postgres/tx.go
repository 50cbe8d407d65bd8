package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/outreachhq/outreach/core/store"
)

// Tx is a transaction of the store: a View's, which reads, or an Update's,
// which also writes. It implements the whole contract of a store
// transaction (core/store/storetest.Tx); consumers see it through their
// own narrow interfaces (store.Narrow).
//
// It keeps the context of the View or Update that made it: the contract's
// methods take none, and each statement must end with the call.
type Tx struct {
	ctx    context.Context
	tx     pgx.Tx
	write  bool
	closed bool
	// wrote reports whether a statement that writes has run.
	wrote bool
	// conflict is the first statement error that means the transaction
	// lost to a concurrent one: Update runs fn again whatever fn made of it.
	conflict error
	// pending is, per job put, whether its last put left it pending, and
	// where: what the queue is told at commit.
	pending map[jobKey]pendingPut
	// locked names the spots of contention whose locks the transaction
	// holds, and unlocked those it came to without (see serially).
	locked, unlocked []string
}

type jobKey struct{ ws, id string }

var (
	errReadOnly = errors.New("postgres: write in a read-only transaction")
	errClosed   = errors.New("postgres: transaction used after its function returned")
)

// PG is the underlying transaction, for writes of other tables that must
// commit with the Update's (a job queue's inserts).
func (t *Tx) PG() pgx.Tx { return t.tx }

func (t *Tx) close() { t.closed = true }

// serial is called before a write to the spot of contention key (see
// serially): it returns errSerial, and stops the transaction, unless the
// transaction holds the spot's lock.
func (t *Tx) serial(key string) error {
	if slices.Contains(t.locked, key) {
		return nil
	}
	t.unlocked = append(t.unlocked, key)
	if t.conflict == nil {
		t.conflict = errSerial
	}
	return errSerial
}

// note remembers err if it means a conflict, and returns it.
func (t *Tx) note(err error) error {
	if err != nil && t.conflict == nil && retryable(err) {
		t.conflict = err
	}
	return err
}

func (t *Tx) usable(writes bool) error {
	switch {
	case t.closed:
		return errClosed
	case writes && !t.write:
		return errReadOnly
	}
	return nil
}

// exec runs a statement that writes.
func (t *Tx) exec(sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.usable(true); err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := t.tx.Exec(t.ctx, sql, args...)
	if err != nil {
		return tag, t.note(err)
	}
	t.wrote = true
	return tag, nil
}

// one runs a query that selects at most one row and scans it into dest;
// it reports false if there is none.
func (t *Tx) one(sql string, args []any, dest ...any) (bool, error) {
	if err := t.usable(false); err != nil {
		return false, err
	}
	err := t.tx.QueryRow(t.ctx, sql, args...).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, t.note(err)
}

// each runs a query and calls scan for each row it selects.
func (t *Tx) each(sql string, args []any, scan func(pgx.Rows) error) error {
	if err := t.usable(false); err != nil {
		return err
	}
	rows, err := t.tx.Query(t.ctx, sql, args...)
	if err != nil {
		return t.note(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return t.note(rows.Err())
}

// Records are stored as their JSON (the body column), next to the columns
// their queries need.

func encode(what string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", what, err)
	}
	return b, nil
}

func decode(what string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

// get decodes the body of the one record a query selects; what names the
// record in errors, and store.ErrNotFound answers when there is none.
func get[T any](t *Tx, what, sql string, args ...any) (T, error) {
	var v T
	var body []byte
	found, err := t.one(sql, args, &body)
	switch {
	case err != nil:
		return v, fmt.Errorf("read %s: %w", what, err)
	case !found:
		return v, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return v, decode(what, body, &v)
}

// list decodes the bodies a query selects, in its order.
func list[T any](t *Tx, what, sql string, args ...any) ([]T, error) {
	out := []T{}
	err := t.each(sql, args, func(rows pgx.Rows) error {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return err
		}
		var v T
		if err := decode(what, body, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}

// limitArg is a LIMIT argument: NULL, which is no limit, for n <= 0.
func limitArg(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

// need refuses a record without the fields its keys are made of.
func need(what string, fields ...string) error {
	for _, f := range fields {
		if f == "" {
			return fmt.Errorf("store %s: missing id or workspace", what)
		}
	}
	return nil
}

// named renders a record's key for a message: ws/id.
func named(kind, ws, id string) string { return fmt.Sprintf("%s %s/%s", kind, ws, id) }

// wrap adds context to an error; nil stays nil.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
