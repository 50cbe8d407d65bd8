package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/sdk"
)

// Declared is the plugin of one plugin block, as CheckConfig found it.
type Declared struct {
	Name   string
	Source Source
	// Constraint is the block's version constraint, "" for any version.
	Constraint string
	// Info is what the plugin reported; zero if it could not be launched.
	Info sdk.Info
	// Err is why it could not be launched, nil if it was.
	Err error
}

// CheckConfig launches the plugin of every plugin block, as Terraform
// checks its providers before it plans: the binary must exist and complete
// the handshake, its version must meet the block's constraint, the block's
// config must fit the schema the plugin declares, and only a sink may set
// events. Each problem is a diagnostic that points into the block (at the
// attribute concerned when there is one). A plugin is asked its info and
// config schema but not configured, since configuring has effects (a sink
// opens its file); every process is gone when CheckConfig returns. The
// plugins are launched at once, and reported in the order given.
func (h *Host) CheckConfig(ctx context.Context, plugins []*config.Plugin) ([]Declared, hcl.Diagnostics) {
	out := make([]Declared, len(plugins))
	diags := make([]hcl.Diagnostics, len(plugins))
	var wg sync.WaitGroup
	for i, p := range plugins {
		wg.Go(func() { out[i], diags[i] = h.checkPlugin(ctx, p) })
	}
	wg.Wait()
	var all hcl.Diagnostics
	for _, d := range diags {
		all = append(all, d...)
	}
	return out, all
}

func (h *Host) checkPlugin(ctx context.Context, p *config.Plugin) (Declared, hcl.Diagnostics) {
	d := Declared{Name: p.Name, Constraint: p.Version}
	r := p.Ranges
	if p.Builtin() {
		d.Source = Source{Builtin: true, Name: p.Source, alias: p.Source != p.Name}
		if !slices.Contains(h.opts.Builtins, p.Source) {
			d.Err = fmt.Errorf("%q is not a built-in plugin", p.Source)
			return d, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Unknown built-in plugin",
				Detail: fmt.Sprintf("Plugin %q names the built-in plugin %q, but there is none by that name. The built-ins are %s; "+
					"for another plugin, set source to the path of its binary, like \"./bin/outreach-plugin-%s\" (relative to this file).",
					p.Name, p.Source, strings.Join(h.opts.Builtins, ", "), p.Name),
				Subject: r.Source.Ptr(),
			}}
		}
	} else {
		d.Source = Source{Path: p.Source}
	}
	info, fields, err := h.probe(ctx, p.Name, d.Source, true)
	if err != nil {
		d.Err = err
		return d, hcl.Diagnostics{launchDiagnostic(p, err)}
	}
	d.Info = info

	var diags hcl.Diagnostics
	if p.Version != "" {
		c, err := config.ParseVersionConstraint(p.Version)
		if err == nil && !c.Allows(info.Version) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Plugin version not allowed",
				Detail: fmt.Sprintf("Plugin %q (%s) is version %s, which does not meet the constraint %q. Install a version that does, or change the constraint.",
					p.Name, d.Source, info.Version, p.Version),
				Subject: r.Version.Ptr(),
			})
		}
	}
	if p.Events != nil && !slices.Contains(info.Kinds, sdk.KindSink) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Events on a plugin that is not a sink",
			Detail: fmt.Sprintf("Plugin %q is a %s plugin; only sink plugins receive events. Remove the events attribute.",
				p.Name, strings.Join(info.Kinds, " and ")),
			Subject: r.Events.Ptr(),
		})
	}
	problems, err := checkConfig(fields, p.Config)
	if err != nil {
		// The decoder makes Config from an HCL body: only a bug gets here.
		return d, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid plugin config", Detail: err.Error(), Subject: r.Config.Ptr()})
	}
	for _, pr := range problems {
		diags = append(diags, configDiagnostic(p, fields, pr))
	}
	return d, diags
}

// probe starts the plugin of src, asks its info (and, if schema, its
// config schema) without configuring it, and stops it again.
func (h *Host) probe(ctx context.Context, name string, src Source, schema bool) (sdk.Info, []sdk.ConfigField, error) {
	p, err := h.start(name, src)
	if err != nil {
		return sdk.Info{}, nil, err
	}
	info, fields, err := p.ask(ctx, h.opts.CallTimeout, schema)
	if err != nil {
		return sdk.Info{}, nil, p.failed(src, err)
	}
	p.kill(true)
	return info, fields, nil
}

