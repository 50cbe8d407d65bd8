package main

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/outreachhq/outreach"

// TestImportRules checks the dependency rules of the layout (README,
// "Layout"): they keep the seams where the design puts them.
//   - Only the buntdb store imports buntdb, and only the Postgres store
//     imports pgx and River.
//   - Only the command line, which wires things together, imports a store
//     implementation; the engine and the service see the store through the
//     narrow interfaces they declare. Tests open one through teststore.
//   - The plan imports neither the engine nor a store implementation, even
//     indirectly: it is a pure diff.
//   - sdk/ and plugins/ never import core/, even indirectly: plugins build
//     from the SDK alone.
func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; want the whole module", len(pkgs))
	}
	for _, p := range pkgs {
		for _, imp := range p.imports {
			switch {
			case imp == "github.com/tidwall/buntdb" && p.path != module+"/core/store/bunt":
				t.Errorf("%s imports buntdb; only core/store/bunt may", p.path)
			case (strings.HasPrefix(imp, "github.com/jackc/pgx") || strings.HasPrefix(imp, "github.com/riverqueue/river")) &&
				!strings.HasPrefix(p.path, module+"/core/store/postgres"):
				t.Errorf("%s imports %s; only core/store/postgres may", p.path, imp)
			case imp == module+"/core/store/teststore":
				t.Errorf("%s imports core/store/teststore; only tests may", p.path)
			case isStoreImpl(imp) && !strings.HasPrefix(p.path, module+"/core/cli") && !isStoreImpl(p.path):
				t.Errorf("%s imports the store implementation %s; only core/cli wires one in", p.path, imp)
			}
		}
		for _, dep := range p.deps {
			switch {
			case p.path == module+"/core/plan" && (dep == module+"/core/engine" || isStoreImpl(dep)):
				t.Errorf("core/plan depends on %s; the plan is a pure diff of records", dep)
			case (strings.HasPrefix(p.path, module+"/sdk") || strings.HasPrefix(p.path, module+"/plugins")) &&
				strings.HasPrefix(dep, module+"/core"):
				t.Errorf("%s depends on %s; sdk/ and plugins/ must build without core/", p.path, dep)
			}
		}
	}
}

// isStoreImpl reports whether a package is a store implementation: a
// package under core/store other than the domain and its conformance suite.
func isStoreImpl(path string) bool {
	rest, ok := strings.CutPrefix(path, module+"/core/store/")
	return ok && rest != "storetest" && !strings.HasPrefix(rest, "storetest/")
}

type pkg struct {
	path          string
	imports, deps []string
}

// listPackages lists every package of the module with what it imports
// directly (tests excluded) and everything it depends on.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			t.Fatalf("go list printed %q", line)
		}
		pkgs = append(pkgs, pkg{path: parts[0], imports: strings.Fields(parts[1]), deps: strings.Fields(parts[2])})
	}
	return pkgs
}
