package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Campaign limits, from the hosted API.
const (
	MaxCampaignLeads = 25000
	MaxVariants      = 5
)

// Campaign is a `campaign "NAME" { ... }` block: DMs sent to the leads of
// some sources from some accounts.
type Campaign struct {
	Name string
	// Sources are the names in `sources = [source.a, ...]`; at least one.
	Sources []string
	// Accounts are the names in `accounts = [account.a, ...]`; empty means
	// every account.
	Accounts []string
	// Message is the `message` attribute, or "" when variant blocks are used.
	Message string
	// Variants are the variant blocks, or one variant holding Message.
	Variants []*Variant
	// Followups are the campaign-level followup blocks; they apply to each
	// variant that declares none (see FollowupsFor).
	Followups []*Followup
	// MaxLeads caps the leads targeted; 0 means no limit, at most 25000.
	MaxLeads int
	// Dedupe skips leads already cold-messaged in the workspace; default true.
	Dedupe    bool
	DeclRange hcl.Range

	// SourceRanges[i] and AccountRanges[i] are where Sources[i] and
	// Accounts[i] are written.
	SourceRanges, AccountRanges []hcl.Range
}

// Variant is one A/B text of a campaign, with its own follow-ups.
type Variant struct {
	Message   string
	Followups []*Followup
	DeclRange hcl.Range
}

// FollowupsFor returns the follow-ups that apply to v: its own, or the
// campaign's when it declares none.
func (c *Campaign) FollowupsFor(v *Variant) []*Followup {
	if len(v.Followups) > 0 {
		return v.Followups
	}
	return c.Followups
}

var campaignSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "sources", Required: true},
		{Name: "accounts"},
		{Name: "message"},
		{Name: "max_leads"},
		{Name: "dedupe"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variant"},
		{Type: "followup"},
	},
}

var variantSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "message", Required: true},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "followup"},
	},
}

func decodeCampaignBlock(block *hcl.Block) (*Campaign, hcl.Diagnostics) {
	c := &Campaign{Name: block.Labels[0], Dedupe: true, DeclRange: block.DefRange}
	diags := checkBlockName(block)
	content, d := block.Body.Content(campaignSchema)
	diags = append(diags, d...)

	if attr, ok := content.Attributes["sources"]; ok {
		names, ranges, d := decodeReferenceList(attr, "source", "sources = [source.founders]")
		diags = append(diags, d...)
		c.Sources, c.SourceRanges = names, ranges
		if len(names) == 0 && !d.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No sources",
				Detail:   fmt.Sprintf("Campaign %q lists no sources, so it has no leads. List at least one, like sources = [source.founders].", c.Name),
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	if attr, ok := content.Attributes["accounts"]; ok {
		names, ranges, d := decodeReferenceList(attr, "account", "accounts = [account.main]")
		diags = append(diags, d...)
		c.Accounts, c.AccountRanges = names, ranges
	}
	if attr, ok := content.Attributes["max_leads"]; ok {
		v, ok := decodeInt(attr, &diags)
		if ok && (v < 0 || v > MaxCampaignLeads) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid max_leads",
				Detail:   fmt.Sprintf("The max_leads of campaign %q is %d. Use a number from 0 (no limit) to %d, the most one campaign can target.", c.Name, v, MaxCampaignLeads),
				Subject:  attr.Expr.Range().Ptr(),
			})
		} else {
			c.MaxLeads = v
		}
	}
	if attr, ok := content.Attributes["dedupe"]; ok {
		if v, ok := decodeBool(attr, &diags); ok {
			c.Dedupe = v
		}
	}

	var variantBlocks, followupBlocks hcl.Blocks
	for _, b := range content.Blocks {
		switch b.Type {
		case "variant":
			variantBlocks = append(variantBlocks, b)
		case "followup":
			followupBlocks = append(followupBlocks, b)
		}
	}
	followups, d := decodeFollowupBlocks(followupBlocks)
	diags = append(diags, d...)
	c.Followups = followups

	msgAttr, hasMessage := content.Attributes["message"]
	switch {
	case hasMessage && len(variantBlocks) > 0:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting message definitions",
			Detail: fmt.Sprintf("Campaign %q sets both message and variant blocks (the first at %s). Use message for one text, or variant blocks for A/B tests, not both.",
				c.Name, at(variantBlocks[0].DefRange)),
			Subject: msgAttr.Range.Ptr(),
		})
	case !hasMessage && len(variantBlocks) == 0:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing message",
			Detail:   fmt.Sprintf(`Campaign %q has nothing to send. Set message = "..." or add variant blocks, each with a message.`, c.Name),
			Subject:  block.DefRange.Ptr(),
		})
	}
	if hasMessage {
		msg, _ := decodeMessage(msgAttr, &diags)
		c.Message = msg
		if len(variantBlocks) == 0 {
			c.Variants = []*Variant{{Message: msg, DeclRange: msgAttr.Range}}
		}
	}
	for i, b := range variantBlocks {
		if i == MaxVariants {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Too many variants",
				Detail: fmt.Sprintf("Campaign %q has %d variant blocks, but a campaign takes at most %d. Remove %s.",
					c.Name, len(variantBlocks), MaxVariants, plural(len(variantBlocks)-MaxVariants, "variant")),
				Subject: b.DefRange.Ptr(),
			})
		}
		v, d := decodeVariantBlock(b)
		diags = append(diags, d...)
		c.Variants = append(c.Variants, v)
	}
	return c, diags
}

func decodeVariantBlock(block *hcl.Block) (*Variant, hcl.Diagnostics) {
	v := &Variant{DeclRange: block.DefRange}
	content, diags := block.Body.Content(variantSchema)
	if attr, ok := content.Attributes["message"]; ok {
		v.Message, _ = decodeMessage(attr, &diags)
	}
	followups, d := decodeFollowupBlocks(content.Blocks)
	v.Followups = followups
	return v, append(diags, d...)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
