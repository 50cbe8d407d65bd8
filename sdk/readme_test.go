package sdk

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestReadmeEventCatalogue: the plugin author's guide lists the event
// catalogue, one row per type, and EventTypes is where it comes from: the
// two list the same types in the same order.
func TestReadmeEventCatalogue(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("events.go")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| `(Event[A-Za-z]+)` \\| `([A-Za-z]+Data)` \\|").FindAllSubmatch(b, -1) {
		listed = append(listed, string(m[1]))
		// The constant and the payload type it names exist.
		for _, decl := range []string{`\t` + string(m[2]) + `\s*=\s*"` + string(m[1]) + `"`, `\ntype ` + string(m[3]) + ` `} {
			if !regexp.MustCompile(decl).Match(src) {
				t.Errorf("README.md row %s: events.go has nothing matching %s", m[1], decl)
			}
		}
	}
	if !slices.Equal(listed, EventTypes) {
		t.Errorf("README.md lists the events %v; sdk.EventTypes is %v", listed, EventTypes)
	}
}
