package config

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/outreachhq/outreach/core/filter"
)

// Filter is a `filter "NAME" { ... }` block: a named filter that sources refer
// to as filter.NAME.
type Filter struct {
	Name      string
	Spec      filter.Spec
	DeclRange hcl.Range
}

// filterSchema is the body of a filter block, and of a source's inline
// `filter { ... }` block.
var filterSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: filter.FieldIncludeKeywords},
		{Name: filter.FieldExcludeKeywords},
		{Name: filter.FieldIncludeWithin},
		{Name: filter.FieldIncludeBetween},
		{Name: filter.FieldExcludeWithin},
		{Name: filter.FieldExcludeBetween},
		{Name: filter.FieldLocationExclude},
		{Name: filter.FieldFollowers},
		{Name: filter.FieldFollowing},
		{Name: "has_website"},
		{Name: filter.FieldWhere},
	},
}

func (sc *scope) decodeFilterBlock(block *hcl.Block) (*Filter, hcl.Diagnostics) {
	f := &Filter{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkBlockName(block)
	spec, specDiags := sc.decodeFilterSpec(block.Body)
	f.Spec = spec
	return f, append(diags, specDiags...)
}

// decodeFilterSpec decodes a filter body and validates the result with
// filter.Validate, so that a filter that loads is one that compiles.
func (sc *scope) decodeFilterSpec(body hcl.Body) (filter.Spec, hcl.Diagnostics) {
	var spec filter.Spec
	content, diags := body.Content(filterSchema)
	attrs := content.Attributes

	groups := func(name string, dst *[][]string) {
		if attr, ok := attrs[name]; ok {
			*dst, _ = sc.decodeStringLists(attr, &diags)
		}
	}
	groups(filter.FieldIncludeKeywords, &spec.IncludeKeywords)
	groups(filter.FieldExcludeKeywords, &spec.ExcludeKeywords)

	logic := func(name string, dst *filter.Logic) {
		attr, ok := attrs[name]
		if !ok {
			return
		}
		s, ok := sc.decodeString(attr, &diags)
		if !ok {
			return
		}
		l, err := filter.ParseLogic(name, s)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid logic word",
				Detail:   fmt.Sprintf(`The %q attribute must be "AND" or "OR", not %q.`, name, s),
				Subject:  attr.Expr.Range().Ptr(),
			})
			return
		}
		*dst = l
	}
	logic(filter.FieldIncludeWithin, &spec.IncludeWithin)
	logic(filter.FieldIncludeBetween, &spec.IncludeBetween)
	logic(filter.FieldExcludeWithin, &spec.ExcludeWithin)
	logic(filter.FieldExcludeBetween, &spec.ExcludeBetween)

	if attr, ok := attrs[filter.FieldLocationExclude]; ok {
		spec.LocationExclude, _ = sc.decodeStringList(attr, &diags)
	}
	if attr, ok := attrs[filter.FieldFollowers]; ok {
		spec.Followers = sc.decodeRange(attr, &diags)
	}
	if attr, ok := attrs[filter.FieldFollowing]; ok {
		spec.Following = sc.decodeRange(attr, &diags)
	}
	if attr, ok := attrs["has_website"]; ok {
		if v, ok := sc.decodeBool(attr, &diags); ok {
			spec.HasWebsite = &v
		}
	}
	if attr, ok := attrs[filter.FieldWhere]; ok {
		spec.Where, _ = sc.decodeString(attr, &diags)
	}

	for _, err := range filter.Validate(spec) {
		diags = append(diags, filterErrorDiagnostic(err, attrs, content.MissingItemRange))
	}
	return spec, diags
}

