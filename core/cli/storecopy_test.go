package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
)

// progressSent matches apply's progress line of a message sent.
var progressSent = regexp.MustCompile(`(first DM \d+/\d+|follow-up \d+) sent`)

// TestStoreCopyRoundTrip moves the quick start's data from a data dir to
// Postgres and back. On each copy, plan says there is nothing to change,
// the analytics are the original's, and applying again messages nobody.
func TestStoreCopyRoundTrip(t *testing.T) {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	t.Setenv(secrets.KeyEnv, base64.StdEncoding.EncodeToString(key))
	t.Setenv(storeEnv, "")
	clk := clock.NewVirtual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))

	dir := t.TempDir()
	if code, out, errOut := runCLI(t, clk, "apply", "-auto-approve", "--data", dir, quickstart); code != 0 || !progressSent.MatchString(out) {
		t.Fatalf("apply exited %d, or showed no message sent\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	wantSources, wantCampaigns := stats(t, dir)
	sent := 0
	for _, a := range wantCampaigns[0].Accounts {
		sent += a.TotalSent()
	}
	if sent == 0 {
		t.Fatal("the quick start sent nothing to copy")
	}

	// A dashboard session, which the copies leave behind.
	token := openSession(t, dir)
	if err := sessionOf(t, dir, token); err != nil {
		t.Fatalf("a dashboard session on the original: %v", err)
	}

	pg := pgtest.NewDatabase(t)
	back := filepath.Join(t.TempDir(), "back")
	for _, step := range []struct{ from, to string }{{dir, pg}, {pg, back}} {
		code, out, errOut := runCLI(t, clk, "store", "copy", "--from", step.from, "--to", step.to)
		if code != 0 || !strings.Contains(out, "Copied 1 workspaces") {
			t.Fatalf("store copy --to %s exited %d\nstdout:\n%s\nstderr:\n%s", step.to, code, out, errOut)
		}
	}
	// A second copy into a store that has data is refused.
	if code, _, errOut := runCLI(t, clk, "store", "copy", "--from", dir, "--to", back); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Errorf("copy into a store with data: exit %d, stderr %s", code, errOut)
	}

	for _, spec := range []string{pg, back} {
		name := map[string]string{pg: "postgres", back: "the copy back"}[spec]
		if err := sessionOf(t, spec, token); !errors.Is(err, service.ErrUnauthorized) {
			t.Errorf("%s: a dashboard session of the original: %v, want none (sessions are not copied)", name, err)
		}
		code, out, errOut := runCLI(t, clk, "plan", "--store", spec, quickstart)
		if code != 0 || !strings.Contains(out, "No changes.") {
			t.Errorf("%s: plan exited %d, want no changes\nstdout:\n%s\nstderr:\n%s", name, code, out, errOut)
		}
		sources, campaigns := stats(t, spec)
		if d := cmp.Diff(wantSources, sources); d != "" {
			t.Errorf("%s: sources differ from the original (-want +got):\n%s", name, d)
		}
		if d := cmp.Diff(wantCampaigns, campaigns); d != "" {
			t.Errorf("%s: analytics differ from the original (-want +got):\n%s", name, d)
		}
		code, out, errOut = runCLI(t, clk, "apply", "-auto-approve", "--store", spec, quickstart)
		if code != 0 {
			t.Fatalf("%s: apply exited %d\nstdout:\n%s\nstderr:\n%s", name, code, out, errOut)
		}
		if progressSent.MatchString(out) {
			t.Errorf("%s: apply after the copy sent messages:\n%s", name, out)
		}
		if _, again := stats(t, spec); !cmp.Equal(wantCampaigns, again) {
			t.Errorf("%s: the analytics changed after applying again:\n%s", name, cmp.Diff(wantCampaigns, again))
		}
	}
}

// openSession opens a dashboard session on the store at spec and returns
// its token.
func openSession(t *testing.T, spec string) string {
	t.Helper()
	b := openData(t, spec)
	defer b.Close()
	ctx := context.Background()
	key, _, err := b.svc.CreateAPIKey(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := b.svc.OpenSession(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// sessionOf checks a dashboard session's token on the store at spec.
func sessionOf(t *testing.T, spec, token string) error {
	t.Helper()
	b := openData(t, spec)
	defer b.Close()
	_, err := b.svc.SessionOf(context.Background(), token)
	return err
}
