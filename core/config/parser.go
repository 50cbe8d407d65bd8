package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Parser reads configuration files and keeps every file it parsed, so that
// diagnostics can be printed with source snippets:
//
//	p := config.NewParser()
//	cfg, diags := p.LoadPaths("examples/")
//	hcl.NewDiagnosticTextWriter(os.Stderr, p.Files(), 80, true).WriteDiagnostics(diags)
//
// A Parser is not safe for concurrent use.
type Parser struct {
	files map[string]*hcl.File
}

// NewParser returns a Parser with no files.
func NewParser() *Parser {
	return &Parser{files: map[string]*hcl.File{}}
}

// Files returns the files parsed so far, by file name, for
// hcl.NewDiagnosticTextWriter. The map is a copy.
func (p *Parser) Files() map[string]*hcl.File {
	return maps.Clone(p.files)
}

// LoadPaths loads files and directories and decodes them into one Config. A
// directory contributes each *.hcl file directly in it (not in
// subdirectories), in name order; a file is loaded whatever its extension.
// The Config is returned even when there are errors, as far as it could be
// decoded; callers must check diags.HasErrors() before using it.
func (p *Parser) LoadPaths(paths ...string) (*Config, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	if len(paths) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No configuration given",
			Detail:   "No file or directory was given. Name a configuration file or a directory of .hcl files.",
		})
	}
	var files []*hcl.File
	seen := map[string]bool{}
	for _, path := range paths {
		names, d := expandPath(path)
		diags = append(diags, d...)
		for _, name := range names {
			key, err := filepath.Abs(name)
			if err != nil {
				key = filepath.Clean(name)
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			src, err := os.ReadFile(name)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Failed to read file",
					Detail:   fmt.Sprintf("The file %s could not be read: %v. Check that it exists and is readable.", name, err),
				})
				continue
			}
			f, d := p.parse(src, name)
			diags = append(diags, d...)
			if f != nil {
				files = append(files, f)
			}
		}
	}
	cfg, d := decodeFiles(files)
	return cfg, append(diags, d...)
}

// LoadBytes decodes one configuration held in memory; filename is the name
// diagnostics use. It replaces any file of the same name parsed before.
func (p *Parser) LoadBytes(src []byte, filename string) (*Config, hcl.Diagnostics) {
	var files []*hcl.File
	f, diags := p.parse(src, filename)
	if f != nil {
		files = append(files, f)
	}
	cfg, d := decodeFiles(files)
	return cfg, append(diags, d...)
}

// parse parses HCL native syntax. It keeps the file even when it has syntax
// errors: HCL returns as much of the body as it could read, and decoding it
// reports further problems in the same run.
func (p *Parser) parse(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if f != nil {
		p.files[filename] = f
	}
	return f, diags
}

// expandPath returns the configuration files a path stands for.
func expandPath(path string) ([]string, hcl.Diagnostics) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration",
			Detail:   fmt.Sprintf("%s could not be read: %v. Check the path.", path, err),
		}}
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read directory",
			Detail:   fmt.Sprintf("The directory %s could not be read: %v. Check that it is readable.", path, err),
		}}
	}
	var names []string
	for _, e := range entries { // os.ReadDir sorts by name
		// Skip editor leftovers (.#x.hcl, #x.hcl#) as Terraform does.
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".hcl") || strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "#") {
			continue
		}
		names = append(names, filepath.Join(path, e.Name()))
	}
	if len(names) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail:   fmt.Sprintf("The directory %s has no .hcl files. Point at a directory that holds .hcl files, or at a file.", path),
		}}
	}
	return names, nil
}
