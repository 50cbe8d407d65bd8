package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// KeyFile is the name of the sealing key in a data dir. Whoever can read it
// can read every sealed secret of that data dir: it is created 0600.
const KeyFile = "secret.key"

const (
	keySize = 32
	// sealVersion is the first byte of every sealed value, so that the
	// format can change without guessing.
	sealVersion = 1
)

// ErrOpen is returned when a sealed value cannot be opened: it was sealed
// with another key, or it was changed.
var ErrOpen = errors.New("sealed value cannot be opened with this data dir's key")

// Sealer encrypts secrets at rest (AES-256-GCM) and computes keyed digests
// (HMAC-SHA-256) of them, so that a plan can tell that a secret changed
// without storing or showing it. It is safe for concurrent use.
type Sealer struct {
	aead cipher.AEAD
	mac  []byte
}

// NewSealer returns a Sealer over a 32-byte key. The encryption key and the
// digest key are derived from it separately.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != keySize {
		return nil, fmt.Errorf("sealing key has %d bytes, want %d", len(key), keySize)
	}
	enc, err := hkdf.Key(sha256.New, key, nil, "outreach seal v1", keySize)
	if err != nil {
		return nil, err
	}
	mac, err := hkdf.Key(sha256.New, key, nil, "outreach digest v1", keySize)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, mac: mac}, nil
}

// LoadSealer reads the key of a data dir, creating it (0600, 32 random
// bytes) if it does not exist yet. A key file others can read is refused,
// as ssh refuses such a private key.
func LoadSealer(dir string) (*Sealer, error) {
	path := filepath.Join(dir, KeyFile)
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(dir, path)
	}
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if info.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("the key file %s can be read by other users (mode %v); run chmod 600 %s", path, info.Mode().Perm(), path)
		}
	}
	s, err := NewSealer(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// createKey writes a new key. O_EXCL makes two processes racing to create
// it agree: the loser reads the winner's key.
func createKey(dir, path string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	key := make([]byte, keySize)
	_, _ = rand.Read(key) // never fails: crypto/rand panics instead
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write key file: %w", err)
	}
	return key, f.Close()
}

// Seal encrypts plain. purpose binds the result to one use (for example
// "account/<id>/credentials"): a value sealed for one purpose does not open
// for another, so sealed values cannot be swapped between records.
func (s *Sealer) Seal(purpose string, plain []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := append([]byte{sealVersion}, nonce...)
	return s.aead.Seal(out, nonce, plain, []byte(purpose))
}

// Open decrypts a value Seal returned for the same purpose.
func (s *Sealer) Open(purpose string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrOpen
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(purpose))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Digest returns a keyed hash of a secret: equal for equal values under the
// same data dir's key, and useless for guessing the value without it.
func (s *Sealer) Digest(value string) string {
	h := hmac.New(sha256.New, s.mac)
	h.Write([]byte(value))
	return hex.EncodeToString(h.Sum(nil))
}
