package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/outreachhq/outreach/core/filter"
)

// Source is a `source "NAME" { ... }` block: where leads are scraped from.
type Source struct {
	Name string
	// Targets are the accounts whose followers or following are scraped;
	// there is at least one.
	Targets []*Target
	// FilterRef is the name in `filter = filter.NAME`, or "".
	FilterRef string
	// Filter is an inline `filter { ... }` block, or nil. At most one of
	// FilterRef and Filter is set.
	Filter *filter.Spec
	// FilterRange is where the filter reference or inline block is written.
	FilterRange hcl.Range
	// MaxLeads caps the leads the source imports; 0 means no cap.
	MaxLeads int
	// Schedule is a cron expression to scrape the targets again on, or "".
	Schedule  string
	DeclRange hcl.Range
}

// Target is a `target "HANDLE" { followers = true following = false }` block.
type Target struct {
	// Handle is the X handle without a leading @.
	Handle string
	// Followers (default true) and Following (default false) say which
	// lists of the handle to scrape; at least one is true.
	Followers, Following bool
	DeclRange            hcl.Range
}

var sourceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "filter"},
		{Name: "max_leads"},
		{Name: "schedule"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "target", LabelNames: []string{"handle"}},
		{Type: "filter"},
	},
}

var targetSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "followers"},
		{Name: "following"},
	},
}

func (sc *scope) decodeSourceBlock(block *hcl.Block) (*Source, hcl.Diagnostics) {
	s := &Source{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkBlockName(block)
	content, contentDiags := block.Body.Content(sourceSchema)
	diags = append(diags, contentDiags...)

	filterAttr, hasFilterAttr := content.Attributes["filter"]
	if hasFilterAttr {
		s.FilterRange = filterAttr.Expr.Range()
		name, d := decodeReference(filterAttr.Expr, "filter", "filter = filter.builders")
		diags = append(diags, d...)
		s.FilterRef = name
	}
	if attr, ok := content.Attributes["max_leads"]; ok {
		v, ok := sc.decodeInt(attr, &diags)
		if ok && v < 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid max_leads",
				Detail:   fmt.Sprintf("The max_leads of source %q is %d. Use 0 for no limit, or a positive number of leads.", s.Name, v),
				Subject:  attr.Expr.Range().Ptr(),
			})
		} else {
			s.MaxLeads = v
		}
	}

	if attr, ok := content.Attributes["schedule"]; ok {
		s.Schedule, _ = sc.decodeSchedule(attr, &diags)
	}

	var inline *hcl.Block
	seen := map[string]*Target{}
	for _, b := range content.Blocks {
		switch b.Type {
		case "target":
			t, d := sc.decodeTargetBlock(b, s.Name)
			diags = append(diags, d...)
			key := strings.ToLower(t.Handle)
			if first, dup := seen[key]; dup && key != "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate target",
					Detail: fmt.Sprintf("Source %q already has a target %q at %s. Declare each handle once, with followers and following set as needed.",
						s.Name, first.Handle, at(first.DeclRange)),
					Subject: b.DefRange.Ptr(),
				})
				continue
			}
			seen[key] = t
			s.Targets = append(s.Targets, t)
		case "filter":
			switch {
			case inline != nil:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate filter block",
					Detail:   fmt.Sprintf("Source %q already has a filter block at %s. Merge the two into one.", s.Name, at(inline.DefRange)),
					Subject:  b.DefRange.Ptr(),
				})
				continue
			case hasFilterAttr:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Conflicting filter definitions",
					Detail:   fmt.Sprintf("Source %q sets filter = %s.%s at %s and also has a filter block. Keep one of them.", s.Name, "filter", s.FilterRef, at(filterAttr.Range)),
					Subject:  b.DefRange.Ptr(),
				})
				continue
			}
			inline = b
			spec, d := sc.decodeFilterSpec(b.Body)
			diags = append(diags, d...)
			s.Filter = &spec
			s.FilterRange = b.DefRange
		}
	}

	// A target block HCL rejected (no label, say) is already reported; do not
	// add "no target" on top of it.
	if len(s.Targets) == 0 && !contentDiags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing target",
			Detail:   fmt.Sprintf("Source %q has no target, so it would scrape nothing. Add one, like target \"paulg\" { followers = true }.", s.Name),
			Subject:  block.DefRange.Ptr(),
		})
	}
	return s, diags
}

func (sc *scope) decodeTargetBlock(block *hcl.Block, source string) (*Target, hcl.Diagnostics) {
	t := &Target{Followers: true, DeclRange: block.DefRange}
	var diags hcl.Diagnostics
	h, bad := normalizeHandle(block.Labels[0])
	if bad != nil {
		bad.Subject = block.LabelRanges[0].Ptr()
		diags = append(diags, bad)
	}
	t.Handle = h

	content, flagDiags := block.Body.Content(targetSchema)
	if attr, ok := content.Attributes["followers"]; ok {
		if v, ok := sc.decodeBool(attr, &flagDiags); ok {
			t.Followers = v
		}
	}
	if attr, ok := content.Attributes["following"]; ok {
		if v, ok := sc.decodeBool(attr, &flagDiags); ok {
			t.Following = v
		}
	}
	diags = append(diags, flagDiags...)
	if !t.Followers && !t.Following && !flagDiags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Target scrapes nothing",
			Detail: fmt.Sprintf("Target %q of source %q has followers and following both false. Set followers = true, following = true, or both, or remove the target.",
				block.Labels[0], source),
			Subject: block.DefRange.Ptr(),
		})
	}
	return t, diags
}
