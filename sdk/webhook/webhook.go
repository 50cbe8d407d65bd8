// Package webhook signs and verifies webhook deliveries the way the
// Standard Webhooks specification (standardwebhooks.com) says, which is how
// outreach signs the events it delivers. A receiver written in Go verifies
// a delivery with it:
//
//	v, err := webhook.NewVerifier(os.Getenv("OUTREACH_WEBHOOK_SECRET"))
//	...
//	body, _ := io.ReadAll(r.Body)
//	if err := v.Verify(r.Header, body); err != nil {
//		http.Error(w, "bad signature", http.StatusUnauthorized)
//		return
//	}
//
// A delivery carries three headers: webhook-id (the event's id, the same
// on every attempt: deduplicate on it), webhook-timestamp (Unix seconds)
// and webhook-signature, a space-separated list of "v1,<base64 of the
// HMAC-SHA256 of id.timestamp.body>", one per secret in use (two while a
// secret is rotated).
//
// A secret is "whsec_" followed by the base64 of 24 to 64 random bytes.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix starts every secret.
const SecretPrefix = "whsec_"

// Tolerance is how far a delivery's timestamp may be from the receiver's
// clock, either way: an older one may be a replay.
const Tolerance = 5 * time.Minute

// The key lengths a secret may have, in bytes.
const (
	MinKeyBytes = 24
	MaxKeyBytes = 64
)

// The errors of Verify; each is wrapped with what was wrong.
var (
	ErrMissingHeader = errors.New("webhook: a header is missing")
	ErrBadTimestamp  = errors.New("webhook: the timestamp is not Unix seconds")
	ErrTooOld        = errors.New("webhook: the timestamp is too old")
	ErrTooNew        = errors.New("webhook: the timestamp is too far in the future")
	ErrNoMatch       = errors.New("webhook: no signature matches")
)

// ParseSecret returns the key of a secret: "whsec_" and base64 (the bare
// base64 is taken too, as other Standard Webhooks libraries take it).
func ParseSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	switch {
	case err != nil:
		return nil, fmt.Errorf("webhook secret: not %s followed by base64: %w", SecretPrefix, err)
	case len(key) < MinKeyBytes || len(key) > MaxKeyBytes:
		return nil, fmt.Errorf("webhook secret: its key is %d bytes, want %d to %d", len(key), MinKeyBytes, MaxKeyBytes)
	}
	return key, nil
}

// NewSecret returns a new random secret of 32 bytes.
func NewSecret() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// Sign returns the "v1,<base64>" signature of a delivery under key.
func Sign(key []byte, id string, at time.Time, body []byte) string {
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, at.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Headers returns the headers of a delivery signed with every key given
// (none: unsigned, with no webhook-signature).
func Headers(id string, at time.Time, body []byte, keys ...[]byte) http.Header {
	h := http.Header{}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	var sigs []string
	for _, k := range keys {
		sigs = append(sigs, Sign(k, id, at, body))
	}
	if len(sigs) > 0 {
		h.Set(HeaderSignature, strings.Join(sigs, " "))
	}
	return h
}

// Verifier verifies deliveries signed with any of its secrets: the current
// one and, while a secret is rotated, the one before.
type Verifier struct {
	keys [][]byte
	// Now is the receiver's clock; time.Now if nil.
	Now func() time.Time
}

// NewVerifier returns a Verifier of one or more secrets.
func NewVerifier(secrets ...string) (*Verifier, error) {
	if len(secrets) == 0 {
		return nil, errors.New("webhook: a verifier needs a secret")
	}
	v := &Verifier{}
	for _, s := range secrets {
		k, err := ParseSecret(s)
		if err != nil {
			return nil, err
		}
		v.keys = append(v.keys, k)
	}
	return v, nil
}

// Verify checks a delivery's headers against its body, as received (the
// raw bytes: a body decoded and encoded again does not verify): its
// timestamp is within Tolerance of now, and one of its v1 signatures is
// that of one of the verifier's secrets.
func (v *Verifier) Verify(h http.Header, body []byte) error {
	id, ts, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	for name, val := range map[string]string{HeaderID: id, HeaderTimestamp: ts, HeaderSignature: sigs} {
		if val == "" {
			return fmt.Errorf("%w: %s", ErrMissingHeader, name)
		}
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrBadTimestamp, ts)
	}
	at := time.Unix(secs, 0)
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	switch {
	case now.Sub(at) > Tolerance:
		return fmt.Errorf("%w: %s, %s before now", ErrTooOld, at.UTC().Format(time.RFC3339), now.Sub(at).Round(time.Second))
	case at.Sub(now) > Tolerance:
		return fmt.Errorf("%w: %s, %s after now", ErrTooNew, at.UTC().Format(time.RFC3339), at.Sub(now).Round(time.Second))
	}
	for _, k := range v.keys {
		want := Sign(k, id, at, body)
		for _, got := range strings.Fields(sigs) {
			if hmac.Equal([]byte(got), []byte(want)) {
				return nil
			}
		}
	}
	return ErrNoMatch
}
