package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// References between blocks (filter.x, source.x, account.x) are read as
// static traversals, never evaluated: the config keeps the names, and
// checkReferences verifies after decoding that each names a declared block.

// decodeReference reads an expression of the form KIND.NAME and returns NAME.
// example shows a correct use in the diagnostic.
func decodeReference(expr hcl.Expression, kind, example string) (string, hcl.Diagnostics) {
	bad := hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid reference",
		Detail:   fmt.Sprintf("Expected a reference to a %s block, written %s.NAME without quotes, like %s.", kind, kind, example),
		Subject:  expr.Range().Ptr(),
	}}
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(trav) != 2 || trav.RootName() != kind {
		return "", bad
	}
	attr, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		return "", bad
	}
	return attr.Name, nil
}

// decodeReferenceList reads `[KIND.a, KIND.b]` and returns the names with
// the range of each.
func decodeReferenceList(attr *hcl.Attribute, kind, example string) ([]string, []hcl.Range, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference list",
			Detail:   fmt.Sprintf("The %q attribute needs a list of %s references in brackets, like %s.", attr.Name, kind, example),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	var names []string
	var ranges []hcl.Range
	seen := map[string]hcl.Range{}
	for _, e := range exprs {
		name, d := decodeReference(e, kind, example)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		if first, dup := seen[name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate reference",
				Detail:   fmt.Sprintf("%s.%s is already listed at %s. List each %s once.", kind, name, at(first), kind),
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		seen[name] = e.Range()
		names = append(names, name)
		ranges = append(ranges, e.Range())
	}
	return names, ranges, diags
}

// checkReferences reports every reference to a block that is not declared.
func (c *Config) checkReferences() hcl.Diagnostics {
	var filters, sources, accounts []string
	for _, f := range c.Filters {
		filters = append(filters, f.Name)
	}
	for _, s := range c.Sources {
		sources = append(sources, s.Name)
	}
	for _, a := range c.Accounts {
		accounts = append(accounts, a.Name)
	}

	var diags hcl.Diagnostics
	for _, s := range c.Sources {
		if s.FilterRef != "" && !contains(filters, s.FilterRef) {
			diags = append(diags, unknownReference("Source", s.Name, "filter", s.FilterRef, filters, s.FilterRange))
		}
	}
	for _, camp := range c.Campaigns {
		for i, name := range camp.Sources {
			if !contains(sources, name) {
				diags = append(diags, unknownReference("Campaign", camp.Name, "source", name, sources, camp.SourceRanges[i]))
			}
		}
		for i, name := range camp.Accounts {
			if !contains(accounts, name) {
				diags = append(diags, unknownReference("Campaign", camp.Name, "account", name, accounts, camp.AccountRanges[i]))
			}
		}
	}
	for _, t := range c.Tweets {
		if t.Account != "" && !contains(accounts, t.Account) {
			diags = append(diags, unknownReference("Tweet", t.Name, "account", t.Account, accounts, t.AccountRange))
		}
	}
	return diags
}

func unknownReference(fromKind, fromName, kind, name string, declared []string, rng hcl.Range) *hcl.Diagnostic {
	have := fmt.Sprintf("Declared %ss: %s.", kind, strings.Join(declared, ", "))
	if len(declared) == 0 {
		have = fmt.Sprintf("No %s blocks are declared; add one named %q.", kind, name)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unknown " + kind,
		Detail:   fmt.Sprintf("%s %q refers to %s.%s, but no %s block is named %q. %s", fromKind, fromName, kind, name, kind, name, have),
		Subject:  rng.Ptr(),
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
