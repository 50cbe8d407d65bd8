package plan

import (
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/store"
)

func TestDiff(t *testing.T) {
	obj := func(kind, name string, kv ...string) Object {
		o := Object{Kind: kind, Name: name}
		for i := 0; i < len(kv); i += 2 {
			o.Attrs = append(o.Attrs, Attr{Name: kv[i], Value: kv[i+1]})
		}
		return o
	}
	desired := []Object{
		obj("campaign", "c", "max_leads", "30"),
		obj("account", "a", "handle", `"a"`, "proxy", "null"),
		obj("account", "new", "handle", `"n"`),
	}
	current := []Object{
		obj("account", "a", "handle", `"a"`),
		obj("campaign", "c", "max_leads", "24"),
		obj("tweet", "old", "text", `"bye"`),
	}
	changes := Diff(desired, current)
	var got []string
	for _, c := range changes {
		got = append(got, string(c.Action)+" "+c.Address()+" "+strings.Join(c.Changed, ","))
	}
	want := []string{"create account.new ", "update campaign.c max_leads", "delete tweet.old "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("changes = %q, want %q (an attribute null on one side and absent on the other is no change)", got, want)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 30 * time.Second: "30s", 90 * time.Second: "1m30s", time.Minute: "1m", 10 * time.Minute: "10m",
		2 * time.Hour: "2h", 2*time.Hour + 30*time.Minute: "2h30m", 48 * time.Hour: "2d", 1500 * time.Millisecond: "1.5s",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestWebhookPlanHidesSecret checks a webhook whose secret, retries and
// backoff change: the secret shows as a sensitive change, never by its
// digest, and the delivery settings as they are configured.
func TestWebhookPlanHidesSecret(t *testing.T) {
	hook := func(digest string, retries int, backoff time.Duration) store.Webhook {
		return store.Webhook{Address: "webhook.crm", URL: "https://example.com/h", Events: []string{"new_reply"},
			SecretDigest: digest, Retries: retries, Backoff: backoff}
	}
	p, err := Make(Objects{Webhooks: []store.Webhook{hook("new-digest", -1, time.Minute)}},
		Snapshot{Current: Objects{Webhooks: []store.Webhook{hook("old-digest", 3, 30*time.Second)}}},
		Options{Digest: func(s string) string { return "d" + s }})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"~ secret  = (sensitive value) -> (sensitive value)", "~ retries = 3 -> 0", `~ backoff = "30s" -> "1m"`} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "digest") {
		t.Errorf("plan shows a digest:\n%s", out)
	}
	var js strings.Builder
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(js.String(), "digest") {
		t.Errorf("JSON plan shows a digest:\n%s", js.String())
	}
}
