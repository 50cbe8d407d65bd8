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

// Pacing is an account's `pacing { min_gap = "30s" max_gap = "2m" jitter = "20s" }`
// block: the bounds of the random wait between two sends (MinGap <= MaxGap),
// and Jitter, the most of a further random wait added to each gap now and
// then so that sends do not keep to a fixed rhythm (0 by default).
//
// Set reports whether a pacing block gave it (the account's, or
// settings.account_defaults'). Without one the gaps are the defaults,
// except on the simulated X, where an account whose pacing is not set
// rehearses with gaps of seconds (store.RehearsalPacing).
type Pacing struct {
	MinGap, MaxGap, Jitter time.Duration
	Set                    bool
}

var pacingSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "min_gap"},
		{Name: "max_gap"},
		{Name: "jitter"},
	},
}

func defaultPacing() Pacing {
	return Pacing{MinGap: DefaultMinGap, MaxGap: DefaultMaxGap}
}

// decodePacingBlock decodes a pacing block over base: a bound the block
// leaves out keeps base's.
func (sc *scope) decodePacingBlock(block *hcl.Block, base Pacing) (Pacing, hcl.Diagnostics) {
	p := base
	p.Set = true
	content, diags := block.Body.Content(pacingSchema)

	gap := func(name string, dst *time.Duration) (*hcl.Attribute, bool) {
		attr, ok := content.Attributes[name]
		if !ok {
			return nil, true
		}
		s, ok := sc.decodeString(attr, &diags)
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
	if attr, ok := content.Attributes["jitter"]; ok {
		if s, ok := sc.decodeString(attr, &diags); ok {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid pacing jitter",
					Detail:   fmt.Sprintf("The jitter %q is not a duration of zero or more. Write one such as \"0s\", \"20s\" or \"1m\".", s),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				p.Jitter = d
			}
		}
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