// decodeRange reads `{ min = 100, max = 50000 }`, either key optional. It
// checks the keys itself because converting to an object type would silently
// drop a misspelled one. A bound that is wrong is reported and left unset.
func (sc *scope) decodeRange(attr *hcl.Attribute, diags *hcl.Diagnostics) filter.Range {
	var r filter.Range
	hint := fmt.Sprintf("Write an object with min and/or max, like %s = { min = 100, max = 50000 }.", attr.Name)
	val, d := sc.eval(attr.Expr)
	*diags = append(*diags, d...)
	if d.HasErrors() || !val.IsWhollyKnown() { // unknown: a parse error, already reported
		return r
	}
	if val.IsNull() || !(val.Type().IsObjectType() || val.Type().IsMapType()) {
		*diags = append(*diags, typeMismatch(attr, "an object with min and max", hint, val))
		return r
	}
	// min and max first, then unknown keys in name order, so that
	// diagnostics come out in a stable, natural order.
	var keys []string
	elems := map[string]cty.Value{}
	for it := val.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if name := k.AsString(); name != "min" && name != "max" {
			keys = append(keys, name)
		}
		elems[k.AsString()] = v
	}
	sort.Strings(keys)
	for _, k := range []string{"min", "max"} {
		if _, ok := elems[k]; ok {
			keys = append([]string{k}, keys...)
		}
	}
	for _, k := range keys {
		var dst **int
		switch k {
		case "min":
			dst = &r.Min
		case "max":
			dst = &r.Max
		default:
			*diags = append(*diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported range key",
				Detail:   fmt.Sprintf("The %q attribute takes only the keys min and max, not %q. %s", attr.Name, k, hint),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		v := elems[k]
		n, err := convert.Convert(v, cty.Number)
		if v.IsNull() || !v.IsKnown() || err != nil || n.IsNull() {
			*diags = append(*diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Incorrect attribute value type",
				Detail:   fmt.Sprintf("The %s of %q needs a whole number, but the given value is %s. %s", k, attr.Name, describeValue(v), hint),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		i, ok := wholeNumber(n.AsBigFloat())
		if !ok {
			*diags = append(*diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid number",
				Detail:   fmt.Sprintf("The %s of %q is %s, which is not a whole number. %s", k, attr.Name, n.AsBigFloat().Text('g', -1), hint),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		*dst = &i
	}
	return r
}

// filterErrorDiagnostic turns a problem filter.Validate found into a
// diagnostic on the attribute it is about.
func filterErrorDiagnostic(err *filter.Error, attrs hcl.Attributes, fallback hcl.Range) *hcl.Diagnostic {
	subject := fallback
	if attr, ok := attrs[err.Field]; ok {
		subject = attr.Expr.Range()
	}
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Subject: subject.Ptr()}
	switch err.Field {
	case filter.FieldWhere:
		if attr, ok := attrs[err.Field]; ok {
			if at, ok := positionInString(attr.Expr, err.Pos); ok {
				d.Subject, d.Context = at.Ptr(), attr.Expr.Range().Ptr()
			}
		}
		d.Summary = "Invalid where expression"
		at := ""
		if !err.Pos.IsZero() {
			at = fmt.Sprintf(" (line %d, column %d of the expression)", err.Pos.Line, err.Pos.Column)
		}
		d.Detail = fmt.Sprintf("The where expression does not compile: %s%s. Fix it so it is a true/false expression over the lead fields username, name, bio, location, website, followers, following, verified and protected.", err.Reason, at)
	case filter.FieldIncludeKeywords, filter.FieldExcludeKeywords:
		d.Summary = "Invalid keyword groups"
		d.Detail = fmt.Sprintf("In %q, %s. Give every group at least one non-blank keyword.", err.Field, err.Reason)
	case filter.FieldLocationExclude:
		d.Summary = "Invalid location exclusion"
		d.Detail = fmt.Sprintf("In %q, %s. Remove the blank entry.", err.Field, err.Reason)
	case filter.FieldFollowers, filter.FieldFollowing:
		d.Summary = "Invalid range"
		d.Detail = fmt.Sprintf("In %q, %s. Use bounds of zero or more, with min no greater than max.", err.Field, err.Reason)
	default:
		d.Summary = "Invalid filter"
		d.Detail = fmt.Sprintf("In %q, %s.", err.Field, err.Reason)
	}
	return d
}

// positionInString maps a position inside a `where` string to the file,
// when the expression is a plain one-line quoted string whose source is
// exactly its text (no escapes or interpolations to shift columns).
func positionInString(expr hcl.Expression, pos filter.Pos) (hcl.Range, bool) {
	tmpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok || pos.Line != 1 || len(tmpl.Parts) != 1 {
		return hcl.Range{}, false
	}
	lit, ok := tmpl.Parts[0].(*hclsyntax.LiteralValueExpr)
	r := expr.Range()
	if !ok || r.Start.Line != r.End.Line || lit.Val.Type() != cty.String {
		return hcl.Range{}, false
	}
	text := lit.Val.AsString()
	// The quotes add two bytes; any escape would add more.
	if r.End.Byte-r.Start.Byte != len(text)+2 || pos.Column < 1 || pos.Column > utf8.RuneCountInString(text)+1 {
		return hcl.Range{}, false
	}
	col := r.Start.Column + pos.Column // the opening quote is column 0 of the text
	offset := len(string([]rune(text)[:pos.Column-1]))
	start := hcl.Pos{Line: r.Start.Line, Column: col, Byte: r.Start.Byte + 1 + offset}
	end := hcl.Pos{Line: r.Start.Line, Column: col + 1, Byte: start.Byte + 1}
	return hcl.Range{Filename: r.Filename, Start: start, End: end}, true
}
