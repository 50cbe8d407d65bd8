package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Account defaults.
const (
	DefaultNetwork      = "x"
	DefaultDailyDMLimit = 50
)

// Account is an `account "NAME" { ... }` block: an X account that sends.
type Account struct {
	Name string
	// Handle is the X handle without a leading @ (written with or without one).
	Handle string
	// Network names the network plugin that serves the account; "x" by default.
	Network string
	// DailyDMLimit caps the DMs the account sends per day; 50 by default.
	DailyDMLimit int
	Pacing       Pacing

	Paused, FollowupsPaused, WarmupPaused bool

	DeclRange hcl.Range
	// HandleRange is where the handle is written, for diagnostics about it.
	HandleRange hcl.Range
}

var accountSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "handle", Required: true},
		{Name: "network"},
		{Name: "daily_dm_limit"},
		{Name: "paused"},
		{Name: "followups_paused"},
		{Name: "warmup_paused"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "pacing"},
	},
}

func decodeAccountBlock(block *hcl.Block) (*Account, hcl.Diagnostics) {
	a := &Account{
		Name:         block.Labels[0],
		Network:      DefaultNetwork,
		DailyDMLimit: DefaultDailyDMLimit,
		Pacing:       defaultPacing(),
		DeclRange:    block.DefRange,
	}
	diags := checkBlockName(block)
	content, d := block.Body.Content(accountSchema)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["handle"]; ok {
		a.HandleRange = attr.Expr.Range()
		if v, ok := decodeString(attr, &diags); ok {
			h, bad := normalizeHandle(v)
			if bad != nil {
				bad.Subject = attr.Expr.Range().Ptr()
				diags = append(diags, bad)
			}
			a.Handle = h
		}
	}
	if attr, ok := content.Attributes["network"]; ok {
		v, ok := decodeString(attr, &diags)
		if ok && v == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty network",
				Detail:   fmt.Sprintf(`The network of account %q is empty. Remove the attribute to use %q, or name a network plugin.`, a.Name, DefaultNetwork),
				Subject:  attr.Expr.Range().Ptr(),
			})
		} else if ok {
			a.Network = v
		}
	}
	if attr, ok := content.Attributes["daily_dm_limit"]; ok {
		if v, ok := decodeInt(attr, &diags); ok {
			if v < 1 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid daily DM limit",
					Detail:   fmt.Sprintf("The daily_dm_limit of account %q is %d, but it must be at least 1. To stop an account sending, set paused = true instead.", a.Name, v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				a.DailyDMLimit = v
			}
		}
	}
	for _, flag := range []struct {
		name string
		dst  *bool
	}{
		{"paused", &a.Paused},
		{"followups_paused", &a.FollowupsPaused},
		{"warmup_paused", &a.WarmupPaused},
	} {
		if attr, ok := content.Attributes[flag.name]; ok {
			*flag.dst, _ = decodeBool(attr, &diags)
		}
	}

	var pacingSeen *hcl.Block
	for _, b := range content.Blocks {
		if pacingSeen != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate pacing block",
				Detail:   fmt.Sprintf("Account %q already has a pacing block at %s. Merge the two into one.", a.Name, at(pacingSeen.DefRange)),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		pacingSeen = b
		p, d := decodePacingBlock(b)
		diags = append(diags, d...)
		a.Pacing = p
	}
	return a, diags
}
