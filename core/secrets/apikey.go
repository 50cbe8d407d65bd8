package secrets

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// APIKeyPrefix starts every API key, as in the hosted product.
const APIKeyPrefix = "sk_live_"

const (
	keyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	keyLength   = 40 // base-62 characters after the prefix: about 238 bits
)

// NewAPIKey returns a new random API key.
func NewAPIKey() string {
	var b strings.Builder
	b.WriteString(APIKeyPrefix)
	buf := make([]byte, 64)
	for b.Len() < len(APIKeyPrefix)+keyLength {
		_, _ = rand.Read(buf) // never fails: crypto/rand panics instead
		for _, c := range buf {
			// Rejection sampling keeps every symbol equally likely.
			if c < 248 && b.Len() < len(APIKeyPrefix)+keyLength {
				b.WriteByte(keyAlphabet[int(c)%len(keyAlphabet)])
			}
		}
	}
	return b.String()
}

// HashAPIKey returns the hex SHA-256 of a key: what the store keeps. Keys
// have enough entropy that a fast hash is safe; a slow KDF would only make
// every request slower.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// LooksLikeAPIKey reports whether s has the shape of an API key, so that a
// malformed header is refused without a store lookup.
func LooksLikeAPIKey(s string) bool {
	if !strings.HasPrefix(s, APIKeyPrefix) || len(s) != len(APIKeyPrefix)+keyLength {
		return false
	}
	for _, c := range s[len(APIKeyPrefix):] {
		if !strings.ContainsRune(keyAlphabet, c) {
			return false
		}
	}
	return true
}
