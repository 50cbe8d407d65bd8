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
	// MaxVariantWeight bounds a variant's weight, so that weights read as
	// percentages at most.
	MaxVariantWeight = 100
)

// CampaignOptions are the settings of a campaign that
// `settings { campaign_defaults { ... } }` can give every campaign.
type CampaignOptions struct {
	// Dedupe skips leads already cold-messaged in the workspace; default true.
	Dedupe bool
	// Follow and Like follow the lead and like their latest post before
	// the first DM.
	Follow, Like bool
	// Comment comments on the lead's latest post before the first DM; nil
	// means no comment.
	Comment *Comment
	// Window is when first DMs and follow-ups are sent, on top of each
	// account's active hours; nil means at any time.
	Window *Window
}

// Comment is a campaign's `comment { template = "..." }` block.
type Comment struct {
	// Template is the comment's template, filled for the lead: the AI
	// plugin writes the comment from it (a model fills what it leaves,
	// such as {{topic}}; offline it is the comment as written); "" lets a
	// model write one from the post alone.
	Template  string
	DeclRange hcl.Range
}

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
	CampaignOptions
	// Schedule is a cron expression on which the campaign takes in the
	// leads its sources found since, or "" to take them in as they come.
	Schedule  string
	DeclRange hcl.Range

	// SourceRanges[i] and AccountRanges[i] are where Sources[i] and
	// Accounts[i] are written.
	SourceRanges, AccountRanges []hcl.Range
}

// Variant is one A/B text of a campaign, with its own follow-ups.
type Variant struct {
	Message string
	// Weight is the variant's share of leads relative to the others'; 1 by
	// default, so variants split leads evenly.
	Weight    int
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

// campaignOptionsSchema is the body of settings.campaign_defaults, and the
// part of a campaign's body that it sets defaults for.
var campaignOptionsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "dedupe"},
		{Name: "follow"},
		{Name: "like"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "comment"},
		{Type: "window"},
	},
}

var campaignSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "sources", Required: true},
		{Name: "accounts"},
		{Name: "message"},
		{Name: "max_leads"},
		{Name: "schedule"},
	}, campaignOptionsSchema.Attributes...),
	Blocks: append([]hcl.BlockHeaderSchema{
		{Type: "variant"},
		{Type: "followup"},
	}, campaignOptionsSchema.Blocks...),
}

var commentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "template"},
	},
}

var variantSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "message", Required: true},
		{Name: "weight"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "followup"},
	},
}

func defaultCampaignOptions() CampaignOptions {
	return CampaignOptions{Dedupe: true}
}

func (sc *scope) decodeCampaignBlock(block *hcl.Block, defaults CampaignOptions) (*Campaign, hcl.Diagnostics) {
	c := &Campaign{Name: block.Labels[0], CampaignOptions: defaults, DeclRange: block.DefRange}
	diags := checkBlockName(block)
	content, d := block.Body.Content(campaignSchema)
	diags = append(diags, d...)
	c.CampaignOptions, d = sc.decodeCampaignOptions(content, defaults, fmt.Sprintf("campaign %q", c.Name))
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
		v, ok := sc.decodeInt(attr, &diags)
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
	if attr, ok := content.Attributes["schedule"]; ok {
		c.Schedule, _ = sc.decodeSchedule(attr, &diags)
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
	followups, d := sc.decodeFollowupBlocks(followupBlocks)
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
		msg, _ := sc.decodeMessage(msgAttr, &diags)
		c.Message = msg
		if len(variantBlocks) == 0 {
			c.Variants = []*Variant{{Message: msg, Weight: 1, DeclRange: msgAttr.Range}}
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
		v, d := sc.decodeVariantBlock(b)
		diags = append(diags, d...)
		c.Variants = append(c.Variants, v)
	}
	return c, diags
}

func (sc *scope) decodeVariantBlock(block *hcl.Block) (*Variant, hcl.Diagnostics) {
	v := &Variant{Weight: 1, DeclRange: block.DefRange}
	content, diags := block.Body.Content(variantSchema)
	if attr, ok := content.Attributes["message"]; ok {
		v.Message, _ = sc.decodeMessage(attr, &diags)
	}
	if attr, ok := content.Attributes["weight"]; ok {
		if w, ok := sc.decodeInt(attr, &diags); ok {
			if w < 1 || w > MaxVariantWeight {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid variant weight",
					Detail:   fmt.Sprintf("The weight is %d. Use a whole number from 1 to %d: each variant gets leads in proportion to its weight, so weights 70 and 30 split them 70/30.", w, MaxVariantWeight),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				v.Weight = w
			}
		}
	}
	followups, d := sc.decodeFollowupBlocks(content.Blocks)
	v.Followups = followups
	return v, append(diags, d...)
}

// decodeCampaignOptions decodes the options in content over base. owner
// names the block for diagnostics.
func (sc *scope) decodeCampaignOptions(content *hcl.BodyContent, base CampaignOptions, owner string) (CampaignOptions, hcl.Diagnostics) {
	o := base
	var diags hcl.Diagnostics
	for _, flag := range []struct {
		name string
		dst  *bool
	}{
		{"dedupe", &o.Dedupe},
		{"follow", &o.Follow},
		{"like", &o.Like},
	} {
		if attr, ok := content.Attributes[flag.name]; ok {
			if v, ok := sc.decodeBool(attr, &diags); ok {
				*flag.dst = v
			}
		}
	}
	seen := map[string]*hcl.Block{}
	for _, b := range content.Blocks {
		if b.Type != "comment" && b.Type != "window" {
			continue
		}
		if first, dup := seen[b.Type]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate %s block", b.Type),
				Detail:   fmt.Sprintf("%s already has a %s block at %s. Merge the two into one.", upperFirst(owner), b.Type, at(first.DefRange)),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		seen[b.Type] = b
		switch b.Type {
		case "comment":
			cm := &Comment{DeclRange: b.DefRange}
			if base.Comment != nil {
				cm.Template = base.Comment.Template
			}
			c, d := b.Body.Content(commentSchema)
			diags = append(diags, d...)
			if attr, ok := c.Attributes["template"]; ok {
				cm.Template, _ = sc.decodeString(attr, &diags)
			}
			o.Comment = cm
		case "window":
			w, d := sc.decodeWindowBlock(b, base.Window)
			diags = append(diags, d...)
			o.Window = w
		}
	}
	return o, diags
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
