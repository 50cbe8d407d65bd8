package x

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outreachhq/outreach/sdk"
)

func TestConfigDefaults(t *testing.T) {
	ctx := context.Background()
	c := New()
	if err := c.Configure(ctx, []byte(`{"client_id":"abc"}`)); err != nil {
		t.Fatal(err)
	}
	spec, err := c.AuthSpec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "tweet.read users.read follows.read follows.write like.write tweet.write dm.read dm.write offline.access"
	if got := strings.Join(spec.Scopes, " "); got != want {
		t.Errorf("scopes %q; want %q", got, want)
	}
	if spec.RedirectURL != "http://127.0.0.1:8788/oauth/x/callback" || spec.App != "abc" {
		t.Errorf("AuthSpec = %+v; want the default redirect and the client id as the app", spec)
	}
	u, err := c.AuthorizeURL(ctx, sdk.AuthorizeRequest{State: "s", CodeChallenge: "c"})
	if err != nil || !strings.HasPrefix(u, "https://x.com/i/oauth2/authorize?") {
		t.Errorf("AuthorizeURL on X = %q, %v; want X's authorize page", u, err)
	}
	if err := c.Configure(ctx, []byte(`{"client_id":"abc","base_url":"http://127.0.0.1:9/","app":"agency","scopes":["dm.read"],"redirect_url":"https://out.example/cb"}`)); err != nil {
		t.Fatal(err)
	}
	spec, _ = c.AuthSpec(ctx)
	if spec.App != "agency" || !slices.Equal(spec.Scopes, []string{"dm.read"}) || spec.RedirectURL != "https://out.example/cb" {
		t.Errorf("AuthSpec = %+v; want the configured app, scopes and redirect", spec)
	}
	u, _ = c.AuthorizeURL(ctx, sdk.AuthorizeRequest{State: "s", CodeChallenge: "c"})
	if !strings.HasPrefix(u, "http://127.0.0.1:9/i/oauth2/authorize?") {
		t.Errorf("AuthorizeURL on another base URL = %q; want base_url + /i/oauth2/authorize", u)
	}
}

func TestConfigSchemaMarksTheSecret(t *testing.T) {
	fields, _ := New().ConfigSchema(context.Background())
	allowed := []string{"string", "number", "bool", "list(string)", "map(string)"}
	for _, f := range fields {
		if !slices.Contains(allowed, f.Type) {
			t.Errorf("field %s has type %q; want one of %v", f.Name, f.Type, allowed)
		}
		if f.Sensitive != (f.Name == "client_secret") {
			t.Errorf("field %s: Sensitive = %v", f.Name, f.Sensitive)
		}
	}
	for _, name := range []string{"base_url", "authorize_url", "client_id", "client_secret", "redirect_url", "scopes", "app", "rate_limits", "prices", "prices_as_of"} {
		if !slices.ContainsFunc(fields, func(f sdk.ConfigField) bool { return f.Name == name }) {
			t.Errorf("the schema lacks %s", name)
		}
	}
	// Every field of the schema is one Configure accepts.
	for _, f := range fields {
		v := map[string]any{"string": "", "number": 3, "bool": true, "list(string)": nil, "map(string)": map[string]string{}}[f.Type]
		raw, _ := json.Marshal(map[string]any{f.Name: v})
		if err := New().Configure(context.Background(), raw); err != nil {
			t.Errorf("Configure(%s): %v", raw, err)
		}
	}
}

func TestConfigureRefusesBadValuesNamingTheField(t *testing.T) {
	for raw, field := range map[string]string{
		`{"base_url":"ftp://x"}`:                     "base_url",
		`{"base_url":"::"}`:                          "base_url",
		`{"authorize_url":"nope"}`:                   "authorize_url",
		`{"redirect_url":"/cb"}`:                     "redirect_url",
		`{"timeout":"soon"}`:                         "timeout",
		`{"retry_backoff":"-1s"}`:                    "retry_backoff",
		`{"read_attempts":0}`:                        "read_attempts",
		`{"client_secret":"s"}`:                      "client_id",
		`{"scopes":["dm.read dm.write"]}`:            "scopes[0]",
		`{"scopes":[]}`:                              "scopes",
		`{"rate_limits":{"send_dm":"15 per day"}}`:   "rate_limits.send_dm",
		`{"rate_limits":{"send_dm":"15/fortnight"}}`: "rate_limits.send_dm",
		`{"rate_limits":{"send_dm":"team:15/15m"}}`:  "rate_limits.send_dm",
		`{"rate_limits":{"teleport":"1/1h"}}`:        "rate_limits",
		`{"prices":{"send_dm":"cheap"}}`:             "prices.send_dm",
		`{"prices":{"send_dm":"0.01/hour"}}`:         "prices.send_dm",
		`{"prices":{"teleport":1}}`:                  "prices",
		`{"prices_as_of":"November"}`:                "prices_as_of",
		`{"bearer":"x"}`:                             "bearer",
		`{`:                                          "config",
	} {
		err := New().Configure(context.Background(), json.RawMessage(raw))
		if sdk.KindOf(err) != sdk.Permanent || !strings.Contains(err.Error(), field) {
			t.Errorf("Configure(%s) = %v; want a Permanent error naming %s", raw, err, field)
		}
	}
}

func TestConfigureKeepsTheOldConfigOnError(t *testing.T) {
	c := New()
	ctx := context.Background()
	if err := c.Configure(ctx, []byte(`{"base_url":"http://127.0.0.1:1","timeout":"7s"}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.Configure(ctx, []byte(`{"base_url":"ftp://x"}`)); err == nil {
		t.Fatal("Configure took a bad base_url")
	}
	if got := c.config(); got.BaseURL != "http://127.0.0.1:1" || got.Timeout != 7*time.Second {
		t.Errorf("after a refused Configure the config is %+v; want the previous one", got)
	}
}
