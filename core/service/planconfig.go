package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/plan"
)

// PlanFilename is the name diagnostics give a configuration sent to
// PlanConfiguration.
const PlanFilename = "request.hcl"

// PlanConfiguration plans a configuration sent over the network (HCL in
// src) for workspace ws, as `outreach plan` would, and applies nothing. The
// configuration is read without the server's environment or files: env()
// finds nothing and file() is an error. A settings.workspace other than ws
// is refused; without one, the plan is ws's. Diagnostics with errors are a
// *ValidationError whose reason gives each one's file, line and column.
func (s *Service) PlanConfiguration(ctx context.Context, ws string, src []byte) (*plan.Plan, error) {
	p := config.NewParser()
	p.LookupEnv = func(string) (string, bool) { return "", false }
	p.NoFiles = true
	p.Now = s.clock.Now
	cfg, diags := p.LoadBytes(src, PlanFilename)
	if diags.HasErrors() {
		return nil, invalid("body", "%s", describeDiagnostics(diags))
	}
	if cfg == nil {
		return nil, invalid("body", "no configuration")
	}
	if name, rng, ok := declaredWorkspace(p.Files()[PlanFilename]); ok && name != ws {
		return nil, invalid("settings.workspace", "%s: the configuration is for workspace %q, but this API key's workspace is %q; "+
			"remove the workspace setting or use a key of that workspace", position(rng), name, ws)
	}
	if cfg.Settings == nil {
		cfg.Settings = config.Empty(ws).Settings
	}
	if got := cfg.Settings.Workspace; got != ws && got != config.DefaultWorkspace { // named through a variable
		return nil, invalid("settings.workspace", "%s: the configuration is for workspace %q, but this API key's workspace is %q; "+
			"remove the workspace setting or use a key of that workspace", position(cfg.Settings.DeclRange), got, ws)
	}
	cfg.Settings.Workspace = ws
	return s.Plan(ctx, cfg)
}

// declaredWorkspace returns the workspace a settings block names, if one
// does (the decoded settings cannot tell "default" given from none given).
func declaredWorkspace(f *hcl.File) (string, hcl.Range, bool) {
	if f == nil {
		return "", hcl.Range{}, false
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return "", hcl.Range{}, false
	}
	for _, b := range body.Blocks {
		if b.Type != "settings" {
			continue
		}
		attr, ok := b.Body.Attributes["workspace"]
		if !ok {
			continue
		}
		v, d := attr.Expr.Value(nil)
		if d.HasErrors() || !v.Type().Equals(cty.String) || v.IsNull() || !v.IsKnown() {
			continue // decoding reported it, or it comes from a variable: the decoded value counts
		}
		return v.AsString(), attr.Expr.Range(), true
	}
	return "", hcl.Range{}, false
}

// describeDiagnostics is the errors among diags in one line each joined by
// "; ": file:line:column, summary, and detail.
func describeDiagnostics(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			msg = position(*d.Subject) + ": " + msg
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, "; ")
}

// position is where rng starts, as file:line:column.
func position(rng hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", rng.Filename, rng.Start.Line, rng.Start.Column)
}
