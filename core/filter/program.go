package filter

import (
	"fmt"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Program is a compiled filter. It is safe for concurrent use.
type Program struct {
	prog   *vm.Program
	source string
	// lowerBio and lowerLocation say whether the program reads the
	// pre-lowered fields, so Match skips the work when it does not.
	lowerBio, lowerLocation bool
	runners                 sync.Pool
}

// runner is the per-call state of Match, pooled: a VM keeps its stack between
// runs, and a pooled env does not escape to the heap on every lead.
type runner struct {
	vm  vm.VM
	env env
}

// Compile checks spec and compiles it into one expr program. The error, if
// any, is the first problem [Validate] finds, as an *[Error].
func Compile(spec Spec) (*Program, error) {
	if errs := Validate(spec); len(errs) > 0 {
		return nil, errs[0]
	}
	src := generate(spec)
	prog, err := expr.Compile(src, exprOptions()...)
	if err != nil {
		// Validate compiled every user-written part on its own, so this is a
		// bug in generate; say so rather than blame the user's input.
		return nil, &Error{Field: FieldWhere, Reason: fmt.Sprintf("internal error compiling the generated filter %q: %v", src, err)}
	}
	hasWhere := strings.TrimSpace(spec.Where) != ""
	p := &Program{
		prog:          prog,
		source:        src,
		lowerBio:      hasWhere || len(spec.IncludeKeywords) > 0 || len(spec.ExcludeKeywords) > 0,
		lowerLocation: hasWhere || len(spec.LocationExclude) > 0,
	}
	p.runners.New = func() any { return new(runner) }
	return p, nil
}

// Match reports whether the lead passes the filter. An error means the
// `where` expression failed at run time (for example an index out of range).
func (p *Program) Match(l Lead) (bool, error) {
	r := p.runners.Get().(*runner)
	r.env = env{Lead: l}
	if p.lowerBio {
		r.env.BioLower = strings.ToLower(l.Bio)
	}
	if p.lowerLocation {
		r.env.LocationLower = strings.ToLower(l.Location)
	}
	out, err := r.vm.Run(p.prog, &r.env)
	r.env = env{} // do not keep the lead alive in the pool
	p.runners.Put(r)
	if err != nil {
		return false, fmt.Errorf("filter: %w", err)
	}
	ok, isBool := out.(bool)
	if !isBool {
		return false, fmt.Errorf("filter: expression returned %T, not a bool", out)
	}
	return ok, nil
}

// Source returns the expr source the program was compiled from, for plan
// output and debugging.
func (p *Program) Source() string { return p.source }
