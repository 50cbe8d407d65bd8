package secrets

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"runtime"
)

// KeyEnv names the environment variable that gives a process its sealing
// key: 32 random bytes in standard base64 (`head -c 32 /dev/urandom |
// base64`). Every process of a cluster on Postgres gets the same key, from
// it or from a key file; the database never holds it.
const KeyEnv = "OUTREACH_SECRET_KEY"

// ParseKey decodes a sealing key written as standard base64, or given as
// its 32 raw bytes (a data dir's key file).
func ParseKey(b []byte) ([]byte, error) {
	if len(b) == keySize {
		return b, nil
	}
	key, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(b)))
	if err != nil {
		return nil, fmt.Errorf("a sealing key is 32 bytes in standard base64: %w", err)
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("a sealing key is 32 bytes in standard base64; this one decodes to %d bytes", len(key))
	}
	return key, nil
}

// SealerFromEnv returns the sealer of the key in $OUTREACH_SECRET_KEY, and
// false if it is not set.
func SealerFromEnv() (*Sealer, bool, error) {
	v, ok := os.LookupEnv(KeyEnv)
	if !ok || v == "" {
		return nil, false, nil
	}
	key, err := ParseKey([]byte(v))
	if err != nil {
		return nil, true, fmt.Errorf("$%s: %w", KeyEnv, err)
	}
	s, err := NewSealer(key)
	return s, true, err
}

// SealerFromFile returns the sealer of the key in a file (base64 or raw). A
// file others can read is refused, as ssh refuses such a private key.
func SealerFromFile(path string) (*Sealer, error) {
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("secret key file: %w", err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("the key file %s can be read by other users (mode %v); run chmod 600 %s", path, info.Mode().Perm(), path)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret key file: %w", err)
	}
	key, err := ParseKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return NewSealer(key)
}

// Check is a value that tells keys apart without revealing anything of
// them (a keyed digest of a constant). A store keeps the check of the key
// its secrets are sealed with, so that a process started with another key
// is refused before it writes secrets nobody else can read.
func (s *Sealer) Check() string { return s.Digest("outreach/key-check") }
