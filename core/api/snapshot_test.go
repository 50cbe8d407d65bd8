package api

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite schema/openapi.yaml from the server")

// snapshotPath is the checked-in OpenAPI document that client generators
// and docs use.
var snapshotPath = filepath.Join("..", "..", "schema", "openapi.yaml")

// TestOpenAPISnapshot fails when schema/openapi.yaml differs from what the
// server serves; `make openapi` rewrites it.
func TestOpenAPISnapshot(t *testing.T) {
	got, err := New(Options{Service: &fakeService{}}).OpenAPIYAML()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(snapshotPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(snapshotPath)
	if err != nil {
		t.Fatalf("%v (run `make openapi` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("schema/openapi.yaml is stale: run `make openapi` and commit the result")
	}
}
