package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Pacing defaults: a random gap between 60s and 180s between two DMs of one
// account, about what a person typing them would take.
const (
	DefaultMinGap = 60 * time.Second
	DefaultMaxGap = 180 * time.Second
)

// Pacing is an account's `pacing { min_gap = "30s" max_gap = "2m" }` block:
// the bounds of the random wait between two sends. MinGap <= MaxGap.
type Pacing struct{ MinGap, MaxGap time.Duration }

var pacingSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "min_gap"},
		{Name: "max_gap"},
	},
}

func defaultPacing() Pacing {
	return Pacing{MinGap: DefaultMinGap, MaxGap: DefaultMaxGap}
}

func decodePacingBlock(block *hcl.Block) (Pacing, hcl.Diagnostics) {
	p := defaultPacing()
	content, diags := block.Body.Content(pacingSchema)

	gap := func(name string, dst *time.Duration) (*hcl.Attribute, bool) {
		attr, ok := content.Attributes[name]
		if !ok {
			return nil, true
		}
		s, ok := decodeString(attr, &diags)
		if !ok {
			return attr, false
		}
		v, ok := parseGap(s)
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid pacing gap",
				Detail:   fmt.Sprintf("The %s %q is not a positive duration. Write one such as \"30s\", \"2m\" or \"1m30s\".", name, s),
				Subject:  attr.Expr.Range().Ptr(),
			})
			return attr, false
		}
		*dst = v
		return attr, true
	}
	minAttr, minOK := gap("min_gap", &p.MinGap)
	maxAttr, maxOK := gap("max_gap", &p.MaxGap)
	if minOK && maxOK && p.MinGap > p.MaxGap {
		subject := block.DefRange
		switch {
		case minAttr != nil:
			subject = minAttr.Expr.Range()
		case maxAttr != nil:
			subject = maxAttr.Expr.Range()
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid pacing",
			Detail: fmt.Sprintf("min_gap (%s) is longer than max_gap (%s). Make min_gap no longer than max_gap (the defaults are %s and %s).",
				formatDuration(p.MinGap), formatDuration(p.MaxGap), formatDuration(DefaultMinGap), formatDuration(DefaultMaxGap)),
			Subject: subject.Ptr(),
		})
	}
	return p, diags
}
