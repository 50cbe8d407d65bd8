package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Config is everything declared in a set of files, in declaration order
// (files in the order loaded, blocks in file order).
type Config struct {
	// Settings is never nil: without a settings block it holds the defaults.
	Settings *Settings
	// Variables and Locals are the inputs the other blocks were evaluated
	// with. Their values are already in the blocks that use them, so they
	// are not part of a saved plan.
	Variables []*Variable `json:"-"`
	Locals    []*Local    `json:"-"`
	Plugins   []*Plugin
	Accounts  []*Account
	Filters   []*Filter
	Sources   []*Source
	Campaigns []*Campaign
	Webhooks  []*Webhook
	Tweets    []*Tweet

	// SensitiveValues are the values that came from sensitive variables
	// (as strings, longest first), wherever they were used. Plans print
	// "(sensitive value)" for any attribute that contains one.
	SensitiveValues []string `json:",omitempty"`
}

// Workspace is the workspace the configuration applies to.
func (c *Config) Workspace() string {
	if c.Settings != nil && c.Settings.Workspace != "" {
		return c.Settings.Workspace
	}
	return DefaultWorkspace
}

// Policy is the policy the settings name, or the default one.
func (c *Config) Policy() string {
	if c.Settings != nil && c.Settings.Policy != "" {
		return c.Settings.Policy
	}
	return Policies[0]
}

// AllowPrivateWebhooks reports whether the settings let webhook
// deliveries reach private and loopback addresses (allow_private_webhooks);
// a server allows them with --allow-private-webhooks too. A nil Config
// (no configuration) does not.
func (c *Config) AllowPrivateWebhooks() bool {
	return c != nil && c.Settings != nil && c.Settings.AllowPrivateWebhooks
}

// Empty is the configuration applying which destroys everything
// configuration manages in a workspace: one that declares nothing.
func Empty(ws string) *Config {
	return &Config{Settings: &Settings{Workspace: ws}}
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "settings"},
		{Type: "plugin", LabelNames: []string{"name"}},
		{Type: "account", LabelNames: []string{"name"}},
		{Type: "filter", LabelNames: []string{"name"}},
		{Type: "source", LabelNames: []string{"name"}},
		{Type: "campaign", LabelNames: []string{"name"}},
		{Type: "webhook", LabelNames: []string{"name"}},
		{Type: "tweet", LabelNames: []string{"name"}},
	},
}

// inputs are the values of variables given outside the configuration.
type inputs struct {
	// files are parsed *.vars.hcl files, lowest precedence first.
	files []*hcl.File
	// cli are -var NAME=VALUE options, in the order given.
	cli []string
}

// decodeFiles decodes parsed files into one Config in phases, as Packer
// does: variables first, then locals (which may use variables and each
// other), then settings (whose defaults the other blocks start from), then
// everything else. Last it checks what only the whole can show: duplicate
// names and references to undeclared blocks.
func (p *Parser) decodeFiles(files []*hcl.File, in inputs) (*Config, hcl.Diagnostics) {
	c := &Config{Settings: defaultSettings()}
	sc := newScope(p.LookupEnv)
	sc.noFiles = p.NoFiles
	sc.now = p.Now()
	var diags hcl.Diagnostics

	byType := map[string]hcl.Blocks{}
	var order hcl.Blocks
	for _, f := range files {
		content, d := f.Body.Content(rootSchema)
		diags = append(diags, d...)
		for _, b := range content.Blocks {
			byType[b.Type] = append(byType[b.Type], b)
			order = append(order, b)
		}
	}

	// Phase 1: variables and their values.
	for _, b := range byType["variable"] {
		v, d := sc.decodeVariableBlock(b)
		diags = append(diags, d...)
		c.Variables = append(c.Variables, v)
	}
	diags = append(diags, checkDuplicateNames("variable", "variable", c.Variables, func(v *Variable) (string, hcl.Range) { return v.Name, v.DeclRange })...)
	vars, d := p.variableValues(sc, c.Variables, in)
	diags = append(diags, d...)

	// Phase 2: locals, in dependency order.
	for _, b := range byType["locals"] {
		ls, d := decodeLocalsBlock(b)
		diags = append(diags, d...)
		c.Locals = append(c.Locals, ls...)
	}
	diags = append(diags, checkDuplicateNames("local value", "local value", c.Locals, func(l *Local) (string, hcl.Range) { return l.Name, l.DeclRange })...)
	locals, d := sc.evalLocals(vars, c.Locals)
	diags = append(diags, d...)
	sc.setVariables(vars, locals)

	// Phase 3: settings, whose defaults the blocks after it start from.
	var settingsBlock *hcl.Block
	for _, b := range byType["settings"] {
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
		s, d := sc.decodeSettingsBlock(b)
		diags = append(diags, d...)
		c.Settings = s
	}

	// Phase 4: everything else, in file order so diagnostics are too.
	for _, b := range order {
		switch b.Type {
		case "plugin":
			pl, d := sc.decodePluginBlock(b)
			diags = append(diags, d...)
			c.Plugins = append(c.Plugins, pl)
		case "account":
			a, d := sc.decodeAccountBlock(b, c.Settings.AccountDefaults)
			diags = append(diags, d...)
			c.Accounts = append(c.Accounts, a)
		case "filter":
			fl, d := sc.decodeFilterBlock(b)
			diags = append(diags, d...)
			c.Filters = append(c.Filters, fl)
		case "source":
			s, d := sc.decodeSourceBlock(b)
			diags = append(diags, d...)
			c.Sources = append(c.Sources, s)
		case "campaign":
			camp, d := sc.decodeCampaignBlock(b, c.Settings.CampaignDefaults)
			diags = append(diags, d...)
			c.Campaigns = append(c.Campaigns, camp)
		case "webhook":
			w, d := sc.decodeWebhookBlock(b, c.Settings.AllowPrivateWebhooks)
			diags = append(diags, d...)
			c.Webhooks = append(c.Webhooks, w)
		case "tweet":
			t, d := sc.decodeTweetBlock(b)
			diags = append(diags, d...)
			c.Tweets = append(c.Tweets, t)
		}
	}
	diags = append(diags, c.checkDuplicates()...)
	diags = append(diags, c.checkReferences()...)
	diags = append(diags, c.checkSetterPolicy()...)
	c.SensitiveValues = sc.sensitiveValues()
	for _, v := range c.Variables {
		if v.Sensitive {
			// A diagnostic's EvalContext lets a printer show the values of
			// the variables an expression uses; with a secret among them,
			// show none.
			for _, d := range diags {
				d.EvalContext = nil
			}
			break
		}
	}
	return c, byFile(diags, files)
}

