package bunt

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/outreachhq/outreach/core/store"
)

// storedRecords are the getters of the store and the key each reads,
// for putting arbitrary bytes where a record should be.
var storedRecords = []struct {
	key  string
	json bool // the value is a JSON record; else a decimal count
	read func(tx *Tx) error
}{
	{accountKey("w", "a"), true, func(tx *Tx) error { _, err := tx.Account("w", "a"); return err }},
	{stateKey("w", "a"), true, func(tx *Tx) error { _, err := tx.AccountState("w", "a"); return err }},
	{objectKey(store.KindCampaign, "w", "c"), true, func(tx *Tx) error { _, err := tx.Campaign("w", "c"); return err }},
	{objectKey(store.KindSource, "w", "s"), true, func(tx *Tx) error { _, err := tx.Sources("w"); return err }},
	{leadKey("w", "1"), true, func(tx *Tx) error { _, err := tx.Lead("w", "1"); return err }},
	{jobKey("w", "j"), true, func(tx *Tx) error { _, err := tx.Job("w", "j"); return err }},
	{intentKey("w", "j"), true, func(tx *Tx) error { _, err := tx.Intent("w", "j"); return err }},
	{conversationKey("w", "1-2"), true, func(tx *Tx) error { _, err := tx.Conversation("w", "1-2"); return err }},
	{eventKey("w", 1), true, func(tx *Tx) error { _, err := tx.Events("w", 0, 10); return err }},
	{apiKeyKey("w", "k"), true, func(tx *Tx) error { _, err := tx.APIKeys("w"); return err }},
	{engagementKey("w", "c", "1", store.EngageLike), true, func(tx *Tx) error { _, err := tx.Engagements("w", "c", "1"); return err }},
	{engagedKey("w", "a", store.EngageLike, "2026-03-02"), false, func(tx *Tx) error {
		_, err := tx.EngagedOn("w", "a", store.EngageLike, "2026-03-02")
		return err
	}},
	{sentKey("w", "a", "2026-03-02"), false, func(tx *Tx) error { _, err := tx.SentOn("w", "a", "2026-03-02"); return err }},
	{pendingKey("w"), false, func(tx *Tx) error { _, err := tx.PendingJobs("w"); return err }},
	{sourceCountKey("w", "s"), false, func(tx *Tx) error { _, err := tx.SourceLeadCount("w", "s"); return err }},
}

// FuzzStoredRecord: whatever bytes lie where a record or a count should
// be, reading it answers an error naming what it read, never a panic.
func FuzzStoredRecord(f *testing.F) {
	for _, seed := range []string{`{}`, `{"id":"a","created_at":"2026-03-02T09:00:00Z"}`, `null`, `[1,2]`, `{"due_at":"yesterday"}`, `12`, `-3`, "\x00\xff", ``} {
		for i := range storedRecords {
			f.Add(uint8(i), []byte(seed))
		}
	}
	st, err := Open(f.TempDir(), "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })

	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		r := storedRecords[int(which)%len(storedRecords)]
		_, err := st.update(func(tx *Tx) error {
			if err := tx.set(r.key, string(data)); err != nil {
				return err
			}
			err := r.read(tx)
			_, numErr := strconv.Atoi(string(data))
			switch {
			case r.json && !json.Valid(data) && err == nil:
				t.Errorf("reading %s from %q succeeded", printable(r.key), data)
			case !r.json && numErr != nil && err == nil:
				t.Errorf("reading the count %s from %q succeeded", printable(r.key), data)
			}
			return errRollbackFuzz // leave the store as it was for the next input
		})
		if !errors.Is(err, errRollbackFuzz) {
			t.Fatal(err)
		}
	})
}

var errRollbackFuzz = errors.New("roll back")
