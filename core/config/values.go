package config

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// The decode* helpers evaluate one attribute and convert it to a Go value,
// appending any diagnostics to *diags. They report false when the value is
// not usable; the problem has then been reported. A wrong type is reported
// with the attribute's name, the type it needs and the type it got, pointing
// at the expression.

// evalAttr evaluates an attribute and converts it to ty. want is phrased for
// a person ("a string") and hint says how to write a right value.
func (sc *scope) evalAttr(attr *hcl.Attribute, ty cty.Type, want, hint string, diags *hcl.Diagnostics) (cty.Value, bool) {
	val, d := sc.eval(attr.Expr)
	*diags = append(*diags, d...)
	switch {
	case d.HasErrors():
		return cty.NilVal, false
	case !val.IsWhollyKnown():
		// Every variable has a known value, so only an expression HCL
		// failed to parse is unknown, and the parser has reported it.
		return cty.NilVal, false
	}
	conv, err := convert.Convert(val, ty)
	if val.IsNull() || err != nil || conv.IsNull() {
		*diags = append(*diags, typeMismatch(attr, want, hint, val))
		return cty.NilVal, false
	}
	return conv, true
}

func typeMismatch(attr *hcl.Attribute, want, hint string, got cty.Value) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Incorrect attribute value type",
		Detail:   fmt.Sprintf("The %q attribute needs %s, but the given value is %s. %s", attr.Name, want, describeValue(got), hint),
		Subject:  attr.Expr.Range().Ptr(),
	}
}

// describeValue names a value's type the way a config author thinks of it.
func describeValue(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case !v.IsKnown():
		return "not known yet"
	}
	switch ty := v.Type(); {
	case ty == cty.String:
		return "a string"
	case ty == cty.Number:
		return "a number"
	case ty == cty.Bool:
		return "a bool"
	case ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
		return "a list"
	case ty.IsObjectType() || ty.IsMapType():
		return "an object"
	default:
		return ty.FriendlyName()
	}
}

func (sc *scope) decodeString(attr *hcl.Attribute, diags *hcl.Diagnostics) (string, bool) {
	val, ok := sc.evalAttr(attr, cty.String, "a string", "Put the value in double quotes.", diags)
	if !ok {
		return "", false
	}
	return val.AsString(), true
}

func (sc *scope) decodeBool(attr *hcl.Attribute, diags *hcl.Diagnostics) (bool, bool) {
	val, ok := sc.evalAttr(attr, cty.Bool, "true or false", "Write true or false without quotes.", diags)
	if !ok {
		return false, false
	}
	return val.True(), true
}

func (sc *scope) decodeInt(attr *hcl.Attribute, diags *hcl.Diagnostics) (int, bool) {
	hint := fmt.Sprintf("Write a whole number without quotes, like %s = 10.", attr.Name)
	val, ok := sc.evalAttr(attr, cty.Number, "a whole number", hint, diags)
	if !ok {
		return 0, false
	}
	n, ok := wholeNumber(val.AsBigFloat())
	if !ok {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid number",
			Detail:   fmt.Sprintf("The %q attribute needs a whole number, but %s is not one. %s", attr.Name, val.AsBigFloat().Text('g', -1), hint),
			Subject:  attr.Expr.Range().Ptr(),
		})
		return 0, false
	}
	return n, true
}

// decodeIntIn decodes a whole number from lo to hi. One outside them is an
// error with summary, whose detail is "NAME is N, but it must be between
// lo and hi: " and what, which says what the number is for.
func (sc *scope) decodeIntIn(attr *hcl.Attribute, diags *hcl.Diagnostics, lo, hi int, summary, what string) (int, bool) {
	v, ok := sc.decodeInt(attr, diags)
	if !ok {
		return 0, false
	}
	if v < lo || v > hi {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   fmt.Sprintf("%s is %d, but it must be between %d and %d: %s", attr.Name, v, lo, hi, what),
			Subject:  attr.Expr.Range().Ptr(),
		})
		return 0, false
	}
	return v, true
}

// wholeNumber returns f as an int when it is a whole number that fits in 32
// bits: every count in this language is far smaller, and a bound keeps
// arithmetic on it from overflowing.
func wholeNumber(f *big.Float) (int, bool) {
	if !f.IsInt() {
		return 0, false
	}
	i, acc := f.Int64()
	if acc != big.Exact || i > 1<<31-1 || i < -(1<<31) {
		return 0, false
	}
	return int(i), true
}

func (sc *scope) decodeStringList(attr *hcl.Attribute, diags *hcl.Diagnostics) ([]string, bool) {
	hint := fmt.Sprintf(`Write a list of quoted strings, like %s = ["a", "b"].`, attr.Name)
	val, ok := sc.evalAttr(attr, cty.List(cty.String), "a list of strings", hint, diags)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, val.LengthInt())
	for it := val.ElementIterator(); it.Next(); {
		_, v := it.Element()
		if v.IsNull() {
			*diags = append(*diags, typeMismatch(attr, "a list of strings", hint+" The list has a null element.", val))
			return nil, false
		}
		out = append(out, v.AsString())
	}
	return out, true
}

func (sc *scope) decodeStringLists(attr *hcl.Attribute, diags *hcl.Diagnostics) ([][]string, bool) {
	hint := fmt.Sprintf(`Write a list of keyword groups, like %s = [["founder", "ceo"], ["startup"]].`, attr.Name)
	val, ok := sc.evalAttr(attr, cty.List(cty.List(cty.String)), "a list of lists of strings", hint, diags)
	if !ok {
		return nil, false
	}
	out := make([][]string, 0, val.LengthInt())
	for it := val.ElementIterator(); it.Next(); {
		_, group := it.Element()
		if group.IsNull() {
			*diags = append(*diags, typeMismatch(attr, "a list of lists of strings", hint+" The list has a null group.", val))
			return nil, false
		}
		words := make([]string, 0, group.LengthInt())
		for wit := group.ElementIterator(); wit.Next(); {
			_, w := wit.Element()
			if w.IsNull() {
				*diags = append(*diags, typeMismatch(attr, "a list of lists of strings", hint+" A group has a null keyword.", val))
				return nil, false
			}
			words = append(words, w.AsString())
		}
		out = append(out, words)
	}
	return out, true
}
