package secrets

import (
	"crypto/rand"
	"encoding/base64"
)

// NewToken returns 32 random bytes, base64url without padding: a session's
// cookie, a form's CSRF token. Store it by HashAPIKey, which suits any
// token with this much entropy.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails: crypto/rand panics instead
	return base64.RawURLEncoding.EncodeToString(b)
}
