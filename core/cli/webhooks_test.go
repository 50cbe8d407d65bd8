package cli

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/api"
	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/bunt"
)

const (
	crmHookID  = "11111111-1111-4111-8111-111111111111"
	goneHookID = "22222222-2222-4222-8222-222222222222"
)

var hooksNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// seedWebhooks writes into data dir dir the endpoint "crm" of the default
// workspace, signed, with four deliveries (e1 and e2 failed two days and
// two hours ago, e3 delivered an hour ago, e4 retrying), and an endpoint
// of its own, disabled, with none.
func seedWebhooks(t *testing.T, dir string) {
	t.Helper()
	st, err := bunt.Open(dir, "test seed")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ago := func(d time.Duration) time.Time { return hooksNow.Add(-d) }
	delivery := func(event, status string, created time.Time, attempts int, log ...store.DeliveryAttempt) store.Delivery {
		d := store.Delivery{
			ID: store.DeliveryID(crmHookID, event), Workspace: "default", WebhookID: crmHookID, EventID: event, EventSeq: 1,
			EventType: store.EventNewReply, Status: status, Attempts: attempts, Log: log, CreatedAt: created, UpdatedAt: created,
		}
		if last := log[len(log)-1]; status != store.DeliveryDelivered {
			d.LastStatusCode, d.LastError, d.NextAttemptAt = last.StatusCode, last.Error, last.NextAttemptAt
		} else {
			d.LastStatusCode = last.StatusCode
		}
		return d
	}
	err = st.Update(context.Background(), func(tx *bunt.Tx) error {
		return errors.Join(
			tx.PutWebhook(store.Webhook{ID: crmHookID, Workspace: "default", Address: "webhook.crm", URL: "https://crm.example.com/hooks",
				Events: []string{store.EventNewReply, store.EventLeadOptedOut}, Secret: []byte("sealed"), CreatedAt: ago(72 * time.Hour)}),
			tx.PutWebhook(store.Webhook{ID: goneHookID, Workspace: "default", URL: "https://old.example.com/in", Disabled: true,
				DisabledReason: "the endpoint answered 410 Gone", CreatedAt: ago(71 * time.Hour)}),
			tx.PutDelivery(delivery("e1", store.DeliveryFailed, ago(48*time.Hour), 4,
				store.DeliveryAttempt{At: ago(48 * time.Hour), StatusCode: 500, DurationMS: 40, Error: "the endpoint answered 500"})),
			tx.PutDelivery(delivery("e2", store.DeliveryFailed, ago(2*time.Hour), 2,
				store.DeliveryAttempt{At: ago(2 * time.Hour), StatusCode: 503, DurationMS: 12, Error: "the endpoint answered 503", NextAttemptAt: ago(90 * time.Minute)},
				store.DeliveryAttempt{At: ago(90 * time.Minute), DurationMS: 30000, Error: "timeout"})),
			tx.PutDelivery(delivery("e3", store.DeliveryDelivered, ago(time.Hour), 1,
				store.DeliveryAttempt{At: ago(time.Hour), StatusCode: 200, DurationMS: 8})),
			tx.PutDelivery(delivery("e4", store.DeliveryRetrying, ago(30*time.Minute), 1,
				store.DeliveryAttempt{At: ago(30 * time.Minute), StatusCode: 429, DurationMS: 9, Error: "the endpoint answered 429", NextAttemptAt: hooksNow.Add(10 * time.Minute)})),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// webhookSteps are the commands both tests run, in order: each step's
// output is what the last one left (a replay changes the deliveries).
var webhookSteps = []struct {
	args []string
	code int
	// want is the whole output, or, with wantErr, a part of stderr.
	want    string
	wantErr bool
}{
	{[]string{"list"}, 0, "" +
		"ID                                    NAME  URL                            EVENTS                    SIGNED  STATE\n" +
		"11111111-1111-4111-8111-111111111111  crm   https://crm.example.com/hooks  new_reply,lead_opted_out  yes     enabled\n" +
		"22222222-2222-4222-8222-222222222222  -     https://old.example.com/in     all                       no      disabled: the endpoint answered 410 Gone\n", false},
	{[]string{"list", "--json"}, 0, "", false},
	{[]string{"deliveries", "crm"}, 0, "" +
		"CREATED               EVENT TYPE  EVENT ID  STATUS     ATTEMPTS  LAST CODE  NEXT TRY              LAST ERROR\n" +
		"2026-11-02T08:30:00Z  new_reply   e4        retrying   1         429        2026-11-02T09:10:00Z  the endpoint answered 429\n" +
		"2026-11-02T08:00:00Z  new_reply   e3        delivered  1         200        -                     -\n" +
		"2026-11-02T07:00:00Z  new_reply   e2        failed     2         -          -                     timeout\n" +
		"2026-10-31T09:00:00Z  new_reply   e1        failed     4         500        -                     the endpoint answered 500\n", false},
	{[]string{"deliveries", crmHookID, "-v", "--limit", "2", "--since", "24h"}, 0, "" +
		"CREATED               EVENT TYPE  EVENT ID  STATUS     ATTEMPTS  LAST CODE  NEXT TRY              LAST ERROR\n" +
		"2026-11-02T08:30:00Z  new_reply   e4        retrying   1         429        2026-11-02T09:10:00Z  the endpoint answered 429\n" +
		"    delivery " + "%e4%" + "\n" +
		"    attempt 1  2026-11-02T08:30:00Z  HTTP 429  9ms  the endpoint answered 429  (next try 2026-11-02T09:10:00Z)\n" +
		"2026-11-02T08:00:00Z  new_reply   e3        delivered  1         200        -                     -\n" +
		"    delivery " + "%e3%" + "\n" +
		"    attempt 1  2026-11-02T08:00:00Z  HTTP 200  8ms\n", false},
	{[]string{"deliveries", "webhook.crm", "--status", "failed", "--since", "2026-11-01T00:00:00Z", "--json"}, 0, "", false},
	{[]string{"replay", "crm", "--failed-since", "24h"}, 0, "Made 1 delivery of webhook crm due again.\n", false},
	{[]string{"replay", "crm", "--event", "e1"}, 0, "Made 1 delivery of webhook crm due again.\n", false},
	{[]string{"replay", "crm", "--event", "e4"}, 0, "Made 0 deliveries of webhook crm due again.\n", false},
	{[]string{"deliveries", "crm", "--status", "pending", "-v"}, 0, "" +
		"CREATED               EVENT TYPE  EVENT ID  STATUS   ATTEMPTS  LAST CODE  NEXT TRY              LAST ERROR\n" +
		"2026-11-02T07:00:00Z  new_reply   e2        pending  0         -          2026-11-02T09:00:00Z  timeout\n" +
		"    delivery " + "%e2%" + "\n" +
		"    attempt 1  2026-11-02T07:00:00Z  HTTP 503  12ms  the endpoint answered 503  (next try 2026-11-02T07:30:00Z)\n" +
		"    attempt 2  2026-11-02T07:30:00Z  no answer  30000ms  timeout\n" +
		"2026-10-31T09:00:00Z  new_reply   e1        pending  0         500        2026-11-02T09:00:00Z  the endpoint answered 500\n" +
		"    delivery " + "%e1%" + "\n" +
		"    attempt 1  2026-10-31T09:00:00Z  HTTP 500  40ms  the endpoint answered 500\n", false},
	{[]string{"deliveries", "nope"}, 1, "webhook nope: not found", true},
	{[]string{"replay", goneHookID, "--event", "e1"}, 1, "webhook_id: webhook " + goneHookID + " is disabled", true},
}

// expand puts the delivery ids in a step's expected output.
func expand(want string) string {
	return regexp.MustCompile(`%(e\d)%`).ReplaceAllStringFunc(want, func(m string) string {
		return store.DeliveryID(crmHookID, strings.Trim(m, "%"))
	})
}

// TestWebhooksLocal runs the webhooks commands on a data dir no one holds:
// each opens the store itself.
func TestWebhooksLocal(t *testing.T) {
	dir := t.TempDir()
	seedWebhooks(t, dir)
	clk := clock.NewVirtual(hooksNow)
	for _, step := range webhookSteps {
		args := append([]string{"webhooks"}, step.args...)
		code, out, errOut := runCLI(t, clk, append(args, "--data", dir)...)
		checkStep(t, args, step.code, step.want, step.wantErr, code, out, errOut)
	}

	// The JSON is the API's.
	_, out, _ := runCLI(t, clk, "webhooks", "deliveries", "crm", "--status", "delivered", "--json", "--data", dir)
	var list api.DeliveryList
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Deliveries) != 1 || list.Deliveries[0].EventID != "e3" ||
		list.Deliveries[0].Log[0].StatusCode != 200 || list.Deliveries[0].CreatedAt != "2026-11-02T08:00:00Z" {
		t.Errorf("deliveries --json: %v\n%s", err, out)
	}

	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "crm"}, "give one of --delivery ID, --event ID and --failed-since T"},
		{[]string{"replay", "crm", "--event", "e1", "--failed-since", "1h"}, "give one of"},
		{[]string{"replay", "crm", "--failed-since", "last week"}, `--failed-since "last week": give an RFC 3339 time`},
		{[]string{"deliveries", "crm", "--status", "lost"}, `--status "lost": give one of pending, retrying, delivered, failed`},
		{[]string{"deliveries", "crm", "--limit", "0"}, "--limit 0: give 1 to 1000"},
	} {
		code, _, errOut := runCLI(t, clk, append(append([]string{"webhooks"}, bad.args...), "--data", dir)...)
		if code != 1 || !strings.Contains(errOut, bad.want) {
			t.Errorf("webhooks %s exited %d: %s; want %q", strings.Join(bad.args, " "), code, errOut, bad.want)
		}
	}
}

