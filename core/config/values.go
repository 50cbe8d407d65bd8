package config

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// The decode* helpers evaluate one attribute and convert it to a Go value.
// Each reports a wrong type as a diagnostic that names the attribute, the type
// it needs and the type it got, pointing at the expression. On error the
// returned value is the zero value and must not be used.

// evalAttr evaluates an attribute and converts it to want. want is phrased
// for a person ("a string") and hint says how to write a right value.
func evalAttr(attr *hcl.Attribute, ty cty.Type, want, hint string) (cty.Value, hcl.Diagnostics) {
	val, diags := attr.Expr.Value(evalCtx)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if val.IsNull() || !val.IsWhollyKnown() {
		return cty.NilVal, append(diags, typeMismatch(attr, want, hint, val))
	}
	conv, err := convert.Convert(val, ty)
	if err != nil || conv.IsNull() {
		return cty.NilVal, append(diags, typeMismatch(attr, want, hint, val))
	}
	return conv, diags
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

func decodeString(attr *hcl.Attribute) (string, hcl.Diagnostics) {
	val, diags := evalAttr(attr, cty.String, "a string", "Put the value in double quotes.")
	if diags.HasErrors() {
		return "", diags
	}
	return val.AsString(), diags
}

func decodeBool(attr *hcl.Attribute) (bool, hcl.Diagnostics) {
	val, diags := evalAttr(attr, cty.Bool, "true or false", "Write true or false without quotes.")
	if diags.HasErrors() {
		return false, diags
	}
	return val.True(), diags
}

func decodeInt(attr *hcl.Attribute) (int, hcl.Diagnostics) {
	hint := fmt.Sprintf("Write a whole number without quotes, like %s = 10.", attr.Name)
	val, diags := evalAttr(attr, cty.Number, "a whole number", hint)
	if diags.HasErrors() {
		return 0, diags
	}
	n, ok := wholeNumber(val.AsBigFloat())
	if !ok {
		return 0, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid number",
			Detail:   fmt.Sprintf("The %q attribute needs a whole number, but %s is not one. %s", attr.Name, val.AsBigFloat().Text('g', -1), hint),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	return n, diags
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

func decodeStringList(attr *hcl.Attribute) ([]string, hcl.Diagnostics) {
	hint := fmt.Sprintf(`Write a list of quoted strings, like %s = ["a", "b"].`, attr.Name)
	val, diags := evalAttr(attr, cty.List(cty.String), "a list of strings", hint)
	if diags.HasErrors() {
		return nil, diags
	}
	out := make([]string, 0, val.LengthInt())
	for it := val.ElementIterator(); it.Next(); {
		_, v := it.Element()
		if v.IsNull() {
			return nil, append(diags, typeMismatch(attr, "a list of strings", hint+" The list has a null element.", val))
		}
		out = append(out, v.AsString())
	}
	return out, diags
}

func decodeStringLists(attr *hcl.Attribute) ([][]string, hcl.Diagnostics) {
	hint := fmt.Sprintf(`Write a list of keyword groups, like %s = [["founder", "ceo"], ["startup"]].`, attr.Name)
	val, diags := evalAttr(attr, cty.List(cty.List(cty.String)), "a list of lists of strings", hint)
	if diags.HasErrors() {
		return nil, diags
	}
	out := make([][]string, 0, val.LengthInt())
	for it := val.ElementIterator(); it.Next(); {
		_, group := it.Element()
		if group.IsNull() {
			return nil, append(diags, typeMismatch(attr, "a list of lists of strings", hint+" The list has a null group.", val))
		}
		words := make([]string, 0, group.LengthInt())
		for wit := group.ElementIterator(); wit.Next(); {
			_, w := wit.Element()
			if w.IsNull() {
				return nil, append(diags, typeMismatch(attr, "a list of lists of strings", hint+" A group has a null keyword.", val))
			}
			words = append(words, w.AsString())
		}
		out = append(out, words)
	}
	return out, diags
}
