package plan

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/store"
)

var now = time.Date(2030, 3, 4, 8, 0, 0, 0, time.UTC) // a Monday

func digest(s string) string {
	h := hmac.New(sha256.New, []byte("test key"))
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))
}

func load(t *testing.T, src string) *config.Config {
	t.Helper()
	p := config.NewParser()
	p.Now = func() time.Time { return now }
	cfg, diags := p.LoadBytes([]byte(src), "test.hcl")
	if diags.HasErrors() {
		t.Fatalf("config: %s", diags.Error())
	}
	return cfg
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func makePlan(t *testing.T, st *store.Store, cfg *config.Config) *Plan {
	t.Helper()
	var p *Plan
	err := st.View(func(tx *store.Tx) (err error) {
		p, err = Make(tx, cfg, Options{Now: now, Digest: digest})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func text(t *testing.T, p *Plan) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSensitiveValuesNeverShown checks credentials, webhook secrets and
// values from sensitive variables in the text and JSON plans.
func TestSensitiveValuesNeverShown(t *testing.T) {
	cfg := load(t, `variable "secret_word" {
  default   = "swordfish"
  sensitive = true
}
account "main" {
  handle     = "acme"
  cookies    = { auth_token = "tok-abc", ct0 = "ct0-def" }
  tokens     = { bearer = "bearer-ghi" }
  proxy      = "proxy.example.com:8080"
  proxy_auth = "user:pass-jkl"
  xchat_pin  = "97531"
}
source "s" {
  target "paulg" {}
}
campaign "c" {
  sources = [source.s]
  message = "The word is ${var.secret_word}."
}
webhook "w" {
  url    = "https://example.com/hook"
  secret = "whsec-mno-0123456789"
}
`)
	p := makePlan(t, openStore(t), cfg)
	var js bytes.Buffer
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	out := text(t, p)
	for _, secret := range []string{"tok-abc", "ct0-def", "bearer-ghi", "pass-jkl", "97531", "swordfish", "whsec-mno"} {
		if strings.Contains(out, secret) || strings.Contains(js.String(), secret) {
			t.Errorf("plan shows %q:\n%s\n%s", secret, out, js.String())
		}
	}
	for _, want := range []string{"cookies", "tokens", "proxy_auth", "xchat_pin", "variant[0].message", "secret"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks attribute %s", want)
		}
	}
	if n := strings.Count(out, "(sensitive value)"); n != 6 {
		t.Errorf("%d sensitive values shown, want 6:\n%s", n, out)
	}
	var view struct {
		Changes []struct {
			After []struct {
				Name      string          `json:"name"`
				Value     json.RawMessage `json:"value"`
				Sensitive bool            `json:"sensitive"`
			} `json:"after"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(js.Bytes(), &view); err != nil {
		t.Fatal(err)
	}
	for _, a := range view.Changes[0].After {
		if a.Name == "daily_dm_limit" && string(a.Value) != "50" {
			t.Errorf("JSON daily_dm_limit = %s, want the number 50", a.Value)
		}
		if a.Sensitive && a.Value != nil {
			t.Errorf("JSON gives a value for sensitive %s", a.Name)
		}
	}
}

// TestSecretChangeIsDetected checks that a changed secret shows as a
// change without showing either value, and an unchanged one does not.
func TestSecretChangeIsDetected(t *testing.T) {
	st := openStore(t)
	before := load(t, `account "main" {
  handle    = "acme"
  xchat_pin = "1111"
}`)
	after := load(t, `account "main" {
  handle    = "acme"
  xchat_pin = "2222"
}`)
	// Store what applying `before` would store.
	err := st.Update(func(tx *store.Tx) error {
		r := AccountRecord(before.Accounts[0])
		r.ID, r.Workspace = "id1", "default"
		r.SecretDigests = map[string]string{}
		for k, v := range SecretValues(before.Accounts[0]) {
			r.SecretDigests[k] = digest(v)
		}
		return tx.PutAccount(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := makePlan(t, st, before); p.HasChanges() {
		t.Errorf("same secret plans a change:\n%s", text(t, p))
	}
	p := makePlan(t, st, after)
	out := text(t, p)
	if !strings.Contains(out, "~ xchat_pin = (sensitive value) -> (sensitive value)") || strings.Contains(out, "1111") || strings.Contains(out, "2222") {
		t.Errorf("plan:\n%s", out)
	}
}

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

func TestNextOpen(t *testing.T) {
	berlin := &config.Window{Start: 9 * time.Hour, End: 17 * time.Hour, TimeZone: "Europe/Berlin", Days: []string{"mon", "tue", "wed", "thu", "fri"}}
	night := &config.Window{Start: 22 * time.Hour, End: 6 * time.Hour, TimeZone: "UTC", Days: []string{"fri"}}
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		w    *config.Window
		t    string
		want string
	}{
		{"nil window is always open", nil, "2030-03-04T03:00:00Z", "2030-03-04T03:00:00Z"},
		{"inside", berlin, "2030-03-04T09:00:00Z", "2030-03-04T09:00:00Z"}, // 10:00 in Berlin
		{"before opening", berlin, "2030-03-04T06:00:00Z", "2030-03-04T08:00:00Z"},
		{"after closing, next day", berlin, "2030-03-04T16:00:00Z", "2030-03-05T08:00:00Z"},
		{"friday evening to monday", berlin, "2030-03-08T17:00:00Z", "2030-03-11T08:00:00Z"},
		{"closing time is closed", berlin, "2030-03-04T16:00:00Z", "2030-03-05T08:00:00Z"},
		{"summer time moves the opening", berlin, "2030-03-29T17:00:00Z", "2030-04-01T07:00:00Z"},
		{"overnight window after midnight", night, "2030-03-09T03:00:00Z", "2030-03-09T03:00:00Z"},
		{"overnight window closed", night, "2030-03-09T07:00:00Z", "2030-03-15T22:00:00Z"},
	}
	for _, tt := range tests {
		if got := nextOpen(tt.w, at(tt.t)).UTC(); !got.Equal(at(tt.want)) {
			t.Errorf("%s: nextOpen(%s) = %s, want %s", tt.name, tt.t, got.Format(time.RFC3339), tt.want)
		}
	}
	monOnly := &config.Window{End: 24 * time.Hour, TimeZone: "UTC", Days: []string{"mon"}}
	tueOnly := &config.Window{End: 24 * time.Hour, TimeZone: "UTC", Days: []string{"tue"}}
	if got := nextSlot(at("2030-03-04T10:00:00Z"), monOnly, tueOnly); !got.IsZero() {
		t.Errorf("windows that never meet give %s, want the zero time", got)
	}
	if got := nextSlot(at("2030-03-04T10:00:00Z"), berlin, monOnly); !got.Equal(at("2030-03-04T10:00:00Z")) {
		t.Errorf("overlapping windows give %s", got)
	}
}

// TestEstimate checks the finish time against sums worked by hand.
func TestEstimate(t *testing.T) {
	base := `source "s" {
  max_leads = 100
  target "paulg" {}
}
`
	tests := []struct {
		name      string
		src       string
		firstDone string
		done      string
		stalled   string
	}{
		{"pacing only: 10 DMs a minute apart", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 10
  message   = "hi"
}`, "2030-03-04T08:09:00Z", "2030-03-04T08:09:00Z", ""},
		{"daily cap: 5 a day", `account "a" {
  handle         = "a"
  daily_dm_limit = 5
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 12
  message   = "hi"
}`, "2030-03-06T00:01:00Z", "2030-03-06T00:01:00Z", ""},
		{"warmup: 1, then 2, then 3 a day", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
  warmup {
    start    = 1
    increase = 1
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 6
  message   = "hi"
}`, "2030-03-06T00:02:00Z", "2030-03-06T00:02:00Z", ""},
		{"active hours: from 09:00 New York", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
  active_hours {
    start     = "09:00"
    end       = "17:00"
    time_zone = "America/New_York"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 3
  message   = "hi"
}`, "2030-03-04T14:02:00Z", "2030-03-04T14:02:00Z", ""},
		{"follow-ups after the first DMs", `account "a" {
  handle = "a"
  pacing {
    min_gap = "1m"
    max_gap = "1m"
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 2
  message   = "hi"
  followup {
    after   = "1d"
    message = "bump"
  }
}`, "2030-03-04T08:01:00Z", "2030-03-05T08:01:00Z", ""},
		{"paused account", `account "a" {
  handle = "a"
  paused = true
}
campaign "c" {
  sources   = [source.s]
  max_leads = 2
  message   = "hi"
}`, "", "", `account "a" is paused`},
		{"window never meets active hours", `account "a" {
  handle = "a"
  active_hours {
    days = ["mon"]
  }
}
campaign "c" {
  sources   = [source.s]
  max_leads = 2
  message   = "hi"
  window {
    days = ["tue"]
  }
}`, "", "", `the active hours of account "a" never meet the campaign's window`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := makePlan(t, openStore(t), load(t, base+tt.src))
			c := p.Work.Campaigns[0]
			str := func(p *time.Time) string {
				if p == nil {
					return ""
				}
				return p.UTC().Format(time.RFC3339)
			}
			if str(c.FirstDMsDone) != tt.firstDone || str(c.Done) != tt.done || c.Stalled != tt.stalled {
				t.Errorf("first DMs done %q, done %q, stalled %q; want %q, %q, %q\n%s",
					str(c.FirstDMsDone), str(c.Done), c.Stalled, tt.firstDone, tt.done, tt.stalled, text(t, p))
			}
		})
	}
}

func TestWorkWithoutBudget(t *testing.T) {
	p := makePlan(t, openStore(t), load(t, `account "a" {
  handle = "a"
}
source "s" {
  target "paulg" {}
}
campaign "c" {
  sources = [source.s]
  message = "hi"
}`))
	if c := p.Work.Campaigns[0]; c.ToSend != -1 || c.FirstDMsDone != nil {
		t.Errorf("campaign work = %+v, want no estimate", c)
	}
	if !strings.Contains(text(t, p), "every lead its sources keep will get one") {
		t.Error(text(t, p))
	}
}
