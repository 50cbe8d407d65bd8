package bunt

import (
	"errors"

	"github.com/tidwall/btree"
	"github.com/tidwall/buntdb"
)

// buntdb guards the whole file with one read-write mutex, and its own
// Update holds the write side for as long as the transaction's function
// runs: readers would wait for every writer, and a writer waiting for a
// plugin or a channel would stop every reader. Instead, an Update here
// runs its function against the committed data plus a write set of its
// own (an overlay), which it applies in one short buntdb Update (a single
// synced append) when the function returns nil. Readers run meanwhile on
// the committed data and never see the overlay; Store serializes writers
// itself, so the data an Update reads cannot change under it.
//
// The writer reads the committed data through short buntdb Views, one per
// lookup or per chunk of a scan, rather than one View held throughout: a
// held read lock would let buntdb's background writer (it takes the write
// lock every second) queue behind it, and every new reader behind that.

// item is one key of a scan, or one write of an overlay (del: a delete).
type item struct {
	key, val string
	del      bool
}

// committed reads the data as last committed.
type committed interface {
	get(key string) (string, bool, error)
	// ascend returns up to n items whose keys are in [from, to), in order.
	ascend(from, to string, n int) ([]item, error)
}

// snapshot reads through a buntdb transaction held for a whole View.
type snapshot struct{ tx *buntdb.Tx }

func (s snapshot) get(k string) (string, bool, error) {
	v, err := s.tx.Get(k)
	if errors.Is(err, buntdb.ErrNotFound) {
		return "", false, nil
	}
	return v, err == nil, err
}

func (s snapshot) ascend(from, to string, n int) ([]item, error) {
	var out []item
	err := s.tx.AscendRange("", from, to, func(k, v string) bool {
		out = append(out, item{key: k, val: v})
		return len(out) < n
	})
	return out, err
}

// direct reads through a short buntdb View per call: see above.
type direct struct{ db *buntdb.DB }

func (d direct) get(k string) (v string, ok bool, err error) {
	err = d.db.View(func(tx *buntdb.Tx) error {
		v, ok, err = snapshot{tx}.get(k)
		return err
	})
	return v, ok, err
}

func (d direct) ascend(from, to string, n int) (out []item, err error) {
	err = d.db.View(func(tx *buntdb.Tx) error {
		out, err = snapshot{tx}.ascend(from, to, n)
		return err
	})
	return out, err
}

// overlay is the write set of an Update, in key order.
type overlay struct{ tree *btree.BTreeG[item] }

func newOverlay() *overlay {
	less := func(a, b item) bool { return a.key < b.key }
	return &overlay{tree: btree.NewBTreeGOptions(less, btree.Options{NoLocks: true})}
}

func (o *overlay) set(k, v string) { o.tree.Set(item{key: k, val: v}) }
func (o *overlay) del(k string)    { o.tree.Set(item{key: k, del: true}) }
func (o *overlay) len() int        { return o.tree.Len() }

func (o *overlay) get(k string) (item, bool) { return o.tree.Get(item{key: k}) }

// ascend returns up to n writes (deletes included) with keys in [from, to).
func (o *overlay) ascend(from, to string, n int) []item {
	var out []item
	o.tree.Ascend(item{key: from}, func(it item) bool {
		if it.key >= to {
			return false
		}
		out = append(out, it)
		return len(out) < n
	})
	return out
}

// apply writes the overlay in a buntdb transaction.
func (o *overlay) apply(tx *buntdb.Tx) error {
	var err error
	o.tree.Scan(func(it item) bool {
		if it.del {
			if _, err = tx.Delete(it.key); errors.Is(err, buntdb.ErrNotFound) {
				err = nil
			}
		} else {
			_, _, err = tx.Set(it.key, it.val, nil)
		}
		return err == nil
	})
	return err
}
