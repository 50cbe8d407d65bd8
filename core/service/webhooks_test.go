package service

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/storetest"
	sdkwebhook "github.com/outreachhq/outreach/sdk/webhook"
)

// Two Standard Webhooks secrets (the base64 of 32 bytes each).
const (
	secretA = "whsec_c2VjcmV0LUEtc2VjcmV0LUEtc2VjcmV0LUEtMTI="
	secretB = "whsec_c2VjcmV0LUItc2VjcmV0LUItc2VjcmV0LUItMTI="
)

// advance moves the service's virtual clock on.
func advance(svc *Service, d time.Duration) { svc.clock.(*clock.Virtual).Advance(d) }

// verifies reports whether a delivery signed with keys verifies with
// secret, as a receiver checks it.
func verifies(t *testing.T, svc *Service, secret string, keys [][]byte) bool {
	t.Helper()
	now := svc.clock.Now()
	body := []byte(`{"event":"new_reply"}`)
	h := sdkwebhook.Headers("evt_1", now, body, keys...)
	v, err := sdkwebhook.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	v.Now = func() time.Time { return now }
	return v.Verify(h, body) == nil
}

func keysOf(t *testing.T, svc *Service, st interface {
	View(context.Context, func(storetest.Tx) error) error
}, ws, address string) [][]byte {
	t.Helper()
	var w store.Webhook
	err := st.View(context.Background(), func(tx storetest.Tx) (err error) {
		w, err = tx.WebhookByAddress(ws, address)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := svc.WebhookKeys(context.Background(), w)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestCreateWebhookRefuses checks what the API refuses of a new webhook:
// each a ValidationError on its field that never quotes a secret, and
// nothing written.
func TestCreateWebhookRefuses(t *testing.T) {
	svc, st := newService(t)
	tests := []struct {
		name   string
		in     WebhookInput
		field  string
		secret string // must not appear in the reason
	}{
		{"credentials in url", WebhookInput{URL: "https://me:hunter2@example.com/h"}, "url", "hunter2"},
		{"ftp url", WebhookInput{URL: "ftp://example.com/h"}, "url", ""},
		{"no host", WebhookInput{URL: "https:///h"}, "url", ""},
		{"decimal IPv4", WebhookInput{URL: "http://2130706433/h"}, "url", ""},
		{"octal IPv4", WebhookInput{URL: "http://0177.0.0.1/h"}, "url", ""},
		{"unknown event", WebhookInput{URL: "https://example.com/h", Events: []string{"dm_sent", "dm_delivered"}}, "events", ""},
		{"secret without whsec_", WebhookInput{URL: "https://example.com/h", Secret: "correct-horse-battery-staple"}, "secret", "correct-horse"},
		{"secret too short", WebhookInput{URL: "https://example.com/h", Secret: "whsec_c2hvcnQtc2hvcnQtc2hvcnQ="}, "secret", "c2hvcnQ"},
		{"secret not base64", WebhookInput{URL: "https://example.com/h", Secret: "whsec_!!not-base64-at-all-not-base64!!"}, "secret", "not-base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := records(t, st)
			w, secret, err := svc.CreateWebhook(context.Background(), "w", tt.in)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field || ve.Reason == "" {
				t.Fatalf("error %v; want a ValidationError on %s", err, tt.field)
			}
			if tt.secret != "" && strings.Contains(ve.Reason, tt.secret) {
				t.Errorf("the reason quotes the secret: %q", ve.Reason)
			}
			if w.ID != "" || secret != "" {
				t.Errorf("refused, yet returned %+v and a secret", w)
			}
			if records(t, st) != before {
				t.Error("a refused webhook was written")
			}
		})
	}
}

// TestCreateWebhookSecret checks that a webhook created without a secret
// gets a new one, returned once and signing its deliveries, and that one
// created with a secret keeps it.
func TestCreateWebhookSecret(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	made, secret, err := svc.CreateWebhook(ctx, "w", WebhookInput{URL: " https://example.com/h "})
	if err != nil {
		t.Fatal(err)
	}
	key, err := sdkwebhook.ParseSecret(secret)
	if err != nil || !strings.HasPrefix(secret, sdkwebhook.SecretPrefix) || len(key) != 32 {
		t.Fatalf("generated secret is not a 32-byte Standard Webhooks secret: %v", err)
	}
	if made.URL != "https://example.com/h" || len(made.Secret) == 0 || bytes.Contains(made.Secret, []byte(secret)) {
		t.Errorf("created %+v: want the trimmed URL and the secret sealed", made)
	}
	if stored, err := svc.WebhookSecret(ctx, "w", made.ID); err != nil || stored != secret {
		t.Errorf("WebhookSecret = %v; want the returned secret", err)
	}
	keys, err := svc.WebhookKeys(ctx, made)
	if err != nil || len(keys) != 1 || !bytes.Equal(keys[0], key) {
		t.Errorf("WebhookKeys = %d keys, %v; want the generated secret's", len(keys), err)
	}
	_, other, err := svc.CreateWebhook(ctx, "w", WebhookInput{URL: "https://example.com/h2"})
	if err != nil || other == secret {
		t.Errorf("a second generated secret is the first one (%v)", err)
	}

	given, got, err := svc.CreateWebhook(ctx, "w", WebhookInput{URL: "http://127.0.0.1:9000/h", Secret: secretA})
	if err != nil || got != secretA {
		t.Fatalf("with a secret (and a loopback URL the server may allow): %q, %v", got, err)
	}
	if keys, err := svc.WebhookKeys(ctx, given); err != nil || len(keys) != 1 || !verifies(t, svc, secretA, keys) {
		t.Errorf("WebhookKeys of a given secret: %d keys, %v", len(keys), err)
	}
}

// TestRotateWebhookSecret checks rotation through the API: both secrets
// sign during the overlap, only the new one after it.
func TestRotateWebhookSecret(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	w, _, err := svc.CreateWebhook(ctx, "w", WebhookInput{URL: "https://example.com/h", Secret: secretA})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RotateWebhookSecret(ctx, "w", w.ID, "not-a-secret"); !isValidation(err, "secret") || strings.Contains(err.Error(), "not-a-secret") {
		t.Errorf("rotating to a bad secret: %v; want a ValidationError on secret that does not quote it", err)
	}
	if _, err := svc.RotateWebhookSecret(ctx, "other", w.ID, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("another workspace's webhook: %v, want ErrNotFound", err)
	}

	advance(svc, time.Hour)
	fresh, err := svc.RotateWebhookSecret(ctx, "w", w.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdkwebhook.ParseSecret(fresh); err != nil || fresh == secretA {
		t.Fatalf("rotated to %v; want a new generated secret", err)
	}
	current := func() store.Webhook {
		t.Helper()
		hooks, err := svc.ListWebhooks(ctx, "w")
		if err != nil || len(hooks) != 1 {
			t.Fatalf("ListWebhooks: %d, %v", len(hooks), err)
		}
		return hooks[0]
	}
	if got := current(); !got.PreviousUntil.Equal(start.Add(time.Hour + RotationOverlap)) {
		t.Errorf("PreviousUntil = %v, want the rotation time + %v", got.PreviousUntil, RotationOverlap)
	}
	keys, err := svc.WebhookKeys(ctx, current())
	if err != nil || len(keys) != 2 || !verifies(t, svc, fresh, keys) || !verifies(t, svc, secretA, keys) {
		t.Fatalf("during the overlap: %d keys (%v); want the new and the old secret's", len(keys), err)
	}
	advance(svc, RotationOverlap-time.Second)
	if keys, _ := svc.WebhookKeys(ctx, current()); len(keys) != 2 {
		t.Errorf("a second before the overlap ends: %d keys, want 2", len(keys))
	}
	advance(svc, time.Second)
	keys, err = svc.WebhookKeys(ctx, current())
	if err != nil || len(keys) != 1 || !verifies(t, svc, fresh, keys) || verifies(t, svc, secretA, keys) {
		t.Errorf("after the overlap: %d keys (%v); want the new secret's only", len(keys), err)
	}

	// Rotating to the secret it has changes nothing.
	before := current()
	if got, err := svc.RotateWebhookSecret(ctx, "w", w.ID, fresh); err != nil || got != fresh {
		t.Fatal(err)
	}
	if after := current(); !bytes.Equal(after.Secret, before.Secret) || len(after.PreviousSecret) != len(before.PreviousSecret) {
		t.Error("rotating to the same secret changed the record")
	}
}

func isValidation(err error, field string) bool {
	var ve *ValidationError
	return errors.As(err, &ve) && ve.Field == field
}

// TestApplyRotatesWebhookSecret checks a secret changed in the
// configuration: the plan shows the change but neither value, apply keeps
// the old secret signing for the overlap, and removing the secret makes
// deliveries unsigned at once.
func TestApplyRotatesWebhookSecret(t *testing.T) {
	svc, st := newService(t)
	hook := func(secret string) string {
		src := "webhook \"w\" {\n  url = \"https://example.com/hook\"\n"
		if secret != "" {
			src += "  secret = \"" + secret + "\"\n"
		}
		return src + "}\n"
	}
	planAndApply(t, svc, load(t, hook(secretA)))
	if keys := keysOf(t, svc, st, "default", "webhook.w"); len(keys) != 1 || !verifies(t, svc, secretA, keys) {
		t.Fatalf("after the first apply: %d keys, want secret A's", len(keys))
	}

	advance(svc, time.Minute)
	p := planOf(t, svc, load(t, hook(secretB)))
	out := text(t, p)
	if !strings.Contains(out, "~ secret = (sensitive value) -> (sensitive value)") || strings.Contains(out, secretA[6:]) || strings.Contains(out, secretB[6:]) {
		t.Errorf("the plan of a changed secret:\n%s", out)
	}
	planAndApply(t, svc, load(t, hook(secretB)))
	keys := keysOf(t, svc, st, "default", "webhook.w")
	if len(keys) != 2 || !verifies(t, svc, secretB, keys) || !verifies(t, svc, secretA, keys) {
		t.Fatalf("during the overlap: %d keys; want B's and A's", len(keys))
	}
	if again := planOf(t, svc, load(t, hook(secretB))); again.HasChanges() {
		t.Errorf("the same secret plans a change:\n%s", text(t, again))
	}
	advance(svc, RotationOverlap)
	if keys := keysOf(t, svc, st, "default", "webhook.w"); len(keys) != 1 || verifies(t, svc, secretA, keys) {
		t.Errorf("after the overlap: %d keys; want B's only", len(keys))
	}

	// Back to A within a new overlap, then no secret at all.
	planAndApply(t, svc, load(t, hook(secretA)))
	if keys := keysOf(t, svc, st, "default", "webhook.w"); len(keys) != 2 || !verifies(t, svc, secretB, keys) {
		t.Errorf("rotating back: %d keys; want A's and B's", len(keys))
	}
	planAndApply(t, svc, load(t, hook("")))
	if keys := keysOf(t, svc, st, "default", "webhook.w"); keys != nil {
		t.Errorf("without a secret: %d keys, want none (unsigned)", len(keys))
	}
	view(t, st, func(tx storetest.Tx) error {
		w, err := tx.WebhookByAddress("default", "webhook.w")
		if len(w.Secret)+len(w.PreviousSecret) != 0 || w.SecretDigest != "" || !w.PreviousUntil.IsZero() {
			t.Errorf("an unsigned webhook keeps a secret: %+v", w)
		}
		return err
	})
}

// TestApplyWebhookRetries checks that retries and backoff reach the store
// (0 retries stored as none, since 0 there means the default), show in the
// plan, and that a webhook stored with the zero defaults plans no change
// against a configuration that states the defaults.
func TestApplyWebhookRetries(t *testing.T) {
	svc, st := newService(t)
	hook := func(attrs string) string {
		return "webhook \"w\" {\n  url    = \"https://example.com/hook\"\n  secret = \"" + secretA + "\"\n" + attrs + "}\n"
	}
	stored := func() store.Webhook {
		var w store.Webhook
		view(t, st, func(tx storetest.Tx) (err error) {
			w, err = tx.WebhookByAddress("default", "webhook.w")
			return err
		})
		return w
	}
	planAndApply(t, svc, load(t, hook("")))
	if w := stored(); w.Retries != 3 || w.Backoff != 30*time.Second {
		t.Errorf("defaults stored as retries %d, backoff %v; want 3, 30s", w.Retries, w.Backoff)
	}
	// As a version before retries stored it: zeros, meaning the defaults.
	update(t, st, func(tx storetest.Tx) error {
		w, err := tx.WebhookByAddress("default", "webhook.w")
		if err != nil {
			return err
		}
		w.Retries, w.Backoff = 0, 0
		return tx.PutWebhook(w)
	})
	if p := planOf(t, svc, load(t, hook(""))); p.HasChanges() {
		t.Errorf("zero retries and backoff (the defaults) plan a change against the defaults:\n%s", text(t, p))
	}

	out := text(t, planOf(t, svc, load(t, hook("  retries = 0\n  backoff = \"2m\"\n"))))
	for _, want := range []string{`~ retries = 3 -> 0`, `~ backoff = "30s" -> "2m"`} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	planAndApply(t, svc, load(t, hook("  retries = 0\n  backoff = \"2m\"\n")))
	if w := stored(); w.Retries != -1 || w.Backoff != 2*time.Minute {
		t.Errorf("retries = 0, backoff = 2m stored as %d, %v; want -1 (none), 2m", w.Retries, w.Backoff)
	}
	if p := planOf(t, svc, load(t, hook("  retries = 0\n  backoff = \"2m\"\n"))); p.HasChanges() {
		t.Errorf("applying again plans a change:\n%s", text(t, p))
	}
	planAndApply(t, svc, load(t, hook("  retries = 7\n")))
	if w := stored(); w.Retries != 7 || w.Backoff != 30*time.Second {
		t.Errorf("retries = 7 stored as %d, %v", w.Retries, w.Backoff)
	}
}

// TestEnableWebhook checks that enabling a webhook disabled after a 410
// clears the flag and its reason.
func TestEnableWebhook(t *testing.T) {
	svc, st := newService(t)
	ctx := context.Background()
	w, _, err := svc.CreateWebhook(ctx, "w", WebhookInput{URL: "https://example.com/h"})
	if err != nil {
		t.Fatal(err)
	}
	update(t, st, func(tx storetest.Tx) error {
		w.Disabled, w.DisabledReason = true, "the endpoint answered 410 Gone"
		return tx.PutWebhook(w)
	})
	advance(svc, time.Minute)
	got, err := svc.EnableWebhook(ctx, "w", w.ID)
	if err != nil || got.Disabled || got.DisabledReason != "" || !got.UpdatedAt.Equal(start.Add(time.Minute)) {
		t.Fatalf("EnableWebhook = %+v, %v", got, err)
	}
	if hooks, _ := svc.ListWebhooks(ctx, "w"); len(hooks) != 1 || hooks[0].Disabled || hooks[0].DisabledReason != "" {
		t.Errorf("stored after enabling: %+v", hooks)
	}
	if _, err := svc.EnableWebhook(ctx, "other", w.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another workspace's webhook: %v, want ErrNotFound", err)
	}
}

// TestWebhookKeysUnsigned checks that a webhook without a secret is
// delivered unsigned, and one whose sealed secret is not a Standard
// Webhooks secret (stored before they were checked) is an error, not an
// unsigned delivery.
func TestWebhookKeysUnsigned(t *testing.T) {
	svc, _ := newService(t)
	if keys, err := svc.WebhookKeys(context.Background(), store.Webhook{ID: "x"}); keys != nil || err != nil {
		t.Errorf("unsigned: %v, %v; want no keys", keys, err)
	}
	old := store.Webhook{ID: "y"}
	old.Secret = svc.sealer.Seal(webhookPurpose(old.ID), []byte("an-old-style-secret-0123"))
	keys, err := svc.WebhookKeys(context.Background(), old)
	if err == nil || keys != nil || strings.Contains(err.Error(), "an-old-style") || !strings.Contains(err.Error(), "rotate") {
		t.Errorf("old-style secret: %d keys, %v; want an error saying to rotate it", len(keys), err)
	}
}
