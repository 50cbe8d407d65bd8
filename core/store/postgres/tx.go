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
	// read is, per job read pending, where it was due.
	read map[jobKey]pendingPut
	// queued are writes not sent yet (see put).
	queued []queuedWrite
	// failed is the error of a queued write: the transaction is aborted.
	failed error
	// answered are the queued writes sent whose callers wait for their
	// answer (putThen), in order: each is told it before the next
	// statement goes.
	answered []answer
	// ahead are the answers ReadAhead read, by statement and arguments.
	ahead map[string]readAhead
}

// row is one row of a query's answer, read from the server or ahead.
type row interface{ Scan(dest ...any) error }

// queuedWrite is a statement that writes and whose answer the caller does
// not wait for; what names it in its error ("put job w/j1"). then, if set,
// is told the answer later (putThen).
type queuedWrite struct {
	what, sql string
	args      []any
	then      func(pgconn.CommandTag) error
}

// answer is a queued write's answer, for its then.
type answer struct {
	what string
	then func(pgconn.CommandTag) error
	tag  pgconn.CommandTag
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

// put queues a statement that writes and answers nothing the caller
// needs: it goes to the server with the next statement that answers (a
// read, an exec), or before the commit, in one round trip with it. A
// transaction's statements still run in the order they were made; only
// the error of a queued write comes later, from the statement it went
// with (or the commit), named by what. So an Update that writes ten
// records between two reads waits for the server twice, not twelve times.
func (t *Tx) put(what, sql string, args ...any) error {
	return t.putThen(what, sql, args, nil)
}

// putThen is put for a caller that needs the statement's answer, but not
// before its next statement: then is called with it once it comes, before
// the transaction's next statement goes (or its commit), and may run
// statements of its own. Its error aborts the transaction.
func (t *Tx) putThen(what, sql string, args []any, then func(pgconn.CommandTag) error) error {
	if err := t.usable(true); err != nil {
		return err
	}
	if t.failed != nil {
		return t.failed
	}
	t.queued = append(t.queued, queuedWrite{what: what, sql: sql, args: args, then: then})
	t.wrote = true
	t.voidAhead(sql)
	return nil
}

// unlessInserted is the then of an insert that inserts one row or none
// (ON CONFLICT DO NOTHING): it calls existing if the row was there.
func unlessInserted(existing func() error) func(pgconn.CommandTag) error {
	return func(tag pgconn.CommandTag) error {
		if tag.RowsAffected() == 1 {
			return nil
		}
		return existing()
	}
}

// sent reads the answers of the queued writes a batch sent first; those
// whose callers wait for them are kept for tellAnswers. The error of one
// aborts the transaction.
func (t *Tx) sent(br pgx.BatchResults, queued []queuedWrite) error {
	for _, w := range queued {
		tag, err := br.Exec()
		if err != nil {
			t.failed = fmt.Errorf("%s: %w", w.what, t.note(err))
			return t.failed
		}
		if w.then != nil {
			t.answered = append(t.answered, answer{what: w.what, then: w.then, tag: tag})
		}
	}
	return nil
}

// tellAnswers calls the thens of the answers kept (putThen), in order, as
// the next statement is about to go; what they run goes first.
func (t *Tx) tellAnswers() error {
	for len(t.answered) > 0 && t.failed == nil {
		a := t.answered[0]
		t.answered = t.answered[1:]
		if err := a.then(a.tag); err != nil {
			t.failed = fmt.Errorf("%s: %w", a.what, err)
		}
	}
	return t.failed
}

// batch sends the queued writes and then sql, if not empty, in one round
// trip, and returns the results of sql for the caller to read and close.
// With nothing queued it returns nil: the caller runs sql itself.
func (t *Tx) batch(sql string, args []any) (pgx.BatchResults, error) {
	if err := t.tellAnswers(); err != nil {
		return nil, err
	}
	if len(t.queued) == 0 {
		return nil, nil
	}
	b := &pgx.Batch{}
	for _, w := range t.queued {
		b.Queue(w.sql, w.args...)
	}
	if sql != "" {
		b.Queue(sql, args...)
	}
	queued := t.queued
	t.queued = nil
	br := t.tx.SendBatch(t.ctx, b)
	if err := t.sent(br, queued); err != nil {
		_ = br.Close()
		return nil, err
	}
	return br, nil
}

// flush sends the queued writes, and tells the answers waited for, until
// neither is left.
func (t *Tx) flush() error {
	for len(t.queued) > 0 || len(t.answered) > 0 {
		br, err := t.batch("", nil)
		if br != nil {
			err = t.note(br.Close())
		}
		if err != nil {
			return err
		}
	}
	return t.failed
}

// exec runs a statement that writes, at once, with the writes queued
// before it: for a caller that needs its command tag.
func (t *Tx) exec(sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.usable(true); err != nil {
		return pgconn.CommandTag{}, err
	}
	t.voidAhead(sql)
	br, err := t.batch(sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	var tag pgconn.CommandTag
	if br != nil {
		tag, err = br.Exec()
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	} else {
		tag, err = t.tx.Exec(t.ctx, sql, args...)
	}
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
	if rows, ok := t.takeAhead(sql, args); ok {
		if !rows.Next() {
			return false, nil
		}
		return true, rows.Scan(dest...)
	}
	br, err := t.batch(sql, args)
	if err != nil {
		return false, err
	}
	if br != nil {
		err = br.QueryRow().Scan(dest...)
		if cerr := br.Close(); err == nil || errors.Is(err, pgx.ErrNoRows) && cerr != nil {
			err = cerr
		}
	} else {
		err = t.tx.QueryRow(t.ctx, sql, args...).Scan(dest...)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, t.note(err)
}

// each runs a query and calls scan for each row it selects.
func (t *Tx) each(sql string, args []any, scan func(row) error) error {
	if err := t.usable(false); err != nil {
		return err
	}
	if rows, ok := t.takeAhead(sql, args); ok {
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return nil
	}
	br, err := t.batch(sql, args)
	if err != nil {
		return err
	}
	var rows pgx.Rows
	if br != nil {
		defer br.Close()
		rows, err = br.Query()
	} else {
		rows, err = t.tx.Query(t.ctx, sql, args...)
	}
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
	err := t.each(sql, args, func(rows row) error {
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
