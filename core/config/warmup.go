package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Warmup defaults: a new account sends 5 DMs on its first day and 5 more
// each day after, up to its daily_dm_limit.
const (
	DefaultWarmupStart    = 5
	DefaultWarmupIncrease = 5
)

// Warmup is an account's `warmup { start = 5 increase = 5 }` block: a ramp
// that caps a new account's DMs on day n (counted from 0, the day it is
// first applied) at start + n*increase, until that reaches daily_dm_limit.
// While warmup_paused is set the ramp holds where it is.
type Warmup struct {
	Start, Increase int
	DeclRange       hcl.Range
}

var warmupSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "start"},
		{Name: "increase"},
	},
}

func (sc *scope) decodeWarmupBlock(block *hcl.Block, base *Warmup) (*Warmup, hcl.Diagnostics) {
	w := Warmup{Start: DefaultWarmupStart, Increase: DefaultWarmupIncrease}
	if base != nil {
		w = *base
	}
	w.DeclRange = block.DefRange
	content, diags := block.Body.Content(warmupSchema)
	if attr, ok := content.Attributes["start"]; ok {
		if v, ok := sc.decodeInt(attr, &diags); ok {
			if v < 1 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid warmup start",
					Detail:   fmt.Sprintf("The warmup start is %d, but an account must send at least 1 DM on its first day. Use 1 or more; to stop sending, set paused = true.", v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				w.Start = v
			}
		}
	}
	if attr, ok := content.Attributes["increase"]; ok {
		if v, ok := sc.decodeInt(attr, &diags); ok {
			if v < 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid warmup increase",
					Detail:   fmt.Sprintf("The warmup increase is %d, but a ramp cannot go down. Use 0 or more DMs added per day.", v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				w.Increase = v
			}
		}
	}
	return &w, diags
}
