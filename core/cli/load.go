package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/outreachhq/outreach/core/config"
)

// varFlags are the -var and -var-file options of the commands that load a
// configuration.
type varFlags struct {
	vars, files []string
}

func (v *varFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&v.vars, "var", nil, "set a variable: -var 'NAME=VALUE' (repeatable)")
	cmd.Flags().StringArrayVar(&v.files, "var-file", nil, "read variable values from a file of NAME = VALUE lines (repeatable)")
}

// loadConfig parses and decodes config files, printing every diagnostic
// with its source line; errReported if any is an error.
func (g *global) loadConfig(paths []string, vf varFlags) (*config.Config, error) {
	cfg, _, err := g.parseConfig(paths, vf)
	return cfg, err
}

// parseConfig is loadConfig, also returning the parsed files, for
// diagnostics found later to show their source lines.
func (g *global) parseConfig(paths []string, vf varFlags) (*config.Config, map[string]*hcl.File, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	p := config.NewParser()
	p.Vars, p.VarFiles, p.Now = vf.vars, vf.files, g.opts.Clock.Now
	cfg, diags := p.LoadPaths(paths...)
	if err := g.writeDiagnostics(diags, p.Files()); err != nil {
		return nil, nil, err
	}
	if diags.HasErrors() {
		return nil, nil, errReported
	}
	if cfg == nil {
		return nil, nil, fmt.Errorf("no configuration loaded")
	}
	return cfg, p.Files(), nil
}

// writeDiagnostics prints diagnostics to stderr: for each, its severity and
// summary, where it is as file:line:col, the source line with a caret under
// the range, and the detail that says what to do.
func (g *global) writeDiagnostics(diags hcl.Diagnostics, files map[string]*hcl.File) error {
	if len(diags) == 0 {
		return nil
	}
	_, color := terminal(g.opts.Stderr)
	// In reading order: by file (as first met), then by position.
	diags = slices.Clone(diags)
	fileOrder := map[string]int{}
	for _, d := range diags {
		if d.Subject != nil {
			if _, ok := fileOrder[d.Subject.Filename]; !ok {
				fileOrder[d.Subject.Filename] = len(fileOrder) + 1
			}
		}
	}
	key := func(d *hcl.Diagnostic) [3]int {
		if d.Subject == nil {
			return [3]int{}
		}
		return [3]int{fileOrder[d.Subject.Filename], d.Subject.Start.Line, d.Subject.Start.Column}
	}
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		ka, kb := key(a), key(b)
		for i := range ka {
			if ka[i] != kb[i] {
				return ka[i] - kb[i]
			}
		}
		return 0
	})
	var b strings.Builder
	for _, d := range diags {
		writeDiagnostic(&b, d, files, color)
	}
	_, err := io.WriteString(g.opts.Stderr, b.String())
	return err
}

func writeDiagnostic(b *strings.Builder, d *hcl.Diagnostic, files map[string]*hcl.File, color bool) {
	label, on, off := "Error", "", ""
	if d.Severity == hcl.DiagWarning {
		label = "Warning"
	}
	if color {
		on, off = "\x1b[1;31m", "\x1b[0m"
		if d.Severity == hcl.DiagWarning {
			on = "\x1b[1;33m"
		}
	}
	fmt.Fprintf(b, "%s%s:%s %s\n", on, label, off, d.Summary)
	if s := d.Subject; s != nil {
		fmt.Fprintf(b, "\n  on %s:%d:%d:\n", s.Filename, s.Start.Line, s.Start.Column)
		if f, ok := files[s.Filename]; ok && f != nil {
			if line, ok := sourceLine(f.Bytes, s.Start.Line); ok {
				num := fmt.Sprintf("%4d: ", s.Start.Line)
				fmt.Fprintf(b, "%s%s\n", num, line)
				fmt.Fprintf(b, "%s%s%s\n", strings.Repeat(" ", len(num)), caretIndent(line, s.Start.Column), carets(line, *s))
			}
		}
	}
	if d.Detail != "" {
		fmt.Fprintf(b, "\n%s\n", d.Detail)
	}
	b.WriteString("\n")
}

// sourceLine returns line n (1-based) of src without its newline.
func sourceLine(src []byte, n int) (string, bool) {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[n-1], "\r"), true
}

// caretIndent is the blank space before column col (1-based, in
// characters) of line, keeping tabs so that the caret lines up.
func caretIndent(line string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteRune(' ')
		}
		i++
	}
	return b.String()
}

// carets underlines the part of a range on its first line.
func carets(line string, r hcl.Range) string {
	width := 1
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		width = r.End.Column - r.Start.Column
	} else if r.End.Line > r.Start.Line {
		width = max(utf8.RuneCountInString(line)-r.Start.Column+1, 1)
	}
	return strings.Repeat("^", width)
}

// terminal reports the width of w and whether to use color, when w is a
// terminal; zero and false otherwise.
func terminal(w io.Writer) (int, bool) {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	width, _, _ := term.GetSize(int(f.Fd()))
	return width, true
}
