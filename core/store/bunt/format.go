package bunt

import (
	"fmt"
	"strconv"

	"github.com/outreachhq/outreach/core/store"
)

// The layout of the keys changes now and then. The format a file is in is
// kept under ("meta", "format"), and Open brings an older file up to date,
// in one transaction, with the steps after its format in upgrades.

func formatKey() string { return key("meta", "format") }

// upgrades are the steps from each format to the next: upgrades[0] takes a
// file from format 1 (which kept no format key) to format 2.
var upgrades = []func(*Tx) error{
	// 2: the listings of conversations hold each conversation with its
	// lead, a lead's conversations are indexed, and replies are tallied by
	// sentiment too.
	func(t *Tx) error {
		return eachConversation(t, func(c store.Conversation) error {
			if err := t.indexConversation(nil, c); err != nil {
				return err
			}
			if !countsAsReply(c) {
				return nil
			}
			return t.add(sentimentTally(c), 1)
		})
	},
}

// format is the format this code writes.
var format = len(upgrades) + 1

// upgrade brings the file to the current format. A new file is made in it.
func (s *Store) upgrade() error {
	_, err := s.update(func(t *Tx) error {
		v, found, err := t.raw(formatKey())
		if err != nil {
			return err
		}
		have := 1
		if found {
			if have, err = strconv.Atoi(v); err != nil {
				return fmt.Errorf("read the store's format: %q is not a number", v)
			}
		}
		if have > format {
			return fmt.Errorf("the store is in format %d, which this version of outreach (format %d) does not know: use a newer one", have, format)
		}
		for _, step := range upgrades[have-1:] {
			if err := step(t); err != nil {
				return fmt.Errorf("upgrade the store to format %d: %w", format, err)
			}
		}
		if found && have == format {
			return nil
		}
		return t.set(formatKey(), strconv.Itoa(format))
	})
	return err
}

// eachConversation calls fn with every conversation of the file.
func eachConversation(t *Tx, fn func(store.Conversation) error) error {
	var convs []store.Conversation
	err := t.scanPrefix(prefix("w"), func(k, v string) (bool, error) {
		if c := split(k); len(c) != 4 || c[2] != "conv" {
			return true, nil
		}
		var c store.Conversation
		if err := decode(k, v, &c); err != nil {
			return false, err
		}
		convs = append(convs, c)
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, c := range convs {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}
