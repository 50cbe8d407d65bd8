package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Config is everything declared in a set of files, in declaration order
// (files in the order loaded, blocks in file order).
type Config struct {
	// Settings is never nil: without a settings block it holds the defaults.
	Settings  *Settings
	Accounts  []*Account
	Filters   []*Filter
	Sources   []*Source
	Campaigns []*Campaign
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "settings"},
		{Type: "account", LabelNames: []string{"name"}},
		{Type: "filter", LabelNames: []string{"name"}},
		{Type: "source", LabelNames: []string{"name"}},
		{Type: "campaign", LabelNames: []string{"name"}},
	},
}

// decodeFiles decodes parsed files into one Config, then checks what only the
// whole can show: duplicate names and references to undeclared blocks.
func decodeFiles(files []*hcl.File) (*Config, hcl.Diagnostics) {
	c := &Config{Settings: defaultSettings()}
	var diags hcl.Diagnostics
	var settingsBlock *hcl.Block
	for _, f := range files {
		content, d := f.Body.Content(rootSchema)
		diags = append(diags, d...)
		for _, b := range content.Blocks {
			switch b.Type {
			case "settings":
				if settingsBlock != nil {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "Duplicate settings block",
						Detail:   fmt.Sprintf("Settings are already declared at %s. Merge the two settings blocks into one.", at(settingsBlock.DefRange)),
						Subject:  b.DefRange.Ptr(),
					})
					continue
				}
				settingsBlock = b
				s, d := decodeSettingsBlock(b)
				diags = append(diags, d...)
				c.Settings = s
			case "account":
				a, d := decodeAccountBlock(b)
				diags = append(diags, d...)
				c.Accounts = append(c.Accounts, a)
			case "filter":
				fl, d := decodeFilterBlock(b)
				diags = append(diags, d...)
				c.Filters = append(c.Filters, fl)
			case "source":
				s, d := decodeSourceBlock(b)
				diags = append(diags, d...)
				c.Sources = append(c.Sources, s)
			case "campaign":
				camp, d := decodeCampaignBlock(b)
				diags = append(diags, d...)
				c.Campaigns = append(c.Campaigns, camp)
			}
		}
	}
	diags = append(diags, c.checkDuplicates()...)
	diags = append(diags, c.checkReferences()...)
	return c, diags
}

// checkDuplicates reports a block whose name another block of its kind
// already has, and an X handle declared by two accounts.
func (c *Config) checkDuplicates() hcl.Diagnostics {
	var diags hcl.Diagnostics
	type named struct {
		name string
		rng  hcl.Range
	}
	check := func(kind string, items []named) {
		first := map[string]hcl.Range{}
		for _, it := range items {
			if r, dup := first[it.name]; dup {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate " + kind,
					Detail: fmt.Sprintf("%s named %q is already declared at %s. Give each %s block its own name.",
						article(kind), it.name, at(r), kind),
					Subject: it.rng.Ptr(),
				})
				continue
			}
			first[it.name] = it.rng
		}
	}
	var accounts, filters, sources, campaigns []named
	for _, a := range c.Accounts {
		accounts = append(accounts, named{a.Name, a.DeclRange})
	}
	for _, f := range c.Filters {
		filters = append(filters, named{f.Name, f.DeclRange})
	}
	for _, s := range c.Sources {
		sources = append(sources, named{s.Name, s.DeclRange})
	}
	for _, camp := range c.Campaigns {
		campaigns = append(campaigns, named{camp.Name, camp.DeclRange})
	}
	check("account", accounts)
	check("filter", filters)
	check("source", sources)
	check("campaign", campaigns)

	// X handles are case-insensitive.
	handles := map[string]*Account{}
	for _, a := range c.Accounts {
		key := strings.ToLower(a.Handle)
		if key == "" {
			continue
		}
		if first, dup := handles[key]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate account handle",
				Detail: fmt.Sprintf("Account %q uses the handle %q, which account %q already uses at %s. Declare each X account once.",
					a.Name, a.Handle, first.Name, at(first.HandleRange)),
				Subject: a.HandleRange.Ptr(),
			})
			continue
		}
		handles[key] = a
	}
	return diags
}

// article returns "An account", "A filter", ... for the start of a sentence.
func article(kind string) string {
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "An " + kind
	}
	return "A " + kind
}
