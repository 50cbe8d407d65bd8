package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Local is one attribute of a `locals { ... }` block: a named expression the
// other blocks read as local.NAME. Locals may use variables and each other,
// in any order, but not in a cycle.
type Local struct {
	Name      string
	Expr      hcl.Expression
	DeclRange hcl.Range
}

func decodeLocalsBlock(block *hcl.Block) ([]*Local, hcl.Diagnostics) {
	attrs, diags := block.Body.JustAttributes()
	out := make([]*Local, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, &Local{Name: a.Name, Expr: a.Expr, DeclRange: a.Range})
	}
	// JustAttributes returns a map; keep the file's order.
	sort.Slice(out, func(i, j int) bool { return out[i].DeclRange.Start.Byte < out[j].DeclRange.Start.Byte })
	return out, diags
}

// evalLocals evaluates every local after the locals it uses. A local in a
// cycle, or one that fails, is unknown, so that what uses it is skipped
// rather than reported again.
func (sc *scope) evalLocals(vars map[string]cty.Value, locals []*Local) (map[string]cty.Value, hcl.Diagnostics) {
	byName := map[string]*Local{}
	for _, l := range locals {
		if _, dup := byName[l.Name]; !dup {
			byName[l.Name] = l
			sc.locals = append(sc.locals, l.Name)
		}
	}
	values := map[string]cty.Value{}
	var diags hcl.Diagnostics
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var stack []string

	var visit func(l *Local)
	visit = func(l *Local) {
		switch state[l.Name] {
		case done:
			return
		case visiting:
			i := indexOf(stack, l.Name)
			cycle := append(append([]string{}, stack[i:]...), l.Name)
			for j := range cycle {
				cycle[j] = "local." + cycle[j]
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cycle in local values",
				Detail:   fmt.Sprintf("The local values refer to each other in a cycle: %s. Break the cycle so that each can be computed from the others.", strings.Join(cycle, " -> ")),
				Subject:  byName[stack[i]].DeclRange.Ptr(),
			})
			for _, n := range stack[i:] {
				values[n] = cty.DynamicVal
				state[n] = done
			}
			return
		}
		state[l.Name] = visiting
		stack = append(stack, l.Name)
		for _, trav := range l.Expr.Variables() {
			if trav.RootName() != "local" || len(trav) < 2 {
				continue
			}
			if attr, ok := trav[1].(hcl.TraverseAttr); ok {
				if dep, ok := byName[attr.Name]; ok {
					visit(dep)
				}
			}
		}
		stack = stack[:len(stack)-1]
		if state[l.Name] == done { // part of a cycle found below
			return
		}
		sc.setVariables(vars, values)
		// Keep marks: a local computed from a sensitive variable is
		// sensitive wherever it is used.
		val, d := sc.evalMarked(l.Expr)
		diags = append(diags, d...)
		if d.HasErrors() {
			val = cty.DynamicVal
		}
		values[l.Name] = val
		state[l.Name] = done
	}
	for _, l := range locals {
		if byName[l.Name] == l {
			visit(l)
		}
	}
	return values, diags
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
