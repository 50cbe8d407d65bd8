package config

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/outreachhq/outreach/sdk"
)

// Plugin is a `plugin "NAME" { source version events config { ... } }` block: a
// plugin the configuration uses, built in or an external binary.
type Plugin struct {
	Name string
	// Source is the absolute path of an external plugin binary (written
	// relative to the file that declares the block), or the name of a
	// built-in plugin ("x"). It defaults to the block's name.
	Source string
	// Version is a version constraint such as ">= 0.1.0, < 2.0.0", checked
	// for syntax only; "" accepts any version.
	Version string
	// Events are the event types a sink plugin receives (sdk.EventTypes
	// names them), in the order written; nil means every type. Only sinks
	// may set it, which is checked once the plugin says what it is.
	Events []string
	// Config is the plugin's `config { ... }` block, evaluated, as a JSON
	// object: "{}" without one.
	Config    json.RawMessage
	DeclRange hcl.Range
	// Ranges locate the block's parts, for diagnostics about what the
	// plugin itself reports (its version, its config schema, its kinds).
	Ranges PluginRanges
}

// PluginRanges are where the parts of a plugin block are written. A range
// of an attribute that is not set is the block's DeclRange.
type PluginRanges struct {
	// Source, Version and Events are the attributes' values.
	Source, Version, Events hcl.Range
	// Config is the config block's header, or the plugin block's DeclRange
	// without one.
	Config hcl.Range
	// ConfigAttrs locate each attribute of the config block by name.
	ConfigAttrs map[string]ConfigAttrRange
}

// ConfigAttrRange is where one attribute of a config block is written.
type ConfigAttrRange struct {
	// Name is the attribute's name, Value its expression.
	Name, Value hcl.Range
}

// Builtin reports whether the plugin is one compiled into outreach rather
// than an external binary: built-in sources are names, never paths.
func (p *Plugin) Builtin() bool { return !filepath.IsAbs(p.Source) }

var pluginSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source"},
		{Name: "version"},
		{Name: "events"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "config"},
	},
}

// builtinNameRE is the shape of a built-in plugin's name; anything else in
// source must be a path.
var builtinNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

func (sc *scope) decodePluginBlock(block *hcl.Block) (*Plugin, hcl.Diagnostics) {
	p := &Plugin{Name: block.Labels[0], Source: block.Labels[0], Config: json.RawMessage("{}"), DeclRange: block.DefRange}
	p.Ranges = PluginRanges{Source: block.DefRange, Version: block.DefRange, Events: block.DefRange, Config: block.DefRange}
	diags := checkBlockName(block)
	content, d := block.Body.Content(pluginSchema)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["source"]; ok {
		p.Ranges.Source = attr.Expr.Range()
		if v, ok := sc.decodeString(attr, &diags); ok {
			src, err := pluginSource(v, block.DefRange.Filename)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid plugin source",
					Detail:   fmt.Sprintf("%s. Set source to the name of a built-in plugin, like \"x\", or to the path of a plugin binary, like \"./bin/outreach-plugin-crm\" (relative to this file).", upperFirst(err.Error())),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				p.Source = src
			}
		}
	}
	if attr, ok := content.Attributes["version"]; ok {
		p.Ranges.Version = attr.Expr.Range()
		if v, ok := sc.decodeString(attr, &diags); ok {
			if _, err := ParseVersionConstraint(v); err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid version constraint",
					Detail:   fmt.Sprintf("%s. Write one or more comma-separated constraints, like \">= 0.1.0\" or \">= 1.2, < 2.0.0\"; the operators are =, !=, >, >=, <, <= and ~>.", upperFirst(err.Error())),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				p.Version = strings.TrimSpace(v)
			}
		}
	}

	if attr, ok := content.Attributes["events"]; ok {
		p.Ranges.Events = attr.Expr.Range()
		if list, ok := sc.decodeStringList(attr, &diags); ok {
			p.Events, diags = sinkEvents(attr, list, diags)
		}
	}

	var configSeen *hcl.Block
	for _, b := range content.Blocks {
		if configSeen != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate config block",
				Detail:   fmt.Sprintf("Plugin %q already has a config block at %s. Merge the two into one.", p.Name, at(configSeen.DefRange)),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		configSeen = b
		p.Ranges.Config = b.DefRange
		p.Ranges.ConfigAttrs = configAttrRanges(b.Body)
		raw, d := sc.decodePluginConfig(b.Body)
		diags = append(diags, d...)
		if raw != nil {
			p.Config = raw
		}
	}
	return p, diags
}

