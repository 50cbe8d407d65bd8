package bunt

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tidwall/buntdb"

	"github.com/outreachhq/outreach/core/store"
)

// fillFields sets every field of v (a pointer to a struct), recursively,
// to a value of its own that is not zero, so that a field an encoding
// forgets decodes as a difference.
func fillFields(t testing.TB, v reflect.Value, n *int) {
	t.Helper()
	for i := range v.NumField() {
		f := v.Field(i)
		*n++
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("field %d é\x00", *n))
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(-1000 * *n))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Pointer:
			if f.Type().Elem().Kind() != reflect.Float64 {
				t.Fatalf("no test value for field %s of type %s", v.Type().Field(i).Name, f.Type())
			}
			x := float64(*n) + 0.25
			f.Set(reflect.ValueOf(&x))
		case reflect.Struct:
			if f.Type() == reflect.TypeFor[time.Time]() {
				zone := time.FixedZone("", 3600*(*n%11+1)) // not UTC, which decodes as time.UTC
				f.Set(reflect.ValueOf(time.Date(2030, 3, *n%28+1, 9, 0, 0, *n*1000+7, zone)))
				continue
			}
			fillFields(t, f, n)
		default:
			t.Fatalf("no test value for field %s of kind %s", v.Type().Field(i).Name, f.Kind())
		}
	}
}

// TestListedRoundTrip: every field of a conversation and of its lead comes
// back from a listing value as it went in.
func TestListedRoundTrip(t *testing.T) {
	var in store.ConversationWithLead
	n := 0
	fillFields(t, reflect.ValueOf(&in).Elem(), &n)
	b, err := encodeListed(in)
	if err != nil {
		t.Fatal(err)
	}
	var out store.ConversationWithLead
	if err := decodeListed(string(b), &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("decodeListed(encodeListed(x)) =\n%+v\nwant\n%+v", out, in)
	}
	// The zero value too: no deal value, zero times.
	b, err = encodeListed(store.ConversationWithLead{})
	if err != nil {
		t.Fatal(err)
	}
	out = store.ConversationWithLead{}
	if err := decodeListed(string(b), &out); err != nil || !reflect.DeepEqual(out, store.ConversationWithLead{}) {
		t.Errorf("the zero value comes back as %+v, %v", out, err)
	}
}

// FuzzListed: whatever bytes lie in a listing, decoding them fails or
// succeeds without a panic, and what decodes encodes to the same bytes.
func FuzzListed(f *testing.F) {
	var full store.ConversationWithLead
	n := 0
	fillFields(f, reflect.ValueOf(&full).Elem(), &n)
	for _, c := range []store.ConversationWithLead{{}, full} {
		b, err := encodeListed(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{})
	f.Add([]byte{listedVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		var c store.ConversationWithLead
		if err := decodeListed(string(data), &c); err != nil {
			return
		}
		again, err := encodeListed(c)
		if err != nil {
			t.Fatalf("encode what decoded: %v", err)
		}
		var c2 store.ConversationWithLead
		if err := decodeListed(string(again), &c2); err != nil || !reflect.DeepEqual(c2, c) {
			t.Fatalf("decoded %+v, which encodes to what decodes as %+v, %v", c, c2, err)
		}
	})
}

// TestUpgradeFromFormat1: a file from before listings held each
// conversation with its lead (format 1: their values were ids, there was no
// index by lead, no tallies by sentiment and no format key) lists its
// conversations with their leads once opened, follows a change of a lead,
// and has its replies tallied by sentiment.
func TestUpgradeFromFormat1(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	lead := store.Lead{UserID: "201", Workspace: "w", Username: "prospect", Bio: "before", FoundAt: time.Unix(0, 0).UTC()}
	c := store.Conversation{ID: "100-201", Workspace: "w", AccountID: "a1", LeadID: "201", CampaignID: "k1",
		Replied: true, Sentiment: store.SentimentPositive, LastAt: time.Unix(100, 0).UTC(), CRM: store.CRM{Tag: "booked"}}
	err = st.Update(context.Background(), func(tx *Tx) error {
		if err := tx.PutLead(lead); err != nil {
			return err
		}
		return tx.PutConversation(c)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Put the file back in format 1.
	db, err := buntdb.Open(dir + "/" + dbFile)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *buntdb.Tx) error {
		for k, v := range conversationIndexes(c, "") {
			if v == "" { // the index by lead
				if _, err := tx.Delete(k); err != nil {
					return err
				}
				continue
			}
			if _, _, err := tx.Set(k, c.ID, nil); err != nil {
				return err
			}
		}
		if _, err := tx.Delete(sentimentTally(c)); err != nil {
			return err
		}
		_, err := tx.Delete(formatKey())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = Open(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lead.Bio = "after"
	if err := st.Update(context.Background(), func(tx *Tx) error { return tx.PutLead(lead) }); err != nil {
		t.Fatal(err)
	}
	for _, q := range []store.ConversationQuery{{}, {AccountID: "a1"}, {Tag: "booked"}} {
		var got []store.ConversationWithLead
		err := st.View(context.Background(), func(tx *Tx) error {
			return tx.EachConversationWithLead("w", q, func(c *store.ConversationWithLead) error {
				got = append(got, *c)
				return nil
			})
		})
		want := []store.ConversationWithLead{{Conversation: c, Lead: lead}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("after the upgrade, EachConversationWithLead(%+v) = %+v, %v; want %+v", q, got, err, want)
		}
	}
	var tallies []store.SentimentTally
	err = st.View(context.Background(), func(tx *Tx) error {
		var err error
		tallies, err = tx.SentimentTallies("w", "a1")
		return err
	})
	want := []store.SentimentTally{{AccountID: "a1", CampaignID: "k1", Sentiment: store.SentimentPositive, N: 1}}
	if err != nil || !reflect.DeepEqual(tallies, want) {
		t.Errorf("after the upgrade, SentimentTallies = %+v, %v; want %+v", tallies, err, want)
	}
}

// TestListedVersion1: a listing value written before the AI setter's fields
// existed still decodes, with them zero.
func TestListedVersion1(t *testing.T) {
	var in store.ConversationWithLead
	n := 0
	fillFields(t, reflect.ValueOf(&in).Elem(), &n)
	in.AutoAnswers, in.HandedOff, in.HumanAnswered = 0, false, false
	b, err := encodeListed(in)
	if err != nil {
		t.Fatal(err)
	}
	// Version 1 is version 2 without its last three fields (0, false,
	// false: three zero bytes).
	v1 := append([]byte{1}, b[1:len(b)-3]...)
	var out store.ConversationWithLead
	if err := decodeListed(string(v1), &out); err != nil || !reflect.DeepEqual(out, in) {
		t.Errorf("a version 1 value decodes as %+v, %v; want %+v", out, err, in)
	}
}
