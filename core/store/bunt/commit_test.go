package bunt

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/buntdb"
)

// TestTornUpdateIsDropped cuts the file at every byte of its last Update,
// as a process killed mid-write would leave it (commit.go), and checks
// that Open then sees all of that Update or none of it, never a part: an
// intent deleted while its job is still pending would send a DM twice.
func TestTornUpdateIsDropped(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	write := func(round int) {
		t.Helper()
		err := s.Update(context.Background(), func(tx *Tx) error {
			for i := range 8 {
				if err := tx.set(fmt.Sprintf("k%d", i), fmt.Sprintf("round %d", round)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, dbFile)
	write(1)
	before := fileSize(t, path)
	write(2)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	for cut := before; cut <= int64(len(whole)); cut++ {
		if err := os.WriteFile(path, whole[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir, "test")
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		rounds := map[string]int{}
		err = s.View(context.Background(), func(tx *Tx) error {
			for i := range 8 {
				v, _, err := tx.raw(fmt.Sprintf("k%d", i))
				if err != nil {
					return err
				}
				rounds[v]++
			}
			return nil
		})
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := "round 1"
		if cut == int64(len(whole)) {
			want = "round 2"
		}
		if len(rounds) != 1 || rounds[want] != 8 {
			t.Fatalf("cut at %d of %d: keys read %v, want all 8 at %q", cut, len(whole), rounds, want)
		}
	}
}

// TestFileWithoutMarksIsReadWhole: a file written before commit marks
// existed has none, and Open must not cut it.
func TestFileWithoutMarksIsReadWhole(t *testing.T) {
	dir := t.TempDir()
	cmd := func(args ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		return b.String()
	}
	old := cmd("set", "a", "1") + "\x00\x00" + cmd("set", "b", "2") + cmd("del", "a")
	if err := os.WriteFile(filepath.Join(dir, dbFile), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	if end, err := lastCommit(bufio.NewReader(strings.NewReader(old))); err != nil || end != -1 {
		t.Fatalf("lastCommit of a file without marks = %d, %v; want -1", end, err)
	}
	s, err := Open(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx *Tx) error {
		v, ok, err := tx.raw("b")
		if err != nil || !ok || v != "2" {
			return fmt.Errorf("b = %q, %v, %v; want 2", v, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// FuzzLastCommit: any bytes in place of the file give an offset within it,
// or -1, and no panic.
func FuzzLastCommit(f *testing.F) {
	f.Add([]byte("*3\r\n$3\r\nset\r\n$7\r\n~commit\r\n$0\r\n\r\n"))
	f.Add([]byte("*2\r\n$3\r\ndel\r\n$1\r\na\r\n\x00*3\r\n$3\r\nset\r\n$7\r\n~commit\r\n$0\r\n\r\n*3\r\n$3\r\nset"))
	f.Add([]byte("*9999999999\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		end, err := lastCommit(bufio.NewReader(strings.NewReader(string(data))))
		if err != nil {
			t.Fatal(err)
		}
		if end < -1 || end > int64(len(data)) {
			t.Fatalf("lastCommit = %d for %d bytes", end, len(data))
		}
	})
}

// BenchmarkCommit prints what the commit mark costs: an Update of three
// keys (the transaction, then its mark, one fsync for both) beside the
// same transaction as one synced buntdb Update on a file of its own, the
// baseline, in the same run.
//
//	go test -run '^$' -bench Commit ./core/store/bunt
func BenchmarkCommit(b *testing.B) {
	write := func(tx interface {
		Set(k, v string, o *buntdb.SetOptions) (string, bool, error)
	}, i int) error {
		for k := range 3 {
			if _, _, err := tx.Set(fmt.Sprintf("k%d-%d", i%1000, k), "a value of some length, like a job record", nil); err != nil {
				return err
			}
		}
		return nil
	}
	b.Run("baseline=buntdb", func(b *testing.B) {
		db, err := buntdb.Open(filepath.Join(b.TempDir(), "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if err := db.SetConfig(buntdb.Config{SyncPolicy: buntdb.Always, AutoShrinkPercentage: 100, AutoShrinkMinSize: 32 << 20}); err != nil {
			b.Fatal(err)
		}
		for i := 0; b.Loop(); i++ {
			if err := db.Update(func(tx *buntdb.Tx) error { return write(tx, i) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("store", func(b *testing.B) {
		s, err := Open(b.TempDir(), "bench")
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		for i := 0; b.Loop(); i++ {
			if err := s.commit(func(tx *buntdb.Tx) error { return write(tx, i) }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
