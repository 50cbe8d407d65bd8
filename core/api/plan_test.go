package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	hclconfig "github.com/outreachhq/outreach/core/config"
)

const planConfig = `account "sales" {
  handle         = "acme_sales"
  daily_dm_limit = 50
}
`

// planResult is what a test reads of a plan.
type planResult struct {
	Workspace string `json:"workspace"`
	Changes   []struct {
		Action  string `json:"action"`
		Address string `json:"address"`
	} `json:"changes"`
}

// postPlan sends src to POST /plan with key, as contentType.
func postPlan(t *testing.T, l *live, key, contentType, src string) (int, []byte) {
	t.Helper()
	status, header, b := l.send(t, key, http.MethodPost, "/api/v1/plan", contentType, src)
	if status == http.StatusOK && header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", header.Get("Content-Type"))
	}
	return status, b
}

// TestPlanConfiguration: the plan of a configuration is the JSON plan of
// the key's workspace, and nothing is applied.
func TestPlanConfiguration(t *testing.T) {
	l := newLive(t)
	for _, ct := range []string{"text/plain", "application/hcl"} {
		status, body := postPlan(t, l, l.KeyA, ct, planConfig)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", ct, status, body)
		}
		p := decode[planResult](t, body)
		if p.Workspace != WorkspaceA || len(p.Changes) != 1 || p.Changes[0].Action != "create" || p.Changes[0].Address != "account.sales" {
			t.Errorf("%s: plan = %s", ct, body)
		}
	}
	_, body := l.do(t, l.KeyA, http.MethodGet, "/api/v1/accounts", nil)
	if got := decode[map[string][]any](t, body)["accounts"]; len(got) != 0 {
		t.Errorf("planning applied something: accounts %v", got)
	}

	// Its own workspace, named, is the same plan.
	status, body := postPlan(t, l, l.KeyA, "text/plain", "settings {\n  workspace = \""+WorkspaceA+"\"\n}\n"+planConfig)
	if p := decode[planResult](t, body); status != http.StatusOK || p.Workspace != WorkspaceA || len(p.Changes) != 1 {
		t.Errorf("with its own workspace named: %d %s", status, body)
	}
}

// TestPlanConfigurationErrors: a configuration with errors is a 400 that
// says where each is; one for another workspace, or that reads the
// server's files, is refused.
func TestPlanConfigurationErrors(t *testing.T) {
	l := newLive(t)
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"syntax", "account \"sales\" {\n  handle = \n}\n", []string{"request.hcl:2:", "body"}},
		{"unknown attribute", "account \"sales\" {\n  handle = \"a\"\n  colour = 1\n}\n", []string{"request.hcl:3:3"}},
		{"another workspace", "settings {\n  workspace = \"" + WorkspaceB + "\"\n}\n", []string{"settings.workspace", "request.hcl:2:15", WorkspaceB}},
		{"the default workspace named", "settings {\n  workspace = \"" + hclconfig.DefaultWorkspace + "\"\n}\n", []string{"settings.workspace"}},
		{"file()", "account \"sales\" {\n  handle = file(\"/etc/hostname\")\n}\n", []string{"request.hcl:2:", "file()"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := postPlan(t, l, l.KeyA, "text/plain", tc.src)
			e := decode[Error](t, body)
			if status != http.StatusBadRequest {
				t.Fatalf("%d %s, want 400", status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Message, w) {
					t.Errorf("message %q does not contain %q", e.Message, w)
				}
			}
		})
	}
}

// TestPlanCrossWorkspace: a plan compares against the key's workspace
// only. A's applied account is no change for A, and a create for B.
func TestPlanCrossWorkspace(t *testing.T) {
	l := newLive(t)
	p := hclconfig.NewParser()
	p.Now = l.Clock.Now
	cfg, diags := p.LoadBytes([]byte("settings {\n  workspace = \""+WorkspaceA+"\"\n}\n"+planConfig), "a.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ctx := context.Background()
	pl, err := l.Svc.Plan(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Svc.Apply(ctx, cfg, pl); err != nil {
		t.Fatal(err)
	}
	_, body := postPlan(t, l, l.KeyA, "text/plain", planConfig)
	if got := decode[planResult](t, body); len(got.Changes) != 0 {
		t.Errorf("A's plan after apply: %s, want no changes", body)
	}
	_, body = postPlan(t, l, l.KeyB, "text/plain", planConfig)
	if got := decode[planResult](t, body); got.Workspace != WorkspaceB || len(got.Changes) != 1 || got.Changes[0].Action != "create" {
		t.Errorf("B's plan: %s, want a create in %s", body, WorkspaceB)
	}
	status, body := postPlan(t, l, l.KeyB, "text/plain", "settings {\n  workspace = \""+WorkspaceA+"\"\n}\n")
	if status != http.StatusBadRequest {
		t.Errorf("B planning A's workspace: %d %s, want 400", status, body)
	}
}

// FuzzPlanBody sends generated configurations to POST /plan on the live
// server: a 200 or a 400, never a 5xx.
func FuzzPlanBody(f *testing.F) {
	for _, seed := range []string{planConfig, "", "{}", `settings { workspace = "x" }`, "account {", `variable "v" {}` + "\naccount \"a\" { handle = var.v }",
		`locals { x = env("HOME") }`, "campaign \"c\" {\n message = \"hi\"\n}\n"} {
		f.Add(seed)
	}
	l := newLive(f)
	f.Fuzz(func(t *testing.T, src string) {
		status, body := postPlan(t, l, l.KeyA, "text/plain", src)
		if status != http.StatusOK && status != http.StatusBadRequest {
			t.Fatalf("%q: %d %s", src, status, body)
		}
	})
}
