package bunt

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unsafe"

	gojson "github.com/goccy/go-json"

	"github.com/outreachhq/outreach/core/store"
)

// Tx is a transaction of the store: a View's, which reads, or an Update's,
// which also writes. It implements the whole contract of a store
// transaction (core/store/storetest.Tx); consumers see it through their
// own narrow interfaces (store.Narrow).
type Tx struct {
	data committed
	// writes is the Update's write set; nil in a View.
	writes *overlay
	closed bool
}

var (
	errReadOnly = errors.New("bunt: write in a read-only transaction")
	errClosed   = errors.New("bunt: transaction used after its function returned")
)

func (t *Tx) raw(k string) (string, bool, error) {
	if t.closed {
		return "", false, errClosed
	}
	if t.writes != nil {
		if it, ok := t.writes.get(k); ok {
			return it.val, !it.del, nil
		}
	}
	return t.data.get(k)
}

func (t *Tx) has(k string) (bool, error) {
	_, ok, err := t.raw(k)
	return ok, err
}

func (t *Tx) set(k, v string) error {
	switch {
	case t.closed:
		return errClosed
	case t.writes == nil:
		return errReadOnly
	}
	t.writes.set(k, v)
	return nil
}

func (t *Tx) del(k string) error {
	switch {
	case t.closed:
		return errClosed
	case t.writes == nil:
		return errReadOnly
	}
	t.writes.del(k)
	return nil
}

// scan calls fn with each key in [from, to) and its value, in key order,
// as this transaction sees them (its own writes included), until fn
// returns false or an error. fn may read but must not write.
//
// It reads in chunks, small first (most scans stop early), merging the
// committed keys with the transaction's writes up to where both chunks
// reach.
func (t *Tx) scan(from, to string, fn func(k, v string) (bool, error)) error {
	return t.scanChunks(from, to, 8, fn)
}

func (t *Tx) scanChunks(from, to string, n int, fn func(k, v string) (bool, error)) error {
	for ; ; n = min(2*n, 1024) {
		if t.closed {
			return errClosed
		}
		base, err := t.data.ascend(from, to, n)
		if err != nil {
			return err
		}
		var mine []item
		if t.writes != nil {
			mine = t.writes.ascend(from, to, n)
		}
		limit, bounded := "", false
		if len(base) == n {
			limit, bounded = base[n-1].key, true
		}
		if len(mine) == n && (!bounded || mine[n-1].key < limit) {
			limit, bounded = mine[n-1].key, true
		}
		for i, j := 0, 0; i < len(base) || j < len(mine); {
			var it item
			switch {
			case j == len(mine) || i < len(base) && base[i].key < mine[j].key:
				it, i = base[i], i+1
			case i < len(base) && base[i].key == mine[j].key:
				it, i, j = mine[j], i+1, j+1
			default:
				it, j = mine[j], j+1
			}
			if bounded && it.key > limit {
				break
			}
			if it.del {
				continue
			}
			if more, err := fn(it.key, it.val); err != nil || !more {
				return err
			}
		}
		if !bounded {
			return nil
		}
		from = limit + sep
	}
}

// scanPrefix scans every key that starts with p.
func (t *Tx) scanPrefix(p string, fn func(k, v string) (bool, error)) error {
	return t.scan(p, prefixEnd(p), fn)
}

// first returns the first key in [from, to) and its value, reading no
// other key unless this transaction deleted that one.
func (t *Tx) first(from, to string) (k, v string, ok bool, err error) {
	err = t.scanChunks(from, to, 1, func(key, val string) (bool, error) {
		k, v, ok = key, val, true
		return false, nil
	})
	return k, v, ok, err
}

// Records are the JSON of the domain types.

func (t *Tx) get(k string, v any) error {
	raw, ok, err := t.raw(k)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("%s: %w", printable(k), store.ErrNotFound)
	}
	return decode(k, raw, v)
}

// find is get for a record that may be missing.
func (t *Tx) find(k string, v any) (bool, error) {
	err := t.get(k, v)
	if store.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

func decode(k, raw string, v any) error {
	// goccy/go-json decodes what encoding/json encoded, in a third of the
	// time: reads of many records (a page of conversations with their
	// leads) are mostly decoding. It copies what it decodes before it
	// reads it (the strings it returns point into that copy), so raw, which
	// buntdb never changes, is given as it is rather than copied twice.
	if err := gojson.Unmarshal(unsafe.Slice(unsafe.StringData(raw), len(raw)), v); err != nil {
		return fmt.Errorf("decode %s: %w", printable(k), err)
	}
	return nil
}

func (t *Tx) put(k string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", printable(k), err)
	}
	return t.set(k, string(b))
}

// list decodes the values of every key that starts with p, in key order.
func list[T any](t *Tx, p string) ([]T, error) {
	out := []T{}
	err := t.scanPrefix(p, func(k, v string) (bool, error) {
		var x T
		if err := decode(k, v, &x); err != nil {
			return false, err
		}
		out = append(out, x)
		return true, nil
	})
	return out, err
}

// Counters are decimal integers; a counter at zero has no key.

func (t *Tx) count(k string) (int, error) {
	raw, ok, err := t.raw(k)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, fmt.Errorf("decode %s: %w", printable(k), err)
	}
	return n, nil
}

func (t *Tx) add(k string, delta int) error {
	if delta == 0 {
		return nil
	}
	n, err := t.count(k)
	if err != nil {
		return err
	}
	if n+delta == 0 {
		return t.del(k)
	}
	return t.set(k, strconv.Itoa(n+delta))
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

// moveIndex replaces the index keys old with new, writing only those that
// change: an index entry that stays costs no write.
func (t *Tx) moveIndex(old, new map[string]string) error {
	for k := range old {
		if _, ok := new[k]; !ok {
			if err := t.del(k); err != nil {
				return err
			}
		}
	}
	for k, v := range new {
		if ov, ok := old[k]; !ok || ov != v {
			if err := t.set(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReadAhead does nothing: buntdb reads from memory, one read as cheap as
// a batch.
func (t *Tx) ReadAhead(...store.Read) error { return nil }
