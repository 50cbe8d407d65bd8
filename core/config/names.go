package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// checkBlockName checks a block's name label. Names must be identifiers
// because other blocks refer to them as KIND.NAME, which HCL parses as a
// traversal.
func checkBlockName(block *hcl.Block) hcl.Diagnostics {
	name := block.Labels[0]
	if hclsyntax.ValidIdentifier(name) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Invalid %s name", block.Type),
		Detail: fmt.Sprintf("%q is not a valid %s name. A name starts with a letter and holds only letters, digits, underscores and dashes, because other blocks refer to it as %s.NAME.",
			name, block.Type, block.Type),
		Subject: block.LabelRanges[0].Ptr(),
	}}
}

var handleRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)

// normalizeHandle strips one leading @ from an X handle and checks what is
// left. It returns a diagnostic (without a Subject, which the caller sets)
// when the handle is empty or not a valid X handle.
func normalizeHandle(s string) (string, *hcl.Diagnostic) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "@")
	switch {
	case h == "":
		return "", &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty handle",
			Detail:   `The X handle is empty. Write the account's handle, with or without the @, like "acme_sales".`,
		}
	case !handleRE.MatchString(h):
		return "", &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid handle",
			Detail:   fmt.Sprintf("%q is not an X handle. A handle has 1 to 15 letters, digits or underscores, optionally written with a leading @.", s),
		}
	}
	return h, nil
}

// CheckHandle strips one leading @ from an X handle and says what is wrong
// with what is left, if anything: the API's operations check handles as
// configuration does.
func CheckHandle(s string) (string, error) {
	h, d := normalizeHandle(s)
	if d != nil {
		return "", fmt.Errorf("%s", d.Detail)
	}
	return h, nil
}

// at formats a range's start as file:line:col for diagnostic details.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}
