package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
)

func newFmtCmd(g *global) *cobra.Command {
	var check, diff, recursive bool
	cmd := &cobra.Command{
		Use:   "fmt [FILE|DIR]...",
		Short: "Rewrite configuration files in the canonical format",
		Long: "fmt rewrites .hcl files (the current directory's by default) in the canonical format:\n" +
			"two-space indentation and aligned equals signs. It prints the name of each file it\n" +
			"changes. With -check it changes nothing and exits 1 if any file is not formatted.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			var names []string
			for _, a := range args {
				found, err := hclFiles(a, recursive)
				if err != nil {
					return err
				}
				names = append(names, found...)
			}
			files := map[string]*hcl.File{}
			var diags hcl.Diagnostics
			unformatted := 0
			for _, name := range names {
				src, err := os.ReadFile(name)
				if err != nil {
					return err
				}
				// Format only what parses: a file with a syntax error is
				// reported, and left as it is.
				f, d := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
				files[name] = f
				if d.HasErrors() {
					diags = append(diags, d...)
					continue
				}
				out := hclwrite.Format(src)
				if bytes.Equal(out, src) {
					continue
				}
				unformatted++
				fmt.Fprintln(g.opts.Stdout, name)
				if diff {
					writeDiff(g, name, src, out)
				}
				if !check {
					if err := writeFormatted(name, out); err != nil {
						return err
					}
				}
			}
			if err := g.writeDiagnostics(diags, files); err != nil {
				return err
			}
			if diags.HasErrors() || (check && unformatted > 0) {
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "change nothing; exit 1 if any file is not formatted")
	cmd.Flags().BoolVar(&diff, "diff", false, "print the lines each change touches")
	cmd.Flags().BoolVar(&recursive, "recursive", false, "also format files in subdirectories")
	return cmd
}

// hclFiles returns path if it is a file, or the .hcl files in it if it is
// a directory.
func hclFiles(path string, recursive bool) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != path && (!recursive || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".hcl") && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// writeFormatted replaces a file's content, keeping its mode.
func writeFormatted(name string, out []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	return os.WriteFile(name, out, info.Mode().Perm())
}

// writeDiff prints the lines that differ, as - and + lines; formatting
// changes lines in place, so a line-by-line comparison is enough.
func writeDiff(g *global, name string, before, after []byte) {
	a := strings.Split(string(before), "\n")
	b := strings.Split(string(after), "\n")
	fmt.Fprintf(g.opts.Stdout, "--- %s\n+++ %s (formatted)\n", name, name)
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			fmt.Fprintf(g.opts.Stdout, "@@ line %d @@\n-%s\n+%s\n", i+1, x, y)
		}
	}
}