// byFile orders diagnostics by the file they are in, in the order files
// were loaded, keeping their order within a file; those without a file
// come first.
func byFile(diags hcl.Diagnostics, files []*hcl.File) hcl.Diagnostics {
	index := map[string]int{}
	for i, f := range files {
		index[f.Body.MissingItemRange().Filename] = i + 1
	}
	sort.SliceStable(diags, func(i, j int) bool {
		return fileIndex(diags[i], index) < fileIndex(diags[j], index)
	})
	return diags
}

func fileIndex(d *hcl.Diagnostic, index map[string]int) int {
	if d.Subject == nil {
		return 0
	}
	return index[d.Subject.Filename]
}

// checkDuplicateNames reports every item whose name an earlier one has.
// noun is what each should be given its own name: "filter block".
func checkDuplicateNames[T any](kind, noun string, items []T, key func(T) (string, hcl.Range)) hcl.Diagnostics {
	var diags hcl.Diagnostics
	first := map[string]hcl.Range{}
	for _, it := range items {
		name, rng := key(it)
		if r, dup := first[name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate " + kind,
				Detail: fmt.Sprintf("%s named %q is already declared at %s. Give each %s its own name.",
					article(kind), name, at(r), noun),
				Subject: rng.Ptr(),
			})
			continue
		}
		first[name] = rng
	}
	return diags
}

// checkDuplicates reports a block whose name another block of its kind
// already has, and an X handle declared by two accounts.
func (c *Config) checkDuplicates() hcl.Diagnostics {
	var diags hcl.Diagnostics
	diags = append(diags, checkDuplicateNames("plugin", "plugin block", c.Plugins, func(p *Plugin) (string, hcl.Range) { return p.Name, p.DeclRange })...)
	diags = append(diags, checkDuplicateNames("account", "account block", c.Accounts, func(a *Account) (string, hcl.Range) { return a.Name, a.DeclRange })...)
	diags = append(diags, checkDuplicateNames("filter", "filter block", c.Filters, func(f *Filter) (string, hcl.Range) { return f.Name, f.DeclRange })...)
	diags = append(diags, checkDuplicateNames("source", "source block", c.Sources, func(s *Source) (string, hcl.Range) { return s.Name, s.DeclRange })...)
	diags = append(diags, checkDuplicateNames("campaign", "campaign block", c.Campaigns, func(x *Campaign) (string, hcl.Range) { return x.Name, x.DeclRange })...)
	diags = append(diags, checkDuplicateNames("webhook", "webhook block", c.Webhooks, func(w *Webhook) (string, hcl.Range) { return w.Name, w.DeclRange })...)
	diags = append(diags, checkDuplicateNames("tweet", "tweet block", c.Tweets, func(t *Tweet) (string, hcl.Range) { return t.Name, t.DeclRange })...)

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
