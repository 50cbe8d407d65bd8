package config

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// DefaultWorkspace is the workspace used when no settings block names one.
const DefaultWorkspace = "default"

// Settings is the `settings { ... }` block. A configuration has at most one;
// without one, [Config.Settings] holds the defaults and a zero DeclRange.
type Settings struct {
	// Workspace is the workspace the configuration applies to.
	Workspace string
	// Sandbox routes every account through the simulated X.
	Sandbox   bool
	DeclRange hcl.Range
}

var settingsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "workspace"},
		{Name: "sandbox"},
	},
}

var workspaceRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

func defaultSettings() *Settings {
	return &Settings{Workspace: DefaultWorkspace}
}

func decodeSettingsBlock(block *hcl.Block) (*Settings, hcl.Diagnostics) {
	s := defaultSettings()
	s.DeclRange = block.DefRange
	content, diags := block.Body.Content(settingsSchema)

	if attr, ok := content.Attributes["workspace"]; ok {
		if v, ok := decodeString(attr, &diags); ok {
			if workspaceRE.MatchString(v) {
				s.Workspace = v
			} else {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid workspace name",
					Detail:   fmt.Sprintf("%q is not a workspace name. Use 1 to 64 letters, digits, dashes or underscores, starting with a letter or digit.", v),
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	if attr, ok := content.Attributes["sandbox"]; ok {
		s.Sandbox, _ = decodeBool(attr, &diags)
	}
	return s, diags
}
