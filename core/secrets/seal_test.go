package secrets

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestSealOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := LoadSealer(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	plain := []byte(`{"auth_token":"abc"}`)
	sealed := s.Seal("account/1", plain)
	if bytes.Contains(sealed, []byte("abc")) {
		t.Fatal("sealed value holds the plain text")
	}
	if again := s.Seal("account/1", plain); bytes.Equal(again, sealed) {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	got, err := s.Open("account/1", sealed)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open("account/2", sealed); err != ErrOpen {
		t.Errorf("Open for another purpose: %v, want ErrOpen", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Open("account/1", sealed); err != ErrOpen {
		t.Errorf("Open of a changed value: %v, want ErrOpen", err)
	}
	if _, err := s.Open("account/1", nil); err != ErrOpen {
		t.Errorf("Open(nil): %v, want ErrOpen", err)
	}

	// The same data dir gives the same key; another gives another.
	s2, err := LoadSealer(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Digest("x") != s.Digest("x") {
		t.Error("reloaded key digests differently")
	}
	other, err := LoadSealer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if other.Digest("x") == s.Digest("x") {
		t.Error("two data dirs share a digest key")
	}
	if s.Digest("x") == s.Digest("y") {
		t.Error("Digest is not a function of the value")
	}
}

func TestLoadSealerRefusesReadableKey(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, KeyFile), make([]byte, 32), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSealer(dir); err == nil {
		t.Error("LoadSealer accepted a world-readable key")
	}
}