// ask asks a started plugin its info and, if schema, its config schema.
func (p *process) ask(ctx context.Context, timeout time.Duration, schema bool) (sdk.Info, []sdk.ConfigField, error) {
	base, err := sdk.Dispense(p.rpc)
	if err != nil {
		return sdk.Info{}, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	info, err := base.Info(ctx)
	if err != nil {
		return sdk.Info{}, nil, fmt.Errorf("info: %w", err)
	}
	if !schema {
		return info, nil, nil
	}
	fields, err := base.ConfigSchema(ctx)
	if err != nil {
		return sdk.Info{}, nil, fmt.Errorf("config schema: %w", err)
	}
	return info, fields, nil
}

// launchDiagnostic reports a plugin that could not be launched, at its
// source.
func launchDiagnostic(p *config.Plugin, err error) *hcl.Diagnostic {
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Plugin failed to start",
		Detail:   fmt.Sprintf("Plugin %q: %v.", p.Name, strings.TrimSuffix(err.Error(), ".")),
		Subject:  p.Ranges.Source.Ptr(),
	}
	var le *LaunchError
	if !errors.As(err, &le) {
		return d
	}
	switch {
	case le.Stage == StageBinary && errors.Is(le.Err, fs.ErrNotExist):
		d.Summary = "Plugin binary not found"
		d.Detail = fmt.Sprintf("Plugin %q: the %s. Build the plugin there (go build -o %s ...), or set source to where it is; a relative source is relative to the file that declares the block.",
			p.Name, le.Err, p.Source)
	case le.Stage == StageBinary:
		d.Summary = "Plugin binary cannot be run"
		d.Detail = fmt.Sprintf("Plugin %q: %v.", p.Name, le.Err)
	case le.Stage == StageHandshake && le.Quit():
		d.Detail = withStderr(fmt.Sprintf("Plugin %q (%s) exited before it completed the plugin handshake. The host %s.",
			p.Name, le.Source, expected), le.Stderr)
	case le.Stage == StageHandshake:
		d.Detail = withStderr(fmt.Sprintf("Plugin %q (%s) did not complete the plugin handshake: %v. Is it an outreach plugin built with a compatible SDK? The host %s.",
			p.Name, le.Source, strings.TrimSpace(le.Err.Error()), expected), le.Stderr)
	}
	return d
}

// configDiagnostic reports a config attribute that does not fit the
// plugin's schema, at the attribute (its name if the plugin does not know
// it, its value if the type is wrong), or at the config block for a
// missing one.
func configDiagnostic(p *config.Plugin, fields []sdk.ConfigField, pr configProblem) *hcl.Diagnostic {
	at, known := p.Ranges.ConfigAttrs[pr.Field]
	subject := p.Ranges.Config
	var field sdk.ConfigField
	for _, f := range fields {
		if f.Name == pr.Field {
			field = f
		}
	}
	// The field's own description, on a line of its own.
	about := ""
	if field.Description != "" {
		about = fmt.Sprintf("\n\n%s: %s", field.Name, field.Description)
	}
	switch pr.Kind {
	case problemUnknown:
		if known {
			subject = at.Name
		}
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported plugin config attribute",
			Detail: fmt.Sprintf("Plugin %q does not take a config attribute named %q. %s",
				p.Name, pr.Field, declaredFields(fields)),
			Subject: subject.Ptr(),
		}
	case problemRequired:
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing required plugin config attribute",
			Detail: fmt.Sprintf("Plugin %q needs the config attribute %q. Add it to the plugin block's config block.%s",
				p.Name, pr.Field, about),
			Subject: subject.Ptr(),
		}
	}
	if known {
		subject = at.Value
	}
	where := fmt.Sprintf("The %q attribute", pr.Field)
	if pr.Path != pr.Field {
		where = fmt.Sprintf("%s of the %q attribute", pr.Path, pr.Field)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Incorrect plugin config value type",
		Detail: fmt.Sprintf("%s of plugin %q's config needs %s, but the given value is %s. Give it %s.%s",
			where, p.Name, pr.Want, pr.Got, pr.Want, about),
		Subject: subject.Ptr(),
	}
}

// declaredFields lists a plugin's config attributes for a diagnostic.
func declaredFields(fields []sdk.ConfigField) string {
	if len(fields) == 0 {
		return "It takes no configuration: remove the config block."
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = fmt.Sprintf("%s (%s", f.Name, f.Type)
		if f.Required {
			parts[i] += ", required"
		}
		parts[i] += ")"
	}
	return "Its config attributes are " + strings.Join(parts, ", ") + "."
}
