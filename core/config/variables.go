package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// VarEnvPrefix starts the environment variables that set input variables:
// OUTREACH_VAR_region sets var.region.
const VarEnvPrefix = "OUTREACH_VAR_"

// Variable is a `variable "NAME" { type default sensitive description }`
// block: an input the other blocks read as var.NAME.
type Variable struct {
	Name        string
	Description string
	// Type is the type constraint; cty.DynamicPseudoType accepts any value.
	Type cty.Type
	// Default is the value without any other; cty.NilVal makes the
	// variable required.
	Default cty.Value
	// Sensitive hides the value, and every value computed from it, in
	// plans and logs.
	Sensitive bool
	// Value is the value the configuration was evaluated with, unmarked.
	Value     cty.Value
	DeclRange hcl.Range

	// invalid marks a block whose type or default is wrong, reported
	// already: it is not reported again as lacking a value.
	invalid bool
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"},
		{Name: "default"},
		{Name: "description"},
		{Name: "sensitive"},
	},
}

func (sc *scope) decodeVariableBlock(block *hcl.Block) (*Variable, hcl.Diagnostics) {
	v := &Variable{Name: block.Labels[0], Type: cty.DynamicPseudoType, DeclRange: block.DefRange}
	diags := checkLabelIdentifier(block, "variable")
	content, d := block.Body.Content(variableSchema)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["type"]; ok {
		ty, d := typeexpr.TypeConstraint(attr.Expr)
		if d.HasErrors() {
			v.invalid = true
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid type",
				Detail:   "The type must be a type constraint written without quotes, like string, number, bool, list(string), map(string) or object({ name = string }).",
				Subject:  attr.Expr.Range().Ptr(),
			})
		} else {
			v.Type = ty
		}
	}
	if attr, ok := content.Attributes["description"]; ok {
		v.Description, _ = sc.decodeString(attr, &diags)
	}
	if attr, ok := content.Attributes["sensitive"]; ok {
		v.Sensitive, _ = sc.decodeBool(attr, &diags)
	}
	if attr, ok := content.Attributes["default"]; ok {
		v.invalid = true // until the default is known good
		if refs := attr.Expr.Variables(); len(refs) > 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Variables not allowed",
				Detail:   fmt.Sprintf("The default of var.%s refers to %s, but a default must be a constant. Use a local value to compute from variables.", v.Name, traversalString(refs[0])),
				Subject:  refs[0].SourceRange().Ptr(),
			})
			return v, diags
		}
		val, d := attr.Expr.Value(sc.base)
		diags = append(diags, d...)
		if !d.HasErrors() {
			conv, err := convert.Convert(val, v.Type)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid default value for variable",
					Detail:   fmt.Sprintf("The default of var.%s is not a %s: %s. Change the default or the type.", v.Name, typeexpr.TypeString(v.Type), err),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				v.Default, v.invalid = conv, false
			}
		}
	}
	return v, diags
}

// traversalString writes a reference as the user wrote it: var.a, local.b.
func traversalString(t hcl.Traversal) string {
	s := t.RootName()
	for _, step := range t[1:] {
		if a, ok := step.(hcl.TraverseAttr); ok {
			s += "." + a.Name
		}
	}
	return s
}

// checkLabelIdentifier checks that a block's label is an identifier, for
// blocks that are not referred to as KIND.NAME but as var.NAME.
func checkLabelIdentifier(block *hcl.Block, kind string) hcl.Diagnostics {
	if hclsyntax.ValidIdentifier(block.Labels[0]) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Invalid %s name", kind),
		Detail: fmt.Sprintf("%q is not a valid %s name. A name starts with a letter and holds only letters, digits, underscores and dashes.",
			block.Labels[0], kind),
		Subject: block.LabelRanges[0].Ptr(),
	}}
}

// rawValue is one value given for a variable outside the configuration.
type rawValue struct {
	// expr is the value as an expression (from a vars file, or a -var of a
	// complex type); str is a raw string (from -var or the environment).
	expr hcl.Expression
	str  string
	// from says where the value came from, for diagnostics.
	from string
	rng  *hcl.Range
}