// TestWebhooksThroughServe: while `serve` holds the data dir, the same
// commands go through its API with a key made before it started, and print
// the same; without a key they say how to get one; a key of another
// workspace sees none of the default workspace's endpoints; and a holder
// with no API is waited for.
func TestWebhooksThroughServe(t *testing.T) {
	local, served := t.TempDir(), t.TempDir()
	seedWebhooks(t, local)
	seedWebhooks(t, served)
	clk := clock.NewVirtual(hooksNow)
	key := createKey(t, clk, served, "default")
	otherKey := createKey(t, clk, served, "other")
	// The API alone (--no-engine): no delivery runs beside it to change
	// the seeded records while the commands read them.
	base, _ := startServeClock(t, clock.NewVirtual(hooksNow), "--no-engine", "--addr", "127.0.0.1:0", "--data", served)

	for _, step := range webhookSteps {
		args := append([]string{"webhooks"}, step.args...)
		code, out, errOut := runCLI(t, clk, append(args, "--data", local)...)
		checkStep(t, args, step.code, step.want, step.wantErr, code, out, errOut)
		rcode, rout, rerrOut := runCLI(t, clk, append(args, "--data", served, "--key", key)...)
		if rcode != code || rout != out {
			t.Errorf("%s through the API exited %d and printed\n%s\nwant, as on the store itself, %d and\n%s", strings.Join(args, " "), rcode, rout, code, out)
		}
		if !strings.Contains(rerrOut, "going through its API at "+base) {
			t.Errorf("%s through the API: stderr lacks the note that says so:\n%s", strings.Join(args, " "), rerrOut)
		}
		if step.wantErr && !strings.Contains(rerrOut, step.want) {
			t.Errorf("%s through the API: stderr %q, want %q", strings.Join(args, " "), rerrOut, step.want)
		}
	}

	t.Setenv(apiKeyEnv, key)
	if code, out, errOut := runCLI(t, clk, "webhooks", "list", "--data", served); code != 0 || !strings.Contains(out, "crm") {
		t.Errorf("list with $%s exited %d: %s%s", apiKeyEnv, code, out, errOut)
	}
	t.Setenv(apiKeyEnv, "")
	code, _, errOut := runCLI(t, clk, "webhooks", "list", "--data", served)
	if code != 1 || !strings.Contains(errOut, "needs an API key: pass --key or set $"+apiKeyEnv) || !strings.Contains(errOut, "outreach keys create") ||
		!strings.Contains(errOut, base) {
		t.Errorf("list without a key exited %d: %s; want how to get one", code, errOut)
	}
	code, _, errOut = runCLI(t, clk, "webhooks", "list", "--data", served, "--key", "sk_live_"+strings.Repeat("0", 40))
	if code != 1 || !strings.Contains(errOut, "refused the API key") {
		t.Errorf("list with an unknown key exited %d: %s", code, errOut)
	}

	if code, out, _ := runCLI(t, clk, "webhooks", "list", "--data", served, "--key", otherKey); code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("list with another workspace's key exited %d:\n%s\nwant the header alone", code, out)
	}
	for _, ref := range []string{"crm", crmHookID} {
		code, _, errOut := runCLI(t, clk, "webhooks", "deliveries", ref, "--data", served, "--key", otherKey)
		if code != 1 || !strings.Contains(errOut, "webhook "+ref+": not found") {
			t.Errorf("deliveries %s with another workspace's key exited %d: %s; want not found", ref, code, errOut)
		}
	}
}

