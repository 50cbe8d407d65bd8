package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
// Variables get their values, lowest precedence first, from their defaults,
// from OUTREACH_VAR_NAME environment variables, from *.auto.vars.hcl files
// in the directories loaded (and *.vars.hcl files named directly), and from
// Vars.
//
// A Parser is not safe for concurrent use.
type Parser struct {
	// Vars are -var options, "NAME=VALUE", in the order given.
	Vars []string
	// VarFiles are -var-file options: files of NAME = VALUE lines, read
	// after the *.auto.vars.hcl files.
	VarFiles []string
	// LookupEnv reads the environment, for env() and OUTREACH_VAR_NAME;
	// os.LookupEnv by default.
	LookupEnv func(string) (string, bool)
	// Now is the time checks such as "a tweet is not in the past" use;
	// time.Now by default.
	Now func() time.Time
	// NoFiles makes file() an error, for configurations that come from the
	// network (POST /api/v1/plan): they must not read the server's files.
	// Set LookupEnv to one that finds nothing for them too.
	NoFiles bool

	files map[string]*hcl.File
}

// NewParser returns a Parser with no files that reads the process's
// environment and clock.
func NewParser() *Parser {
	return &Parser{files: map[string]*hcl.File{}, LookupEnv: os.LookupEnv, Now: time.Now}
}

// VarsFileSuffix ends the files that hold variable values rather than
// configuration; those ending in AutoVarsFileSuffix are read from every
// directory loaded.
const (
	VarsFileSuffix     = ".vars.hcl"
	AutoVarsFileSuffix = ".auto.vars.hcl"
)

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
	var files, varFiles []*hcl.File
	seen := map[string]bool{}
	for i, path := range append(paths, p.VarFiles...) {
		names, vars, d := expandPath(path)
		if i >= len(paths) {
			names, vars = nil, append(names, vars...) // named by -var-file
		}
		diags = append(diags, d...)
		for _, name := range append(names, vars...) {
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
			switch {
			case f == nil:
			case strings.HasSuffix(name, VarsFileSuffix) || slices.Contains(vars, name):
				varFiles = append(varFiles, f)
			default:
				files = append(files, f)
			}
		}
	}
	cfg, d := p.decodeFiles(files, inputs{files: varFiles, cli: p.Vars})
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
	cfg, d := p.decodeFiles(files, inputs{cli: p.Vars})
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

// expandPath returns the configuration files a path stands for, and the
// variable files: a file named directly is either, by its name; a
// directory gives its *.hcl files and its *.auto.vars.hcl files.
func expandPath(path string) (files, vars []string, diags hcl.Diagnostics) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration",
			Detail:   fmt.Sprintf("%s could not be read: %v. Check the path.", path, err),
		}}
	}
	if !info.IsDir() {
		if strings.HasSuffix(path, VarsFileSuffix) {
			return nil, []string{path}, nil
		}
		return []string{path}, nil, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read directory",
			Detail:   fmt.Sprintf("The directory %s could not be read: %v. Check that it is readable.", path, err),
		}}
	}
	for _, e := range entries { // os.ReadDir sorts by name
		// Skip editor leftovers (.#x.hcl, #x.hcl#) as Terraform does.
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".hcl") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") {
			continue
		}
		switch {
		case strings.HasSuffix(name, AutoVarsFileSuffix):
			vars = append(vars, filepath.Join(path, name))
		case strings.HasSuffix(name, VarsFileSuffix):
			// Named on the command line when wanted, like Terraform's
			// non-auto .tfvars files.
		default:
			files = append(files, filepath.Join(path, name))
		}
	}
	if len(files) == 0 {
		return nil, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail:   fmt.Sprintf("The directory %s has no .hcl files. Point at a directory that holds .hcl files, or at a file.", path),
		}}
	}
	return files, vars, nil
}
