package webhook_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk/webhook"
)

// The Standard Webhooks specification's own vector.
const (
	specSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specTimestamp = 1614265330
	specBody      = `{"test": 2432232314}`
	specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignMatchesTheSpecification(t *testing.T) {
	key, err := webhook.ParseSecret(specSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got := webhook.Sign(key, specID, time.Unix(specTimestamp, 0), []byte(specBody)); got != specSignature {
		t.Errorf("Sign = %s, want the specification's %s", got, specSignature)
	}
}

func TestVerify(t *testing.T) {
	at := time.Unix(specTimestamp, 0)
	other, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	otherKey, _ := webhook.ParseSecret(other)
	specKey, _ := webhook.ParseSecret(specSecret)
	signed := func() http.Header {
		h := http.Header{}
		h.Set(webhook.HeaderID, specID)
		h.Set(webhook.HeaderTimestamp, strconv.Itoa(specTimestamp))
		h.Set(webhook.HeaderSignature, specSignature)
		return h
	}
	tests := []struct {
		name    string
		secrets []string
		header  func() http.Header
		body    string
		now     time.Time
		want    error
	}{
		{"valid", []string{specSecret}, signed, specBody, at, nil},
		{"the bare base64 secret", []string{specSecret[len(webhook.SecretPrefix):]}, signed, specBody, at, nil},
		{"tampered body", []string{specSecret}, signed, `{"test": 2432232315}`, at, webhook.ErrNoMatch},
		{"another id", []string{specSecret}, func() http.Header { h := signed(); h.Set(webhook.HeaderID, "msg_other"); return h }, specBody, at, webhook.ErrNoMatch},
		{"a wrong signature", []string{specSecret}, func() http.Header {
			h := signed()
			h.Set(webhook.HeaderSignature, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")
			return h
		}, specBody, at, webhook.ErrNoMatch},
		{"too old", []string{specSecret}, signed, specBody, at.Add(webhook.Tolerance + time.Second), webhook.ErrTooOld},
		{"just in time", []string{specSecret}, signed, specBody, at.Add(webhook.Tolerance), nil},
		{"too new", []string{specSecret}, signed, specBody, at.Add(-webhook.Tolerance - time.Second), webhook.ErrTooNew},
		{"several signatures, one valid", []string{specSecret}, func() http.Header {
			h := signed()
			h.Set(webhook.HeaderSignature, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "+specSignature)
			return h
		}, specBody, at, nil},
		{"a v2 signature of the right value is not v1", []string{specSecret}, func() http.Header {
			h := signed()
			h.Set(webhook.HeaderSignature, "v2,"+specSignature[3:])
			return h
		}, specBody, at, webhook.ErrNoMatch},
		{"rotated: signed with the old and the new secret, verified with the new", []string{other}, func() http.Header {
			return webhook.Headers(specID, at, []byte(specBody), specKey, otherKey)
		}, specBody, at, nil},
		{"rotated: signed with the old secret only, verified with both", []string{other, specSecret}, signed, specBody, at, nil},
		{"another secret", []string{other}, signed, specBody, at, webhook.ErrNoMatch},
		{"no id", []string{specSecret}, func() http.Header { h := signed(); h.Del(webhook.HeaderID); return h }, specBody, at, webhook.ErrMissingHeader},
		{"no timestamp", []string{specSecret}, func() http.Header { h := signed(); h.Del(webhook.HeaderTimestamp); return h }, specBody, at, webhook.ErrMissingHeader},
		{"no signature", []string{specSecret}, func() http.Header { h := signed(); h.Del(webhook.HeaderSignature); return h }, specBody, at, webhook.ErrMissingHeader},
		{"a timestamp that is not a number", []string{specSecret}, func() http.Header { h := signed(); h.Set(webhook.HeaderTimestamp, "yesterday"); return h }, specBody, at, webhook.ErrBadTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := webhook.NewVerifier(tt.secrets...)
			if err != nil {
				t.Fatal(err)
			}
			v.Now = func() time.Time { return tt.now }
			err = v.Verify(tt.header(), []byte(tt.body))
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSecrets(t *testing.T) {
	s, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if key, err := webhook.ParseSecret(s); err != nil || len(key) != 32 {
		t.Errorf("a new secret %q: key of %d bytes, %v; want 32 bytes", s, len(key), err)
	}
	if s2, _ := webhook.NewSecret(); s2 == s {
		t.Error("two new secrets are the same")
	}
	tooLong := webhook.SecretPrefix + base64.StdEncoding.EncodeToString(make([]byte, webhook.MaxKeyBytes+1))
	for _, bad := range []string{"", "whsec_", "whsec_c2hvcnQ=", "whsec_not base64!", tooLong} {
		if _, err := webhook.ParseSecret(bad); err == nil {
			t.Errorf("ParseSecret(%q) took it", bad)
		}
	}
	if _, err := webhook.NewVerifier(); err == nil {
		t.Error("NewVerifier without a secret: no error")
	}
}

func TestHeadersUnsigned(t *testing.T) {
	h := webhook.Headers("evt_1", time.Unix(10, 0), []byte("{}"))
	if h.Get(webhook.HeaderID) != "evt_1" || h.Get(webhook.HeaderTimestamp) != "10" || h.Get(webhook.HeaderSignature) != "" {
		t.Errorf("unsigned headers = %v", h)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(specID, strconv.Itoa(specTimestamp), specSignature, specBody)
	f.Add("", "-1", "v1,", "")
	f.Add("x", "99999999999999999999", "v1,a v1,b  v1", "{")
	v, err := webhook.NewVerifier(specSecret)
	if err != nil {
		f.Fatal(err)
	}
	v.Now = func() time.Time { return time.Unix(specTimestamp, 0) }
	f.Fuzz(func(t *testing.T, id, ts, sig, body string) {
		h := http.Header{}
		h.Set(webhook.HeaderID, id)
		h.Set(webhook.HeaderTimestamp, ts)
		h.Set(webhook.HeaderSignature, sig)
		err := v.Verify(h, []byte(body))
		if err == nil && (id != specID || body != specBody) {
			t.Errorf("Verify took id %q, body %q, signature %q", id, body, sig)
		}
	})
}