// TestWebhooksHolderWithoutAPI: a process that holds the data dir and
// serves no API (apply) is waited for.
func TestWebhooksHolderWithoutAPI(t *testing.T) {
	dir := t.TempDir()
	st, err := bunt.Open(dir, "outreach apply (pid 7)")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, _, errOut := runCLI(t, clock.NewVirtual(hooksNow), "webhooks", "list", "--data", dir, "--key", "sk_live_x")
	if code != 1 || !strings.Contains(errOut, "held by outreach apply (pid 7), which serves no API") || !strings.Contains(errOut, "wait for it to finish, or stop it") {
		t.Errorf("list while apply holds the data dir exited %d: %s", code, errOut)
	}
}

func checkStep(t *testing.T, args []string, wantCode int, want string, wantErr bool, code int, out, errOut string) {
	t.Helper()
	name := strings.Join(args, " ")
	switch {
	case code != wantCode:
		t.Errorf("%s exited %d, want %d\n%s%s", name, code, wantCode, out, errOut)
	case wantErr && !strings.Contains(errOut, want):
		t.Errorf("%s: stderr %q, want %q", name, errOut, want)
	case !wantErr && want != "" && out != expand(want):
		t.Errorf("%s printed\n%s\nwant\n%s", name, out, expand(want))
	}
}

// createKey creates an API key of workspace ws in dir, no one holding it.
func createKey(t *testing.T, clk clock.Clock, dir, ws string) string {
	t.Helper()
	code, key, errOut := runCLI(t, clk, "keys", "create", "--data", dir, "--workspace", ws)
	if code != 0 {
		t.Fatalf("keys create exited %d: %s", code, errOut)
	}
	return strings.TrimSpace(key)
}
