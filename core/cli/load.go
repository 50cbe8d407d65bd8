package cli

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"

	"github.com/outreachhq/outreach/core/config"
)

// loadConfig parses and decodes config files, printing every diagnostic
// with its source line; errReported if any is an error.
func (g *global) loadConfig(paths []string) (*config.Config, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	p := config.NewParser()
	cfg, diags := p.LoadPaths(paths...)
	if len(diags) > 0 {
		width, color := 0, false
		if f, ok := g.opts.Stderr.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
			width, _, _ = term.GetSize(int(f.Fd()))
			color = true
		}
		wr := hcl.NewDiagnosticTextWriter(g.opts.Stderr, p.Files(), uint(width), color)
		if err := wr.WriteDiagnostics(diags); err != nil {
			return nil, err
		}
	}
	if diags.HasErrors() {
		return nil, errReported
	}
	if cfg == nil {
		return nil, fmt.Errorf("no configuration loaded")
	}
	return cfg, nil
}