// variableValues works out each variable's value: its default, overridden
// by OUTREACH_VAR_NAME, then by *.vars.hcl files in order, then by -var
// options in order. Sensitive values are marked so that what is computed
// from them is marked too.
func (p *Parser) variableValues(sc *scope, vars []*Variable, in inputs) (map[string]cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	declared := map[string]*Variable{}
	for _, v := range vars {
		if _, dup := declared[v.Name]; !dup {
			declared[v.Name] = v
			sc.vars = append(sc.vars, v.Name)
		}
	}
	given := map[string]rawValue{}

	for _, v := range vars {
		if s, ok := p.LookupEnv(VarEnvPrefix + v.Name); ok {
			given[v.Name] = rawValue{str: s, from: "the environment variable " + VarEnvPrefix + v.Name}
		}
	}
	for _, f := range in.files {
		attrs, d := f.Body.JustAttributes()
		diags = append(diags, d...)
		names := make([]string, 0, len(attrs))
		for n := range attrs {
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool { return attrs[names[i]].Range.Start.Byte < attrs[names[j]].Range.Start.Byte })
		for _, n := range names {
			attr := attrs[n]
			if _, ok := declared[n]; !ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagWarning,
					Summary:  "Value for undeclared variable",
					Detail:   fmt.Sprintf("%s sets %q, but no variable %q is declared, so the value is ignored. Declare it or remove the line.", attr.Range.Filename, n, n),
					Subject:  attr.NameRange.Ptr(),
				})
				continue
			}
			rng := attr.Expr.Range()
			given[n] = rawValue{expr: attr.Expr, from: attr.Range.Filename, rng: &rng}
		}
	}
	for _, opt := range in.cli {
		name, val, ok := strings.Cut(opt, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid -var option",
				Detail:   fmt.Sprintf("The option -var %q is not of the form NAME=VALUE. Write it like -var 'region=eu'.", opt),
			})
			continue
		}
		v, ok := declared[name]
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("The option -var %s=... sets a variable that is not declared. %s", name, declaredList("variables", sc.vars)),
			})
			continue
		}
		rv := rawValue{str: val, from: "the -var option"}
		if needsExpression(v.Type) {
			filename := fmt.Sprintf("<value for var.%s>", name)
			expr, d := hclsyntax.ParseExpression([]byte(val), filename, hcl.InitialPos)
			if !v.Sensitive {
				// For the source snippet in diagnostics; a secret is not shown.
				p.files[filename] = &hcl.File{Bytes: []byte(val)}
			}
			diags = append(diags, d...)
			if d.HasErrors() {
				continue
			}
			rng := expr.Range()
			rv = rawValue{expr: expr, from: "the -var option", rng: &rng}
		}
		given[name] = rv
	}

	out := map[string]cty.Value{}
	for _, v := range vars {
		if _, ok := out[v.Name]; ok {
			continue // a duplicate, reported already
		}
		val, d := v.resolve(sc, given[v.Name], given[v.Name].from != "")
		diags = append(diags, d...)
		v.Value = val
		if v.Sensitive {
			val = val.Mark(markSensitive)
		}
		out[v.Name] = val
	}
	return out, diags
}

// needsExpression reports whether a -var or environment value for a type
// is read as an HCL expression (lists, maps, objects) rather than as a raw
// string (strings, numbers, bools and any type).
func needsExpression(ty cty.Type) bool {
	return !ty.IsPrimitiveType() && ty != cty.DynamicPseudoType
}

// resolve converts the value given for v, or its default, to its type. On
// error the value is unknown, so that expressions using it are skipped
// instead of reporting the same problem again.
func (v *Variable) resolve(sc *scope, rv rawValue, given bool) (cty.Value, hcl.Diagnostics) {
	if !given {
		if v.invalid {
			return cty.DynamicVal, nil
		}
		if v.Default == cty.NilVal {
			return cty.DynamicVal, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "No value for required variable",
				Detail: fmt.Sprintf("var.%s has no default and no value was given. Set it with -var '%s=...', in a *.auto.vars.hcl file, or in the environment variable %s%s, or give it a default.",
					v.Name, v.Name, VarEnvPrefix, v.Name),
				Subject: v.DeclRange.Ptr(),
			}}
		}
		return v.Default, nil
	}
	var raw cty.Value
	if rv.expr != nil {
		val, d := rv.expr.Value(sc.base) // constants only: no var, no local
		if d.HasErrors() {
			return cty.DynamicVal, d
		}
		raw = val
	} else if needsExpression(v.Type) {
		// An environment value of a complex type is an expression too.
		filename := fmt.Sprintf("<value for var.%s>", v.Name)
		expr, d := hclsyntax.ParseExpression([]byte(rv.str), filename, hcl.InitialPos)
		if d.HasErrors() {
			return cty.DynamicVal, d
		}
		val, d := expr.Value(sc.base)
		if d.HasErrors() {
			return cty.DynamicVal, d
		}
		raw = val
	} else {
		raw = cty.StringVal(rv.str)
	}
	conv, err := convert.Convert(raw, v.Type)
	if err != nil {
		subject := v.DeclRange
		if rv.rng != nil {
			subject = *rv.rng
		}
		detail := fmt.Sprintf("The value for var.%s from %s is not a %s: %s. Give a value of that type.", v.Name, rv.from, typeexpr.TypeString(v.Type), err)
		if v.Sensitive {
			detail = fmt.Sprintf("The value for var.%s from %s is not a %s. Give a value of that type.", v.Name, rv.from, typeexpr.TypeString(v.Type))
		}
		return cty.DynamicVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   detail,
			Subject:  subject.Ptr(),
		}}
	}
	return conv, nil
}

// declaredList says which names are declared, for a diagnostic's detail.
func declaredList(kind string, names []string) string {
	if len(names) == 0 {
		return fmt.Sprintf("No %s are declared.", kind)
	}
	return fmt.Sprintf("Declared %s: %s.", kind, strings.Join(names, ", "))
}