// sinkEvents checks the event types of a sink's events attribute against
// the one event catalogue, sdk.EventTypes, pointing at the element that
// names an unknown type when it can.
func sinkEvents(attr *hcl.Attribute, list []string, diags hcl.Diagnostics) ([]string, hcl.Diagnostics) {
	valid := "The event types are " + strings.Join(sdk.EventTypes, ", ") + "."
	if len(list) == 0 {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty events",
			Detail:   "The list of events is empty, so the sink would receive nothing. Remove the attribute to send it every event, or list the types it needs. " + valid,
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	// The elements' own ranges, when the list is written out.
	elems, _ := hcl.ExprList(attr.Expr)
	ok := true
	for i, e := range list {
		if slices.Contains(sdk.EventTypes, e) {
			continue
		}
		ok = false
		rng := attr.Expr.Range()
		if len(elems) == len(list) {
			rng = elems[i].Range()
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown event type",
			Detail:   fmt.Sprintf("%q is not an event type. %s", e, valid),
			Subject:  rng.Ptr(),
		})
	}
	if !ok {
		return nil, diags
	}
	return list, diags
}

// configAttrRanges locates the attributes of a config block. Any problem
// with the body is reported by decodePluginConfig.
func configAttrRanges(body hcl.Body) map[string]ConfigAttrRange {
	attrs, _ := body.JustAttributes()
	out := make(map[string]ConfigAttrRange, len(attrs))
	for name, a := range attrs {
		out[name] = ConfigAttrRange{Name: a.NameRange, Value: a.Expr.Range()}
	}
	return out
}

// pluginSource resolves a source: a name stays a name, a path is made
// absolute relative to the directory of the file that declares it.
func pluginSource(v, filename string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", fmt.Errorf("the source is empty")
	case builtinNameRE.MatchString(v):
		return v, nil
	case !strings.ContainsAny(v, `/\`) && !strings.HasPrefix(v, "."):
		return "", fmt.Errorf("%q is neither a built-in plugin name (lower-case letters, digits, dashes and underscores) nor a path (which holds a /)", v)
	}
	if !filepath.IsAbs(v) {
		v = filepath.Join(filepath.Dir(filename), v)
	}
	abs, err := filepath.Abs(v)
	if err != nil {
		return "", fmt.Errorf("the path %q cannot be made absolute: %v", v, err)
	}
	return abs, nil
}

// decodePluginConfig evaluates the attributes of a plugin's config block
// into a JSON object. The plugin's own schema checks them when it is
// configured; here they only need to be values.
func (sc *scope) decodePluginConfig(body hcl.Body) (json.RawMessage, hcl.Diagnostics) {
	attrs, diags := body.JustAttributes()
	obj := map[string]cty.Value{}
	for name, attr := range attrs {
		val, d := sc.eval(attr.Expr)
		diags = append(diags, d...)
		if d.HasErrors() || !val.IsWhollyKnown() {
			continue
		}
		obj[name] = val
	}
	if diags.HasErrors() {
		return nil, diags
	}
	val := cty.ObjectVal(obj)
	raw, err := ctyjson.Marshal(val, val.Type())
	if err != nil {
		// Every HCL value has a JSON form; only an internal error gets here.
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid plugin config",
			Detail:   fmt.Sprintf("The config block could not be encoded as JSON: %v. Use only strings, numbers, bools, lists and objects.", err),
			Subject:  body.MissingItemRange().Ptr(),
		})
	}
	return raw, diags
}
