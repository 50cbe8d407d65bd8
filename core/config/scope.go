package config

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// markSensitive marks values that come from a sensitive variable. cty
// carries marks through every operation and function call, so a value
// derived from a secret is still marked where it is used.
const markSensitive = "sensitive"

// scope is what one load evaluates expressions in: the functions, the
// values of var and local, and a record of the sensitive values it met.
// Decoders are methods on it so that no evaluation state is global.
type scope struct {
	base *hcl.EvalContext
	// byDir holds a child of base per directory, whose file() reads paths
	// relative to the file that calls it.
	byDir map[string]*hcl.EvalContext
	// noFiles makes file() an error (Parser.NoFiles).
	noFiles bool
	// sensitive holds the string form of every value that was marked
	// sensitive when an attribute used it; see Config.SensitiveValues.
	sensitive map[string]bool
	// now is when the configuration is read, for checks such as "a tweet
	// is not scheduled in the past".
	now time.Time
	// vars and locals are the declared names, for diagnostics about
	// references to undeclared ones; nil means none may be referenced.
	vars, locals []string
}

func newScope(env func(string) (string, bool)) *scope {
	sc := &scope{byDir: map[string]*hcl.EvalContext{}, sensitive: map[string]bool{}}
	sc.base = &hcl.EvalContext{Functions: functions(env)}
	return sc
}

// ctx returns the context to evaluate an expression written at rng in.
func (sc *scope) ctx(rng hcl.Range) *hcl.EvalContext {
	dir := filepath.Dir(rng.Filename)
	if c, ok := sc.byDir[dir]; ok {
		return c
	}
	c := sc.base.NewChild()
	c.Functions = map[string]function.Function{"file": makeFileFunc(dir)}
	if sc.noFiles {
		c.Functions["file"] = noFileFunc
	}
	sc.byDir[dir] = c
	return c
}

// setVariables makes var.NAME and local.NAME refer to values. The maps are
// not copied; callers do not change them afterwards.
func (sc *scope) setVariables(vars, locals map[string]cty.Value) {
	sc.base.Variables = map[string]cty.Value{
		"var":   cty.ObjectVal(vars),
		"local": cty.ObjectVal(locals),
	}
	// Children made before share the base; nothing to update in them.
}

// unmark strips the marks from a value, remembering the values a
// sensitive mark was on so that plans can hide them.
func (sc *scope) unmark(v cty.Value) cty.Value {
	if !v.ContainsMarked() {
		return v
	}
	plain, marks := v.UnmarkDeep()
	if _, ok := marks[markSensitive]; ok {
		sc.recordSensitive(plain)
	}
	return plain
}

func (sc *scope) recordSensitive(v cty.Value) {
	if v.IsNull() || !v.IsKnown() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		if str := v.AsString(); str != "" {
			sc.sensitive[str] = true
		}
	case ty == cty.Number:
		sc.sensitive[v.AsBigFloat().Text('f', -1)] = true
	case ty == cty.Bool:
		// true and false are everywhere: hiding them would hide nothing.
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			sc.recordSensitive(e)
		}
	}
}

// sensitiveValues lists the recorded values, longest first so that a
// redactor replaces "abc123" before "abc".
func (sc *scope) sensitiveValues() []string {
	if len(sc.sensitive) == 0 {
		return nil
	}
	out := make([]string, 0, len(sc.sensitive))
	for v := range sc.sensitive {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// eval evaluates an expression and strips its marks (see unmark). A
// reference to an undeclared variable or local is reported with the names
// that are declared, which says more than HCL's "unsupported attribute".
func (sc *scope) eval(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if diags := sc.checkReferences(expr); diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	val, diags := expr.Value(sc.ctx(expr.Range()))
	return sc.unmark(val), diags
}

// checkReferences reports var.X and local.X where X is not declared.
func (sc *scope) checkReferences(expr hcl.Expression) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, trav := range expr.Variables() {
		root := trav.RootName()
		var declared []string
		var kind, block string
		switch root {
		case "var":
			declared, kind, block = sc.vars, "variable", "variable"
		case "local":
			declared, kind, block = sc.locals, "local value", "locals"
		default:
			continue
		}
		if len(trav) < 2 {
			continue // HCL reports a bare var or local itself
		}
		attr, ok := trav[1].(hcl.TraverseAttr)
		if !ok || contains(declared, attr.Name) {
			continue
		}
		have := fmt.Sprintf("Declared: %s.", strings.Join(declared, ", "))
		if len(declared) == 0 {
			have = fmt.Sprintf("None is declared; add it to a %s block.", block)
			if root == "var" {
				have = fmt.Sprintf("None is declared; add a block variable %q {}.", attr.Name)
			}
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Reference to undeclared " + kind,
			Detail:   fmt.Sprintf("%s.%s is not declared. %s", root, attr.Name, have),
			Subject:  trav.SourceRange().Ptr(),
		})
	}
	return diags
}

// evalMarked is eval without removing marks, for values that are stored
// and used again (locals), so a sensitive mark survives until the value
// reaches an attribute.
func (sc *scope) evalMarked(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if diags := sc.checkReferences(expr); diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	return expr.Value(sc.ctx(expr.Range()))
}
