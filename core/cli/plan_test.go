package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSavedPlan saves a plan, applies it, and checks that a saved plan the
// data no longer matches is refused without changing anything.
func TestSavedPlan(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	planFile := filepath.Join(t.TempDir(), "q.plan")
	code, out, errOut := runCLI(t, clk, "plan", "-data", dir, "-out", planFile, quickstart)
	if code != 0 || !strings.Contains(out, "Saved the plan to "+planFile) {
		t.Fatalf("plan -out exited %d\n%s%s", code, out, errOut)
	}
	if info, err := os.Stat(planFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("plan file: %v, %v", info, err)
	}
	stale := filepath.Join(t.TempDir(), "stale.plan")
	if code, out, errOut := runCLI(t, clk, "plan", "-data", dir, "-out", stale, quickstart); code != 0 {
		t.Fatalf("second plan -out exited %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, clk, "apply", "-detach", "-data", dir, planFile)
	if code != 0 || !strings.Contains(out, "Apply complete. Objects: 5 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply PLANFILE exited %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, clk, "apply", "-detach", "-data", dir, stale)
	if code != 1 || !strings.Contains(errOut, "the data changed since this plan was made; plan again") {
		t.Errorf("applying a stale plan exited %d:\n%s", code, errOut)
	}
	code, out, _ = runCLI(t, clk, "plan", "-detailed-exitcode", "-data", dir, quickstart)
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Errorf("after applying the saved plan, plan exited %d:\n%s", code, out)
	}
	code, _, errOut = runCLI(t, clk, "apply", "-detach", "-data", t.TempDir(), planFile)
	if code != 1 || !strings.Contains(errOut, "another data dir") {
		t.Errorf("applying in another data dir exited %d:\n%s", code, errOut)
	}
}

// TestSensitiveValuesStayHidden runs plan, apply and a saved plan with
// secrets from a sensitive -var and from literal credentials: no output,
// log, data file or plan file may hold them.
func TestSensitiveValuesStayHidden(t *testing.T) {
	src := `variable "token" {
  type      = string
  sensitive = true
}
settings {
  sandbox = true
}
account "main" {
  handle     = "acme"
  cookies    = { auth_token = var.token, ct0 = "ct0-literal-secret" }
  proxy      = "proxy.example.com:8080"
  proxy_auth = "me:proxy-literal-secret"
  xchat_pin  = "86420"
}
webhook "w" {
  url    = "https://example.com/hook"
  secret = "whsec_${var.token}"
}
`
	// Both values of the variable are base64, so the webhook secret made
	// of it is a Standard Webhooks secret.
	const token, another = "dmFyLXRva2VuLXNlY3JldC13ZWJob29rLTAxMjM0NTY3ODk=", "YW5vdGhlci1zZWNyZXQtd2ViaG9vay0wMTIzNDU2Nzg5"
	path := writeFile(t, "secret.hcl", src)
	dir, clk := t.TempDir(), newClock()
	planFile := filepath.Join(t.TempDir(), "s.plan")
	var all strings.Builder
	for _, args := range [][]string{
		{"plan", "-var", "token=" + token, "-data", dir, "-out", planFile, path},
		{"plan", "-json", "-var", "token=" + token, "-data", dir, path},
		{"apply", "-detach", "-auto-approve", "-log-level", "trace", "-var", "token=" + token, "-data", dir, path},
		{"plan", "-var", "token=" + another, "-data", dir, path},
	} {
		code, out, errOut := runCLI(t, clk, args...)
		if code != 0 {
			t.Fatalf("%v exited %d\n%s%s", args, code, out, errOut)
		}
		all.WriteString(out + errOut)
	}
	files := []string{planFile}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		files = append(files, filepath.Join(dir, e.Name()))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, secret := range []string{token, another, "ct0-literal-secret", "proxy-literal-secret", "86420"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("%q appears in output, logs, the data dir or the plan file", secret)
		}
	}
	if !strings.Contains(all.String(), "~ cookies = (sensitive value) -> (sensitive value)") {
		t.Errorf("a changed sensitive variable does not show as a change:\n%s", all.String())
	}
}

func TestPlanJSON(t *testing.T) {
	code, out, errOut := runCLI(t, newClock(), "plan", "-json", "-data", t.TempDir(), quickstart)
	if code != 0 {
		t.Fatalf("plan -json exited %d\n%s", code, errOut)
	}
	var p struct {
		Changes []struct {
			Action, Address string
		}
		Work struct {
			Campaigns []struct {
				ToSend       int     `json:"to_send"`
				FirstDMsDone *string `json:"first_dms_done"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(p.Changes) != 5 || p.Changes[0].Address != "account.sales" || p.Work.Campaigns[0].ToSend != 24 || p.Work.Campaigns[0].FirstDMsDone == nil {
		t.Errorf("plan -json = %+v", p)
	}
}

func TestDestroy(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	if code, out, errOut := runCLI(t, clk, "apply", "-detach", "-auto-approve", "-data", dir, quickstart); code != 0 {
		t.Fatalf("apply exited %d\n%s%s", code, out, errOut)
	}
	code, out, _ := runCLI(t, clk, "destroy", "-data", dir, quickstart)
	if code != 1 || !strings.Contains(out, "Destroy cancelled.") || !strings.Contains(out, "- campaign \"hello\"") {
		t.Errorf("destroy without confirmation exited %d:\n%s", code, out)
	}
	code, out, errOut := runCLI(t, clk, "destroy", "-auto-approve", "-data", dir, quickstart)
	if code != 0 || !strings.Contains(out, "Plan: 0 to add, 0 to change, 5 to destroy.") || !strings.Contains(out, "Destroy complete.") {
		t.Errorf("destroy exited %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, clk, "destroy", "-auto-approve", "-data", dir, "-workspace", "default")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Errorf("second destroy exited %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, clk, "plan", "-data", dir, quickstart)
	if code != 0 || !strings.Contains(out, "Plan: 5 to add, 0 to change, 0 to destroy.") {
		t.Errorf("plan after destroy exited %d:\n%s", code, out)
	}
}

func TestFmt(t *testing.T) {
	messy := "account \"a\" {\nhandle = \"acme\"\n    daily_dm_limit = 5\n}\n"
	tidy := "account \"a\" {\n  handle         = \"acme\"\n  daily_dm_limit = 5\n}\n"
	path := writeFile(t, "messy.hcl", messy)
	code, out, _ := runCLI(t, newClock(), "fmt", "-check", path)
	if code != 1 || strings.TrimSpace(out) != path {
		t.Errorf("fmt -check on a messy file exited %d, printed %q", code, out)
	}
	if got, _ := readFile(path); got != messy {
		t.Error("fmt -check changed the file")
	}
	if code, out, errOut := runCLI(t, newClock(), "fmt", filepath.Dir(path)); code != 0 || strings.TrimSpace(out) != path {
		t.Errorf("fmt exited %d, printed %q %s", code, out, errOut)
	}
	if got, _ := readFile(path); got != tidy {
		t.Errorf("formatted file:\n%s\nwant:\n%s", got, tidy)
	}
	if code, out, _ := runCLI(t, newClock(), "fmt", "-check", path); code != 0 || out != "" {
		t.Errorf("fmt -check on a tidy file exited %d, printed %q", code, out)
	}
	broken := writeFile(t, "broken.hcl", "account \"a\" {\n")
	if code, _, errOut := runCLI(t, newClock(), "fmt", broken); code != 1 || !strings.Contains(errOut, "broken.hcl:") {
		t.Errorf("fmt on a syntax error exited %d:\n%s", code, errOut)
	}
}

func TestApplyVarAndDirectory(t *testing.T) {
	dir := filepath.Dir(writeFile(t, "main.hcl", `variable "limit" {
  type = number
}
settings {
  sandbox = true
}
account "main" {
  handle         = "acme"
  daily_dm_limit = var.limit
}
`))
	if err := os.WriteFile(filepath.Join(dir, "prod.auto.vars.hcl"), []byte("limit = 12\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data, clk := t.TempDir(), newClock()
	code, out, errOut := runCLI(t, clk, "apply", "-detach", "-auto-approve", "-data", data, dir)
	if code != 0 || !strings.Contains(out, "daily_dm_limit      = 12") {
		t.Fatalf("apply exited %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, clk, "plan", "-var", "limit=20", "-data", data, dir)
	if code != 0 || !strings.Contains(out, "~ daily_dm_limit = 12 -> 20") || !strings.Contains(out, "Plan: 0 to add, 1 to change, 0 to destroy.") {
		t.Errorf("plan -var exited %d:\n%s", code, out)
	}
}

// TestPlanStrictPolicy: the quick start under the strict policy plans the
// same objects, each campaign with policy "strict", and says what the
// policy refuses of the campaign, in text and in JSON.
func TestPlanStrictPolicy(t *testing.T) {
	src, err := os.ReadFile(quickstart)
	if err != nil {
		t.Fatal(err)
	}
	strict := strings.Replace(string(src), "  sandbox = true\n", "  sandbox = true\n  policy  = \"strict\"\n", 1)
	if strict == string(src) {
		t.Fatal("the quick start has no settings block to set the policy in")
	}
	path := writeFile(t, "strict.hcl", strict)
	code, out, errOut := runCLI(t, newClock(), "plan", "-data", t.TempDir(), path)
	if code != 0 {
		t.Fatalf("plan exited %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		`+ policy                         = "strict"`,
		"campaign.hello: policy strict refuses follow-ups; first DMs go only to leads who messaged the account first\n",
		"up to 24 to send",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "follow-up(s) each") {
		t.Errorf("plan counts follow-ups the policy refuses:\n%s", out)
	}
	code, out, errOut = runCLI(t, newClock(), "plan", "-json", "-data", t.TempDir(), path)
	if code != 0 {
		t.Fatalf("plan -json exited %d\n%s%s", code, out, errOut)
	}
	var p struct {
		Work struct {
			Campaigns []struct {
				Policy    string   `json:"policy"`
				Refused   []string `json:"refused"`
				Followups int      `json:"followups_per_lead"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if c := p.Work.Campaigns; len(c) != 1 || c[0].Policy != "strict" || strings.Join(c[0].Refused, ",") != "followup,cold_dm" || c[0].Followups != 0 {
		t.Errorf("plan -json campaigns = %+v; want one, strict, refusing followup and cold_dm, with no follow-ups", c)
	}
}
